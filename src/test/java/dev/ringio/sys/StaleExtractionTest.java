package dev.ringio.sys;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extracted libringio.so of a JVM killed with SIGKILL (which runs no exit hook) is removed
 * by the next JVM that extracts it, and nothing else is: not a live process's extraction, not
 * another program's directory, not what a symbolic link points to.
 */
class StaleExtractionTest {

    private static final long TIMEOUT = 60;

    @Test
    void aKilledJvmsExtractionIsRemovedAtTheNextStartAndNothingElseIs(@TempDir Path tmp) throws Exception {
        // Decoys the cleanup must leave alone.
        Path live = Files.createDirectory(tmp.resolve("ringio-" + ProcessHandle.current().pid() + "-1"));
        Files.write(live.resolve("libringio.so"), new byte[1]);
        Path foreign = Files.createDirectory(tmp.resolve("ringio-data"));
        Files.write(foreign.resolve("libringio.so"), new byte[1]);
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.write(elsewhere.resolve("x.so"), new byte[1]);

        Process first = child(tmp, "wait");
        Path firstLib;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
            String abi = out.readLine();
            if (abi == null || !abi.startsWith("abi=")) {
                first.destroyForcibly();
                throw new AssertionError("child did not load the shim: " + abi + stderr(first));
            }
            String line = out.readLine();
            assertNotNull(line, "child printed no path");
            firstLib = Path.of(line);
            assertTrue(firstLib.startsWith(tmp) && Files.isRegularFile(firstLib), firstLib.toString());
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no deleteOnExit
            assertTrue(first.waitFor(TIMEOUT, TimeUnit.SECONDS), "killed child did not end");
        }
        Path firstDir = firstLib.getParent();
        assertTrue(Files.exists(firstLib), "SIGKILL leaves the extraction behind (the case cleaned up)");
        // The dead child's pid in a symbolic link's name: the link goes, never what it points to.
        Path link = Files.createSymbolicLink(tmp.resolve("ringio-" + first.pid() + "-7"), elsewhere);

        Process second = child(tmp, "exit");
        assertTrue(second.waitFor(TIMEOUT, TimeUnit.SECONDS), "second child did not end");
        String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, second.exitValue(), () -> out + stderr(second));

        assertFalse(Files.exists(firstDir), "the killed JVM's extraction is still there: " + firstDir);
        List<String> left = new ArrayList<>();
        try (var s = Files.list(tmp)) {
            s.forEach(p -> left.add(p.getFileName().toString()));
        }
        assertTrue(Files.exists(live.resolve("libringio.so")), "a live pid's extraction was touched");
        assertTrue(Files.exists(foreign.resolve("libringio.so")), "a directory of another pattern was touched");
        assertTrue(Files.exists(elsewhere.resolve("x.so")), "a symbolic link was followed");
        assertTrue(Files.isSymbolicLink(link), "a symbolic link is not an extraction directory");
        // The second child exited normally: its own extraction went with it.
        assertEquals(java.util.Set.of("elsewhere", link.getFileName().toString(), "ringio-data",
                live.getFileName().toString()), java.util.Set.copyOf(left), left.toString());
    }

    private static Process child(Path tmp, String mode) throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        String binding = System.getProperty("ringio.binding", "ffm");
        List<String> cmd = new ArrayList<>(List.of(javaBin.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + tmp, "-Dringio.binding=" + binding,
                "--sun-misc-unsafe-memory-access=" + ("jnr".equals(binding) ? "allow" : "deny"),
                "-cp", System.getProperty("java.class.path"), ExtractingChild.class.getName(), mode));
        return new ProcessBuilder(cmd).start();
    }

    private static String stderr(Process p) {
        try {
            return "\nstderr:\n" + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
