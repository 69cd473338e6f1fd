package dev.ringio.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.ringio.IoEngines;
import dev.ringio.buffers.FixedBufferPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A JUnit 5 extension that fails a test class which leaves file descriptors open.
 *
 * <p>Before all tests of the class it records every open descriptor of this process (the entries
 * of {@code /proc/self/fd} and their link targets); after all tests (after the class's own
 * {@code @AfterAll} methods, so an engine closed there is already gone) it asserts that no
 * descriptor is open that was not open before, or that now points somewhere else. Closes may be
 * deferred (an {@code Fd} closes when its last operation completes, an engine's loop tears the
 * ring down asynchronously), so the check retries for up to {@link #DEFAULT_WAIT} before failing;
 * the failure lists each leaked descriptor and its link target.
 *
 * <p>Use either form at class level:
 * <pre>{@code
 * @ExtendWith(LeakCheck.class)
 * class MyTest { ... }
 *
 * class MyOtherTest {
 *     @RegisterExtension
 *     static final LeakCheck LEAKS = new LeakCheck(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <h2>Robustness against the JVM's and JUnit's own descriptors</h2>
 * Only descriptors that are <em>new</em> at the end count, so whatever the JVM, surefire and JUnit
 * had open before the class started is ignored. What they would open lazily <em>during</em> the
 * class is opened once, on purpose, before the snapshot ({@link #warmUp()}), instead of being
 * filtered out by name:
 * <ul>
 *   <li>class-path jars: the application class loader opens each jar the first time it searches
 *       it and keeps it open; looking up a resource that does not exist makes it search, and so
 *       open, every jar on the class path;</li>
 *   <li>{@code /dev/random} and {@code /dev/urandom}: the JDK's {@code NativePRNG} opens them on
 *       first use and keeps them open for the life of the JVM; {@code @TempDir} and
 *       {@code Files.createTempDirectory} use {@code SecureRandom}, so it is used once here;</li>
 *   <li>the ringio native library and the io_uring probe: {@link IoEngines#availability()} loads
 *       the shim (extracting the library to a temporary file, then closing it) and opens and
 *       destroys one tiny ring.</li>
 * </ul>
 * The only entry deliberately ignored is the directory descriptor that listing
 * {@code /proc/self/fd} itself opens (it is closed again before the list is returned, so it shows
 * up, if at all, as an entry whose link can no longer be read, or one pointing at
 * {@code /proc/<pid>/fd}).
 *
 * <p>Threading: the extension itself is stateless (snapshots live in the JUnit extension store),
 * so one instance may serve classes running in parallel — but a descriptor leak check is only
 * meaningful when no other test class opens or closes descriptors at the same time; run classes
 * that use it sequentially (surefire's default).
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {

    /** How long {@code afterAll} waits for deferred closes before it reports a leak. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(2);

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheck.class);
    private static final String SNAPSHOT_KEY = "fds-before";
    private static final Path PROC_FD = Path.of("/proc/self/fd");

    private final Duration wait;

    /** A check that waits up to {@link #DEFAULT_WAIT} for deferred closes. */
    public LeakCheck() {
        this(DEFAULT_WAIT);
    }

    /** A check that waits up to {@code wait} for deferred closes. */
    public LeakCheck(Duration wait) {
        this.wait = Objects.requireNonNull(wait, "wait");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        warmUp();
        context.getStore(NAMESPACE).put(SNAPSHOT_KEY, snapshot());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Map<Integer, String> before = context.getStore(NAMESPACE).remove(SNAPSHOT_KEY, Map.class);
        if (before == null) {
            return; // beforeAll did not run (e.g. the class was skipped)
        }
        assertNoNewFds(before, wait, context.getDisplayName());
    }

    // ---- the check, usable without JUnit's lifecycle ---------------------------------------------

    /**
     * The open descriptors of this process: descriptor number → link target (e.g. a path,
     * {@code "pipe:[123]"} or {@code "anon_inode:[io_uring]"}), sorted by number.
     */
    public static Map<Integer, String> snapshot() {
        String[] names = PROC_FD.toFile().list(); // opens and closes one directory descriptor
        if (names == null) {
            throw new IllegalStateException("cannot list " + PROC_FD + " (not Linux?)");
        }
        String listingDir = "/proc/" + ProcessHandle.current().pid() + "/fd";
        Map<Integer, String> fds = new TreeMap<>();
        for (String name : names) {
            int fd;
            try {
                fd = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                continue;
            }
            String target;
            try {
                target = Files.readSymbolicLink(PROC_FD.resolve(name)).toString();
            } catch (IOException e) {
                continue; // closed since the listing: the listing's own descriptor, typically
            }
            if (target.equals(listingDir)) {
                continue; // the descriptor used for listing (number reused by nothing else yet)
            }
            fds.put(fd, target);
        }
        return Collections.unmodifiableMap(fds);
    }

    /**
     * The descriptors of {@code after} that were not open in {@code before}, or that now point at
     * a different target (closed and the number reused for something else). A target that only
     * gained the kernel's {@code " (deleted)"} suffix is the same open file, not a new one.
     */
    public static Map<Integer, String> newFds(Map<Integer, String> before, Map<Integer, String> after) {
        Map<Integer, String> leaked = new TreeMap<>();
        after.forEach((fd, target) -> {
            String was = before.get(fd);
            if (was == null || !withoutDeleted(target).equals(withoutDeleted(was))) {
                leaked.put(fd, target);
            }
        });
        return leaked;
    }

    /**
     * The kernel appends {@code " (deleted)"} to the link of an open file once its name is
     * unlinked. The descriptor is still the same open file — e.g. surefire's booter jar, which the
     * JVM keeps open and Maven deletes from {@code target/surefire} while the fork runs — so the
     * comparison ignores that suffix.
     */
    private static String withoutDeleted(String target) {
        return target.endsWith(DELETED) ? target.substring(0, target.length() - DELETED.length()) : target;
    }

    private static final String DELETED = " (deleted)";

    /**
     * Asserts that no descriptor is open now that was not open in {@code before}, retrying for up
     * to {@code wait} while some are; the failure lists each leaked descriptor and its target.
     *
     * @param what names the test scope in the failure message
     */
    public static void assertNoNewFds(Map<Integer, String> before, Duration wait, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<Integer, String> leaked;
        while (true) {
            leaked = newFds(before, snapshot());
            if (leaked.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            Thread.sleep(20);
        }
        StringBuilder sb = new StringBuilder().append(what).append(" leaked ").append(leaked.size())
                .append(" file descriptor(s) (still open ").append(wait.toMillis()).append(" ms after the last test):");
        leaked.forEach((fd, target) -> sb.append("\n  fd ").append(fd).append(" -> ").append(target));
        fail(sb.toString());
    }

    /**
     * Opens, once, what the JVM would otherwise open lazily during the tests and keep open (see
     * the class documentation). Safe to call repeatedly.
     */
    public static void warmUp() {
        // Every class-path jar: a lookup that fails searches (and so opens) all of them.
        String missing = "dev/ringio/testing/LeakCheck$warm-up-" + System.nanoTime() + ".absent";
        ClassLoader system = ClassLoader.getSystemClassLoader();
        system.getResource(missing);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != system) {
            context.getResource(missing);
        }
        // NativePRNG's /dev/random and /dev/urandom (kept open for the life of the JVM).
        new SecureRandom().nextBytes(new byte[16]);
        try {
            Path tmp = Files.createTempFile("ringio-leakcheck", ".tmp");
            Files.delete(tmp);
        } catch (IOException ignored) {
            // only a warm-up
        }
        // Classes an assertion failure loads, so they are not loaded for the first time mid-test.
        new File(".").getAbsolutePath();
        try {
            Class.forName("org.opentest4j.AssertionFailedError");
            Class.forName("org.opentest4j.MultipleFailuresError");
        } catch (ClassNotFoundException ignored) {
            // not on the class path: nothing to warm up
        }
        // The ringio shim (native library extracted and dlopen'ed) and a tiny probe ring.
        try {
            IoEngines.availability();
        } catch (Throwable ignored) {
            // io_uring unavailable: the tests will say so themselves
        }
    }

    // ---- fixed-buffer pools ----------------------------------------------------------------------

    /** Asserts that every chunk of {@code pool} is free ({@code freeCount() == chunkCount()}). */
    public static void assertPoolFull(FixedBufferPool pool) {
        Objects.requireNonNull(pool, "pool");
        assertEquals(pool.chunkCount(), pool.freeCount(),
                () -> pool + ": " + (pool.chunkCount() - pool.freeCount()) + " chunk(s) still allocated");
    }
}
