package dev.ringio.conformance;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.Accepted;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Protocol;
import dev.ringio.net.SockAddr;
import dev.ringio.os.Pipe;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static dev.ringio.testing.FutureAssertions.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code future.cancel()} of blocked operations, results racing a cancel, and {@code close(fd)}
 * with operations in flight. Whether an operation had reached the kernel when it was cancelled is
 * not known here (and must not matter).
 */
public abstract class CancellationContract extends ContractBase {

    /** Cancels {@code f} (still pending) and asserts it ends as cancelled, naming {@code op}. */
    private static void assertCancels(CompletableFuture<?> f, String op) {
        assertFalse(f.isDone(), op + " completed although nothing could complete it: " + f);
        assertTrue(f.cancel(true), "cancel of a pending " + op + " returns true");
        Throwable t = failureOf(f);
        assertInstanceOf(CancellationException.class, t, op);
        assertTrue(f.isCancelled(), op);
        assertTrue(f.isCompletedExceptionally(), op);
        assertThrows(CancellationException.class, f::join);
        assertFalse(f.cancel(true), "a second cancel finds " + op + " done");
    }

    /** One round trip through the loop, so that what was submitted before has been taken up. */
    private void settle() {
        await(engine.noop());
    }

    @Test
    void cancelASleep() {
        CompletableFuture<Void> f = engine.sleep(Duration.ofHours(1));
        settle();
        assertCancels(f, "sleep");
        CompletableFuture<Void> g = engine.sleepUntil(System.nanoTime() + Duration.ofHours(1).toNanos());
        settle();
        assertCancels(g, "sleepUntil");
    }

    /**
     * A hostile caller shrinks the buffer of a pending read, so moving its position past the bytes
     * read throws on the loop. The read's future must still complete (with that exception), the fd
     * must be released, and the loop must go on serving: before, on io_uring, it stayed pending.
     */
    @Test
    void aReadWhoseBufferShrankWhileInFlightStillCompletes() throws Exception {
        Pipe p = pipe();
        ByteBuffer buf = ByteBuffer.allocateDirect(16);
        CompletableFuture<Integer> read = engine.read(p.readEnd(), buf, -1);
        settle();
        buf.limit(0); // position(0 + n) will be refused: n > limit
        await(engine.write(p.writeEnd(), text("hello"), -1));
        Throwable t = null;
        try {
            read.get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            t = e.getCause();
        }
        // Either outcome is a completion; what matters is that it came, and the engine still works.
        if (t != null) {
            assertInstanceOf(IllegalArgumentException.class, t, "the buffer's own refusal");
        }
        await(engine.noop());
    }

    @Test
    void cancelWithoutTheInterruptFlagWorksTheSame() {
        CompletableFuture<Void> f = engine.sleep(Duration.ofHours(1));
        assertTrue(f.cancel(false));
        assertInstanceOf(CancellationException.class, failureOf(f));
        assertTrue(f.isCancelled());
    }

    @Test
    void cancelReadsOnAnEmptyPipeReleasesFdAndChunk() throws Exception {
        Pipe p = pipe();
        Chunk c = chunk();
        CompletableFuture<Integer> chunkRead = engine.readUpTo(p.readEnd(), c, 100, -1);
        CompletableFuture<Void> exactly = engine.readExactly(p.readEnd(), c, 10, -1);
        CompletableFuture<Integer> bufRead = engine.read(p.readEnd(), ByteBuffer.allocate(16), -1);
        CompletableFuture<Long> vecRead = engine.readv(p.readEnd(), new ByteBuffer[] {ByteBuffer.allocateDirect(16)}, -1);
        settle();
        assertEquals(2, c.retainCount(), "held while pending");
        assertCancels(chunkRead, "readUpTo");
        assertCancels(exactly, "readExactly");
        assertCancels(bufRead, "read");
        assertCancels(vecRead, "readv");
        assertEquals(0, p.readEnd().users(), "a cancelled op releases its fd before its future completes");
        assertEquals(0, c.retainCount(), "and its chunk");
        // the pipe still works
        await(engine.write(p.writeEnd(), text("after"), -1));
        assertEquals(5, await(engine.read(p.readEnd(), ByteBuffer.allocate(16), -1)));
    }

    @Test
    void cancelAwaitReadableAndAwaitWritable() throws Exception {
        Pipe p = pipe();
        CompletableFuture<Integer> readable = engine.awaitReadable(p.readEnd());
        // a socket whose send buffer is full is not writable
        Fd[] s = socketPair(STREAM);
        ByteBuffer junk = ByteBuffer.allocateDirect(1 << 16);
        while (true) {
            try {
                dev.ringio.net.Sockets.send(s[0], junk.clear(), java.util.EnumSet.of(dev.ringio.net.MsgFlag.DONTWAIT));
            } catch (NativeIoException e) {
                assertEquals("EAGAIN", e.errnoName(), e.getMessage());
                break;
            }
        }
        CompletableFuture<Integer> writable = engine.awaitWritable(s[0]);
        settle();
        assertCancels(readable, "awaitReadable");
        assertCancels(writable, "awaitWritable");
        assertEquals(0, p.readEnd().users());
        assertEquals(0, s[0].users());
    }

    @Test
    void cancelARecvOnAnIdleSocketAndAnAcceptWithNoClient() throws Exception {
        Fd[] p = socketPair(STREAM);
        Chunk c = chunk();
        CompletableFuture<Integer> recv = engine.recv(p[1], ByteBuffer.allocate(16), NO_FLAGS);
        CompletableFuture<Integer> chunkRecv = engine.recv(p[1], c, 16, NO_FLAGS);
        Fd listener = listener(Ipv4SockAddr.loopback(0));
        CompletableFuture<Accepted> accept = engine.accept(listener);
        settle();
        assertCancels(recv, "recv");
        assertCancels(chunkRecv, "recv");
        assertCancels(accept, "accept");
        assertEquals(0, p[1].users());
        assertEquals(0, listener.users());
        assertEquals(0, c.retainCount());
    }

    @Test
    void cancelAfterCompletionReturnsFalseAndKeepsTheResult() {
        CompletableFuture<Void> f = engine.noop();
        assertNull(await(f));
        assertFalse(f.cancel(true));
        assertFalse(f.isCancelled());
        assertNull(f.join());
    }

    @Test
    void aLateCancelDoesNotDisturbLaterOps() throws Exception {
        Pipe p = pipe();
        CompletableFuture<Integer> first = engine.awaitReadable(p.readEnd());
        await(engine.write(p.writeEnd(), ByteBuffer.wrap(new byte[] {1}), -1));
        assertTrue(await(first) != 0);
        assertFalse(first.cancel(true));
        CompletableFuture<Void> next = engine.sleep(Duration.ofMillis(20));
        assertNull(await(next));
        CompletableFuture<Integer> again = engine.awaitReadable(p.readEnd());
        assertTrue(await(again) != 0);
    }

    @Test
    void cancelFromTheLoopThread() {
        CompletableFuture<Void> f = onLoop(() -> {
            CompletableFuture<Void> s = engine.sleep(Duration.ofHours(1));
            assertTrue(s.cancel(true));
            return s;
        });
        assertInstanceOf(CancellationException.class, failureOf(f));
    }

    /** True if {@code f} succeeded, false if it was cancelled; fails on anything else or a hang. */
    private static boolean outcome(CompletableFuture<?> f) {
        Throwable t = f.handle((v, x) -> x).join();
        if (t == null) {
            return true;
        }
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        assertInstanceOf(CancellationException.class, cause, "neither a result nor a cancellation");
        assertTrue(f.isCancelled());
        return false;
    }

    /** Submit and cancel at once: each future succeeds or is cancelled, none hangs, nothing leaks. */
    @Test
    void submitThenCancelAtOnceRace() throws Exception {
        int total = 0;
        for (int i = 0; i < 300; i++) {
            CompletableFuture<Void> f = engine.noop();
            f.cancel(true);
            outcome(f);
            CompletableFuture<Void> s = engine.sleep(Duration.ofNanos(i * 1000L));
            s.cancel(true);
            outcome(s);
            total += 2;
        }
        Pipe p = pipe();
        ByteBuffer one = ByteBuffer.allocateDirect(1);
        int delivered = 0;
        int written = 0;
        for (int i = 0; i < 300; i++) {
            Chunk c = chunk();
            CompletableFuture<Integer> f = engine.readUpTo(p.readEnd(), c, 1, -1);
            if (i % 2 == 0) {
                one.clear();
                await(engine.write(p.writeEnd(), one, -1)); // sometimes the data wins
                written++;
            }
            f.cancel(true);
            if (outcome(f)) {
                assertEquals(1, f.join(), "a read that won the race delivers its byte");
                delivered++;
            }
            assertEquals(0, c.retainCount(), "iteration " + i);
            free(c);
            total++;
        }
        // No byte is lost: what the cancelled reads did not take is still in the pipe.
        int left = 0;
        await(engine.close(p.writeEnd()));
        ByteBuffer rest = ByteBuffer.allocate(1024);
        int n;
        while ((n = await(engine.read(p.readEnd(), rest.clear(), -1))) > 0) {
            left += n;
        }
        assertEquals(written, delivered + left, "bytes written = bytes delivered to winners + bytes left in the pipe");
        assertEquals(900, total);
        assertEquals(0, p.readEnd().users());
    }

    /** The race from another thread: one thread submits, another cancels. */
    @Test
    void submitThenCancelFromAnotherThread() throws Exception {
        List<CompletableFuture<Void>> fs = java.util.Collections.synchronizedList(new ArrayList<>());
        runConcurrently(2, t -> {
            if (t == 0) {
                for (int i = 0; i < 1000; i++) {
                    fs.add(i % 2 == 0 ? engine.noop() : engine.sleep(Duration.ofMillis(i % 5)));
                }
            } else {
                int next = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (next < 1000 && System.nanoTime() < deadline) {
                    if (next < fs.size()) {
                        fs.get(next++).cancel(true);
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }
        });
        assertEquals(1000, fs.size());
        for (CompletableFuture<Void> f : fs) {
            outcome(f);
        }
    }

    /**
     * An accept cancelled while a client connects: if the engine had already accepted the
     * connection, it must close it (not leak it); otherwise the connection is still in the
     * backlog. Either way a later accept and the client agree, and no descriptor leaks.
     */
    @Test
    void anAcceptThatRacesItsCancelNeverLeaksTheConnection() throws Exception {
        Fd listener = listener(Ipv4SockAddr.loopback(0));
        SockAddr target = localAddress(listener);
        int won = 0;
        int cancelled = 0;
        for (int i = 0; i < 30; i++) {
            CompletableFuture<Accepted> f = engine.accept(listener);
            Fd client = track(await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT)));
            await(engine.connect(client, target));
            f.cancel(true);
            if (outcome(f)) {
                won++;
                Accepted a = f.join();
                track(a.fd());
                assertEquals(localAddress(client), a.peer());
                continue;
            }
            cancelled++;
            // A marker client: the next accept gets the first client (still in the backlog) or,
            // if the engine accepted and closed it, the marker; then the first client sees the close.
            Fd marker = track(await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT)));
            await(engine.connect(marker, target));
            Accepted next = await(engine.accept(listener));
            track(next.fd());
            if (next.peer().equals(localAddress(client))) {
                Accepted m = await(engine.accept(listener));
                track(m.fd());
                assertEquals(localAddress(marker), m.peer());
            } else {
                assertEquals(localAddress(marker), next.peer());
                CompletableFuture<Integer> r = engine.recv(client, ByteBuffer.allocate(1), NO_FLAGS);
                Integer n = r.handle((v, t) -> t == null ? v : -1).join();
                assertEquals(-1, n, "the engine closed the connection it accepted for a cancelled accept");
            }
            await(engine.close(marker));
            await(engine.close(client));
        }
        assertEquals(30, won + cancelled);
    }

    /** A connection that completes an accept whose future was already completed by someone else is closed, not leaked. */
    @Test
    void acceptedSocketIsClosedWhenNobodyCanReceiveIt() {
        Fd l = listener(Ipv4SockAddr.loopback(0));
        SockAddr target = localAddress(l);
        CompletableFuture<Accepted> f = engine.accept(l);
        f.complete(null);
        Fd c = track(await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT)));
        await(engine.connect(c, target));
        // The server side was closed by the engine: the client sees end of stream.
        assertEquals(-1, await(engine.recv(c, ByteBuffer.allocate(4), NO_FLAGS)));
        assertNull(f.join());
    }

    // ---- close(fd) with operations in flight ------------------------------------------------------

    private static void assertEcanceled(CompletableFuture<?> f, String op) {
        NativeIoException e = failure(f, Errno.ECANCELED, op);
        assertTrue(e.getMessage().contains(op), e.getMessage());
    }

    @Test
    void closeFdCancelsReadsAndPollsOnAPipeWithEcanceled() throws Exception {
        Pipe p = pipe();
        Chunk c = chunk();
        CompletableFuture<Integer> read = engine.read(p.readEnd(), ByteBuffer.allocateDirect(8), -1);
        CompletableFuture<Integer> chunkRead = engine.readUpTo(p.readEnd(), c, 8, -1);
        CompletableFuture<Integer> poll = engine.awaitReadable(p.readEnd());
        settle();
        assertFalse(read.isDone() || chunkRead.isDone() || poll.isDone());
        assertNull(await(engine.close(p.readEnd())));
        assertTrue(p.readEnd().isReleased(), "close(fd) completes once the descriptor is closed");
        assertEcanceled(read, "read");
        assertEcanceled(chunkRead, "read");
        assertEcanceled(poll, "awaitReadable");
        assertEquals(0, c.retainCount());
    }

    @Test
    void closeFdCancelsARecvAndAnAcceptWithEcanceled() throws Exception {
        Fd[] p = socketPair(STREAM);
        CompletableFuture<Integer> recv = engine.recv(p[1], ByteBuffer.allocate(10), NO_FLAGS);
        Fd listener = listener(Ipv4SockAddr.loopback(0));
        CompletableFuture<Accepted> accept = engine.accept(listener);
        settle();
        await(engine.close(p[1]));
        await(engine.close(listener));
        assertTrue(p[1].isReleased());
        assertTrue(listener.isReleased());
        assertEcanceled(recv, "recv");
        assertEcanceled(accept, "accept");
        // the peer sees the close
        assertEquals(-1, await(engine.recv(p[0], ByteBuffer.allocate(1), NO_FLAGS)));
    }

    @Test
    void closeFdLeavesOpsOnOtherDescriptorsAlone() throws Exception {
        Pipe a = pipe();
        Pipe b = pipe();
        CompletableFuture<Integer> onA = engine.read(a.readEnd(), ByteBuffer.allocate(4), -1);
        CompletableFuture<Integer> onB = engine.read(b.readEnd(), ByteBuffer.allocate(4), -1);
        settle();
        await(engine.close(a.readEnd()));
        assertEcanceled(onA, "read");
        assertFalse(onB.isDone(), "an op on another descriptor was disturbed: " + onB);
        await(engine.write(b.writeEnd(), text("ok"), -1));
        assertEquals(2, await(onB));
    }

    @Test
    void closeFdOfAnIdleDescriptorCompletesAtOnceAndIsIdempotent() throws Exception {
        Pipe p = pipe();
        assertNull(await(engine.close(p.readEnd())));
        assertTrue(p.readEnd().isReleased());
        assertNull(await(engine.close(p.readEnd())));
        assertThrows(NullPointerException.class, () -> engine.close((Fd) null));
    }

    // ---- close(fd) racing operations submitted from other threads ---------------------------------

    /** Iterations of each close(fd) race: the hang they guard against showed a few times in 20,000. */
    static final int CLOSE_RACE_ITERATIONS = 20_000;
    private static final int CLOSE_RACE_BATCH = 250;

    /**
     * One thread submits an op on a descriptor while another closes it through the engine, 20,000
     * times: an op that acquired the descriptor before close(fd) marked it but reached the loop
     * after the cancel pass must not reach the kernel (it once did, and then neither it nor the
     * close ever completed and the descriptor stayed open). Every op ends with ECANCELED (close(fd)
     * cancelled it) or EBADF (it came after the close), naming itself; every close(fd) completes
     * with the descriptor closed.
     */
    @Test
    void closeFdRacingOpsSubmittedFromAnotherThreadCompletesEveryOpAndTheClose() throws Exception {
        Chunk c = chunk();
        ByteBuffer buf = ByteBuffer.allocateDirect(16);
        String[] names = {"recv", "awaitReadable", "read"};
        Fd[][] pairs = new Fd[CLOSE_RACE_BATCH][];
        CompletableFuture<?>[] ops = new CompletableFuture<?>[CLOSE_RACE_BATCH];
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] closes = new CompletableFuture[CLOSE_RACE_BATCH];
        java.util.concurrent.CyclicBarrier each = new java.util.concurrent.CyclicBarrier(2);
        for (int base = 0; base < CLOSE_RACE_ITERATIONS; base += CLOSE_RACE_BATCH) {
            for (int i = 0; i < CLOSE_RACE_BATCH; i++) {
                pairs[i] = dev.ringio.net.Sockets.socketpair(Domain.UNIX, STREAM);
            }
            int first = base;
            runConcurrently(2, t -> {
                for (int i = 0; i < CLOSE_RACE_BATCH; i++) {
                    each.await(20, java.util.concurrent.TimeUnit.SECONDS);
                    Fd fd = pairs[i][1];
                    if (t == 1) {
                        closes[i] = engine.close(fd);
                    } else {
                        ops[i] = switch ((first + i) % 3) {
                            case 0 -> engine.recv(fd, buf.clear(), NO_FLAGS);
                            case 1 -> engine.awaitReadable(fd);
                            default -> engine.readUpTo(fd, c, 16, -1);
                        };
                    }
                }
            });
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            for (int i = 0; i < CLOSE_RACE_BATCH; i++) {
                String what = "iteration " + (first + i) + ", " + names[(first + i) % 3] + " racing close(fd)";
                settle(ops[i], deadline, what + ": the op");
                settle(closes[i], deadline, what + ": close(fd)");
                NativeIoException e = failure(ops[i]);
                assertTrue(e.is(Errno.ECANCELED) || e.is(Errno.EBADF), what + ": " + e);
                assertTrue(e.getMessage().contains(names[(first + i) % 3]), e.getMessage());
                assertNull(closes[i].join());
                assertTrue(pairs[i][1].isReleased(), what + ": descriptor still open");
                pairs[i][0].close();
            }
        }
        assertEquals(0, c.retainCount());
    }

    /** Waits for {@code f} until {@code deadline}; fails naming {@code what} if it is still pending then. */
    private static void settle(CompletableFuture<?> f, long deadline, String what) throws InterruptedException {
        try {
            f.handle((v, t) -> null).get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException impossible) {
            throw new AssertionError(impossible);
        } catch (java.util.concurrent.TimeoutException e) {
            fail(what + " never completed (hung): " + f);
        }
    }

    /**
     * {@code join()} and {@code get()} of a pending engine future on the engine's own loop thread
     * would wait for the thread that must complete it, hanging the engine and its close(): they
     * throw IllegalStateException naming the rule instead. A future already done still answers.
     */
    @Test
    void joinOrGetOfAPendingFutureOnTheLoopThreadIsRefused() {
        CompletableFuture<Void> pending = engine.sleep(Duration.ofHours(1));
        CompletableFuture<Void> done = engine.noop();
        await(done);
        List<Throwable> seen = onLoop(() -> {
            List<Throwable> out = new ArrayList<>();
            for (java.util.concurrent.Callable<?> wait : List.<java.util.concurrent.Callable<?>>of(
                    pending::join, pending::get, () -> pending.get(1, java.util.concurrent.TimeUnit.HOURS))) {
                try {
                    wait.call();
                    out.add(null);
                } catch (Throwable t) {
                    out.add(t);
                }
            }
            assertNull(done.join(), "a completed future answers on the loop");
            return out;
        });
        assertEquals(3, seen.size());
        for (Throwable t : seen) {
            assertInstanceOf(IllegalStateException.class, t);
            assertTrue(t.getMessage().contains("loop thread"), t.getMessage());
        }
        assertFalse(pending.isDone(), "the refused wait did not disturb the op");
        assertCancels(pending, "sleep");
        await(engine.noop()); // the loop is alive
    }
}
