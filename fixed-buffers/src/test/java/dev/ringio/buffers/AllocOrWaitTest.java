package dev.ringio.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AllocOrWaitTest {

    private static final int COUNT = 2;

    private FixedBufferPool pool;

    @BeforeEach
    void setUp() {
        pool = FixedBufferPool.allocate(COUNT, 4096);
    }

    @AfterEach
    void tearDown() {
        if (!pool.isClosed()) {
            assertEquals(pool.chunkCount(), pool.freeCount(), "chunk leaked");
            assertEquals(0, pool.waiterCount());
        }
        pool.close();
    }

    private List<Chunk> drain() {
        List<Chunk> all = new ArrayList<>();
        for (Chunk c; (c = pool.alloc()) != null; ) {
            all.add(c);
        }
        assertEquals(0, pool.freeCount());
        return all;
    }

    @Test
    void completesImmediatelyWhenAChunkIsFree() throws Exception {
        CompletableFuture<Chunk> f = pool.allocOrWait();
        assertTrue(f.isDone());
        Chunk c = f.get();
        assertTrue(c.isLive());
        assertEquals(COUNT - 1, pool.freeCount());
        assertEquals(0, pool.waiterCount());
        pool.free(c);
    }

    @Test
    void waitersAreServedFifo() throws Exception {
        List<Chunk> held = drain();
        List<CompletableFuture<Chunk>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(pool.allocOrWait());
            assertEquals(i + 1, pool.waiterCount());
        }
        futures.forEach(f -> assertFalse(f.isDone()));

        Chunk first = held.remove(0);
        int index = first.index();
        pool.free(first);
        assertTrue(futures.get(0).isDone(), "oldest waiter must be served first");
        for (int i = 1; i < 5; i++) {
            assertFalse(futures.get(i).isDone());
        }
        assertEquals(0, pool.freeCount(), "freed chunk must go to the waiter, not the free stack");
        assertEquals(4, pool.waiterCount());
        Chunk got = futures.get(0).get();
        assertEquals(index, got.index());
        assertTrue(got.isLive());
        assertFalse(first.isLive(), "the freeing handle is stale even though the slot went straight to a waiter");
        assertEquals(0, got.retainCount());

        // Free in a loop; each free completes exactly the next waiter in order.
        held.add(got);
        for (int i = 1; i < 5; i++) {
            pool.free(held.remove(0));
            for (int j = 0; j < 5; j++) {
                assertEquals(j <= i, futures.get(j).isDone(), "after free #" + i + ", waiter " + j);
            }
            held.add(futures.get(i).get());
        }
        assertEquals(0, pool.waiterCount());
        held.forEach(pool::free);
    }

    @Test
    void completionRunsOnTheFreeingThread() throws Exception {
        List<Chunk> held = drain();
        CompletableFuture<Chunk> f = pool.allocOrWait();
        AtomicReference<Thread> completer = new AtomicReference<>();
        CompletableFuture<Chunk> dep = f.whenComplete((c, e) -> completer.set(Thread.currentThread()));
        Thread t = new Thread(() -> pool.free(held.get(0)), "freer");
        t.start();
        t.join();
        assertSame(t, completer.get());
        pool.free(dep.get());
        pool.free(held.get(1));
    }

    @Test
    void cancelledWaiterIsSkippedAndNoChunkIsLost() throws Exception {
        List<Chunk> held = drain();
        CompletableFuture<Chunk> a = pool.allocOrWait();
        CompletableFuture<Chunk> b = pool.allocOrWait();
        CompletableFuture<Chunk> c = pool.allocOrWait();
        assertEquals(3, pool.waiterCount());

        assertTrue(b.cancel(false));
        assertEquals(2, pool.waiterCount(), "cancel removes the waiter");
        assertTrue(b.isCancelled());

        pool.free(held.remove(0));
        assertTrue(a.isDone());
        assertFalse(c.isDone());
        pool.free(held.remove(0));
        assertTrue(c.isDone(), "cancelled waiter b must be skipped");
        assertEquals(0, pool.waiterCount());
        assertEquals(0, pool.freeCount());

        pool.free(a.get());
        pool.free(c.get());
        assertEquals(COUNT, pool.freeCount());
    }

    @Test
    void cancelEveryWaiterThenFreeRestoresTheStack() {
        List<Chunk> held = drain();
        List<CompletableFuture<Chunk>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fs.add(pool.allocOrWait());
        }
        // cancel from the middle, the ends, in odd order
        int[] order = {5, 0, 9, 3, 4, 1, 8, 2, 7, 6};
        for (int i = 0; i < order.length; i++) {
            assertTrue(fs.get(order[i]).cancel(true));
            assertEquals(10 - i - 1, pool.waiterCount());
        }
        held.forEach(pool::free);
        assertEquals(COUNT, pool.freeCount());
    }

    @Test
    void timedOutWaiterIsRemoved() throws Exception {
        List<Chunk> held = drain();
        CompletableFuture<Chunk> f = pool.allocOrWait().orTimeout(20, TimeUnit.MILLISECONDS);
        ExecutionException ex = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, ex.getCause());
        // The whenComplete hook runs before get() returns? Not guaranteed order-wise; poll briefly.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.waiterCount() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, pool.waiterCount());
        held.forEach(pool::free);
        assertEquals(COUNT, pool.freeCount());
    }

    @Test
    void waiterCompletedByCallerDoesNotSwallowAChunk() throws Exception {
        List<Chunk> held = drain();
        CompletableFuture<Chunk> f = pool.allocOrWait();
        assertTrue(f.complete(null)); // a user completing the future themselves
        pool.free(held.remove(0));
        assertNull(f.get());
        assertEquals(1, pool.freeCount(), "chunk offered to a done waiter must return to the pool");
        assertEquals(0, pool.waiterCount());
        held.forEach(pool::free);
    }

    @Test
    void cancelRacingWithFreeNeverLosesAChunk() throws Exception {
        // Many rounds of: one waiter, one free, a concurrent cancel. Whoever wins, the chunk is not lost.
        Chunk keep = pool.alloc();
        int served = 0, cancelled = 0;
        for (int round = 0; round < 2000; round++) {
            Chunk c = pool.alloc();
            assertEquals(0, pool.freeCount());
            CompletableFuture<Chunk> f = pool.allocOrWait();
            CountDownLatch go = new CountDownLatch(1);
            Thread freer = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
                pool.free(c);
            });
            go.countDown();
            boolean wasCancelled = f.cancel(false);
            freer.join();
            if (wasCancelled) {
                cancelled++;
                assertEquals(1, pool.freeCount());
            } else {
                served++;
                Chunk got = f.get();
                assertTrue(got.isLive());
                assertEquals(0, pool.freeCount());
                pool.free(got);
            }
            assertEquals(0, pool.waiterCount());
        }
        assertEquals(2000, served + cancelled);
        pool.free(keep);
        assertEquals(COUNT, pool.freeCount());
    }

    @Test
    void blockedThreadIsWokenByFree() throws Exception {
        List<Chunk> held = drain();
        AtomicReference<Chunk> got = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> got.set(pool.allocOrWait().join()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.waiterCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(1, pool.waiterCount());
        pool.free(held.remove(0));
        waiter.join(5000);
        assertFalse(waiter.isAlive());
        assertTrue(got.get().isLive());
        pool.free(got.get());
        held.forEach(pool::free);
    }
}
