package dev.ringio.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ringio <command> --help} (and {@code -h}) for every command of the tool (issue 15): exit
 * status 0, the command's own usage on standard output with its exit statuses, nothing on standard
 * error, and no work done (bench runs no workload, soak no op, proxy and echo open no listener).
 */
class HelpTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    static Iterable<String> commands() {
        return Main.COMMANDS;
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandAnswersHelp(String command) throws Exception {
        for (String flag : new String[] {"--help", "-h"}) {
            outBytes.reset();
            errBytes.reset();
            int status = Main.run(new String[] {command, flag}, out, err);
            String o = outBytes.toString(StandardCharsets.UTF_8);
            String e = errBytes.toString(StandardCharsets.UTF_8);
            assertEquals(Main.EXIT_OK, status, command + " " + flag + ": " + o + e);
            assertEquals("", e, command + " " + flag + " wrote to standard error");
            assertTrue(o.startsWith("usage: ringio " + command), command + " " + flag + ": " + o);
            assertTrue(o.contains("exit status: 0 "), command + " " + flag + " does not give its exit statuses: " + o);
            assertTrue(o.contains("2 usage error") || o.contains("2 for any other use"),
                    command + " " + flag + " does not say what 2 means: " + o);
        }
    }

    @Test
    void theToolsUsageListsEveryCommandAndTheExitStatuses() throws Exception {
        assertEquals(Main.EXIT_OK, Main.run(new String[] {"--help"}, out, err));
        String o = outBytes.toString(StandardCharsets.UTF_8);
        for (String command : Main.COMMANDS) {
            assertTrue(o.contains("\n  " + command + " ") || o.contains("\n  " + command + ",")
                    || o.contains(", " + command + " "), command + ": " + o);
        }
        assertTrue(o.contains("ringio <command> --help"), o);
        assertTrue(o.contains("exit status: 0 "), o);
    }

    @Test
    void helpAfterOtherArgumentsStillOnlyPrintsTheUsage() throws Exception {
        assertEquals(Main.EXIT_OK, Main.run(new String[] {"soak", "--ops", "5", "--help"}, out, err));
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).startsWith("usage: ringio soak"));
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }
}
