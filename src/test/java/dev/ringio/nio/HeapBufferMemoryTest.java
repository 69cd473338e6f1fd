package dev.ringio.nio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.ringio.IoEngines;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static String runChild(String mode, String... jvmOptions) throws IOException, InterruptedException,
            java.util.concurrent.ExecutionException {
        String binding = System.getProperty("ringio.binding", "ffm");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dringio.binding=" + binding,
                "-XX:MaxDirectMemorySize=16m", "-XX:+DisableExplicitGC"));
        if (!"jnr".equals(binding)) {
            cmd.add("--sun-misc-unsafe-memory-access=deny");
        }
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HeapBufferReadsProgram.class.getName(), mode));
        Process p = new ProcessBuilder(cmd).start();
        // Drain stderr concurrently so a chatty child cannot block on a full pipe.
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not exit");
        String all = out + "--- stderr\n" + err.get();
        assertEquals(0, p.exitValue(), all);
        return all;
    }
}
