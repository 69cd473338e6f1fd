package dev.ringio.engine.uring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringio.IoEngines;
import dev.ringio.NativeIoException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.ringio.testing.KernelFeatures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Docker case, for real (issue 4): a child JVM runs under {@code ringio-seccomp-launcher}, a
 * test-only program built in {@code shim/} that installs a seccomp filter making io_uring_setup,
 * io_uring_enter and io_uring_register fail with EPERM, as Docker's default profile does, and then
 * execs java. The child ({@link SeccompChild}) prints {@code IoEngines.availability()} and the
 * outcome of {@code IoEngines.open()}.
 *
 * <p>What is proven: availability names {@code io_uring_setup: EPERM} and says a seccomp filter is
 * the likely cause; {@code open()} falls back to the epoll engine, reports the io_uring refusal as
 * the reason, and a real workload (file, pipe, loopback TCP, timer) passes on it. Forcing
 * {@code -Dringio.engine=uring} under the filter fails loudly with EPERM instead of falling back.
 * A control run of the same child without the launcher must see io_uring available and open it,
 * so the refusal is the filter's doing and nothing else's.
 */
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class SeccompRefusalTest {

    /** Where {@code mvn -pl shim install} puts the launcher; packaged in the shim jar. */
    static final String LAUNCHER_RESOURCE = "/native/linux-x86_64/ringio-seccomp-launcher";

    private record Run(int exit, String out, String err) {
        String all() {
            return "exit=" + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }

        /** The value of the first {@code key=} line, or null. */
        String value(String key) {
            for (String line : out.split("\n")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
            return null;
        }
    }

    private Path launcher;

    @BeforeEach
    void extractLauncher(@TempDir Path tmp) throws IOException {
        launcher = tmp.resolve("ringio-seccomp-launcher");
        try (InputStream in = SeccompRefusalTest.class.getResourceAsStream(LAUNCHER_RESOURCE)) {
            if (in != null) {
                Files.copy(in, launcher, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // Fallback for a class path without the shim's resources: the reactor's build output.
                Path built = locateBuilt();
                Files.copy(built, launcher, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path locateBuilt() {
        Path wd = Path.of("").toAbsolutePath();
        for (Path dir = wd; dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shim/target/classes" + LAUNCHER_RESOURCE);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        fail("ringio-seccomp-launcher is neither on the class path (" + LAUNCHER_RESOURCE
                + ") nor under shim/target/classes from " + wd + "; run `mvn -pl shim install`");
        return null;
    }

    @Test
    void ordinaryProgramsRunUnderTheFilter() throws Exception {
        Run r = run(List.of(launcher.toString(), "/bin/true"));
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.err().isEmpty(), r.all());
    }

    @Test
    void launcherReportsUsageAndExecFailures() throws Exception {
        Run usage = run(List.of(launcher.toString()));
        assertEquals(2, usage.exit(), usage.all());
        assertTrue(usage.err().contains("usage:"), usage.all());

        Run missing = run(List.of(launcher.toString(), "/nonexistent/ringio-no-such-program"));
        assertEquals(127, missing.exit(), missing.all());
        assertTrue(missing.err().contains("cannot execute /nonexistent/ringio-no-such-program"), missing.all());
    }

    @Test
    void withoutTheFilterIoUringIsAvailable() throws Exception {
        Run r = runChild(false);
        assertEquals(0, r.exit(), r.all());
        assertEquals("available", r.value("availability.io_uring"), r.all());
        assertTrue(r.value("opened") != null && r.value("opened").startsWith("io_uring"), r.all());
        assertEquals("ok", r.value("workload"), r.all());
    }

    @Test
    void underDockersProfileIoUringIsRefusedWithEperm() throws Exception {
        Run r = runChild(true);
        assertEquals(0, r.exit(), r.all());

        String reason = r.value("availability.io_uring");
        assertTrue(reason != null && reason.startsWith("io_uring_setup: EPERM"),
                "availability names the syscall and the errno:\n" + r.all());

        // open() falls back to epoll, says why, and the child's workload passes on it.
        String opened = r.value("opened");
        assertTrue(opened != null && opened.startsWith("epoll"), "open() picks epoll:\n" + r.all());
        String refused = r.value("refused.io_uring");
        assertTrue(refused != null && refused.contains("EPERM") && refused.contains("seccomp"),
                "the fallback keeps the io_uring refusal and its likely cause:\n" + r.all());
        assertEquals("ok", r.value("workload"), r.all());
        assertNull(r.value("open-failed"), r.all());
    }

    @Test
    void aForcedIoUringFailsLoudlyUnderTheFilter() throws Exception {
        Run r = runChild(true, "-D" + IoEngines.ENGINE_PROPERTY + "=uring");
        assertEquals(0, r.exit(), r.all());
        String failure = r.value("open-failed");
        assertTrue(failure != null && failure.startsWith(NativeIoException.class.getName() + ": "), r.all());
        assertTrue(failure.contains("EPERM"), r.all());
        assertNull(r.value("opened"), "no silent fallback from a forced engine:\n" + r.all());
    }

    @Test
    void aForcedEpollIsUsedEvenWhereIoUringWorks() throws Exception {
        Run r = runChild(false, "-D" + IoEngines.ENGINE_PROPERTY + "=epoll");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.value("opened") != null && r.value("opened").startsWith("epoll"), r.all());
        assertEquals("ok", r.value("workload"), r.all());
    }

    private Run runChild(boolean underFilter, String... jvmOptions) throws Exception {
        String binding = System.getProperty("ringio.binding", "ffm");
        List<String> cmd = new ArrayList<>();
        if (underFilter) {
            cmd.add(launcher.toString());
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dringio.binding=" + binding));
        if (!"jnr".equals(binding)) {
            cmd.add("--sun-misc-unsafe-memory-access=deny");
        }
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SeccompChild.class.getName()));
        return run(cmd);
    }

    private static Run run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        // Drain both pipes concurrently so a chatty child cannot block on a full pipe.
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("child did not finish in 60 s: " + String.join(" ", cmd));
        }
        t.join();
        return new Run(p.exitValue(), out, err.get());
    }
}
