package dev.ringio.engine.uring;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.EngineClosedException;
import dev.ringio.EngineConfig;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.engine.EngineOp;
import dev.ringio.os.Pipe;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.engine.uring.Engines.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code future.cancel()} where io_uring is concerned: ops known to be in the kernel or still in
 * the user-space overflow queue, parked cancels, results that win inline. The engine-neutral
 * cancellation contract is {@link dev.ringio.conformance.CancellationContract}.
 */
@ExtendWith(LeakCheck.class)
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class UringCancellationTest {

    private static UringEngine engine;
    private static FixedBufferPool pool;

    @BeforeAll
    static void open() throws Exception {
        engine = UringEngine.open(EngineConfig.builder().queueDepth(32).fixedBuffers(8, 4096).build());
        pool = engine.bufferPool();
    }

    @AfterAll
    static void close() throws Exception {
        LeakCheck.assertPoolFull(pool);
        assertEquals(0, slotsInUse(engine));
        assertEquals(0, engine.staleCompletions());
        assertEquals(0, engine.callbackErrors());
        closeWithin(engine);
    }

    @Test
    void cancelAPendingPipeReadReleasesFdAndChunk() throws Exception {
        Pipe p = Pipe.open();
        Chunk c = pool.alloc();
        try {
            CompletableFuture<Integer> f = engine.readUpTo(p.readEnd(), c, 100, -1);
            eventually("the read is in the kernel", () -> inKernel(1));
            assertEquals(1, p.readEnd().users());
            assertEquals(1, c.retainCount());
            assertTrue(f.cancel(true));
            Throwable t = failureOf(f);
            assertInstanceOf(CancellationException.class, t);
            assertTrue(t.getMessage().contains("read"), "names the op: " + t.getMessage());
            assertTrue(f.isCancelled());
            // Released before the future completed.
            assertEquals(0, p.readEnd().users());
            assertEquals(0, c.retainCount());
        } finally {
            pool.free(c);
            p.close();
        }
        LeakCheck.assertPoolFull(pool);
        assertTrue(p.readEnd().isReleased(), "nothing holds the fd: closed at once");
        assertTrue(p.writeEnd().isReleased());
    }

    @Test
    void aResultThatWinsTheRaceIsDelivered() throws Exception {
        try (Pipe p = Pipe.open()) {
            // The data is there before the read is submitted, and the cancel goes into the same
            // batch behind the read: the kernel completes the read inline, then finds nothing to
            // cancel. The result must reach the future although cancel() was called.
            await(engine.write(p.writeEnd(), ByteBuffer.wrap(new byte[] {1, 2, 3}), -1));
            CompletableFuture<Integer> f = onLoop(engine, () -> {
                CompletableFuture<Integer> r = engine.read(p.readEnd(), ByteBuffer.allocateDirect(8), -1);
                assertTrue(r.cancel(true), "not done yet: the request is sent");
                return r;
            });
            assertEquals(3, await(f));
            assertFalse(f.isCancelled());
            assertEquals(0, p.readEnd().users());
        }
    }

    /**
     * An op still in the user-space SQ overflow queue (not yet in the kernel) is cancelled without
     * asking the kernel: it fails with CancellationException when the queue drains, and the op in
     * front of it runs normally. The kernel here always consumes the SQ on enter, so the overflow
     * is made by placing an op in it directly, as a full SQ would.
     */
    @Test
    void cancelAnOpStillInTheOverflowQueue() throws Exception {
        UringEngine tiny = UringEngine.open(EngineConfig.builder().queueDepth(2).build());
        try (Pipe p = Pipe.open()) {
            List<CompletableFuture<?>> fs = onLoop(tiny, () -> {
                EngineOp<Void> first = nopOp(tiny);
                overflow(tiny).addLast(first); // as if the SQ were full
                CompletableFuture<Void> sleep = tiny.sleep(Duration.ofHours(1));
                CompletableFuture<Integer> poll = tiny.awaitReadable(p.readEnd());
                CompletableFuture<Void> kept = tiny.noop();
                assertEquals(4, overflow(tiny).size(), "queued behind the overflow, not in the kernel");
                assertTrue(sleep.cancel(true));
                assertTrue(poll.cancel(true));
                assertEquals(1, p.readEnd().users(), "held while queued");
                return List.of(first, sleep, poll, kept);
            });
            assertNull(await(fs.get(0)));
            assertInstanceOf(CancellationException.class, failureOf(fs.get(1)));
            assertInstanceOf(CancellationException.class, failureOf(fs.get(2)));
            assertNull(await(fs.get(3)));
            assertEquals(0, p.readEnd().users(), "a cancelled queued op releases its fd");
            assertEquals(0, slotsInUse(tiny));
        } finally {
            closeWithin(tiny);
        }
    }

    /**
     * When the loop cannot get an SQE for an ASYNC_CANCEL (the SQ still full after submitting,
     * e.g. io_uring_enter failing with EBUSY / EAGAIN / EINTR), it parks the cancel in
     * {@code pendingCancels}. That cancel must go out once SQEs are available again, not only when
     * the engine shuts down; otherwise {@code future.cancel()} has no effect until close().
     * The parked state is set up directly, exactly as {@code submitCancel} leaves it.
     */
    @Test
    void aCancelParkedForLackOfAnSqeIsSubmittedLater() throws Exception {
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(4).build());
        try {
            CompletableFuture<Void> sleep = e.sleep(Duration.ofHours(1));
            eventually("the timeout is in the kernel", () -> {
                try {
                    return slotsInUse(e) == 1;
                } catch (Exception x) {
                    throw new AssertionError(x);
                }
            });
            onLoop(e, () -> {
                EngineOp<?> op = opOf(sleep);
                assertNotEquals(0, op.token);
                op.cancelRequested = true; // what cancelOnLoop does before submitCancel
                pendingCancels(e).add(new long[] {op.token, -1, 0}); // submitCancel found no SQE
                return null;
            });
            // Keep the loop turning so it has every chance to retry.
            for (int i = 0; i < 100 && !sleep.isDone(); i++) {
                await(e.noop());
                Thread.sleep(10);
            }
            assertTrue(sleep.isDone(), "the parked cancel was never submitted: the sleep is still pending ("
                    + onLoop(e, () -> pendingCancels(e).size()) + " cancel(s) parked) and would stay so until close()");
            assertInstanceOf(CancellationException.class, failureOf(sleep));
        } finally {
            closeWithin(e);
        }
    }

    /**
     * {@code engine.close(fd)} cancels the ops on the fd with one ASYNC_CANCEL by fd, which only
     * finds ops already in the kernel. An op on the fd still waiting in the overflow queue goes to
     * the kernel afterwards and, on a pipe without data, holds the fd forever: the close never
     * completes. Both must finish: the op fails and the fd is released.
     */
    @Test
    void closeFdAlsoCancelsAnOpStillInTheOverflowQueue() throws Exception {
        UringEngine tiny = UringEngine.open(EngineConfig.builder().queueDepth(2).build());
        Pipe p = Pipe.open();
        try {
            List<CompletableFuture<?>> fs = onLoop(tiny, () -> {
                overflow(tiny).addLast(nopOp(tiny)); // as if the SQ were full
                CompletableFuture<Integer> read = tiny.read(p.readEnd(), ByteBuffer.allocateDirect(8), -1);
                assertEquals(2, overflow(tiny).size());
                CompletableFuture<Void> closed = tiny.close(p.readEnd());
                return List.of(read, closed);
            });
            for (int i = 0; i < 100 && !(fs.get(0).isDone() && fs.get(1).isDone()); i++) {
                await(tiny.noop());
                Thread.sleep(10);
            }
            assertTrue(fs.get(0).isDone(), "the read queued behind the overflow was never cancelled: "
                    + p.readEnd().users() + " user(s) still hold the fd");
            assertNotNull(failureOf(fs.get(0)));
            assertNull(await(fs.get(1)), "close(fd) completes once the op lets go");
            assertTrue(p.readEnd().isReleased());
        } finally {
            p.close();
            closeWithin(tiny);
        }
    }

    /** Ops in the overflow queue when the engine closes fail with EngineClosedException. */
    @Test
    void overflowOpsAtCloseFailWithEngineClosed() throws Exception {
        UringEngine tiny = UringEngine.open(EngineConfig.builder().queueDepth(2).build());
        List<CompletableFuture<?>> fs = onLoop(tiny, () -> {
            EngineOp<Void> first = nopOp(tiny);
            overflow(tiny).addLast(first);
            CompletableFuture<Void> queued = tiny.noop();
            tiny.close();
            return List.of(first, queued);
        });
        closeWithin(tiny);
        assertInstanceOf(EngineClosedException.class, failureOf(fs.get(0)));
        assertInstanceOf(EngineClosedException.class, failureOf(fs.get(1)));
    }

    /** Many ops cancelled at once on a 2-entry SQ: the cancels themselves need SQEs and must all get through. */
    @Test
    void cancelManyOpsOnATinyRing() throws Exception {
        UringEngine tiny = UringEngine.open(EngineConfig.builder().queueDepth(2).build());
        try {
            List<CompletableFuture<Void>> fs = onLoop(tiny, () -> {
                List<CompletableFuture<Void>> l = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    l.add(tiny.sleep(Duration.ofHours(1)));
                }
                for (CompletableFuture<Void> f : l) {
                    assertTrue(f.cancel(true));
                }
                return l;
            });
            for (CompletableFuture<Void> f : fs) {
                assertInstanceOf(CancellationException.class, failureOf(f));
            }
            // and from another thread, after they are in the kernel
            List<CompletableFuture<Void>> more = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                more.add(tiny.sleep(Duration.ofHours(1)));
            }
            eventually("200 timeouts in the kernel", () -> {
                try {
                    return slotsInUse(tiny) == 200;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            for (CompletableFuture<Void> f : more) {
                assertTrue(f.cancel(true));
            }
            for (CompletableFuture<Void> f : more) {
                assertInstanceOf(CancellationException.class, failureOf(f));
            }
            assertEquals(0, slotsInUse(tiny));
            assertEquals(0, tiny.staleCompletions());
        } finally {
            closeWithin(tiny);
        }
    }

    private static boolean inKernel(int n) {
        try {
            return slotsInUse(engine) == n;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
