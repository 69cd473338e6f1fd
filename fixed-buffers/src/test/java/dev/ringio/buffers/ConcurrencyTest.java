package dev.ringio.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConcurrencyTest {

    private static final int THREADS = 4;
    private static final int CYCLES = 100_000;

    /** Runs {@code body(threadId)} on THREADS platform threads started together; rethrows the first failure. */
    private static void runThreads(int n, ThreadBody body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().name("stress-" + t).start(() -> {
                try {
                    start.await();
                    body.run(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(120));
            assertFalse(t.isAlive(), t.getName() + " hung");
        }
        if (failure.get() != null) {
            throw new AssertionError("worker failed", failure.get());
        }
    }

    @FunctionalInterface
    interface ThreadBody {
        void run(int threadId) throws Exception;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void exclusiveOwnershipUnderContention() throws Exception {
        final int chunks = 3; // fewer chunks than threads, so allocOrWait really waits
        final int size = 256;
        try (FixedBufferPool pool = FixedBufferPool.allocate(chunks, size)) {
            AtomicIntegerArray owner = new AtomicIntegerArray(chunks); // 0 = nobody, else threadId + 1
            AtomicLong waited = new AtomicLong();
            AtomicLong cancelled = new AtomicLong();
            AtomicLong fallbacks = new AtomicLong();

            runThreads(THREADS, id -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                int me = id + 1;
                for (int i = 0; i < CYCLES; i++) {
                    int mode = rnd.nextInt(8);
                    if (mode == 0) {
                        // withChunk: either use a chunk or take the fallback
                        int iter = i;
                        boolean used = pool.withChunk(() -> false, c -> {
                            use(c, owner, me, iter);
                            return true;
                        });
                        if (!used) {
                            fallbacks.incrementAndGet();
                        }
                        continue;
                    }
                    Chunk c;
                    if (mode < 4) {
                        c = pool.alloc();
                        if (c == null) {
                            c = pool.allocOrWait().join();
                        }
                    } else {
                        CompletableFuture<Chunk> f = pool.allocOrWait();
                        if (!f.isDone()) {
                            waited.incrementAndGet();
                            if (mode == 7 && f.cancel(false)) {
                                cancelled.incrementAndGet();
                                continue;
                            }
                        }
                        c = f.join();
                    }
                    use(c, owner, me, i);
                    pool.free(c);
                }
            });

            assertEquals(chunks, pool.freeCount(), "chunk lost");
            assertEquals(0, pool.waiterCount());
            for (int i = 0; i < chunks; i++) {
                assertEquals(0, owner.get(i));
            }
            assertTrue(waited.get() > 0, "the test never exercised waiting");
            System.out.printf("exclusiveOwnershipUnderContention: waited=%d cancelled=%d fallbacks=%d%n",
                    waited.get(), cancelled.get(), fallbacks.get());
        }
    }

    /** Marks ownership, pins, writes a pattern, verifies it, unpins, unmarks. Fails if anyone else held the chunk. */
    private static void use(Chunk c, AtomicIntegerArray owner, int me, int iter) {
        if (!owner.compareAndSet(c.index(), 0, me)) {
            fail("chunk " + c.index() + " handed to thread " + me + " while owned by " + owner.get(c.index()));
        }
        assertTrue(c.isLive());
        c.retain("stress");
        MemorySegment seg = c.segment();
        long pattern = ((long) me << 32) | iter;
        for (long off = 0; off + 8 <= seg.byteSize(); off += 8) {
            seg.set(ValueLayout.JAVA_LONG, off, pattern ^ off);
        }
        Thread.onSpinWait();
        for (long off = 0; off + 8 <= seg.byteSize(); off += 8) {
            long v = seg.get(ValueLayout.JAVA_LONG, off);
            if (v != (pattern ^ off)) {
                fail("chunk " + c.index() + " corrupted at " + off + ": " + Long.toHexString(v));
            }
        }
        c.release();
        if (!owner.compareAndSet(c.index(), me, 0)) {
            fail("chunk " + c.index() + " owner changed under thread " + me);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void retainRacingWithFreeNeverPinsAFreedChunk() throws Exception {
        try (FixedBufferPool pool = FixedBufferPool.allocate(2, 64)) {
            for (int round = 0; round < 2_000; round++) {
                Chunk c = pool.alloc();
                AtomicBoolean freed = new AtomicBoolean();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread pinner = Thread.ofPlatform().start(() -> {
                    try {
                        while (true) {
                            try {
                                c.retain("op");
                            } catch (IllegalStateException e) {
                                assertTrue(e.getMessage().contains("op: chunk " + c.index() + " was freed"));
                                assertTrue(freed.get() || !c.isLive());
                                return;
                            }
                            // Pinned: the free cannot have happened, and cannot happen until release.
                            assertTrue(c.isLive(), "retain succeeded on a freed chunk");
                            assertFalse(freed.get(), "free succeeded while pinned");
                            c.release();
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                while (true) {
                    try {
                        pool.free(c);
                        freed.set(true);
                        break;
                    } catch (IllegalStateException e) {
                        assertTrue(e.getMessage().contains("retained"), e.getMessage());
                        Thread.onSpinWait();
                    }
                }
                pinner.join();
                if (failure.get() != null) {
                    throw new AssertionError(failure.get());
                }
                assertEquals(2, pool.freeCount());
            }
            assertEquals(pool.chunkCount(), pool.freeCount());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void closeRacingWithWaitersCompletesEveryFuture() throws Exception {
        for (int round = 0; round < 200; round++) {
            FixedBufferPool pool = FixedBufferPool.allocate(2, 64);
            List<CompletableFuture<Chunk>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            Thread churn = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try {
                        CompletableFuture<Chunk> f = pool.allocOrWait();
                        futures.add(f);
                        Chunk c = pool.alloc();
                        if (c != null) {
                            pool.free(c);
                        }
                    } catch (IllegalStateException closed) {
                        return;
                    }
                }
            });
            Thread.sleep(0, 100_000);
            pool.close();
            stop.set(true);
            churn.join();
            for (CompletableFuture<Chunk> f : futures) {
                assertTrue(f.isDone(), "future left pending after close");
                try {
                    Chunk c = f.join();
                    assertFalse(c.isLive());
                } catch (CompletionException e) {
                    assertInstanceOf(IllegalStateException.class, e.getCause());
                }
            }
            assertEquals(0, pool.waiterCount());
        }
    }
}
