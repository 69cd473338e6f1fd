package dev.ringio.engine.uring;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.EngineClosedException;
import dev.ringio.EngineConfig;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.engine.EngineOp;
import dev.ringio.testing.LeakCheck;
import dev.ringio.os.Pipe;
import dev.ringio.testing.KernelFeatures;

import static dev.ringio.engine.uring.Engines.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The io_uring engine's lifecycle and core loop: open, close, ops known to be in the kernel at
 * close, callbacks that throw. The engine-neutral lifetime contract is
 * {@link dev.ringio.conformance.LifetimeContract}.
 */
@ExtendWith(LeakCheck.class)
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class UringEngineTest {

    private static UringEngine shared;

    @BeforeAll
    static void openShared() throws Exception {
        shared = UringEngine.open(EngineConfig.builder().queueDepth(64).threadName("engine-test").build());
    }

    @AfterAll
    static void closeShared() throws Exception {
        long stale = shared.staleCompletions();
        long errors = shared.callbackErrors();
        closeWithin(shared);
        assertLoopThreadEnds(shared);
        assertEquals(0, stale, "stale completions on the shared engine");
        assertEquals(0, errors, "callback errors on the shared engine");
    }

    // ---- open / close ----------------------------------------------------------------------------

    @Test
    void openServesAndCloses() throws Exception {
        UringEngine e = UringEngine.open(EngineConfig.defaults());
        assertEquals("io_uring", e.name());
        assertFalse(e.isClosed());
        assertFalse(e.inLoop());
        assertTrue(onLoop(e, e::inLoop));
        assertNull(await(e.noop()));
        closeWithin(e);
        assertTrue(e.isClosed());
        assertTrue(e.toString().endsWith("(closed)"), e.toString());
        assertLoopThreadEnds(e);
    }

    @Test
    void ioEnginesOpensTheUringEngine() throws Exception {
        try (IoEngine e = IoEngines.openUring(EngineConfig.builder().queueDepth(4).build())) {
            assertInstanceOf(UringEngine.class, e);
            await(e.noop());
        }
        Map<String, String> availability = IoEngines.availability();
        assertEquals("available", availability.get("io_uring"), availability.toString());
    }

    @Test
    void openRejectsNullConfig() {
        assertThrows(NullPointerException.class, () -> UringEngine.open(null));
    }

    @Test
    void toStringMentionsSetupFlags() throws Exception {
        String s = shared.toString();
        assertTrue(s.contains("setup="), s);
        // Kernel 6.18: the modern set is accepted (DESIGN.md, "Setup flags").
        for (String flag : new String[] {"SINGLE_ISSUER", "DEFER_TASKRUN", "TASKRUN_FLAG", "SUBMIT_ALL", "CQSIZE"}) {
            assertTrue(s.contains(flag), "toString lacks " + flag + ": " + s);
        }
        assertTrue(s.contains("sq=64 cq=128"), "CQ is twice the SQ: " + s);
        assertFalse(s.endsWith("(closed)"), s);
    }

    @Test
    void legacySetupFlagsWhenModernOff() throws Exception {
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(8).modernSetupFlags(false).build());
        try {
            String s = e.toString();
            assertTrue(s.contains("SUBMIT_ALL"), s);
            assertFalse(s.contains("SINGLE_ISSUER"), s);
            assertFalse(s.contains("DEFER_TASKRUN"), s);
            // The loop must still work without DEFER_TASKRUN: noops from several threads, a timer, a pipe.
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                fs.add(e.noop());
            }
            await(CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)));
            await(e.sleep(Duration.ofMillis(2)));
            try (Pipe p = Pipe.open()) {
                CompletableFuture<Integer> r = e.read(p.readEnd(), ByteBuffer.allocateDirect(8), -1);
                await(e.write(p.writeEnd(), ByteBuffer.wrap(new byte[] {1, 2, 3}), -1));
                assertEquals(3, await(r));
            }
            assertEquals(0, e.staleCompletions());
        } finally {
            closeWithin(e);
        }
    }

    @Test
    void queueDepthIsRoundedUpToAPowerOfTwoAndTheCqIsTwiceIt() throws Exception {
        int[][] cases = {{1, 1}, {2, 2}, {3, 4}, {5, 8}, {100, 128}};
        for (int[] c : cases) {
            UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(c[0]).build());
            try {
                String s = e.toString();
                assertTrue(s.contains("sq=" + c[1] + " cq=" + (2 * c[1]) + ","), "queueDepth " + c[0] + ": " + s);
                List<CompletableFuture<Void>> fs = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    fs.add(e.noop());
                }
                fs.add(e.sleep(Duration.ofMillis(1)));
                await(CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)));
                assertEquals(0, e.staleCompletions());
            } finally {
                closeWithin(e);
            }
        }
    }

    @Test
    void setupFlagNamesOfNothingIsNone() {
        assertEquals("none", UringSetUp.setupFlagNames(0));
        assertEquals("SUBMIT_ALL|SINGLE_ISSUER",
                UringSetUp.setupFlagNames(Uring.SETUP_SUBMIT_ALL | Uring.SETUP_SINGLE_ISSUER));
    }

    @Test
    void loopThreadIsADaemonNamedAfterTheConfig() throws Exception {
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(4).threadName("named-loop").build());
        try {
            Thread t = onLoop(e, Thread::currentThread);
            assertTrue(t.getName().startsWith("named-loop-"), t.getName());
            assertTrue(t.isDaemon());
            assertFalse(t.isVirtual());
        } finally {
            closeWithin(e);
        }
    }

    @Test
    void openAndCloseManyEnginesLeavesNoDescriptorOrThread() throws Exception {
        Map<Integer, String> before = LeakCheck.snapshot();
        List<Thread> loops = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(4).build());
            loops.add(loopThread(e));
            await(e.noop());
            closeWithin(e);
        }
        for (Thread t : loops) {
            t.join(HANG);
            assertFalse(t.isAlive(), t.getName());
        }
        LeakCheck.assertNoNewFds(before, LeakCheck.DEFAULT_WAIT, "20 engines opened and closed");
    }

    // ---- after close -------------------------------------------------------------------------------

    // ---- close with work in flight ----------------------------------------------------------------

    @Test
    void closeWithOpsInFlightCompletesEveryFutureAndReleasesEverything() throws Exception {
        FixedBufferPool pool = FixedBufferPool.allocate(2, 4096);
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(16).bufferPool(pool).build());
        Pipe p1 = Pipe.open();
        Pipe p2 = Pipe.open();
        Pipe p3 = Pipe.open();
        Chunk c = pool.alloc();
        try {
            CompletableFuture<Void> sleep = e.sleep(Duration.ofHours(1));
            CompletableFuture<Integer> read = e.read(p1.readEnd(), ByteBuffer.allocateDirect(64), -1);
            CompletableFuture<Integer> poll = e.awaitReadable(p2.readEnd());
            CompletableFuture<Integer> chunkRead = e.readUpTo(p3.readEnd(), c, 64, -1);
            // Wait until the kernel owns all four, so close() has to cancel them.
            eventually("4 ops in the kernel", () -> {
                try {
                    return slotsInUse(e) == 4;
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            });
            assertEquals(1, p1.readEnd().users());
            assertEquals(1, c.retainCount());

            long t0 = System.nanoTime();
            closeWithin(e);
            long closeMillis = (System.nanoTime() - t0) / 1_000_000;

            assertEngineClosed(sleep, "sleep");
            assertEngineClosed(read, "read");
            assertEngineClosed(poll, "awaitReadable");
            assertEngineClosed(chunkRead, "read");
            assertEquals(0, p1.readEnd().users());
            assertEquals(0, p2.readEnd().users());
            assertEquals(0, p3.readEnd().users());
            assertEquals(0, c.retainCount());
            assertLoopThreadEnds(e);
            System.out.println("close() with 4 ops in flight took " + closeMillis + " ms");
        } finally {
            p1.close();
            p2.close();
            p3.close();
        }
        for (Pipe p : new Pipe[] {p1, p2, p3}) {
            assertTrue(p.readEnd().isReleased(), "read end closed at once: nothing holds it");
            assertTrue(p.writeEnd().isReleased());
            assertNull(await(p.readEnd().whenReleased()));
        }
        pool.free(c);
        assertEquals(2, pool.freeCount());
        pool.close();
    }

    @Test
    void closeFromACallbackOnTheLoopDoesNotDeadlock() throws Exception {
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(8).build());
        CompletableFuture<Void> pending = e.sleep(Duration.ofHours(1));
        AtomicReference<CompletableFuture<Void>> afterClose = new AtomicReference<>();
        // Attached on the loop, so the noop cannot have completed yet and the stage runs on the loop.
        CompletableFuture<Void> closedOnLoop = onLoop(e, () -> e.noop().thenRun(() -> {
            assertTrue(e.inLoop());
            e.close(); // must return at once on the loop thread
            assertTrue(e.isClosed());
            afterClose.set(e.noop());
        }));
        await(closedOnLoop);
        assertEngineClosed(pending, "sleep");
        CompletableFuture<Void> late = afterClose.get();
        assertTrue(late.isDone(), "an op submitted after close on the loop fails at once");
        assertInstanceOf(EngineClosedException.class, failureOf(late));
        assertLoopThreadEnds(e);
        closeWithin(e);
    }

    @Test
    void closeFromARawCompletionDoesNotDeadlock() throws Exception {
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(8).build());
        CompletableFuture<Void> pending = e.sleep(Duration.ofHours(1));
        CountDownLatch ran = new CountDownLatch(1);
        e.submitNoop(r -> {
            e.close();
            ran.countDown();
        });
        assertTrue(ran.await(HANG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        assertEngineClosed(pending, "sleep");
        assertLoopThreadEnds(e);
        closeWithin(e);
    }

    /**
     * A raw op still in the user-space SQ overflow queue when the engine shuts down must get its
     * completion (-ECANCELED), like a raw op the kernel cancels; otherwise a caller counting
     * completions waits forever. The overflow entry is placed directly (the kernel on this machine
     * consumes the SQ on every enter, so "SQ full" cannot be forced through the API).
     */
    @Test
    void rawOpInOverflowAtShutdownGetsItsCompletion() throws Exception {
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(2).build());
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicReference<EngineOp<Void>> blocker = new AtomicReference<>();
        onLoop(e, () -> {
            EngineOp<Void> first = nopOp(e);
            blocker.set(first);
            overflow(e).addLast(first); // as if the SQ had been full
            e.submitNoop(r -> {
                result.set(r);
                calls.incrementAndGet();
            });
            assertEquals(2, overflow(e).size(), "the raw noop queues behind the overflow");
            e.close();
            return null;
        });
        closeWithin(e);
        assertInstanceOf(EngineClosedException.class, failureOf(blocker.get()));
        assertEquals(1, calls.get(), "the raw noop's completion was never delivered");
        assertEquals(-Errno.ECANCELED.value(), result.get());
    }

    /** As above for a raw read: its callback hears -ECANCELED and its fd and chunk are given back. */
    @Test
    void rawReadInOverflowAtShutdownReleasesFdAndChunk() throws Exception {
        FixedBufferPool pool = FixedBufferPool.allocate(1, 4096);
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(2).bufferPool(pool).build());
        Pipe p = Pipe.open();
        Chunk c = pool.alloc();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        onLoop(e, () -> {
            overflow(e).addLast(nopOp(e));
            e.submitRead(p.readEnd(), c, 16, -1, r -> {
                result.set(r);
                calls.incrementAndGet();
            });
            assertEquals(2, overflow(e).size());
            assertEquals(1, p.readEnd().users());
            assertEquals(1, c.retainCount());
            e.close();
            return null;
        });
        closeWithin(e);
        assertEquals(1, calls.get());
        assertEquals(-Errno.ECANCELED.value(), result.get());
        assertEquals(0, p.readEnd().users());
        assertEquals(0, c.retainCount());
        pool.free(c);
        pool.close();
        p.close();
        assertTrue(p.readEnd().isReleased());
    }

    /**
     * RawCompletion's contract: an exception it throws goes to the error handler and never stops
     * the loop. That must hold for the -ECANCELED completion a raw op gets when it never reached
     * the kernel, too: here one is in the overflow queue at shutdown and throws, while a timeout is
     * in the kernel. The loop must go on to cancel the timeout normally (EngineClosedException),
     * not die and fail everything with "the io_uring loop died".
     */
    @Test
    void aThrowingRawCompletionAtShutdownDoesNotKillTheLoop() throws Exception {
        ConcurrentLinkedQueue<Throwable> handled = new ConcurrentLinkedQueue<>();
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(4).errorHandler(handled::add).build());
        CompletableFuture<Void> sleep = e.sleep(Duration.ofHours(1));
        eventually("the timeout is in the kernel", () -> {
            try {
                return slotsInUse(e) == 1;
            } catch (Exception x) {
                throw new AssertionError(x);
            }
        });
        RuntimeException boom = new RuntimeException("raw completion throws at shutdown");
        onLoop(e, () -> {
            overflow(e).addLast(nopOp(e));
            e.submitNoop(r -> {
                throw boom;
            });
            e.close();
            return null;
        });
        closeWithin(e);
        Throwable t = failureOf(sleep);
        assertInstanceOf(EngineClosedException.class, t,
                "the loop died instead of shutting down normally: " + t);
        assertTrue(handled.contains(boom), "the callback's exception goes to the error handler: " + handled);
        assertEquals(1, e.callbackErrors());
    }

    /** After close, a throwing RawCompletion must not throw out of submitNoop into the caller either. */
    @Test
    void aThrowingRawCompletionAfterCloseGoesToTheErrorHandler() throws Exception {
        ConcurrentLinkedQueue<Throwable> handled = new ConcurrentLinkedQueue<>();
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(4).errorHandler(handled::add).build());
        closeWithin(e);
        RuntimeException boom = new RuntimeException("raw completion throws after close");
        AtomicInteger calls = new AtomicInteger();
        try {
            e.submitNoop(r -> {
                calls.incrementAndGet();
                throw boom;
            });
        } catch (EngineClosedException refused) {
            assertEquals(0, calls.get());
            return;
        } catch (RuntimeException x) {
            assertNotSame(boom, x, "the callback's exception escaped into the submitter");
            throw x;
        }
        assertEquals(1, calls.get());
        assertTrue(handled.contains(boom), "the callback's exception goes to the error handler: " + handled);
    }

    /** Raw noops submitted from another thread while the engine closes: each accepted one completes once. */
    @Test
    void rawNoopsRacingWithCloseAreEachRefusedOrCompleted() throws Exception {
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(8).build());
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        CountDownLatch started = new CountDownLatch(1);
        Thread submitter = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 200_000; i++) {
                try {
                    e.submitNoop(r -> completed.incrementAndGet());
                    accepted.incrementAndGet();
                } catch (EngineClosedException ex) {
                    refused.incrementAndGet();
                }
                if (i == 1000) {
                    started.countDown();
                }
            }
        });
        started.await();
        closeWithin(e);
        submitter.join(HANG);
        assertFalse(submitter.isAlive());
        // The loop has ended and the submitter has returned: no completion can still be on its way.
        assertEquals(accepted.get(), completed.get(),
                "raw noops accepted (" + accepted + ") vs completions delivered (" + completed + "), refused "
                        + refused);
    }

    private static void assertEngineClosed(CompletableFuture<?> f, String op) throws Exception {
        Throwable t = failureOf(f);
        assertInstanceOf(EngineClosedException.class, t, op + " pending at close");
        assertTrue(t.getMessage().contains(op), "message should name " + op + ": " + t.getMessage());
    }

    // ---- callbacks that throw ----------------------------------------------------------------------

    @Test
    void throwingCallbacksGoToTheErrorHandlerAndTheLoopLives() throws Exception {
        ConcurrentLinkedQueue<Throwable> handled = new ConcurrentLinkedQueue<>();
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(8).errorHandler(handled::add).build());
        try {
            // A dependent stage that throws: CompletableFuture itself catches it; the loop goes on.
            CompletableFuture<Void> bad = e.noop().thenRun(() -> {
                throw new IllegalStateException("boom in thenRun");
            });
            CompletionException ce = assertThrows(CompletionException.class, bad::join);
            assertEquals("boom in thenRun", ce.getCause().getMessage());
            assertNull(await(e.noop()));

            RuntimeException boom1 = new RuntimeException("boom in execute");
            e.execute(() -> {
                throw boom1;
            });
            eventually("execute() exception reaches the handler", () -> handled.contains(boom1));
            assertEquals(1, e.callbackErrors());
            assertNull(await(e.noop()));

            RuntimeException boom2 = new RuntimeException("boom in RawCompletion");
            e.submitNoop(r -> {
                throw boom2;
            });
            eventually("RawCompletion exception reaches the handler", () -> handled.contains(boom2));
            assertEquals(2, e.callbackErrors());
            assertNull(await(e.noop()));

            Error boom3 = new Error("an Error in execute");
            e.execute(() -> {
                throw boom3;
            });
            eventually("an Error reaches the handler", () -> handled.contains(boom3));
            assertEquals(3, e.callbackErrors());
            assertNull(await(e.noop()));

            // A batch of raw completions that all throw: every one still runs.
            AtomicInteger ran = new AtomicInteger();
            onLoop(e, () -> {
                for (int i = 0; i < 100; i++) {
                    e.submitNoop(r -> {
                        ran.incrementAndGet();
                        throw new IllegalArgumentException("batch");
                    });
                }
                return null;
            });
            eventually("100 throwing raw completions ran", () -> ran.get() == 100);
            eventually("100 more errors counted", () -> e.callbackErrors() == 103);
            assertEquals(103, handled.size());
            assertNull(await(e.noop()));
            assertEquals(0, e.staleCompletions());
        } finally {
            closeWithin(e);
        }
    }

    @Test
    void anErrorHandlerThatThrowsDoesNotKillTheLoop() throws Exception {
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(8).errorHandler(t -> {
            throw new IllegalStateException("the handler fails too");
        }).build());
        try {
            e.execute(() -> {
                throw new RuntimeException("boom");
            });
            eventually("error counted", () -> e.callbackErrors() == 1);
            assertNull(await(e.noop()));
            assertTrue(loopThread(e).isAlive());
        } finally {
            closeWithin(e);
        }
    }

    // ---- execute ------------------------------------------------------------------------------------

    // ---- staleness -------------------------------------------------------------------------------

    @Test
    void staleCompletionsStayZeroAfterAMixedWorkload() throws Exception {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        try (Pipe p = Pipe.open()) {
            for (int round = 0; round < 200; round++) {
                fs.add(shared.noop());
                fs.add(shared.sleep(Duration.ofNanos(round * 1000L)));
                CompletableFuture<Integer> r = shared.read(p.readEnd(), ByteBuffer.allocateDirect(4), -1);
                fs.add(r);
                fs.add(shared.write(p.writeEnd(), ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), -1));
                CompletableFuture<Void> cancelled = shared.sleep(Duration.ofHours(1));
                cancelled.cancel(true);
                fs.add(cancelled.exceptionally(t -> null));
                await(r);
            }
            for (CompletableFuture<?> f : fs) {
                await(f);
            }
            assertEquals(0, p.readEnd().users());
        }
        assertEquals(0, slotsInUse(shared));
        assertEquals(0, shared.staleCompletions());
        assertEquals(0, shared.callbackErrors());
    }

}
