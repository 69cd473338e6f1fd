package dev.ringio.nio;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ringio.testing.ChildJvm;
import dev.ringio.IoEngines;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heap-buffer reads do not exhaust direct memory: 200 one-byte reads into a 1 MiB heap buffer in a
 * child JVM limited to 16 MiB of direct memory, with explicit GC disabled (so nothing but a
 * deterministic free can give bounce memory back). The JDK's provider passes this (it reuses a
 * per-thread temporary buffer); so must ringio's, and an engine's {@code recv}, on every engine.
 */
class HeapBufferMemoryTest {

    @Test
    void throughTheNioProviderOnEveryEngine() throws Exception {
        for (String engine : new String[] {"uring", "epoll"}) {
            String out = runChild("nio", "-Djava.nio.channels.spi.AsynchronousChannelProvider="
                    + RingioAsynchronousChannelProvider.class.getName(), "-D" + IoEngines.ENGINE_PROPERTY + "=" + engine);
            assertTrue(out.contains("provider=" + RingioAsynchronousChannelProvider.class.getName() + "\n"), out);
            assertTrue(out.contains("reads=200\n"), out);
        }
    }

    @Test
    void throughTheJdksProviderAsAReference() throws Exception {
        String out = runChild("nio");
        assertTrue(out.contains("provider=sun.nio.ch."), out);
        assertTrue(out.contains("reads=200\n"), out);
    }

    @Test
    void throughAnEnginesRecvOnEveryEngine() throws Exception {
        for (String engine : new String[] {"uring", "epoll"}) {
            String out = runChild("engine", "-D" + IoEngines.ENGINE_PROPERTY + "=" + engine);
            assertTrue(out.contains("reads=200\n"), out);
        }
    }

    private static String runChild(String mode, String... jvmOptions) throws Exception {
        List<String> options = new ArrayList<>(List.of("-XX:MaxDirectMemorySize=16m", "-XX:+DisableExplicitGC"));
        options.addAll(List.of(jvmOptions));
        return ChildJvm.run(options, HeapBufferReadsProgram.class, mode);
    }
}
