package dev.ringio.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real kernel state a test can wait for instead of sleeping: a thread of this process sleeping in
 * a given kernel function ({@code /proc/self/task/*}/wchan), no descriptor left on a path
 * ({@code /proc/self/fd}); and FIFOs to block on.
 */
public final class KernelWaits {

    /** Where a thread sleeps while opening a FIFO that has no peer (fs/pipe.c). */
    public static final String FIFO_OPEN = "wait_for_partner";

    private KernelWaits() {
    }

    /** Makes a FIFO at {@code p} with mkfifo(1). */
    public static Path mkfifo(Path p) throws IOException, InterruptedException {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        assertEquals(0, mk.waitFor(), () -> "mkfifo " + p);
        return p;
    }

    /**
     * Waits up to {@code max} until at least {@code count} threads of this process sleep in a
     * kernel function whose name contains one of {@code functions}; whether they did.
     */
    public static boolean awaitThreadsIn(int count, Duration max, String... functions) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            if (threadsIn(functions) >= count) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
    }

    /** How many threads of this process sleep in a kernel function whose name contains one of {@code functions}. */
    public static int threadsIn(String... functions) {
        int n = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                String wchan;
                try {
                    wchan = Files.readString(t.resolve("wchan")).trim();
                } catch (NoSuchFileException | java.nio.file.AccessDeniedException gone) {
                    continue;
                } catch (IOException gone) {
                    continue; // the thread ended while we looked
                }
                for (String f : functions) {
                    if (wchan.contains(f)) {
                        n++;
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/task", e);
        }
        return n;
    }

    /** Waits up to {@code max} until no descriptor of this process refers to {@code p}; fails naming them if some still do. */
    public static void awaitNoDescriptorOn(Path p, Duration max) throws InterruptedException, IOException {
        String target = p.toRealPath().toString();
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            int open = descriptorsOn(target);
            if (open == 0) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail(open + " descriptor(s) still open on " + target + " after " + max);
            }
            Thread.sleep(5);
        }
    }

    private static int descriptorsOn(String target) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(target)) {
                        n++;
                    }
                } catch (IOException gone) {
                    // closed while we looked
                }
            }
        }
        return n;
    }
}
