package dev.ringio.conformance;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.ringio.AtFlags;
import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.Multishot;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.Accepted;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Protocol;
import dev.ringio.os.Pipe;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code engine.close()}: with operations in flight every future completes and everything held is
 * given back; afterwards every operation fails with {@link EngineClosedException} naming it. Each
 * test opens an engine of its own ({@link EngineContract#openEngine()}).
 */
public abstract class LifetimeContract extends ContractBase {

    private static void assertEngineClosed(CompletableFuture<?> f, String op) {
        Throwable t = failureOf(f);
        assertInstanceOf(EngineClosedException.class, t, op + " pending at close");
        assertTrue(t.getMessage().contains(op), "message should name " + op + ": " + t.getMessage());
    }

    /** Closes {@code e} on another thread; fails if close() has not returned within 30 s. */
    private static void closeWithin(IoEngine e) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofPlatform().name("closer").start(() -> {
            try {
                e.close();
            } catch (Throwable x) {
                failure[0] = x;
            }
        });
        t.join(Duration.ofSeconds(30));
        assertFalse(t.isAlive(), "engine.close() did not return within 30 s: " + e);
        if (failure[0] != null) {
            throw new AssertionError("engine.close() threw", failure[0]);
        }
    }

    @Test
    void closeWithOpsInFlightCompletesEveryFutureAndReleasesEverything() throws Exception {
        IoEngine e = openOwnEngine();
        Pipe p1 = pipe();
        Pipe p2 = pipe();
        Pipe p3 = pipe();
        Fd[] s = socketPair(STREAM);
        Fd listener = listener(Ipv4SockAddr.loopback(0));
        Chunk c = foreignPool(1, 4096).alloc(); // the engine's own pool goes with the engine
        CompletableFuture<Void> sleep = e.sleep(Duration.ofHours(1));
        CompletableFuture<Integer> read = e.read(p1.readEnd(), ByteBuffer.allocateDirect(64), -1);
        CompletableFuture<Integer> poll = e.awaitReadable(p2.readEnd());
        CompletableFuture<Integer> chunkRead = e.readUpTo(p3.readEnd(), c, 64, -1);
        CompletableFuture<Integer> recv = e.recv(s[1], ByteBuffer.allocate(8), NO_FLAGS);
        CompletableFuture<Accepted> accept = e.accept(listener);
        await(e.noop());
        assertEquals(1, c.retainCount());

        closeWithin(e);
        assertTrue(e.isClosed());

        assertEngineClosed(sleep, "sleep");
        assertEngineClosed(read, "read");
        assertEngineClosed(poll, "awaitReadable");
        assertEngineClosed(chunkRead, "read");
        assertEngineClosed(recv, "recv");
        assertEngineClosed(accept, "accept");
        assertEquals(0, p1.readEnd().users());
        assertEquals(0, p2.readEnd().users());
        assertEquals(0, p3.readEnd().users());
        assertEquals(0, s[1].users());
        assertEquals(0, listener.users());
        assertEquals(0, c.retainCount());
    }

    @Test
    void closeEndsMultishotsAndRawOpsInFlight() throws Exception {
        IoEngine e = openOwnEngine();
        Fd listener = listener(Ipv4SockAddr.loopback(0));
        Pipe p = pipe();
        AtomicInteger ends = new AtomicInteger();
        Multishot m = e.acceptMultishot(listener, new dev.ringio.MultishotHandler<>() {
            @Override
            public void onNext(Accepted a) {
                fail("no connection was made");
            }

            @Override
            public void onError(Throwable failure) {
                ends.incrementAndGet();
            }

            @Override
            public void onEnd() {
                ends.incrementAndGet();
            }
        });
        Chunk c = foreignPool(1, 4096).alloc();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        e.submitRead(p.readEnd(), c, 16, -1, r -> {
            result.set(r);
            calls.incrementAndGet();
        });
        await(e.noop());
        closeWithin(e);
        assertTrue(m.done().isDone(), "close() returned with the multishot still running");
        assertEquals(1, ends.get(), "the multishot ended exactly once (onEnd or onError)");
        assertEquals(1, calls.get(), "the raw completion ran exactly once");
        assertEquals(-Errno.ECANCELED.value(), result.get(), "a raw op pending at close gets -ECANCELED");
        assertEquals(0, c.retainCount());
        assertEquals(0, p.readEnd().users());
        assertEquals(0, listener.users());
    }

    @Test
    void closeRightAfterSubmittingStillCompletesEverything() throws Exception {
        IoEngine e = openOwnEngine();
        Pipe p = pipe();
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fs.add(e.noop());
            fs.add(e.sleep(Duration.ofHours(1)));
            fs.add(e.awaitReadable(p.readEnd()));
        }
        closeWithin(e);
        for (CompletableFuture<?> f : fs) {
            assertTrue(f.isDone(), "close() returned with a future still pending: " + f);
            if (f.isCompletedExceptionally()) {
                assertInstanceOf(EngineClosedException.class, failureOf(f));
            }
        }
        for (int i = 1; i < fs.size(); i += 3) {
            assertTrue(fs.get(i).isCompletedExceptionally(), "an hour's sleep cannot have succeeded");
        }
        assertEquals(0, p.readEnd().users());
    }

    @Test
    void submittingAfterCloseFailsWithEngineClosedNamingTheOp() throws Exception {
        IoEngine e = openOwnEngine();
        Chunk c = foreignPool(1, 4096).alloc();
        closeWithin(e);
        closeWithin(e); // idempotent
        assertTrue(e.isClosed());
        Pipe p = pipe();
        Fd[] s = socketPair(STREAM);
        Fd d = openDir(dir);
        assertClosedFailure(e.noop(), "noop");
        assertClosedFailure(e.sleep(Duration.ofMillis(1)), "sleep");
        assertClosedFailure(e.sleepUntil(0), "sleep");
        assertClosedFailure(e.awaitReadable(p.readEnd()), "awaitReadable");
        assertClosedFailure(e.awaitWritable(p.writeEnd()), "awaitWritable");
        assertClosedFailure(e.read(p.readEnd(), ByteBuffer.allocateDirect(8), -1), "read");
        assertClosedFailure(e.readUpTo(p.readEnd(), c, 8, -1), "read");
        assertClosedFailure(e.write(p.writeEnd(), c, 8, -1), "write");
        assertClosedFailure(e.write(p.writeEnd(), ByteBuffer.allocate(8), -1), "write");
        assertClosedFailure(e.open(dir.resolve("x"), 0, 0), "openat2");
        assertClosedFailure(e.fstat(d), "fstat");
        assertClosedFailure(e.statx(d, "x", 0, AtFlags.STATX_BASIC_STATS), "statx");
        assertClosedFailure(e.mkdirat(d, "x", 0700), "mkdirat");
        assertClosedFailure(e.socket(Domain.INET, STREAM, Protocol.DEFAULT), "socket");
        assertClosedFailure(e.recv(s[0], ByteBuffer.allocate(1), NO_FLAGS), "recv");
        assertClosedFailure(e.send(s[0], ByteBuffer.allocate(1), NO_FLAGS), "send");
        assertClosedFailure(e.accept(s[0]), "accept");
        assertClosedFailure(e.connect(s[0], Ipv4SockAddr.loopback(1)), "connect");
        assertTrue(e.acceptMultishot(s[0], a -> { }).done().isCompletedExceptionally());
        assertInstanceOf(EngineClosedException.class, failureOf(e.acceptMultishot(s[0], a -> { }).done()));
        // what the failed ops took is given back
        assertEquals(0, p.readEnd().users());
        assertEquals(0, p.writeEnd().users());
        assertEquals(0, s[0].users());
        assertEquals(0, d.users());
        assertEquals(0, c.retainCount());

        EngineClosedException ex = assertThrows(EngineClosedException.class, () -> e.execute(() -> { }));
        assertTrue(ex.getMessage().contains("execute"), ex.getMessage());
        EngineClosedException rx = assertThrows(EngineClosedException.class,
                () -> e.submitRead(p.readEnd(), c, 8, -1, r -> fail("no completion")));
        assertTrue(rx.getMessage().contains("read"), rx.getMessage());
        assertThrows(EngineClosedException.class, () -> e.submitWrite(p.writeEnd(), c, 8, -1, r -> fail("no completion")));
        assertEquals(0, p.readEnd().users());
        assertEquals(0, c.retainCount());
    }

    private static void assertClosedFailure(CompletableFuture<?> f, String op) {
        assertTrue(f.isDone(), op + " after close must fail at once");
        Throwable t = failureOf(f);
        assertInstanceOf(EngineClosedException.class, t, op);
        assertTrue(t.getMessage().contains(op), "message should name " + op + ": " + t.getMessage());
    }

    /**
     * submitNoop after close is refused with EngineClosedException, or its completion is delivered
     * with a negative errno; dropping it silently would leave a caller that counts completions
     * waiting forever.
     */
    @Test
    void submitNoopAfterCloseIsRefusedOrCompleted() throws Exception {
        IoEngine e = openOwnEngine();
        closeWithin(e);
        CompletableFuture<Integer> completion = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        try {
            e.submitNoop(r -> {
                calls.incrementAndGet();
                completion.complete(r);
            });
        } catch (EngineClosedException refused) {
            assertTrue(refused.getMessage().contains("noop"), refused.getMessage());
            assertEquals(0, calls.get());
            return;
        }
        int r = await(completion);
        assertTrue(r < 0, "a completion after close must carry -errno, got " + r);
        assertEquals(1, calls.get());
    }

    @Test
    void closeFromACallbackOnTheLoopReturnsAndFinishes() throws Exception {
        IoEngine e = openOwnEngine();
        CompletableFuture<Void> pending = e.sleep(Duration.ofHours(1));
        CountDownLatch ran = new CountDownLatch(1);
        CompletableFuture<CompletableFuture<Void>> afterClose = new CompletableFuture<>();
        e.execute(() -> {
            assertTrue(e.inLoop());
            e.close(); // must return at once on the loop thread
            assertTrue(e.isClosed());
            afterClose.complete(e.noop());
            ran.countDown();
        });
        assertTrue(ran.await(30, TimeUnit.SECONDS), "close() on the loop thread did not return");
        assertEngineClosed(pending, "sleep");
        CompletableFuture<Void> late = await(afterClose);
        assertTrue(late.isDone(), "an op submitted after close on the loop fails at once");
        assertInstanceOf(EngineClosedException.class, failureOf(late));
        closeWithin(e);
    }

    @Test
    void closeFromManyThreadsAtOnce() throws Exception {
        IoEngine e = openOwnEngine();
        CompletableFuture<Void> pending = e.sleep(Duration.ofHours(1));
        runConcurrently(4, t -> e.close());
        assertTrue(e.isClosed());
        assertEngineClosed(pending, "sleep");
    }

    @Test
    void closeRacingWithSubmittersCompletesEveryFuture() throws Exception {
        IoEngine e = openOwnEngine();
        List<List<CompletableFuture<?>>> perThread = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            perThread.add(new ArrayList<>());
        }
        runConcurrently(4, t -> {
            if (t == 3) {
                await(e.noop());
                e.close();
                return;
            }
            List<CompletableFuture<?>> mine = perThread.get(t);
            for (int i = 0; i < 3000; i++) {
                mine.add(i % 2 == 0 ? e.noop() : e.sleep(Duration.ofHours(1)));
            }
        });
        int n = 0;
        for (List<CompletableFuture<?>> mine : perThread) {
            for (CompletableFuture<?> f : mine) {
                Throwable t = f.handle((v, x) -> x).get(30, TimeUnit.SECONDS);
                if (t != null) {
                    assertInstanceOf(EngineClosedException.class, t instanceof java.util.concurrent.CompletionException
                            ? t.getCause() : t);
                }
                n++;
            }
        }
        assertEquals(9000, n);
    }

    @Test
    void operationsOnTheSharedEngineStillWorkWhileAnotherEngineCloses() throws Exception {
        IoEngine e = openOwnEngine();
        Pipe p = pipe();
        CompletableFuture<Integer> onShared = engine.read(p.readEnd(), ByteBuffer.allocate(4), -1);
        CompletableFuture<Integer> onOwn = e.awaitReadable(p.readEnd());
        await(e.noop());
        closeWithin(e);
        assertEngineClosed(onOwn, "awaitReadable");
        assertFalse(onShared.isDone(), "closing one engine disturbed another engine's op");
        await(engine.write(p.writeEnd(), text("live"), -1));
        assertEquals(4, await(onShared));
        assertNull(await(engine.noop()));
        assertFalse(engine.isClosed());
    }
}
