package dev.ringio.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child {@code java} process running a test program with this JVM's class path and native
 * binding (and, for FFM, with {@code sun.misc.Unsafe} denied, as the tests run), for what can only
 * be seen in a JVM of its own: system properties read once, memory limits, a crash.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Runs {@code main} with {@code jvmOptions} and {@code args}, asserts it exits 0 within 60 s,
     * and returns its standard output, then {@code "--- stderr\n"} and its standard error, then
     * the command line (for the assertion messages of the caller).
     */
    public static String run(List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException, ExecutionException {
        String binding = System.getProperty("ringio.binding", "ffm");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dringio.binding=" + binding));
        if (!"jnr".equals(binding)) {
            cmd.add("--sun-misc-unsafe-memory-access=deny");
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
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
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child did not exit within 60 s: " + main.getName() + " " + jvmOptions);
        }
        String all = out + "--- stderr\n" + err.get() + "--- command\n" + String.join(" ", jvmOptions) + " "
                + main.getName() + " " + String.join(" ", args);
        assertEquals(0, p.exitValue(), all);
        return all;
    }
}
