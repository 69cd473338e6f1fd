package dev.ringio.engine.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.BufferRing;
import dev.ringio.EngineConfig;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.Accepted;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Ipv6SockAddr;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketType;
import dev.ringio.net.Linger;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.Sockets;
import dev.ringio.net.UnixSockAddr;
import dev.ringio.os.Pipe;
import dev.ringio.sys.Shim;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The io_uring engine's socket operations over real loopback sockets: TCP over IPv4 and IPv6,
 * UDP, Unix stream and datagram (path and abstract), descriptor passing, half-close, splice,
 * multishot accept and receive, zero-copy send, and the faults the issue lists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LeakCheck.class)
class UringSocketTest {

    private static final Set<SocketType> STREAM = EnumSet.of(SocketType.STREAM);
    private static final Set<SocketType> DGRAM = EnumSet.of(SocketType.DGRAM);

    private UringEngine engine;

    @BeforeAll
    void open() throws Exception {
        engine = UringEngine.open(EngineConfig.builder().queueDepth(64).build());
    }

    @AfterAll
    void close() {
        engine.close();
        assertEquals(0, engine.staleCompletions());
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A listening socket bound to {@code address} (port 0: the kernel picks one). */
    private Fd listener(SockAddr address) {
        Fd fd = await(engine.socket(address.domain(), STREAM, Protocol.DEFAULT));
        await(engine.bind(fd, address));
        await(engine.listen(fd, 10));
        return fd;
    }

    private static SockAddr localAddress(Fd fd) throws NativeIoException {
        return Sockets.getsockname(fd);
    }

    /** A connected pair (client, server side) over {@code bindAddress}. */
    private Fd[] connectedPair(SockAddr bindAddress) throws Exception {
        Fd listener = listener(bindAddress);
        try {
            SockAddr target = localAddress(listener);
            CompletableFuture<Accepted> accepted = engine.accept(listener);
            Fd client = await(engine.socket(target.domain(), STREAM, Protocol.DEFAULT));
            await(engine.connect(client, target));
            Accepted a = await(accepted);
            assertNotNull(a.peer());
            return new Fd[] {client, a.fd()};
        } finally {
            await(engine.close(listener));
        }
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private String recvString(Fd fd, int max) {
        ByteBuffer b = ByteBuffer.allocate(max);
        int n = await(engine.recv(fd, b, Set.of()));
        return n < 0 ? null : new String(b.array(), 0, n, StandardCharsets.UTF_8);
    }

    private void closeAll(Fd... fds) {
        for (Fd f : fds) {
            await(engine.close(f));
        }
    }

    // ---- TCP, Unix stream -------------------------------------------------------------------------

    private void exchange(SockAddr bind) throws Exception {
        Fd[] p = connectedPair(bind);
        try {
            assertEquals(5, await(engine.send(p[0], text("hello"), Set.of())));
            assertEquals("hello", recvString(p[1], 100));
            await(engine.sendAll(p[1], text("world!"), Set.of()));
            assertEquals("world!", recvString(p[0], 100));
        } finally {
            closeAll(p);
        }
    }

    @Test
    void tcpOverIpv4() throws Exception {
        exchange(Ipv4SockAddr.loopback(0));
    }

    @Test
    void tcpOverIpv6() throws Exception {
        exchange(Ipv6SockAddr.loopback(0));
    }

    @Test
    void unixStreamOverAPath(@TempDir Path dir) throws Exception {
        exchange(UnixSockAddr.ofPath(dir.resolve("s.sock").toString()));
    }

    @Test
    void unixStreamInTheAbstractNamespace() throws Exception {
        exchange(UnixSockAddr.ofAbstract("ringio-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
    }

    @Test
    void acceptReportsThePeerAddress() throws Exception {
        Fd listener = listener(Ipv4SockAddr.loopback(0));
        try {
            SockAddr target = localAddress(listener);
            CompletableFuture<Accepted> accepted = engine.accept(listener);
            Fd client = await(engine.socket(Domain.INET, STREAM, Protocol.TCP));
            await(engine.connect(client, target));
            Accepted a = await(accepted);
            assertEquals(localAddress(client), a.peer());
            assertTrue(cloexec(a.fd().value()), "accepted socket must be close-on-exec");
            assertTrue(cloexec(client.value()), "socket must be close-on-exec");
            closeAll(client, a.fd());
        } finally {
            await(engine.close(listener));
        }
    }

    private static boolean cloexec(int fd) throws Exception {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return (Integer.parseInt(line.substring(6).trim(), 8) & 02000000) != 0;
            }
        }
        return false;
    }

    @Test
    void sendAllMovesAMegabyteAndRecvSeesEndOfStreamAfterHalfClose() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        try {
            byte[] data = new byte[1 << 20];
            new java.util.Random(42).nextBytes(data);
            ByteBuffer src = ByteBuffer.allocateDirect(data.length).put(data).flip();
            CompletableFuture<Void> sent = engine.sendAll(p[0], src, Set.of());
            ByteBuffer got = ByteBuffer.allocate(data.length + 1);
            while (true) {
                int n = await(engine.recv(p[1], got, Set.of()));
                if (got.position() == data.length) {
                    break;
                }
                assertTrue(n > 0, "early end of stream");
            }
            await(sent);
            assertFalse(src.hasRemaining(), "sendAll advances the position to the limit");
            assertArrayEquals(data, Arrays.copyOf(got.array(), data.length));
            // Half-close: the writer shuts down its write side; the reader sees -1, and can still reply.
            await(engine.shutdown(p[0], ShutdownHow.WRITE));
            assertEquals(-1, await(engine.recv(p[1], ByteBuffer.allocate(10), Set.of())));
            await(engine.sendAll(p[1], text("bye"), Set.of()));
            assertEquals("bye", recvString(p[0], 10));
        } finally {
            closeAll(p);
        }
    }

    @Test
    void chunkSendAndRecv() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        Chunk out = engine.bufferPool().alloc();
        Chunk in = engine.bufferPool().alloc();
        try {
            out.segment().asSlice(0, 3).copyFrom(MemorySegment.ofArray(new byte[] {1, 2, 3}));
            assertEquals(3, await(engine.send(p[0], out, 3, Set.of())));
            assertEquals(3, await(engine.recv(p[1], in, in.size(), Set.of())));
            assertEquals(3, in.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2));
            assertThrows(IllegalArgumentException.class, () -> engine.recv(p[1], in, in.size() + 1, Set.of()));
            assertThrows(IllegalArgumentException.class, () -> engine.send(p[0], out, -1, Set.of()));
        } finally {
            engine.bufferPool().free(out);
            engine.bufferPool().free(in);
            closeAll(p);
        }
        LeakCheck.assertPoolFull(engine.bufferPool());
    }

    @Test
    void msgPeekLeavesTheDataQueued() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        try {
            await(engine.sendAll(p[0], text("peek"), Set.of()));
            ByteBuffer b = ByteBuffer.allocate(10);
            assertEquals(4, await(engine.recv(p[1], b, EnumSet.of(MsgFlag.PEEK))));
            assertEquals("peek", recvString(p[1], 10));
        } finally {
            closeAll(p);
        }
    }

    // ---- datagrams ----------------------------------------------------------------------------

    @Test
    void udpSendToAndRecvFromCarryAddresses() throws Exception {
        Fd a = await(engine.socket(Domain.INET, DGRAM, Protocol.UDP));
        Fd b = await(engine.socket(Domain.INET, DGRAM, Protocol.UDP));
        try {
            await(engine.bind(a, Ipv4SockAddr.loopback(0)));
            await(engine.bind(b, Ipv4SockAddr.loopback(0)));
            SockAddr bAddr = localAddress(b);
            assertEquals(7, await(engine.sendTo(a, text("to-b-v4"), Set.of(), bAddr)));
            ByteBuffer got = ByteBuffer.allocate(64);
            ReceivedMessage m = await(engine.recvFrom(b, got, Set.of()));
            assertEquals(7, m.bytes());
            assertEquals(localAddress(a), m.sender());
            assertEquals(7, got.position());
            assertEquals("to-b-v4", new String(got.array(), 0, 7, StandardCharsets.UTF_8));
        } finally {
            closeAll(a, b);
        }
    }

    @Test
    void udpOverIpv6AndATruncatedDatagramIsFlagged() throws Exception {
        Fd a = await(engine.socket(Domain.INET6, DGRAM, Protocol.UDP));
        Fd b = await(engine.socket(Domain.INET6, DGRAM, Protocol.UDP));
        try {
            await(engine.bind(a, Ipv6SockAddr.loopback(0)));
            await(engine.bind(b, Ipv6SockAddr.loopback(0)));
            await(engine.sendTo(a, text("0123456789"), Set.of(), localAddress(b)));
            ReceivedMessage m = await(engine.recvFrom(b, ByteBuffer.allocate(4), Set.of()));
            assertEquals(4, m.bytes());
            assertTrue(m.flags().contains(MsgFlag.TRUNC), m.toString());
            assertEquals(localAddress(a), m.sender());
        } finally {
            closeAll(a, b);
        }
    }

    @Test
    void unixDatagramsWithScatterGather(@TempDir Path dir) throws Exception {
        Fd a = await(engine.socket(Domain.UNIX, DGRAM, Protocol.DEFAULT));
        Fd b = await(engine.socket(Domain.UNIX, DGRAM, Protocol.DEFAULT));
        try {
            UnixSockAddr aAddr = UnixSockAddr.ofPath(dir.resolve("a").toString());
            UnixSockAddr bAddr = UnixSockAddr.ofPath(dir.resolve("b").toString());
            await(engine.bind(a, aAddr));
            await(engine.bind(b, bAddr));
            long sent = await(engine.sendMsg(a, new ByteBuffer[] {text("head-"), text("body")}, List.of(), bAddr));
            assertEquals(9, sent);
            ByteBuffer h = ByteBuffer.allocate(5);
            ByteBuffer t = ByteBuffer.allocateDirect(10);
            ReceivedMessage m = await(engine.recvMsg(b, new ByteBuffer[] {h, t}));
            assertEquals(9, m.bytes());
            assertEquals(aAddr, m.sender());
            assertEquals("head-", new String(h.array(), StandardCharsets.UTF_8));
            assertEquals(4, t.position());
        } finally {
            closeAll(a, b);
        }
    }

    // ---- descriptor passing -------------------------------------------------------------------

    @Test
    void descriptorsPassOverAUnixSocketAndArriveCloseOnExec() throws Exception {
        Fd[] p = connectedPair(UnixSockAddr.ofAbstract("ringio-fds-" + System.nanoTime()));
        Pipe pipe = Pipe.open();
        try {
            long sent = await(engine.sendMsg(p[0], new ByteBuffer[] {text("fds")}, List.of(pipe.readEnd(), pipe.writeEnd()),
                    null));
            assertEquals(3, sent);
            ReceivedMessage m = await(engine.recvMsgWithFds(p[1], 4, new ByteBuffer[] {ByteBuffer.allocate(8)}));
            assertEquals(3, m.bytes());
            assertEquals(2, m.fds().size());
            for (Fd f : m.fds()) {
                assertEquals(Fd.Kind.PIPE, f.kind());
                assertTrue(cloexec(f.value()), "received descriptors are close-on-exec (MSG_CMSG_CLOEXEC)");
            }
            // The passed write end really is the pipe: write through it, read from our read end.
            await(engine.write(m.fds().get(1), text("via-passed-fd"), -1));
            ByteBuffer got = ByteBuffer.allocate(32);
            assertEquals(13, await(engine.read(pipe.readEnd(), got, -1)));
            m.fds().forEach(f -> await(engine.close(f)));
        } finally {
            pipe.close();
            closeAll(p);
        }
    }

    @Test
    void recvMsgWithoutRoomForDescriptorsClosesThemAndFlagsCtrunc() throws Exception {
        Fd[] p = connectedPair(UnixSockAddr.ofAbstract("ringio-ctrunc-" + System.nanoTime()));
        Pipe pipe = Pipe.open();
        try {
            await(engine.sendMsg(p[0], new ByteBuffer[] {text("x")}, List.of(pipe.readEnd()), null));
            ReceivedMessage m = await(engine.recvMsg(p[1], new ByteBuffer[] {ByteBuffer.allocate(8)}));
            assertEquals(1, m.bytes());
            assertTrue(m.fds().isEmpty());
            assertTrue(m.flags().contains(MsgFlag.CTRUNC), m.toString());
        } finally {
            pipe.close();
            closeAll(p);
        }
    }

    @Test
    void recvMsgWithFdsRejectsABadCount() {
        Fd dummy = Fd.adopt(0, Fd.Kind.OTHER);
        assertThrows(IllegalArgumentException.class, () -> engine.recvMsgWithFds(dummy, 0, new ByteBuffer[0]));
        assertThrows(IllegalArgumentException.class, () -> engine.recvMsgWithFds(dummy, 254, new ByteBuffer[0]));
    }

    // ---- splice -----------------------------------------------------------------------------------

    @Test
    void spliceMovesSocketToPipeToSocket() throws Exception {
        Fd[] in = connectedPair(Ipv4SockAddr.loopback(0));
        Fd[] out = connectedPair(Ipv4SockAddr.loopback(0));
        Pipe pipe = Pipe.open();
        try {
            await(engine.sendAll(in[0], text("spliced bytes"), Set.of()));
            int n = await(engine.splice(in[1], pipe.writeEnd(), 65536));
            assertEquals(13, n);
            assertEquals(13, await(engine.splice(pipe.readEnd(), out[0], n)));
            assertEquals("spliced bytes", recvString(out[1], 64));
            await(engine.shutdown(in[0], ShutdownHow.WRITE));
            assertEquals(-1, await(engine.splice(in[1], pipe.writeEnd(), 65536)), "end of stream is -1");
        } finally {
            pipe.close();
            closeAll(in);
            closeAll(out);
        }
    }

    @Test
    void spliceBetweenTwoSocketsNamesEinval() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        try {
            await(engine.sendAll(p[0], text("x"), Set.of()));
            NativeIoException e = failure(engine.splice(p[1], p[0], 10), Errno.EINVAL);
            assertTrue(e.getMessage().contains("splice") && e.getMessage().contains("pipe"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> engine.splice(p[0], p[1], -1));
        } finally {
            closeAll(p);
        }
    }

    // ---- multishot ----------------------------------------------------------------------------

    @Test
    void multishotAcceptDeliversEveryConnectionUntilCancelled() throws Exception {
        Fd listener = listener(Ipv4SockAddr.loopback(0));
        SockAddr target = localAddress(listener);
        ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger ends = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(20);
        Multishot m = engine.acceptMultishot(listener, new MultishotHandler<>() {
            @Override
            public void onNext(Accepted a) {
                accepted.add(a);
                all.countDown();
            }

            @Override
            public void onEnd() {
                ends.incrementAndGet();
            }
        });
        List<Fd> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Fd c = await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT));
                clients.add(c);
                await(engine.connect(c, target));
            }
            assertTrue(all.await(20, TimeUnit.SECONDS), "20 connections accepted");
            for (Accepted a : accepted) {
                assertNotNull(a.peer());
            }
            m.cancel();
            await(m.done());
            assertEquals(1, ends.get(), "onEnd once after cancel");
        } finally {
            accepted.forEach(a -> await(engine.close(a.fd())));
            clients.forEach(c -> await(engine.close(c)));
            await(engine.close(listener));
        }
    }

    @Test
    void aFailedMultishotAcceptEndsOnceWithOnErrorOnly() throws Exception {
        Fd notListening = await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT));
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger ends = new AtomicInteger();
        try {
            Multishot m = engine.acceptMultishot(notListening, new MultishotHandler<>() {
                @Override
                public void onNext(Accepted a) {
                    await(engine.close(a.fd()));
                }

                @Override
                public void onError(Throwable failure) {
                    errors.incrementAndGet();
                }

                @Override
                public void onEnd() {
                    ends.incrementAndGet();
                }
            });
            NativeIoException e = failure(m.done(), Errno.EINVAL);
            assertTrue(e.getMessage().contains("acceptMultishot"), e.getMessage());
            await(engine.noop()); // let any stray notification arrive
            assertEquals(1, errors.get(), "onError once");
            assertEquals(0, ends.get(), "onError ends the stream: no onEnd after it");
        } finally {
            await(engine.close(notListening));
        }
    }

    @Test
    void multishotRecvWithABufferRingDeliversAStreamThenEnds() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        BufferRing ring = engine.bufferRing(8, 1024);
        try {
            assertEquals(8, ring.available());
            AtomicLong bytes = new AtomicLong();
            java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
            CountDownLatch ended = new CountDownLatch(1);
            Multishot m = engine.recvMultishot(p[1], ring, new MultishotHandler<>() {
                @Override
                public void onNext(MemorySegment data) {
                    bytes.addAndGet(data.byteSize());
                    synchronized (seen) {
                        seen.writeBytes(data.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                    }
                }

                @Override
                public void onEnd() {
                    ended.countDown();
                }
            });
            byte[] data = new byte[256 * 1024]; // 32x the ring's capacity: it must be refilled as consumed
            new java.util.Random(7).nextBytes(data);
            await(engine.sendAll(p[0], ByteBuffer.wrap(data), Set.of()));
            await(engine.shutdown(p[0], ShutdownHow.WRITE));
            assertTrue(ended.await(20, TimeUnit.SECONDS), "end of stream ends the multishot receive");
            await(m.done());
            assertEquals(data.length, bytes.get());
            synchronized (seen) {
                assertArrayEquals(data, seen.toByteArray());
            }
            assertEquals(8, ring.available(), "every consumed buffer went back to the ring");
        } finally {
            ring.close();
            closeAll(p);
        }
    }

    @Test
    void multishotRecvCanBeCancelled() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        try (BufferRing ring = engine.bufferRing(4, 256)) {
            Multishot m = engine.recvMultishot(p[1], ring, data -> { });
            m.cancel();
            await(m.done());
        } finally {
            closeAll(p);
        }
    }

    @Test
    void bufferRingRejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> engine.bufferRing(3, 100));
        assertThrows(IllegalArgumentException.class, () -> engine.bufferRing(0, 100));
        assertThrows(IllegalArgumentException.class, () -> engine.bufferRing(8, 0));
    }

    // ---- zero-copy send ----------------------------------------------------------------------

    @Test
    void zeroCopySendDeliversEveryByte() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        try {
            byte[] data = new byte[64 * 1024];
            new java.util.Random(3).nextBytes(data);
            ByteBuffer src = ByteBuffer.allocateDirect(data.length).put(data).flip();
            CompletableFuture<ByteBuffer> received = CompletableFuture.supplyAsync(() -> {
                ByteBuffer got = ByteBuffer.allocate(data.length);
                while (got.hasRemaining()) {
                    if (await(engine.recv(p[1], got, Set.of())) < 0) {
                        break;
                    }
                }
                return got;
            });
            int total = 0;
            while (src.hasRemaining()) {
                total += await(engine.sendZeroCopy(p[0], src, Set.of()));
            }
            assertEquals(data.length, total);
            assertArrayEquals(data, await(received).array());
        } finally {
            closeAll(p);
        }
    }

    // ---- faults -----------------------------------------------------------------------------------

    @Test
    void connectToAClosedPortIsRefused() throws Exception {
        Fd l = listener(Ipv4SockAddr.loopback(0));
        SockAddr target = localAddress(l);
        await(engine.close(l)); // nothing listens there any more
        Fd c = await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT));
        try {
            NativeIoException e = failure(engine.connect(c, target), Errno.ECONNREFUSED);
            assertTrue(e.getMessage().contains("connect") && e.getMessage().contains(target.toString()), e.getMessage());
        } finally {
            await(engine.close(c));
        }
    }

    @Test
    void acceptOnANonListeningSocketFailsWithEinval() throws Exception {
        Fd s = await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT));
        try {
            failure(engine.accept(s), Errno.EINVAL);
        } finally {
            await(engine.close(s));
        }
    }

    @Test
    void sendAfterShutdownFailsWithEpipeAndDoesNotKillTheJvm() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        try {
            await(engine.shutdown(p[0], ShutdownHow.WRITE));
            failure(engine.send(p[0], text("late"), Set.of()), Errno.EPIPE); // MSG_NOSIGNAL: no SIGPIPE
        } finally {
            closeAll(p);
        }
    }

    @Test
    void peerResetMidTransferIsEconnreset() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        try {
            // SO_LINGER {on, 0}: close sends RST instead of FIN.
            Sockets.setOption(p[1], SocketOptions.LINGER, Linger.seconds(0));
            await(engine.sendAll(p[0], text("unread data"), Set.of()));
            await(engine.close(p[1]));
            NativeIoException e = failure(engine.recv(p[0], ByteBuffer.allocate(10), Set.of()));
            assertTrue(e.is(Errno.ECONNRESET), e.getMessage());
        } finally {
            await(engine.close(p[0]));
        }
    }

    @Test
    void closingASocketWithARecvPendingCompletesTheRecvAndReleasesTheFd() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        try {
            CompletableFuture<Integer> pending = engine.recv(p[1], ByteBuffer.allocate(10), Set.of());
            Thread.sleep(20);
            assertFalse(pending.isDone());
            await(engine.close(p[1])); // cancels the recv, then closes the descriptor
            NativeIoException e = failure(pending, Errno.ECANCELED);
            assertTrue(e.getMessage().contains("recv"), e.getMessage());
            assertTrue(p[1].isReleased());
        } finally {
            await(engine.close(p[0]));
        }
    }

    @Test
    void socketOpsOnAClosedFdFailWithEbadf() throws Exception {
        Fd s = await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT));
        await(engine.close(s));
        failure(engine.bind(s, Ipv4SockAddr.loopback(0)), Errno.EBADF);
        failure(engine.listen(s, 1), Errno.EBADF);
        failure(engine.accept(s), Errno.EBADF);
        failure(engine.connect(s, Ipv4SockAddr.loopback(1)), Errno.EBADF);
        failure(engine.send(s, text("x"), Set.of()), Errno.EBADF);
        failure(engine.recv(s, ByteBuffer.allocate(1), Set.of()), Errno.EBADF);
        failure(engine.shutdown(s, ShutdownHow.BOTH), Errno.EBADF);
        failure(engine.sendMsg(s, new ByteBuffer[0], List.of(), null), Errno.EBADF);
    }

    @Test
    void sendOnAFileIsEnotsock(@TempDir Path dir) throws Exception {
        Fd f = await(engine.open(dir.resolve("f"), dev.ringio.OpenFlags.O_CREAT | dev.ringio.OpenFlags.O_RDWR, 0600));
        try {
            failure(engine.send(f, text("x"), Set.of()), Errno.ENOTSOCK);
        } finally {
            await(engine.close(f));
        }
    }

    @Test
    void bindToAnAddressInUseFailsWithEaddrinuse() throws Exception {
        Fd a = listener(Ipv4SockAddr.loopback(0));
        Fd b = await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT));
        try {
            NativeIoException e = failure(engine.bind(b, localAddress(a)), Errno.EADDRINUSE);
            assertTrue(e.getMessage().contains("bind"), e.getMessage());
        } finally {
            closeAll(a, b);
        }
    }

    @Test
    void badArgumentsFailBeforeTheKernel() {
        assertThrows(IllegalArgumentException.class,
                () -> engine.socket(Domain.INET, EnumSet.of(SocketType.STREAM, SocketType.DGRAM), Protocol.DEFAULT));
        assertThrows(IllegalArgumentException.class,
                () -> engine.socket(Domain.INET, EnumSet.of(SocketType.NONBLOCK), Protocol.DEFAULT));
        Fd dummy = Fd.adopt(0, Fd.Kind.OTHER);
        assertThrows(IllegalArgumentException.class, () -> engine.listen(dummy, -1));
        assertThrows(IllegalArgumentException.class,
                () -> engine.recv(dummy, ByteBuffer.allocate(1).asReadOnlyBuffer(), Set.of()));
    }

    @Test
    void msghdrAndCmsgLayoutsMatchTheCHeaders() {
        Shim shim = Shim.get();
        try (Arena a = Arena.ofConfined()) {
            java.util.function.ToLongFunction<String> c = name -> shim.constValue(a.allocateFrom(name).address());
            assertEquals(SocketOps.MSGHDR_SIZE, c.applyAsLong("sizeof(msghdr)"));
            assertEquals(SocketOps.MSG_NAME, c.applyAsLong("offsetof(msghdr.msg_name)"));
            assertEquals(SocketOps.MSG_NAMELEN, c.applyAsLong("offsetof(msghdr.msg_namelen)"));
            assertEquals(SocketOps.MSG_IOV, c.applyAsLong("offsetof(msghdr.msg_iov)"));
            assertEquals(SocketOps.MSG_IOVLEN, c.applyAsLong("offsetof(msghdr.msg_iovlen)"));
            assertEquals(SocketOps.MSG_CONTROL, c.applyAsLong("offsetof(msghdr.msg_control)"));
            assertEquals(SocketOps.MSG_CONTROLLEN, c.applyAsLong("offsetof(msghdr.msg_controllen)"));
            assertEquals(SocketOps.MSG_FLAGS, c.applyAsLong("offsetof(msghdr.msg_flags)"));
            assertEquals(SocketOps.CMSG_HDR, c.applyAsLong("CMSG_DATA_OFFSET"));
            assertEquals(SocketOps.CMSG_LEVEL, c.applyAsLong("offsetof(cmsghdr.cmsg_level)"));
            assertEquals(SocketOps.CMSG_TYPE, c.applyAsLong("offsetof(cmsghdr.cmsg_type)"));
            assertEquals(SocketOps.cmsgSpace(4), c.applyAsLong("CMSG_SPACE(4)"));
            assertEquals(SocketOps.SOL_SOCKET, c.applyAsLong("SOL_SOCKET"));
            assertEquals(SocketOps.SCM_RIGHTS, c.applyAsLong("SCM_RIGHTS"));
            assertEquals(SocketOps.MSG_NOSIGNAL, c.applyAsLong("MSG_NOSIGNAL"));
            assertEquals(SocketOps.MSG_CMSG_CLOEXEC, c.applyAsLong("MSG_CMSG_CLOEXEC"));
            assertEquals(SocketOps.SOCK_CLOEXEC, c.applyAsLong("SOCK_CLOEXEC"));
            assertEquals(UringBufferRing.BUF_SIZE, c.applyAsLong("sizeof(io_uring_buf)"));
            assertEquals(UringBufferRing.BUF_LEN, c.applyAsLong("offsetof(io_uring_buf.len)"));
            assertEquals(UringBufferRing.BUF_BID, c.applyAsLong("offsetof(io_uring_buf.bid)"));
            assertEquals(UringBufferRing.RING_TAIL, c.applyAsLong("offsetof(io_uring_buf_ring.tail)"));
            assertEquals(Long.MIN_VALUE, c.applyAsLong("NO_SUCH_CONSTANT"));
        }
    }

    @Test
    void acceptedSocketIsClosedWhenNobodyCanReceiveIt() throws Exception {
        // A connection that completes an accept whose future was already completed by someone else
        // must be closed, not leaked: complete the future first, then let a client arrive.
        Fd l = listener(Ipv4SockAddr.loopback(0));
        SockAddr target = localAddress(l);
        CompletableFuture<Accepted> f = engine.accept(l);
        f.complete(null);
        Fd c = await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT));
        try {
            await(engine.connect(c, target));
            // The server side was closed by the engine: the client sees end of stream.
            assertEquals(-1, await(engine.recv(c, ByteBuffer.allocate(4), Set.of())));
        } finally {
            closeAll(c, l);
        }
        assertNull(f.join());
    }
}
