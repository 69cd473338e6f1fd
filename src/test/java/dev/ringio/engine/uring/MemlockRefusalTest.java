package dev.ringio.engine.uring;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.ringio.testing.KernelFeatures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * RLIMIT_MEMLOCK refusals, for real: a child JVM runs as the unprivileged user {@code nobody} (root
 * would bypass the limit with CAP_IPC_LOCK). With 1 MiB the 256-entry ring fits but the engine's
 * 4 MiB fixed-buffer pool does not, so io_uring_register_buffers fails with ENOMEM: the engine must
 * log exactly one warning, report the buffers unregistered, and still move data correctly through
 * plain READ/WRITE on the same memory. With 0 bytes the kernel (6.18 here) refuses the ring itself:
 * opening the engine must fail with ENOMEM naming io_uring_setup, the reason engine selection reports.
 */
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class MemlockRefusalTest {

    private record Child(int exit, String out, String err) {
    }

    @Test
    void refusedRegistrationLogsOneWarningAndChunkIoStillWorks(@TempDir Path tmp) throws Exception {
        Child c = runChild(tmp, 1 << 20);
        assertEquals(0, c.exit(), "child failed:\n" + c.out() + c.err());
        assertTrue(c.out().contains("registered=false"), c.out() + c.err());
        assertTrue(c.out().contains("roundtrip=ok"), c.out() + c.err());
        int warnings = c.err().split("refused to register the fixed-buffer pool", -1).length - 1;
        assertEquals(1, warnings, "exactly one warning:\n" + c.err());
        assertTrue(c.err().contains("ENOMEM"), "the warning names the errno:\n" + c.err());
    }

    @Test
    void noMemlockAtAllRefusesTheRingWithEnomem(@TempDir Path tmp) throws Exception {
        Child c = runChild(tmp, 0);
        assertTrue(c.exit() != 0, "the engine cannot start:\n" + c.out() + c.err());
        assertTrue(c.err().contains("io_uring_setup: ENOMEM"), c.err());
    }

    private Child runChild(Path tmp, long memlockBytes) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to start the child as nobody (as an ordinary user the limit applies directly)");
        assumeTrue(new File("/usr/bin/setpriv").canExecute() && new File("/usr/bin/prlimit").canExecute(),
                "needs setpriv and prlimit (util-linux)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        String classPath = readableClassPath(tmp.resolve("cp"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        // (No "--" separators: prlimit then runs nothing and exits 0.)
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/prlimit", "--memlock=" + memlockBytes + ":" + memlockBytes,
                "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                javaBin.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + tmp, "-Dringio.binding=" + System.getProperty("ringio.binding", "ffm")));
        if (!"jnr".equals(System.getProperty("ringio.binding"))) {
            cmd.add("--sun-misc-unsafe-memory-access=deny");
        }
        cmd.addAll(List.of("-cp", classPath, MemlockChild.class.getName(), tmp.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Child(p.exitValue(), out, err);
    }

    /** Copies the class path into a directory the unprivileged child can read (~/.m2 is root's). */
    private static String readableClassPath(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(entry);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = dir.resolve((i++) + "-" + src.getFileName());
            if (Files.isDirectory(src)) {
                try (var walk = Files.walk(src)) {
                    for (Path f : (Iterable<Path>) walk::iterator) {
                        Path t = dst.resolve(src.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(f, t);
                        }
                    }
                }
            } else {
                Files.copy(src, dst);
            }
            entries.add(dst.toString());
        }
        try (var walk = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
