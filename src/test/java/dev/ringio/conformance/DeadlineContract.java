package dev.ringio.conformance;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.ringio.DeadlineExceededException;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.PartialProgress;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.Domain;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Sockets;
import dev.ringio.os.Pipe;
import dev.ringio.sys.Shim;
import dev.ringio.testing.FutureAssertions;

import static dev.ringio.testing.FutureAssertions.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-op deadlines: {@code orTimeout} (and {@code completeOnTimeout}, and
 * {@link IoEngine#withDeadline}) on an engine future cancels the operation in the kernel, so it no
 * longer holds its descriptor, chunk or memory and takes no data that arrives later; the future
 * fails with a {@link DeadlineExceededException} carrying a looping transfer's count. A deadline
 * that does not expire leaves no timer behind (the engine-specific checks after each test look:
 * io_uring's slot table, the readiness engine's timer heap).
 */
public abstract class DeadlineContract extends ContractBase {

    private static final int POLLIN = 1;

    /** The exception {@code f} failed with, as the engine gave it (not wrapped). */
    private static Throwable failureOf(CompletableFuture<?> f) {
        FutureAssertions.failureOf(f); // waits, and fails the test if f succeeds or hangs
        return f.handle((v, x) -> x).join();
    }

    /** Waits until nothing is left to read in {@code fd} (the engine's read took it all). */
    private static void awaitDrained(Fd fd) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Shim.get().poll1(fd.value(), POLLIN, 0) != 0) {
            assertTrue(System.nanoTime() - deadline < 0, "the read did not take the bytes");
            Thread.sleep(1);
        }
    }

    /** Waits until {@code fd} is held by no operation. */
    private static void awaitNoUsers(Fd fd) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (fd.users() != 0) {
            assertTrue(System.nanoTime() - deadline < 0, fd + " still held by " + fd.users() + " op(s)");
            Thread.sleep(1);
        }
    }

    @Test
    void aRecvWhoseDeadlinePassesIsCancelledInTheKernelAndReleasesItsFdAndChunk() throws Exception {
        Fd[] p = Sockets.socketpair(Domain.UNIX, STREAM); // closed by this test itself
        try {
            Chunk c = chunk();
            CompletableFuture<Integer> r = engine.recv(p[0], c, 64, NO_FLAGS).orTimeout(50, TimeUnit.MILLISECONDS);
            DeadlineExceededException e = assertInstanceOf(DeadlineExceededException.class, failureOf(r));
            assertInstanceOf(TimeoutException.class, e);
            assertInstanceOf(CancellationException.class, e.getCause(), "the cause is the engine's cancel");
            assertTrue(e.getMessage().contains("recv") && e.getMessage().contains("50 ms"), e.getMessage());
            assertEquals(0, e.bytesTransferred());
            assertFalse(r.isCancelled(), "a timeout is not a cancel, as for CompletableFuture.orTimeout");
            // The chunk and the descriptor are released when the future fails: the kernel is done.
            assertEquals(0, c.retainCount(), "the cancelled recv still retains its chunk");
            awaitNoUsers(p[0]);

            // The cancelled recv is not in the kernel any more: data sent now is there for a fresh one.
            await(engine.send(p[1], text("after the deadline"), NO_FLAGS));
            assertEquals("after the deadline", recvString(p[0], 64));

            // A heap buffer (bounce memory) the same way.
            CompletableFuture<Integer> heap = engine.recv(p[0], ByteBuffer.allocate(32), NO_FLAGS)
                    .orTimeout(20, TimeUnit.MILLISECONDS);
            assertInstanceOf(DeadlineExceededException.class, failureOf(heap));
            awaitNoUsers(p[0]);
            await(engine.send(p[1], text("again"), NO_FLAGS));
            assertEquals("again", recvString(p[0], 64));
        } finally {
            // Nothing holds the descriptors: both closes complete (and LeakCheck sees them closed).
            await(engine.close(p[0]));
            await(engine.close(p[1]));
        }
    }

    @Test
    void withDeadlineIsOrTimeoutOnTheEnginesFuture() throws Exception {
        Fd[] p = socketPair(STREAM);
        CompletableFuture<Integer> r = engine.recv(p[0], ByteBuffer.allocateDirect(16), NO_FLAGS);
        assertSame(r, IoEngine.withDeadline(r, Duration.ofMillis(30)));
        assertInstanceOf(DeadlineExceededException.class, failureOf(r));
        ExecutionException viaGet = assertThrows(ExecutionException.class, r::get);
        assertInstanceOf(DeadlineExceededException.class, viaGet.getCause());
        CompletionException viaJoin = assertThrows(CompletionException.class, r::join);
        assertInstanceOf(DeadlineExceededException.class, viaJoin.getCause());
        awaitNoUsers(p[0]);
        await(engine.send(p[1], text("x"), NO_FLAGS));
        assertEquals("x", recvString(p[0], 8));
        assertThrows(IllegalArgumentException.class, () -> IoEngine.withDeadline(r, Duration.ofMillis(-1)));
    }

    @Test
    void completeOnTimeoutCancelsInTheKernelThenCompletesWithTheValue() throws Exception {
        Fd[] p = socketPair(STREAM);
        Chunk c = chunk();
        CompletableFuture<Integer> r = engine.recv(p[0], c, 64, NO_FLAGS).completeOnTimeout(-7, 30, TimeUnit.MILLISECONDS);
        assertEquals(-7, await(r));
        assertEquals(0, c.retainCount());
        awaitNoUsers(p[0]);
        await(engine.send(p[1], text("kept"), NO_FLAGS));
        assertEquals("kept", recvString(p[0], 64));
    }

    @Test
    void readExactlyCutByADeadlineAfter400BytesReportsTheCountAndTheBytesAreInTheChunk() throws Exception {
        Pipe p = pipe();
        Chunk c = chunk();
        byte[] data = pattern(400, 11);
        await(engine.write(p.writeEnd(), ByteBuffer.wrap(data), -1));
        CompletableFuture<Void> r = engine.readExactly(p.readEnd(), c, 1000, -1);
        awaitDrained(p.readEnd());
        await(engine.noop());
        assertFalse(r.isDone(), "readExactly of 1000 completed with 400 bytes: " + r);
        // A deadline given after the transfer began covers what is left of the whole transfer.
        r.orTimeout(30, TimeUnit.MILLISECONDS);
        DeadlineExceededException e = assertInstanceOf(DeadlineExceededException.class, failureOf(r));
        assertEquals(400, e.bytesTransferred(), e.getMessage());
        assertTrue(e.getMessage().contains("readExactly") && e.getMessage().contains("after 400 bytes"), e.getMessage());
        assertEquals(400, PartialProgress.of(assertThrows(CompletionException.class, r::join)));
        assertEquals(400, PartialProgress.of(assertThrows(ExecutionException.class, r::get)));
        assertArrayEquals(data, bytes(c, 400));
        assertEquals(0, c.retainCount());
        awaitNoUsers(p.readEnd());
        // The rest goes to the next reader, not to the cancelled transfer.
        byte[] more = pattern(600, 12);
        await(engine.write(p.writeEnd(), ByteBuffer.wrap(more), -1));
        Chunk c2 = chunk();
        await(engine.readExactly(p.readEnd(), c2, 600, -1));
        assertArrayEquals(more, bytes(c2, 600));
    }

    @Test
    void aDeadlineThatDoesNotExpireChangesNothingAndLeavesNoTimer() throws Exception {
        Fd[] p = socketPair(STREAM);
        Chunk c = chunk();
        CompletableFuture<Integer> r = engine.recv(p[0], c, 64, NO_FLAGS).orTimeout(1, TimeUnit.HOURS);
        CompletableFuture<Integer> v = engine.recv(p[1], ByteBuffer.allocate(8), NO_FLAGS)
                .completeOnTimeout(-1, 1, TimeUnit.HOURS);
        await(engine.send(p[1], text("hello"), NO_FLAGS));
        assertEquals(5, await(r));
        assertEquals("hello", new String(bytes(c, 5), java.nio.charset.StandardCharsets.UTF_8));
        await(engine.send(p[0], text("back"), NO_FLAGS));
        assertEquals(4, await(v));
        // A looping transfer over several steps, with a deadline that does not pass.
        Pipe pipe = pipe();
        Chunk c2 = chunk();
        CompletableFuture<Void> all = engine.readExactly(pipe.readEnd(), c2, 300, -1).orTimeout(1, TimeUnit.HOURS);
        for (int i = 0; i < 3; i++) {
            await(engine.write(pipe.writeEnd(), ByteBuffer.wrap(pattern(100, i)), -1));
        }
        await(all);
        // Their timers are gone: the checks after this test find none (io_uring: no slot in use;
        // readiness: an empty timer heap) — an hour-long timer left behind would be found there.
    }

    @Test
    void aDeadlineOnAFinishedOpDoesNothing() throws Exception {
        CompletableFuture<Void> done = engine.noop();
        await(done);
        assertSame(done, done.orTimeout(0, TimeUnit.NANOSECONDS));
        assertSame(done, done.completeOnTimeout(null, 0, TimeUnit.NANOSECONDS));
        assertEquals(null, await(done));
        assertFalse(done.isCompletedExceptionally());
    }

    @Test
    void callersCancelBeforeTheDeadlineStaysACancel() throws Exception {
        Fd[] p = socketPair(STREAM);
        CompletableFuture<Integer> r = engine.recv(p[0], ByteBuffer.allocateDirect(8), NO_FLAGS).orTimeout(1, TimeUnit.HOURS);
        assertTrue(r.cancel(true));
        assertInstanceOf(CancellationException.class, failureOf(r));
        assertTrue(r.isCancelled());
    }

    /**
     * 10,000 receives with deadlines of 0 to 500 µs race their data: every future completes once,
     * with its bytes or with the timeout, and no byte is lost to a timed-out receive (what the
     * receives got plus what is left in the socket is what was sent).
     */
    @Test
    void tenThousandDeadlinesRacingTheirCompletionsLoseNothing() throws Exception {
        Fd[] p = socketPair(STREAM);
        int rounds = 100;
        int perRound = 100;
        AtomicInteger completions = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        AtomicInteger results = new AtomicInteger();
        AtomicLong received = new AtomicLong();
        long sent = 0;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int round = 0; round < rounds; round++) {
            List<CompletableFuture<Integer>> fs = new ArrayList<>(perRound);
            for (int i = 0; i < perRound; i++) {
                CompletableFuture<Integer> f = engine.recv(p[0], ByteBuffer.allocateDirect(4), NO_FLAGS)
                        .orTimeout(rnd.nextLong(500_000), TimeUnit.NANOSECONDS);
                f.whenComplete((n, x) -> {
                    completions.incrementAndGet();
                    if (x == null) {
                        results.incrementAndGet();
                        received.addAndGet(n);
                    } else if (x instanceof DeadlineExceededException) {
                        timeouts.incrementAndGet();
                    }
                });
                fs.add(f);
                if (i % 2 == 0) {
                    await(engine.send(p[1], ByteBuffer.wrap(new byte[] {(byte) i}), NO_FLAGS));
                    sent++;
                }
            }
            for (CompletableFuture<Integer> f : fs) {
                try {
                    int n = f.get(20, TimeUnit.SECONDS);
                    assertTrue(n > 0, "recv returned " + n);
                } catch (ExecutionException x) {
                    assertInstanceOf(DeadlineExceededException.class, x.getCause());
                }
            }
        }
        assertEquals(rounds * perRound, completions.get(), "every future completes once");
        assertEquals(completions.get(), results.get() + timeouts.get(), "every failure is the deadline's");
        // Each result took at least one of the `sent` bytes, so the rest must have timed out.
        assertTrue(timeouts.get() >= rounds * perRound - sent, timeouts + " timeouts for " + sent + " bytes");
        long left = 0;
        ByteBuffer rest = ByteBuffer.allocateDirect(64 * 1024);
        while (Shim.get().poll1(p[0].value(), POLLIN, 0) > 0) {
            rest.clear();
            left += await(engine.recv(p[0], rest, java.util.Set.of(MsgFlag.DONTWAIT)));
        }
        assertEquals(sent, received.get() + left, "bytes taken by a timed-out recv (" + timeouts.get() + " timed out)");
    }
}
