package dev.ringio.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ringio soak} with a small count on each engine: every count it reports is 0. */
@Timeout(300)
class SoakCommandTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private void soakClean(String engine) throws Exception {
        int status = Main.run(new String[] {"soak", "--ops", "20000", "--threads", "4", "--engine", engine}, out, err);
        String report = outBytes.toString(StandardCharsets.UTF_8);
        assertEquals(Main.EXIT_OK, status, report + errBytes.toString(StandardCharsets.UTF_8));
        assertTrue(report.contains("lost: 0  duplicated: 0  hung: 0  leaked fds: 0  leaked chunks: 0"), report);
        assertTrue(report.contains("20,000 ops from 4 threads"), report);
    }

    @Test
    void aSmallSoakOnIoUringFindsNothingWrong() throws Exception {
        soakClean("uring");
    }

    @Test
    void aSmallSoakOnEpollFindsNothingWrong() throws Exception {
        soakClean("epoll");
    }

    @Test
    void badOptionsAreAUsageError() throws Exception {
        assertEquals(Main.EXIT_USAGE, Main.run(new String[] {"soak", "--engine", "kqueue"}, out, err));
        assertEquals(Main.EXIT_USAGE, Main.run(new String[] {"soak", "--ops"}, out, err));
        assertEquals(Main.EXIT_USAGE, Main.run(new String[] {"soak", "--threads", "0"}, out, err));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("usage: ringio soak"));
    }
}
