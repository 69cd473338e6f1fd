package dev.ringio.conformance;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.ringio.BufferRing;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.net.Accepted;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Protocol;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** acceptMultishot, bufferRing and recvMultishot: every result delivered, one end, nothing held afterwards. */
public abstract class MultishotContract extends ContractBase {

    /** Counts the handler calls; onNext of accepted connections keeps them for the test to close. */
    private static final class Recorder<T> implements MultishotHandler<T> {
        final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger ends = new AtomicInteger();
        volatile Throwable error;
        final CountDownLatch expected;

        Recorder(int expectedItems) {
            expected = new CountDownLatch(expectedItems);
        }

        @Override
        public void onNext(T item) {
            items.add(item);
            expected.countDown();
        }

        @Override
        public void onError(Throwable failure) {
            error = failure;
            errors.incrementAndGet();
        }

        @Override
        public void onEnd() {
            ends.incrementAndGet();
        }
    }

    // ---- acceptMultishot ----------------------------------------------------------------------------

    @Test
    void multishotAcceptDeliversEveryConnectionUntilCancelled() throws Exception {
        Fd listener = listener(Ipv4SockAddr.loopback(0));
        SockAddr target = localAddress(listener);
        Recorder<Accepted> r = new Recorder<>(20);
        Multishot m = engine.acceptMultishot(listener, r);
        List<Fd> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Fd c = track(await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT)));
            clients.add(c);
            await(engine.connect(c, target));
        }
        assertTrue(r.expected.await(20, TimeUnit.SECONDS), "20 connections accepted, got " + r.items.size());
        m.cancel();
        await(m.done());
        r.items.forEach(a -> track(a.fd()));
        assertEquals(20, r.items.size());
        List<SockAddr> peers = new ArrayList<>();
        for (Accepted a : r.items) {
            assertNotNull(a.peer());
            assertCloexec(a.fd());
            peers.add(a.peer());
        }
        for (Fd c : clients) {
            assertTrue(peers.contains(localAddress(c)), "the connection of " + localAddress(c) + " was delivered");
        }
        assertEquals(1, r.ends.get(), "onEnd once after cancel");
        assertEquals(0, r.errors.get());
        assertEquals(0, listener.users(), "the multishot let go of the listener");
        m.cancel(); // idempotent
        await(engine.noop());
        assertEquals(1, r.ends.get());
    }

    @Test
    void aFailedMultishotAcceptEndsOnceWithOnErrorOnly() {
        Fd notListening = track(await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT)));
        Recorder<Accepted> r = new Recorder<>(0);
        Multishot m = engine.acceptMultishot(notListening, r);
        NativeIoException e = failure(m.done(), Errno.EINVAL, "acceptMultishot");
        await(engine.noop()); // let any stray notification arrive
        assertEquals(1, r.errors.get(), "onError once");
        assertTrue(r.error instanceof NativeIoException n && n.is(Errno.EINVAL), String.valueOf(r.error));
        assertEquals(0, r.ends.get(), "onError ends the stream: no onEnd after it");
        assertEquals(0, notListening.users());
        assertNotNull(e);
    }

    @Test
    void multishotAcceptOnAClosedFdFailsWithEbadf() {
        Fd s = await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT));
        await(engine.close(s));
        Recorder<Accepted> r = new Recorder<>(0);
        failure(engine.acceptMultishot(s, r).done(), Errno.EBADF, "acceptMultishot");
        assertThrows(NullPointerException.class, () -> engine.acceptMultishot(null, r));
        assertThrows(NullPointerException.class, () -> engine.acceptMultishot(s, null));
    }

    @Test
    void closingTheListenerEndsAMultishotAccept() {
        Fd listener = listener(Ipv4SockAddr.loopback(0));
        Recorder<Accepted> r = new Recorder<>(0);
        Multishot m = engine.acceptMultishot(listener, r);
        await(engine.close(listener));
        assertTrue(listener.isReleased());
        // The stream ends exactly once: as cancelled (done() completes, onEnd), or failed with
        // ECANCELED (onError) as IoEngine#close(Fd) says of the operations it cancels.
        Throwable t = await(m.done().handle((v, x) -> x));
        if (t == null) {
            assertEquals(1, r.ends.get(), "onEnd once");
            assertEquals(0, r.errors.get());
        } else {
            NativeIoException e = assertInstanceOf(NativeIoException.class, dev.ringio.testing.FutureAssertions.unwrap(t));
            assertEquals("ECANCELED", e.errnoName());
            assertEquals("acceptMultishot", e.op());
            assertEquals(1, r.errors.get(), "onError once");
            assertEquals(0, r.ends.get());
        }
    }

    // ---- bufferRing + recvMultishot ------------------------------------------------------------------

    @Test
    void multishotRecvWithABufferRingDeliversAStreamThenEnds() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        try (BufferRing ring = engine.bufferRing(8, 1024)) {
            assertEquals(8, ring.entries());
            assertEquals(1024, ring.bufferSize());
            assertEquals(8, ring.available());
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            CountDownLatch ended = new CountDownLatch(1);
            AtomicInteger errors = new AtomicInteger();
            AtomicInteger tooBig = new AtomicInteger();
            Multishot m = engine.recvMultishot(p[1], ring, new MultishotHandler<>() {
                @Override
                public void onNext(MemorySegment data) {
                    if (data.byteSize() > 1024 || data.byteSize() == 0) {
                        tooBig.incrementAndGet();
                    }
                    synchronized (seen) {
                        seen.writeBytes(data.toArray(JAVA_BYTE));
                    }
                }

                @Override
                public void onError(Throwable failure) {
                    errors.incrementAndGet();
                }

                @Override
                public void onEnd() {
                    ended.countDown();
                }
            });
            byte[] data = pattern(256 * 1024, 7); // 32x the ring's capacity: it must be refilled as consumed
            await(engine.sendAll(p[0], ByteBuffer.wrap(data), NO_FLAGS));
            await(engine.shutdown(p[0], ShutdownHow.WRITE));
            assertTrue(ended.await(20, TimeUnit.SECONDS), "end of stream ends the multishot receive");
            await(m.done());
            assertEquals(0, errors.get());
            assertEquals(0, tooBig.get(), "each delivery is 1 .. bufferSize bytes");
            synchronized (seen) {
                assertArrayEquals(data, seen.toByteArray());
            }
            assertEquals(8, ring.available(), "every consumed buffer went back to the ring");
            assertEquals(0, p[1].users());
        }
    }

    @Test
    void multishotRecvCanBeCancelledAndEndsOnce() {
        Fd[] p = socketPairUnchecked();
        try (BufferRing ring = engine.bufferRing(4, 256)) {
            Recorder<MemorySegment> r = new Recorder<>(0);
            Multishot m = engine.recvMultishot(p[1], ring, r);
            m.cancel();
            await(m.done());
            assertEquals(1, r.ends.get());
            assertEquals(0, r.errors.get());
            assertEquals(4, ring.available());
            assertEquals(0, p[1].users());
        }
    }

    @Test
    void multishotRecvOnAClosedFdOrAFileFails() throws Exception {
        Fd s = await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT));
        await(engine.close(s));
        Fd f = open(file("notsock", new byte[0]), RO);
        try (BufferRing ring = engine.bufferRing(4, 256)) {
            failure(engine.recvMultishot(s, ring, d -> { }).done(), Errno.EBADF, "recvMultishot");
            failure(engine.recvMultishot(f, ring, d -> { }).done(), Errno.ENOTSOCK, "recvMultishot");
            assertEquals(0, f.users());
            RuntimeException noRing = assertThrows(RuntimeException.class, () -> engine.recvMultishot(f, null, d -> { }));
            assertTrue(noRing instanceof NullPointerException || noRing instanceof IllegalArgumentException, noRing.toString());
            assertThrows(NullPointerException.class, () -> engine.recvMultishot(f, ring, null));
        }
    }

    @Test
    void bufferRingRejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> engine.bufferRing(3, 100));
        assertThrows(IllegalArgumentException.class, () -> engine.bufferRing(0, 100));
        assertThrows(IllegalArgumentException.class, () -> engine.bufferRing(65536, 100));
        assertThrows(IllegalArgumentException.class, () -> engine.bufferRing(8, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.bufferRing(8, -1));
        // Too much memory in all: the same clear refusal on every engine, before anything is allocated.
        for (int[] sizes : new int[][] {{32768, 65536}, {2, 1 << 30}, {1, Integer.MAX_VALUE}, {32768, 32769}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.bufferRing(sizes[0], sizes[1]).close(), Arrays.toString(sizes));
            assertTrue(e.getMessage().startsWith("bufferRing: "), e.getMessage());
            assertTrue(e.getMessage().contains("1.." + BufferRing.MAX_ENTRIES)
                    && e.getMessage().contains("<= " + BufferRing.MAX_TOTAL_BYTES + " bytes"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.bufferRing(65536, 1));
        assertTrue(e.getMessage().contains("1.." + BufferRing.MAX_ENTRIES), e.getMessage());
        // The most entries io_uring allows is allowed everywhere.
        try (BufferRing most = engine.bufferRing(BufferRing.MAX_ENTRIES, 16)) {
            assertEquals(BufferRing.MAX_ENTRIES, most.entries());
            assertEquals(BufferRing.MAX_ENTRIES, most.available());
        }
    }

    @Test
    void aClosedBufferRingCannotBeUsed() {
        Fd[] p = socketPairUnchecked();
        BufferRing ring = engine.bufferRing(4, 256);
        ring.close();
        ring.close(); // idempotent
        // refused at once (thrown) or through done(): either way an IllegalStateException saying so
        Throwable t;
        try {
            t = dev.ringio.testing.FutureAssertions.failureOf(engine.recvMultishot(p[1], ring, d -> { }).done());
        } catch (IllegalStateException thrown) {
            t = thrown;
        }
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().contains("closed"), t.getMessage());
        assertEquals(0, p[1].users());
    }

    private Fd[] socketPairUnchecked() {
        try {
            return socketPair(STREAM);
        } catch (NativeIoException e) {
            throw new AssertionError(e);
        }
    }
}
