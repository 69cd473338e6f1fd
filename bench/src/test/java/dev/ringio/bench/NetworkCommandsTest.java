package dev.ringio.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.ringio.net.Ipv4SockAddr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code proxy} and {@code echo} commands' argument handling (the servers themselves have their own tests). */
class NetworkCommandsTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private int run(String... args) throws Exception {
        return Main.run(args, out, err);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void proxyNeedsTwoAddresses() throws Exception {
        assertEquals(Main.EXIT_USAGE, run("proxy"));
        assertTrue(err().contains("expected LOCAL and REMOTE"), err());
        assertEquals(Main.EXIT_USAGE, run("proxy", "127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"));
    }

    @Test
    void proxyRejectsABadAddressOrBacklog() throws Exception {
        assertEquals(Main.EXIT_USAGE, run("proxy", "127.0.0.1:x", "127.0.0.1:80"));
        assertTrue(err().contains("127.0.0.1:x"), err());
        assertEquals(Main.EXIT_USAGE, run("proxy", "127.0.0.1:0", "127.0.0.1:80", "--backlog", "-3"));
        assertEquals(Main.EXIT_USAGE, run("proxy", "127.0.0.1:0", "127.0.0.1:80", "--backlog"));
    }

    @Test
    void echoNeedsOnePort() throws Exception {
        assertEquals(Main.EXIT_USAGE, run("echo"));
        assertEquals(Main.EXIT_USAGE, run("echo", "99999"));
        assertTrue(err().contains("out of range"), err());
        assertEquals(Main.EXIT_USAGE, run("echo", "9000", "9001"));
    }

    @Test
    void loopsTakeAPositiveNumber() throws Exception {
        for (String bad : new String[] {"0", "-1", "two", "100000"}) {
            assertEquals(Main.EXIT_USAGE, run("echo", "--loops", bad, "127.0.0.1:0"), bad);
            assertTrue(err().contains("--loops takes a number"), err());
            assertEquals(Main.EXIT_USAGE, run("proxy", "--loops", bad, "127.0.0.1:0", "127.0.0.1:80"), bad);
            assertTrue(err().contains("--loops takes a number"), err());
        }
        assertEquals(Main.EXIT_USAGE, run("echo", "127.0.0.1:0", "--loops"));
        assertEquals(Main.EXIT_USAGE, run("proxy", "127.0.0.1:0", "127.0.0.1:80", "--loops"));
    }

    @Test
    void helpListsTheNetworkCommands() throws Exception {
        assertEquals(Main.EXIT_OK, run("help"));
        String usage = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(usage.contains("proxy LOCAL REMOTE") && usage.contains("echo PORT"), usage);
        assertEquals(Main.EXIT_OK, run("proxy", "--help"));
        assertEquals(Main.EXIT_OK, run("echo", "--help"));
    }

    @Test
    void aBarePortListensOnEveryIpv4Interface() {
        assertEquals(Ipv4SockAddr.any(9000), EchoCommand.parseListenAddress("9000"));
        assertEquals(Ipv4SockAddr.loopback(9000), EchoCommand.parseListenAddress("127.0.0.1:9000"));
        assertThrows(IllegalArgumentException.class, () -> EchoCommand.parseListenAddress("70000"));
    }
}
