package dev.ringio.nio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.IoEngines;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The switch the provider exists for: unchanged JDK-style code ({@link JdkStyleEchoProgram}) in a
 * child JVM started with {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=} ringio's
 * provider runs its echo on ringio; without the property it runs on the JDK's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(LeakCheck.class)
class ProviderPropertyTest {

    @Test
    void thePropertySwitchesUnchangedJdkCodeToRingio() throws Exception {
        String out = runChild("-Djava.nio.channels.spi.AsynchronousChannelProvider=" + RingioAsynchronousChannelProvider.class.getName());
        assertTrue(out.contains("provider=" + RingioAsynchronousChannelProvider.class.getName() + "\n"), out);
        assertTrue(out.contains("group-provider=" + RingioAsynchronousChannelProvider.class.getName() + "\n"), out);
        assertTrue(out.contains("echo=hello over ringio\n"), out);
        assertTrue(out.contains("terminated=true\n"), out);
    }

    @Test
    void ringioEngineSelectionStillApplies() throws Exception {
        String out = runChild("-Djava.nio.channels.spi.AsynchronousChannelProvider=" + RingioAsynchronousChannelProvider.class.getName(),
                "-D" + IoEngines.ENGINE_PROPERTY + "=epoll");
        assertTrue(out.contains("echo=hello over ringio\n"), out);
    }

    @Test
    void withoutThePropertyTheJdksProviderRunsTheSameCode() throws Exception {
        String out = runChild();
        assertTrue(out.contains("provider=sun.nio.ch."), out);
        assertTrue(out.contains("echo=hello over ringio\n"), out);
    }

    private static String runChild(String... jvmOptions) throws IOException, InterruptedException, java.util.concurrent.ExecutionException {
        String binding = System.getProperty("ringio.binding", "ffm");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dringio.binding=" + binding));
        if (!"jnr".equals(binding)) {
            cmd.add("--sun-misc-unsafe-memory-access=deny");
        }
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), JdkStyleEchoProgram.class.getName()));
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
