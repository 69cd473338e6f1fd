package dev.ringio.engine.uring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.EngineConfig;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.engine.uring.Engines.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Many threads submitting at once: every submission completes exactly once, through the MPSC queue,
 * the SQ, a full SQ / CQ overflow on a tiny ring, and both the future and the raw API.
 *
 * <p>Each submitting thread keeps a bounded window of ops in flight (a semaphore released by the
 * completion) so memory stays bounded however far the loop lags.
 */
@ExtendWith(LeakCheck.class)
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class UringConcurrencyTest {

    private static final int THREADS = 4;
    private static final int WINDOW = 1024;

    private static UringEngine shared;

    @BeforeAll
    static void openShared() throws Exception {
        shared = UringEngine.open(EngineConfig.defaults());
    }

    @AfterAll
    static void closeShared() throws Exception {
        closeWithin(shared);
        assertEquals(0, shared.staleCompletions());
        assertEquals(0, shared.callbackErrors());
    }

    @Test
    void millionNoopFuturesFromFourThreads() throws Exception {
        futureNoops(shared, 1_000_000);
    }

    @Test
    void futureNoopsThroughAFullSqAndCqOverflow() throws Exception {
        // SQ of 2, CQ of 4: thousands in flight overflow both (DESIGN.md, "SQ full" / "CQ overflow").
        UringEngine tiny = UringEngine.open(EngineConfig.builder().queueDepth(2).build());
        try {
            assertTrue(tiny.toString().contains("sq=2 cq=4"), tiny.toString());
            futureNoops(tiny, 200_000);
            assertEquals(0, tiny.staleCompletions());
        } finally {
            closeWithin(tiny);
        }
    }

    @Test
    void millionRawNoopsFromFourThreads() throws Exception {
        rawNoops(shared, 1_000_000);
    }

    @Test
    void rawNoopsThroughAFullSqAndCqOverflow() throws Exception {
        UringEngine tiny = UringEngine.open(EngineConfig.builder().queueDepth(2).build());
        try {
            rawNoops(tiny, 200_000);
            assertEquals(0, tiny.staleCompletions());
        } finally {
            closeWithin(tiny);
        }
    }

    /**
     * One op at a time from another thread, with pauses around the loop's idle-spin-then-sleep
     * transition (none, a few microseconds, ~the spin time, a millisecond): a submission that races
     * with the loop going to sleep must still wake it (no lost wake-up).
     */
    @Test
    void roundTripsAcrossTheLoopsIdleToSleepTransition() throws Exception {
        long[] pausesNanos = {0, 2_000, 20_000, 45_000, 50_000, 55_000, 80_000, 1_000_000};
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        try (dev.ringio.os.Pipe p = dev.ringio.os.Pipe.open()) {
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocateDirect(1);
            java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(1);
            for (int i = 0; i < 4000; i++) {
                long pause = pausesNanos[random.nextInt(pausesNanos.length)];
                long until = System.nanoTime() + pause;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                switch (i % 3) {
                    case 0 -> assertNull(await(shared.noop()), "round trip " + i);
                    case 1 -> {
                        CompletableFuture<Integer> r = shared.read(p.readEnd(), in.clear(), -1);
                        long until2 = System.nanoTime() + pausesNanos[random.nextInt(pausesNanos.length)];
                        while (System.nanoTime() - until2 < 0) {
                            Thread.onSpinWait();
                        }
                        // The loop may be asleep by now with the read pending: the write must wake it.
                        await(shared.write(p.writeEnd(), one.clear(), -1));
                        assertEquals(1, await(r), "round trip " + i);
                    }
                    default -> {
                        CompletableFuture<Integer> raw = new CompletableFuture<>();
                        shared.submitNoop(raw::complete);
                        assertEquals(0, await(raw), "round trip " + i);
                    }
                }
            }
        }
    }

    private static void futureNoops(UringEngine e, int total) throws Exception {
        int perThread = total / THREADS;
        AtomicLong completions = new AtomicLong();
        AtomicLong successes = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Semaphore> windows = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Semaphore window = new Semaphore(WINDOW);
            windows.add(window);
            threads.add(Thread.ofPlatform().name("noop-submitter-" + t).start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        if (!window.tryAcquire(HANG.toMillis(), TimeUnit.MILLISECONDS)) {
                            throw new AssertionError("no completion for " + HANG + " after " + i + " submissions");
                        }
                        e.noop().whenComplete((v, x) -> {
                            completions.incrementAndGet();
                            if (x == null) {
                                successes.incrementAndGet();
                            } else if (failures.size() < 10) {
                                failures.add(x);
                            }
                            window.release();
                        });
                    }
                } catch (Throwable x) {
                    failures.add(x);
                }
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join(HANG.multipliedBy(2));
            assertFalse(t.isAlive(), t.getName() + " still submitting");
        }
        for (Semaphore window : windows) {
            assertTrue(window.tryAcquire(WINDOW, HANG.toMillis(), TimeUnit.MILLISECONDS),
                    "a submitter's last ops never completed: completions " + completions);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(List.of(), List.copyOf(failures));
        assertEquals(total, completions.get());
        assertEquals(total, successes.get());
        // Nothing completes twice: a further round trip adds nothing to the count.
        assertNull(await(e.noop()));
        assertEquals(total, completions.get());
        assertEquals(0, slotsInUse(e));
        assertEquals(0, e.staleCompletions());
        System.out.printf("%,d future noops from %d threads on %s: %d ms%n", total, THREADS, e, millis);
    }

    private static void rawNoops(UringEngine e, int total) throws Exception {
        int perThread = total / THREADS;
        AtomicLong callbacks = new AtomicLong();
        AtomicLong zeroResults = new AtomicLong();
        AtomicLong otherResult = new AtomicLong(Long.MIN_VALUE);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Semaphore> windows = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Semaphore window = new Semaphore(WINDOW);
            windows.add(window);
            threads.add(Thread.ofPlatform().name("raw-submitter-" + t).start(() -> {
                try {
                    go.await();
                    dev.ringio.RawCompletion completion = r -> {
                        callbacks.incrementAndGet();
                        if (r == 0) {
                            zeroResults.incrementAndGet();
                        } else {
                            otherResult.set(r);
                        }
                        window.release();
                    };
                    for (int i = 0; i < perThread; i++) {
                        if (!window.tryAcquire(HANG.toMillis(), TimeUnit.MILLISECONDS)) {
                            throw new AssertionError("no completion for " + HANG + " after " + i + " submissions");
                        }
                        e.submitNoop(completion);
                    }
                } catch (Throwable x) {
                    failures.add(x);
                }
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join(HANG.multipliedBy(2));
            assertFalse(t.isAlive(), t.getName() + " still submitting");
        }
        for (Semaphore window : windows) {
            assertTrue(window.tryAcquire(WINDOW, HANG.toMillis(), TimeUnit.MILLISECONDS),
                    "a submitter's last raw noops never completed: callbacks " + callbacks);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(List.of(), List.copyOf(failures));
        assertEquals(Long.MIN_VALUE, otherResult.get(), "a NOP completed with a result other than 0");
        assertEquals(total, callbacks.get());
        assertEquals(total, zeroResults.get());
        assertNull(await(e.noop()));
        assertEquals(total, callbacks.get(), "a raw completion was delivered twice");
        assertEquals(0, slotsInUse(e));
        assertEquals(0, e.staleCompletions());
        System.out.printf("%,d raw noops from %d threads on %s: %d ms%n", total, THREADS, e, millis);
    }
}
