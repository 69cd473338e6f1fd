package dev.ringio.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CloseTest {

    private static void assertIse(String fragment, Executable e) {
        IllegalStateException ex = assertThrows(IllegalStateException.class, e);
        assertTrue(ex.getMessage().contains(fragment), () -> "message '" + ex.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void closeFailsPendingWaiters() {
        FixedBufferPool pool = FixedBufferPool.allocate(1, 4096);
        Chunk held = pool.alloc();
        CompletableFuture<Chunk> a = pool.allocOrWait();
        CompletableFuture<Chunk> b = pool.allocOrWait();
        assertEquals(2, pool.waiterCount());
        pool.close();
        for (CompletableFuture<Chunk> f : List.of(a, b)) {
            assertTrue(f.isCompletedExceptionally());
            ExecutionException ex = assertThrows(ExecutionException.class, f::get);
            assertInstanceOf(IllegalStateException.class, ex.getCause());
            assertTrue(ex.getCause().getMessage().contains("pool closed"), ex.getCause().getMessage());
        }
        assertEquals(0, pool.waiterCount());
        assertFalse(held.isLive());
    }

    @Test
    void closeInvalidatesEveryHandleAndRefusesFurtherUse() {
        FixedBufferPool pool = FixedBufferPool.allocate(3, 4096);
        Chunk held = pool.alloc();
        MemorySegment arena = pool.arena();
        MemorySegment seg = held.segment();
        pool.close();

        assertFalse(held.isLive());
        assertIse("was freed", held::segment);
        assertIse("was freed", held::address);
        assertIse("was freed", held::asByteBuffer);
        assertIse("write_fixed: chunk " + held.index() + " was freed", () -> held.retain("write_fixed"));
        assertIse("not retained", held::release);
        assertTrue(held.toString().contains("freed"), held.toString());

        assertIse("closed", pool::arena);
        assertIse("closed", pool::alloc);
        assertIse("closed", () -> pool.free(held));
        assertIse("closed", () -> pool.withChunk(() -> 0, c -> 1));
        CompletableFuture<Chunk> late = pool.allocOrWait();
        assertTrue(late.isCompletedExceptionally());
        ExecutionException ex = assertThrows(ExecutionException.class, late::get);
        assertInstanceOf(IllegalStateException.class, ex.getCause());
        assertTrue(ex.getCause().getMessage().contains("pool closed"));
        assertEquals(0, pool.freeCount());
        assertEquals(0, pool.waiterCount());
        assertEquals(3, pool.chunkCount());
        assertEquals(4096, pool.chunkSize());
        assertTrue(pool.toString().endsWith("closed]"), pool.toString());

        // The memory really is gone.
        assertThrows(IllegalStateException.class, () -> arena.get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> seg.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void closeIsIdempotent() {
        FixedBufferPool pool = FixedBufferPool.allocate(2, 64);
        pool.close();
        pool.close();
        try (pool) {
            assertEquals(0, pool.freeCount());
        }
    }

    @Test
    void closeWithAPinnedChunkRefusesAndClosesNothing() throws Exception {
        FixedBufferPool pool = FixedBufferPool.allocate(4, 4096);
        Chunk pinned = pool.alloc();
        Chunk other = pool.alloc();
        Chunk freed = pool.alloc();
        pool.free(freed);
        pinned.retain("read_fixed");
        CompletableFuture<Chunk> w1 = pool.allocOrWait();
        CompletableFuture<Chunk> w2 = pool.allocOrWait();
        CompletableFuture<Chunk> waiter = pool.allocOrWait();
        assertTrue(w1.isDone() && w2.isDone());
        assertEquals(1, pool.waiterCount());

        assertIse("retained", pool::close);

        // Nothing was closed: handles live, memory usable, waiter still pending, pool fully working.
        assertTrue(pinned.isLive());
        assertTrue(other.isLive());
        assertEquals(1, pinned.retainCount());
        pinned.segment().set(ValueLayout.JAVA_INT, 0, 42);
        assertEquals(42, pool.arena().get(ValueLayout.JAVA_INT, pinned.offsetInArena()));
        assertFalse(waiter.isDone());
        assertEquals(1, pool.waiterCount());
        other.retain("another op"); // retain still works after the refused close
        other.release();
        pool.free(other);
        assertTrue(waiter.isDone());
        pool.free(waiter.get());
        pool.free(w1.get());
        pool.free(w2.get());
        assertEquals(3, pool.freeCount());

        // After release the close goes through.
        pinned.release();
        pool.free(pinned);
        assertEquals(pool.chunkCount(), pool.freeCount());
        pool.close();
        assertFalse(pinned.isLive());
    }

    @Test
    void closeRefusedForAPinnedChunkThatWasHandedToAWaiter() throws Exception {
        FixedBufferPool pool = FixedBufferPool.allocate(1, 4096);
        Chunk c = pool.alloc();
        CompletableFuture<Chunk> f = pool.allocOrWait();
        pool.free(c);
        Chunk got = f.get();
        got.retain("recv");
        assertIse("retained", pool::close);
        got.release();
        pool.close();
        assertFalse(got.isLive());
    }

    @Test
    void closeRefusalAfterPartialMarkingRollsBack() {
        // Pin the LAST chunk so the first pass refuses; then check the earlier chunks are still fully usable.
        FixedBufferPool pool = FixedBufferPool.allocate(8, 128);
        List<Chunk> all = new ArrayList<>();
        for (Chunk c; (c = pool.alloc()) != null; ) {
            all.add(c);
        }
        Chunk last = all.stream().filter(c -> c.index() == 7).findFirst().orElseThrow();
        last.retain("op");
        assertIse("chunk 7", pool::close);
        for (Chunk c : all) {
            assertTrue(c.isLive());
            c.retain("again");
            c.release();
        }
        last.release();
        all.forEach(pool::free);
        assertEquals(pool.chunkCount(), pool.freeCount());
        pool.close();
    }

    @Test
    void waiterCallbackMayFreeAgain() throws Exception {
        FixedBufferPool pool = FixedBufferPool.allocate(1, 4096);
        Chunk c = pool.alloc();
        CompletableFuture<Chunk> f = pool.allocOrWait();
        CompletableFuture<Chunk> g = pool.allocOrWait();
        // The first waiter's callback runs on the freeing thread, outside the pool lock, and frees again.
        CompletableFuture<Void> done = f.thenAccept(got -> {
            pool.free(got);
            assertTrue(g.isDone()); // handed straight on to g
        });
        pool.free(c);
        done.get();
        pool.free(g.get());
        assertEquals(1, pool.freeCount());
        pool.close();
        assertEquals(0, pool.freeCount());
    }

    @Test
    void closeFromAWaiterCallbackDoesNotDeadlock() throws Exception {
        FixedBufferPool pool = FixedBufferPool.allocate(1, 4096);
        Chunk c = pool.alloc();
        CompletableFuture<Chunk> f = pool.allocOrWait();
        CompletableFuture<Chunk> g = pool.allocOrWait();
        CompletableFuture<Void> done = f.thenAccept(got -> pool.close());
        pool.free(c);
        done.get();
        assertTrue(pool.isClosed());
        assertFalse(f.get().isLive());
        assertTrue(g.isCompletedExceptionally());
        assertEquals(0, pool.waiterCount());
    }
}
