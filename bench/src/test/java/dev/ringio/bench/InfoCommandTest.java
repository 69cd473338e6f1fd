package dev.ringio.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.ringio.EngineAvailability;
import dev.ringio.IoEngines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ringio info} reports each engine's {@link EngineAvailability} gate, in the order
 * {@code IoEngines.open()} tries them, and the engine that opened.
 */
class InfoCommandTest {

    @Test
    void infoShowsEveryEnginesGate() throws Exception {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        int status = Main.run(new String[] {"info"}, out, err);
        String o = outBytes.toString(StandardCharsets.UTF_8);
        assertEquals(Main.EXIT_OK, status, o + errBytes.toString(StandardCharsets.UTF_8));
        int at = o.indexOf("engines (tried in this order):\n");
        assertTrue(at >= 0, o);
        for (String engine : IoEngines.ENGINES) {
            String line = "\n  " + engine + ": " + EngineAvailability.of(engine).reason() + "\n";
            int next = o.indexOf(line, at);
            assertTrue(next > at, "no line" + line + "in order in:\n" + o);
            at = next;
        }
        // This is Linux: kqueue's gate is shut, and says why.
        assertTrue(o.contains("\n  kqueue: not a BSD/macOS kernel"), o);
        String chosen = EngineAvailability.of("io_uring").isAvailable() ? "io_uring" : "epoll";
        assertTrue(o.contains("\nchosen:   " + chosen), o);
    }
}
