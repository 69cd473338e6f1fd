package dev.ringio.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FixedBufferPoolTest {

    private static final int COUNT = 4;
    private static final int SIZE = 8192;

    private FixedBufferPool pool;

    @BeforeEach
    void setUp() {
        pool = FixedBufferPool.allocate(COUNT, SIZE);
    }

    @AfterEach
    void tearDown() {
        // Every test leaves the pool with all chunks returned (unless it closed the pool itself).
        if (!pool.isClosed()) {
            assertEquals(pool.chunkCount(), pool.freeCount(), "chunk leaked");
            assertEquals(0, pool.waiterCount());
        }
        pool.close();
    }

    private static IllegalStateException assertIse(String fragment, org.junit.jupiter.api.function.Executable e) {
        IllegalStateException ex = assertThrows(IllegalStateException.class, e);
        assertTrue(ex.getMessage().contains(fragment), () -> "message '" + ex.getMessage() + "' lacks '" + fragment + "'");
        return ex;
    }

    // ---- allocate ----

    @Test
    void geometryAndAlignment() {
        assertEquals(COUNT, pool.chunkCount());
        assertEquals(SIZE, pool.chunkSize());
        assertEquals(COUNT, pool.freeCount());
        assertEquals(0, pool.waiterCount());
        MemorySegment arena = pool.arena();
        assertEquals((long) COUNT * SIZE, arena.byteSize());
        assertEquals(0, arena.address() % FixedBufferPool.PAGE_SIZE, "arena not page-aligned");
        assertEquals(4096, FixedBufferPool.PAGE_SIZE);
    }

    @Test
    void oddSizesAreStillPageAligned() {
        try (FixedBufferPool p = FixedBufferPool.allocate(3, 1)) {
            assertEquals(0, p.arena().address() % FixedBufferPool.PAGE_SIZE);
            assertEquals(3, p.arena().byteSize());
        }
        try (FixedBufferPool p = FixedBufferPool.allocate(1, 12345)) {
            assertEquals(0, p.arena().address() % FixedBufferPool.PAGE_SIZE);
        }
    }

    @Test
    void arenaIsZeroed() {
        MemorySegment arena = pool.arena();
        for (long i = 0; i < arena.byteSize(); i += 8) {
            assertEquals(0L, arena.get(ValueLayout.JAVA_LONG_UNALIGNED, i));
        }
    }

    @Test
    void badAllocateArguments() {
        assertThrows(IllegalArgumentException.class, () -> FixedBufferPool.allocate(0, 4096));
        assertThrows(IllegalArgumentException.class, () -> FixedBufferPool.allocate(-1, 4096));
        assertThrows(IllegalArgumentException.class, () -> FixedBufferPool.allocate(1, 0));
        assertThrows(IllegalArgumentException.class, () -> FixedBufferPool.allocate(1, -4096));
        assertThrows(IllegalArgumentException.class, () -> FixedBufferPool.allocate(Integer.MIN_VALUE, Integer.MIN_VALUE));
        // int product would overflow; long product exceeds 64 GiB
        assertThrows(IllegalArgumentException.class, () -> FixedBufferPool.allocate(Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> FixedBufferPool.allocate(65536, 2 << 20));
        // just over 64 GiB
        assertThrows(IllegalArgumentException.class, () -> FixedBufferPool.allocate(64 * 1024 + 1, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> FixedBufferPool.allocate(1 << 30, 65));
    }

    // ---- alloc / free ----

    @Test
    void allocUntilEmptyThenNull() {
        List<Chunk> chunks = new ArrayList<>();
        Set<Integer> indices = new HashSet<>();
        for (int i = 0; i < COUNT; i++) {
            Chunk c = pool.alloc();
            assertNotNull(c);
            assertSame(pool, c.pool());
            assertTrue(c.isLive());
            assertEquals(SIZE, c.size());
            assertTrue(indices.add(c.index()), "index handed out twice");
            assertEquals(COUNT - i - 1, pool.freeCount());
            chunks.add(c);
        }
        assertNull(pool.alloc());
        assertNull(pool.alloc());
        assertEquals(0, pool.freeCount());
        for (int i = 0; i < chunks.size(); i++) {
            pool.free(chunks.get(i));
            assertEquals(i + 1, pool.freeCount());
        }
        assertEquals(COUNT, pool.freeCount());
    }

    @Test
    void chunkGeometryMatchesArena() {
        MemorySegment arena = pool.arena();
        List<Chunk> chunks = new ArrayList<>();
        for (Chunk c; (c = pool.alloc()) != null; ) {
            chunks.add(c);
            assertEquals((long) c.index() * SIZE, c.offsetInArena());
            assertEquals(arena.address() + c.offsetInArena(), c.address());
            assertEquals(c.address(), c.segment().address());
            assertEquals(SIZE, c.segment().byteSize());
            ByteBuffer bb = c.asByteBuffer();
            assertTrue(bb.isDirect());
            assertEquals(SIZE, bb.capacity());
            assertEquals(0, bb.position());
            assertEquals(SIZE, bb.limit());
            assertEquals(c.address(), MemorySegment.ofBuffer(bb).address());
            assertTrue(c.index() >= 0 && c.index() < COUNT);
        }
        chunks.forEach(pool::free);
    }

    @Test
    void writesThroughChunkLandInArena() {
        Chunk c = pool.alloc();
        c.segment().fill((byte) 0x5a);
        c.asByteBuffer().putInt(0, 0x01020304);
        MemorySegment view = pool.arena().asSlice(c.offsetInArena(), SIZE);
        assertEquals((byte) 0x5a, view.get(ValueLayout.JAVA_BYTE, SIZE - 1));
        assertEquals(0x01020304, view.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0));
        // Neighbouring chunks untouched
        for (long off = 0; off < pool.arena().byteSize(); off++) {
            if (off < c.offsetInArena() || off >= c.offsetInArena() + SIZE) {
                if (pool.arena().get(ValueLayout.JAVA_BYTE, off) != 0) {
                    throw new AssertionError("byte " + off + " outside chunk was written");
                }
            }
        }
        pool.free(c);
    }

    @Test
    void eachAllocIsANewHandle() {
        Chunk a = pool.alloc();
        int index = a.index();
        pool.free(a);
        Chunk b = pool.alloc();
        assertEquals(index, b.index(), "LIFO: the just-freed slot comes back first");
        assertNotSame(a, b);
        assertFalse(a.isLive());
        assertTrue(b.isLive());
        pool.free(b);
    }

    @Test
    void doubleFreeIsDetected() {
        Chunk c = pool.alloc();
        pool.free(c);
        assertIse("already freed", () -> pool.free(c));
        assertEquals(COUNT, pool.freeCount());
    }

    @Test
    void staleHandleCannotFreeTheSlotsNewOwner() {
        Chunk old = pool.alloc();
        pool.free(old);
        Chunk now = null;
        // Reallocate everything so the old slot certainly has a new owner.
        List<Chunk> all = new ArrayList<>();
        for (Chunk c; (c = pool.alloc()) != null; ) {
            all.add(c);
            if (c.index() == old.index()) {
                now = c;
            }
        }
        assertNotNull(now);
        assertIse("already freed", () -> pool.free(old));
        assertTrue(now.isLive(), "stale free must not affect the new owner");
        assertIse("was freed", () -> old.retain("write_fixed"));
        assertEquals(0, now.retainCount());
        assertEquals(0, old.retainCount());
        all.forEach(pool::free);
    }

    @Test
    void freeOfAForeignPoolsChunk() {
        try (FixedBufferPool other = FixedBufferPool.allocate(COUNT, SIZE)) {
            Chunk foreign = other.alloc();
            assertIse("another pool", () -> pool.free(foreign));
            assertEquals(COUNT, pool.freeCount());
            assertTrue(foreign.isLive());
            other.free(foreign);
            assertEquals(COUNT, other.freeCount());
        }
    }

    @Test
    void freeNull() {
        assertThrows(NullPointerException.class, () -> pool.free(null));
    }

    @Test
    void freedChunkRejectsAccess() {
        Chunk c = pool.alloc();
        pool.free(c);
        assertFalse(c.isLive());
        assertIse("chunk " + c.index() + " was freed", c::segment);
        assertIse("chunk " + c.index() + " was freed", c::address);
        assertIse("chunk " + c.index() + " was freed", c::asByteBuffer);
        assertIse("read_fixed: chunk " + c.index() + " was freed", () -> c.retain("read_fixed"));
        assertIse("not retained", c::release);
        assertEquals(0, c.retainCount());
        // Metadata stays readable
        assertEquals(SIZE, c.size());
        assertSame(pool, c.pool());
        assertTrue(c.toString().contains("freed"), c.toString());
    }

    // ---- retain / release ----

    @Test
    void freeWhileRetainedIsRefused() {
        Chunk c = pool.alloc();
        c.retain("read_fixed");
        assertEquals(1, c.retainCount());
        assertIse("retained", () -> pool.free(c));
        assertTrue(c.isLive(), "refused free must not invalidate the handle");
        assertEquals(COUNT - 1, pool.freeCount());
        c.release();
        assertEquals(0, c.retainCount());
        pool.free(c);
        assertFalse(c.isLive());
    }

    @Test
    void retainsNest() {
        Chunk c = pool.alloc();
        c.retain("a");
        c.retain("b");
        c.retain("c");
        assertEquals(3, c.retainCount());
        assertTrue(c.toString().contains("retained 3"), c.toString());
        c.release();
        assertIse("retained by 2", () -> pool.free(c));
        c.release();
        c.release();
        assertIse("not retained", c::release);
        assertEquals(0, c.retainCount());
        pool.free(c);
    }

    @Test
    void releaseWithoutRetain() {
        Chunk c = pool.alloc();
        assertIse("not retained", c::release);
        assertEquals(0, c.retainCount());
        pool.free(c);
    }

    @Test
    void retainDoesNotLeakAcrossHandles() {
        Chunk a = pool.alloc();
        a.retain("op");
        Chunk b = pool.alloc();
        assertEquals(0, b.retainCount());
        assertIse("not retained", b::release);
        pool.free(b);
        a.release();
        pool.free(a);
    }

    // ---- withChunk ----

    @Test
    void withChunkRunsAndFrees() {
        String r = pool.withChunk(() -> "fallback", c -> {
            assertTrue(c.isLive());
            assertEquals(COUNT - 1, pool.freeCount());
            c.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
            return "used " + c.index();
        });
        assertTrue(r.startsWith("used "), r);
        assertEquals(COUNT, pool.freeCount());
    }

    @Test
    void withChunkFreesAfterException() {
        Chunk[] seen = new Chunk[1];
        RuntimeException boom = new RuntimeException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> pool.withChunk(() -> "fallback", c -> {
            seen[0] = c;
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(0, thrown.getSuppressed().length);
        assertFalse(seen[0].isLive());
        assertEquals(COUNT, pool.freeCount());
    }

    @Test
    void withChunkFreesAfterError() {
        assertThrows(StackOverflowError.class, () -> pool.withChunk(() -> 0, c -> {
            throw new StackOverflowError("simulated");
        }));
        assertEquals(COUNT, pool.freeCount());
    }

    @Test
    void withChunkUsesFallbackWhenEmpty() {
        List<Chunk> all = new ArrayList<>();
        for (Chunk c; (c = pool.alloc()) != null; ) {
            all.add(c);
        }
        boolean[] ran = new boolean[1];
        String r = pool.withChunk(() -> "fallback", c -> {
            ran[0] = true;
            return "used";
        });
        assertEquals("fallback", r);
        assertFalse(ran[0]);
        all.forEach(pool::free);
    }

    @Test
    void withChunkReportsAChunkLeftPinned() {
        Chunk[] seen = new Chunk[1];
        assertIse("retained", () -> pool.withChunk(() -> 0, c -> {
            seen[0] = c;
            c.retain("leaky op");
            return 1;
        }));
        // fn's own exception wins; the free failure is suppressed
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> pool.withChunk(() -> 0, c -> {
            c.retain("leaky op");
            seen[0].release();
            pool.free(seen[0]);
            seen[0] = c;
            throw new IllegalArgumentException("fn failed");
        }));
        assertEquals(1, ex.getSuppressed().length);
        assertTrue(ex.getSuppressed()[0] instanceof IllegalStateException);
        seen[0].release();
        pool.free(seen[0]);
    }

    @Test
    void withChunkRejectsNulls() {
        assertThrows(NullPointerException.class, () -> pool.withChunk(null, c -> 1));
        assertThrows(NullPointerException.class, () -> pool.withChunk(() -> 1, null));
    }

    // ---- misc ----

    @Test
    void toStrings() {
        Chunk c = pool.alloc();
        String s = c.toString();
        String hash = Integer.toHexString(System.identityHashCode(pool));
        assertEquals("Chunk[" + c.index() + " of pool@" + hash + ", " + SIZE + " B, live]", s);
        assertEquals("FixedBufferPool@" + hash + "[" + COUNT + " x " + SIZE + " B, open]", pool.toString());
        pool.free(c);
        assertEquals("Chunk[" + c.index() + " of pool@" + hash + ", " + SIZE + " B, freed]", c.toString());
    }

    @Test
    void handlesFromDifferentGenerationsOfOneSlot() {
        // Cycle one slot many times; every old handle must stay dead.
        List<Chunk> old = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Chunk c = pool.alloc();
            old.add(c);
            pool.free(c);
        }
        for (Chunk c : old) {
            assertFalse(c.isLive());
        }
    }
}
