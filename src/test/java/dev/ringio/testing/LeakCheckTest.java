package dev.ringio.testing;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LeakCheck} itself: it sees what is opened, reports it with its target, and is quiet otherwise. */
@ExtendWith(LeakCheck.class)
class LeakCheckTest {

    @TempDir
    Path dir;

    @Test
    void snapshotSeesAnOpenFileWithItsTarget() throws Exception {
        LeakCheck.warmUp();
        Map<Integer, String> before = LeakCheck.snapshot();
        Path p = Files.writeString(dir.resolve("held.txt"), "x");
        try (FileChannel ch = FileChannel.open(p)) {
            Map<Integer, String> leaked = LeakCheck.newFds(before, LeakCheck.snapshot());
            assertEquals(1, leaked.size(), leaked.toString());
            assertEquals(p.toRealPath().toString(), leaked.values().iterator().next());
            AssertionError e = assertThrows(AssertionError.class,
                    () -> LeakCheck.assertNoNewFds(before, Duration.ofMillis(100), "this scope"));
            assertTrue(e.getMessage().contains("this scope leaked 1 file descriptor"), e.getMessage());
            assertTrue(e.getMessage().contains("-> " + p.toRealPath()), e.getMessage());
        }
        assertDoesNotThrow(() -> LeakCheck.assertNoNewFds(before, Duration.ofMillis(100), "this scope"));
    }

    @Test
    void aDescriptorNumberReusedForAnotherTargetCounts() {
        Map<Integer, String> before = Map.of(5, "/a", 6, "pipe:[1]");
        Map<Integer, String> after = Map.of(5, "/b", 6, "pipe:[1]", 7, "/c");
        assertEquals(Map.of(5, "/b", 7, "/c"), LeakCheck.newFds(before, after));
        assertEquals(Map.of(), LeakCheck.newFds(before, Map.of(6, "pipe:[1]")), "closing is never a leak");
        assertEquals(Map.of(), LeakCheck.newFds(before, Map.of(5, "/a (deleted)")), "an unlinked open file is the same file");
    }

    @Test
    void aCloseThatHappensWithinTheWaitIsNotALeak() throws Exception {
        Map<Integer, String> before = LeakCheck.snapshot();
        Path p = Files.writeString(dir.resolve("late.txt"), "x");
        FileChannel ch = FileChannel.open(p);
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(200);
                ch.close();
            } catch (Exception ignored) {
                // the assertion below reports it
            }
        });
        assertDoesNotThrow(() -> LeakCheck.assertNoNewFds(before, Duration.ofSeconds(2), "deferred"));
        closer.join();
    }

    @Test
    void anOpenEngineShowsUpAndAClosedOneDoesNot() throws Exception {
        Map<Integer, String> before = LeakCheck.snapshot();
        IoEngine engine = IoEngines.open(EngineConfig.builder().queueDepth(4).fixedBuffers(2, 4096).build());
        try {
            Map<Integer, String> open = LeakCheck.newFds(before, LeakCheck.snapshot());
            assertTrue(open.containsValue("anon_inode:[io_uring]"), open.toString());
        } finally {
            engine.close();
        }
        assertDoesNotThrow(() -> LeakCheck.assertNoNewFds(before, Duration.ofSeconds(2), "closed engine"));
    }

    @Test
    void theExtensionFailsAClassThatLeavesADescriptorOpenAndNamesIt() throws Exception {
        ExtensionContext context = fakeClassContext("LeakyClass");
        LeakCheck check = new LeakCheck(Duration.ofMillis(200));
        check.beforeAll(context);
        Path p = Files.writeString(dir.resolve("leaked.txt"), "x");
        try (FileChannel ch = FileChannel.open(p)) {
            AssertionError e = assertThrows(AssertionError.class, () -> check.afterAll(context));
            assertTrue(e.getMessage().startsWith("LeakyClass leaked 1 file descriptor(s)"), e.getMessage());
            assertTrue(e.getMessage().contains("-> " + p.toRealPath()), e.getMessage());
        }
        // a class that closes what it opened passes
        check.beforeAll(context);
        FileChannel.open(p).close();
        assertDoesNotThrow(() -> check.afterAll(context));
        // and afterAll without beforeAll (a skipped class) does nothing
        assertDoesNotThrow(() -> check.afterAll(context));
    }

    /** Just enough of an {@link ExtensionContext} for {@link LeakCheck}: a display name and a store. */
    private static ExtensionContext fakeClassContext(String displayName) {
        Map<Object, Object> values = new java.util.HashMap<>();
        ExtensionContext.Store store = (ExtensionContext.Store) Proxy.newProxyInstance(
                LeakCheckTest.class.getClassLoader(), new Class<?>[] {ExtensionContext.Store.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "put" -> values.put(args[0], args[1]);
                    case "remove" -> values.remove(args[0]);
                    case "get" -> values.get(args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ExtensionContext) Proxy.newProxyInstance(LeakCheckTest.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getStore" -> store;
                    case "getDisplayName" -> displayName;
                    case "toString" -> "fake context " + displayName;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void assertPoolFullReportsAllocatedChunks() {
        try (FixedBufferPool pool = FixedBufferPool.allocate(3, 64)) {
            LeakCheck.assertPoolFull(pool);
            Chunk c = pool.alloc();
            AssertionError e = assertThrows(AssertionError.class, () -> LeakCheck.assertPoolFull(pool));
            assertTrue(e.getMessage().contains("1 chunk(s) still allocated"), e.getMessage());
            pool.free(c);
            LeakCheck.assertPoolFull(pool);
        }
    }
}
