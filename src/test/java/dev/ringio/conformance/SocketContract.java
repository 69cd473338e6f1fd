package dev.ringio.conformance;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.ringio.Capability;
import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.Accepted;
import dev.ringio.net.AddrInfo;
import dev.ringio.net.Domain;
import dev.ringio.net.Hints;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Ipv6SockAddr;
import dev.ringio.net.Linger;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.ResolverException;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.net.UnixSockAddr;
import dev.ringio.os.Pipe;
import dev.ringio.testing.KernelFeatures;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stream sockets: getaddrinfo, socket, bind, listen, accept, connect, send / sendAll / recv
 * (ByteBuffer and Chunk), shutdown, splice and sendZeroCopy, over TCP (IPv4, IPv6) and Unix
 * sockets (path and abstract), with their failures.
 */
public abstract class SocketContract extends ContractBase {

    // ---- getaddrinfo ----------------------------------------------------------------------------

    @Test
    void getaddrinfoResolvesNumericHostsAndServices() {
        List<AddrInfo> v4 = await(engine.getaddrinfo("127.0.0.1", "8080", Hints.builder().family(Domain.INET).type(SocketType.STREAM).build()));
        assertFalse(v4.isEmpty());
        for (AddrInfo a : v4) {
            assertEquals(Ipv4SockAddr.loopback(8080), a.address(), a.toString());
        }
        List<AddrInfo> v6 = await(engine.getaddrinfo("::1", "53", Hints.builder().family(Domain.INET6).type(SocketType.DGRAM).build()));
        assertFalse(v6.isEmpty());
        assertEquals(Ipv6SockAddr.loopback(53), v6.getFirst().address());
    }

    @Test
    void getaddrinfoFailureIsAResolverExceptionNamingTheEaiCode() {
        ResolverException e = failure(engine.getaddrinfo("no-such-host.invalid", null,
                Hints.builder().family(Domain.INET).type(SocketType.STREAM).flags(dev.ringio.net.AiFlag.NUMERICHOST).build()),
                ResolverException.class);
        assertEquals("EAI_NONAME", e.eaiName(), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
        // neither node nor service: a bad argument (thrown, or failing the future)
        Throwable both;
        try {
            both = dev.ringio.testing.FutureAssertions.failureOf(engine.getaddrinfo(null, null, Hints.builder().build()));
        } catch (IllegalArgumentException thrown) {
            both = thrown;
        }
        assertTrue(both instanceof IllegalArgumentException, String.valueOf(both));
    }

    // ---- socket / bind / listen / accept / connect ----------------------------------------------

    private void exchange(SockAddr bind) {
        Fd[] p = connectedPair(bind);
        assertEquals(5, await(engine.send(p[0], text("hello"), NO_FLAGS)));
        assertEquals("hello", recvString(p[1], 100));
        await(engine.sendAll(p[1], text("world!"), NO_FLAGS));
        assertEquals("world!", recvString(p[0], 100));
    }

    @Test
    void tcpOverIpv4() {
        exchange(Ipv4SockAddr.loopback(0));
    }

    @Test
    void tcpOverIpv6() {
        KernelFeatures.assumeIpv6Loopback();
        exchange(Ipv6SockAddr.loopback(0));
    }

    @Test
    void unixStreamOverAPath() {
        exchange(UnixSockAddr.ofPath(dir.resolve("s.sock").toString()));
    }

    @Test
    void unixStreamInTheAbstractNamespace() {
        exchange(UnixSockAddr.ofAbstract("ringio-contract-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
    }

    @Test
    void socketIsCloseOnExecAndOfTheAskedKind() throws Exception {
        Fd s = track(await(engine.socket(Domain.INET, STREAM, Protocol.TCP)));
        assertCloexec(s);
        assertEquals(Fd.Kind.SOCKET, s.kind());
        assertEquals(SocketType.STREAM, Sockets.type(s));
        assertEquals(Domain.INET, Sockets.domain(s));
        Fd u = track(await(engine.socket(Domain.UNIX, DGRAM, Protocol.DEFAULT)));
        assertEquals(SocketType.DGRAM, Sockets.type(u));
    }

    @Test
    void acceptReportsThePeerAddressAndGivesACloseOnExecSocket() throws Exception {
        Fd listener = listener(Ipv4SockAddr.loopback(0));
        CompletableFuture<Accepted> accepted = engine.accept(listener);
        Fd client = track(await(engine.socket(Domain.INET, STREAM, Protocol.TCP)));
        await(engine.connect(client, localAddress(listener)));
        Accepted a = await(accepted);
        track(a.fd());
        assertEquals(localAddress(client), a.peer());
        assertEquals(Sockets.getpeername(client), localAddress(a.fd()));
        assertCloexec(a.fd());
        assertEquals(0, listener.users());
    }

    @Test
    void connectToAClosedPortIsRefused() {
        Fd l = listener(Ipv4SockAddr.loopback(0));
        SockAddr target = localAddress(l);
        await(engine.close(l)); // nothing listens there any more
        Fd c = track(await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT)));
        NativeIoException e = failure(engine.connect(c, target), Errno.ECONNREFUSED, "connect");
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertEquals(0, c.users());
    }

    @Test
    void connectToAMissingUnixPathIsEnoent() {
        Fd c = track(await(engine.socket(Domain.UNIX, STREAM, Protocol.DEFAULT)));
        failure(engine.connect(c, UnixSockAddr.ofPath(dir.resolve("nobody").toString())), Errno.ENOENT, "connect");
    }

    @Test
    void acceptOnANonListeningSocketFailsWithEinval() {
        Fd s = track(await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT)));
        failure(engine.accept(s), Errno.EINVAL, "accept");
    }

    @Test
    void bindToAnAddressInUseFailsWithEaddrinuse() {
        Fd a = listener(Ipv4SockAddr.loopback(0));
        Fd b = track(await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT)));
        failure(engine.bind(b, localAddress(a)), Errno.EADDRINUSE, "bind");
        // bind of a socket that is already bound
        failure(engine.bind(a, Ipv4SockAddr.loopback(0)), Errno.EINVAL, "bind");
    }

    @Test
    void listenOnADatagramSocketFailsWithEopnotsupp() {
        Fd u = track(await(engine.socket(Domain.INET, DGRAM, Protocol.UDP)));
        failure(engine.listen(u, 1), Errno.EOPNOTSUPP, "listen");
    }

    @Test
    void socketOfAnUnsupportedProtocolFailsWithEprotonosupport() {
        failure(engine.socket(Domain.UNIX, STREAM, Protocol.TCP), Errno.EPROTONOSUPPORT, "socket");
    }

    @Test
    void socketOpsOnAClosedFdFailWithEbadfNamingTheOp() throws Exception {
        Fd s = await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT));
        await(engine.close(s));
        Chunk c = chunk();
        failure(engine.bind(s, Ipv4SockAddr.loopback(0)), Errno.EBADF, "bind");
        failure(engine.listen(s, 1), Errno.EBADF, "listen");
        failure(engine.accept(s), Errno.EBADF, "accept");
        failure(engine.connect(s, Ipv4SockAddr.loopback(1)), Errno.EBADF, "connect");
        failure(engine.send(s, text("x"), NO_FLAGS), Errno.EBADF, "send");
        failure(engine.sendAll(s, text("x"), NO_FLAGS), Errno.EBADF, "sendAll");
        failure(engine.send(s, c, 1, NO_FLAGS), Errno.EBADF, "send");
        failure(engine.recv(s, ByteBuffer.allocate(1), NO_FLAGS), Errno.EBADF, "recv");
        failure(engine.recv(s, c, 1, NO_FLAGS), Errno.EBADF, "recv");
        failure(engine.shutdown(s, ShutdownHow.BOTH), Errno.EBADF, "shutdown");
        failure(engine.sendTo(s, text("x"), NO_FLAGS, Ipv4SockAddr.loopback(1)), Errno.EBADF, "sendTo");
        failure(engine.recvFrom(s, ByteBuffer.allocate(1), NO_FLAGS), Errno.EBADF, "recvFrom");
        failure(engine.sendMsg(s, new ByteBuffer[0], List.of(), null), Errno.EBADF, "sendMsg");
        failure(engine.recvMsg(s, new ByteBuffer[] {ByteBuffer.allocate(1)}), Errno.EBADF, "recvMsg");
        failure(engine.recvMsgWithFds(s, 1, new ByteBuffer[] {ByteBuffer.allocate(1)}), Errno.EBADF, "recvMsgWithFds");
        failure(engine.sendZeroCopy(s, text("x"), NO_FLAGS), Errno.EBADF, "sendZeroCopy");
        assertEquals(0, c.retainCount());
    }

    @Test
    void socketOpsOnAFileFailWithEnotsock() throws Exception {
        Fd f = open(file("f", new byte[0]), RW);
        failure(engine.send(f, text("x"), NO_FLAGS), Errno.ENOTSOCK, "send");
        failure(engine.recv(f, ByteBuffer.allocate(1), NO_FLAGS), Errno.ENOTSOCK, "recv");
        failure(engine.accept(f), Errno.ENOTSOCK, "accept");
        failure(engine.connect(f, Ipv4SockAddr.loopback(1)), Errno.ENOTSOCK, "connect");
        failure(engine.bind(f, Ipv4SockAddr.loopback(0)), Errno.ENOTSOCK, "bind");
        failure(engine.listen(f, 1), Errno.ENOTSOCK, "listen");
        failure(engine.shutdown(f, ShutdownHow.BOTH), Errno.ENOTSOCK, "shutdown");
    }

    @Test
    void badArgumentsFailBeforeTheKernel() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> engine.socket(Domain.INET, EnumSet.of(SocketType.STREAM, SocketType.DGRAM), Protocol.DEFAULT));
        assertThrows(IllegalArgumentException.class,
                () -> engine.socket(Domain.INET, EnumSet.of(SocketType.NONBLOCK), Protocol.DEFAULT));
        assertThrows(NullPointerException.class, () -> engine.socket(null, STREAM, Protocol.DEFAULT));
        Fd[] p = socketPair(STREAM);
        assertThrows(IllegalArgumentException.class, () -> engine.listen(p[0], -1));
        assertThrows(IllegalArgumentException.class,
                () -> engine.recv(p[0], ByteBuffer.allocate(1).asReadOnlyBuffer(), NO_FLAGS));
        assertThrows(NullPointerException.class, () -> engine.bind(p[0], null));
        assertThrows(NullPointerException.class, () -> engine.connect(p[0], null));
        assertThrows(NullPointerException.class, () -> engine.send(p[0], (ByteBuffer) null, NO_FLAGS));
        assertThrows(NullPointerException.class, () -> engine.recv(p[0], (ByteBuffer) null, NO_FLAGS));
        assertThrows(NullPointerException.class, () -> engine.accept(null));
        Chunk c = chunk();
        assertThrows(IllegalArgumentException.class, () -> engine.recv(p[0], c, c.size() + 1, NO_FLAGS));
        assertThrows(IllegalArgumentException.class, () -> engine.recv(p[0], c, -1, NO_FLAGS));
        assertThrows(IllegalArgumentException.class, () -> engine.send(p[0], c, c.size() + 1, NO_FLAGS));
        assertThrows(IllegalArgumentException.class, () -> engine.send(p[0], c, -1, NO_FLAGS));
        assertThrows(IllegalArgumentException.class, () -> engine.splice(p[0], p[1], -1));
        assertEquals(0, p[0].users());
        assertEquals(0, c.retainCount());
    }

    // ---- send / sendAll / recv -------------------------------------------------------------------

    @Test
    void sendAllMovesAMegabyteAndRecvSeesEndOfStreamAfterHalfClose() {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        byte[] data = pattern(1 << 20, 42);
        ByteBuffer src = ByteBuffer.allocateDirect(data.length).put(data).flip();
        CompletableFuture<Void> sent = engine.sendAll(p[0], src, NO_FLAGS);
        ByteBuffer got = ByteBuffer.allocate(data.length + 1);
        while (got.position() < data.length) {
            int n = await(engine.recv(p[1], got, NO_FLAGS));
            assertTrue(n > 0, "early end of stream after " + got.position());
        }
        await(sent);
        assertFalse(src.hasRemaining(), "sendAll advances the position to the limit");
        assertArrayEquals(data, Arrays.copyOf(got.array(), data.length));
        // Half-close: the writer shuts down its write side; the reader sees -1, and can still reply.
        await(engine.shutdown(p[0], ShutdownHow.WRITE));
        ByteBuffer end = ByteBuffer.allocate(10);
        assertEquals(-1, await(engine.recv(p[1], end, NO_FLAGS)));
        assertEquals(0, end.position(), "end of stream leaves the position");
        await(engine.sendAll(p[1], text("bye"), NO_FLAGS));
        assertEquals("bye", recvString(p[0], 10));
    }

    @Test
    void sendAndRecvAdvancePositionsOfHeapAndDirectBuffers() {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        ByteBuffer heap = ByteBuffer.wrap(pattern(100, 1));
        heap.position(10).limit(60);
        assertEquals(50, await(engine.send(p[0], heap, NO_FLAGS)));
        assertEquals(60, heap.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        direct.position(4);
        int n = 0;
        while (n < 50) {
            int r = await(engine.recv(p[1], direct, NO_FLAGS));
            assertTrue(r > 0);
            n += r;
        }
        assertEquals(54, direct.position());
        assertArrayEquals(slice(pattern(100, 1), 10, 60), bytes(direct, 4, 54));
    }

    @Test
    void chunkSendAndRecv() {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        Chunk out = chunk();
        Chunk in = chunk();
        put(out, pattern(3000, 2));
        assertEquals(3000, await(engine.send(p[0], out, 3000, NO_FLAGS)));
        int n = 0;
        byte[] got = new byte[3000];
        while (n < 3000) {
            int r = await(engine.recv(p[1], in, in.size(), NO_FLAGS));
            assertTrue(r > 0);
            MemorySegment.copy(in.segment(), JAVA_BYTE, 0, got, n, r);
            n += r;
        }
        assertArrayEquals(pattern(3000, 2), got);
        await(engine.shutdown(p[0], ShutdownHow.WRITE));
        assertEquals(-1, await(engine.recv(p[1], in, 10, NO_FLAGS)), "end of stream into a chunk");
        assertEquals(0, out.retainCount());
        assertEquals(0, in.retainCount());
    }

    @Test
    void chunkSendAndRecvWithAFreedChunkFailWithIllegalState() throws Exception {
        Fd[] p = socketPair(STREAM);
        Chunk c = chunk();
        free(c);
        failure(engine.send(p[0], c, 1, NO_FLAGS), IllegalStateException.class);
        failure(engine.recv(p[1], c, 1, NO_FLAGS), IllegalStateException.class);
        assertEquals(0, p[0].users(), "the fd must not stay acquired");
        assertEquals(0, p[1].users());
    }

    @Test
    void msgPeekLeavesTheDataQueued() {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        await(engine.sendAll(p[0], text("peek"), NO_FLAGS));
        ByteBuffer b = ByteBuffer.allocate(10);
        assertEquals(4, await(engine.recv(p[1], b, EnumSet.of(MsgFlag.PEEK))));
        assertEquals("peek", recvString(p[1], 10));
    }

    @Test
    void zeroLengthReadsAndReceivesReturnZeroAtOnceAsTheJdksReadDoes() throws Exception {
        Pipe pipe = pipe();
        List<Fd[]> pairs = List.of(connectedPair(Ipv4SockAddr.loopback(0)), socketPair(STREAM),
                new Fd[] {pipe.writeEnd(), pipe.readEnd()});
        for (Fd[] pair : pairs) {
            Fd writer = pair[0];
            Fd reader = pair[1];
            // Nothing sent yet: a zero-length read that waited for data would never complete.
            zeroLengthReadsReturnZero(reader);
            // Data queued: they take none of it.
            await(engine.write(writer, text("data"), -1));
            zeroLengthReadsReturnZero(reader);
            assertEquals("data", string(readSome(reader, 16), 4));
            // At end of stream too: 0 (no room), not -1; a read with room sees the end.
            if (writer.kind() == Fd.Kind.SOCKET) {
                await(engine.shutdown(writer, ShutdownHow.WRITE));
            } else {
                await(engine.close(writer));
            }
            zeroLengthReadsReturnZero(reader);
            assertEquals(-1, await(engine.read(reader, ByteBuffer.allocate(1), -1)));
        }
        // A closed descriptor still fails, naming the operation.
        Fd[] closed = Sockets.socketpair(Domain.UNIX, STREAM);
        track(closed[1]);
        await(engine.close(closed[0]));
        failure(engine.recv(closed[0], ByteBuffer.allocate(0), NO_FLAGS), Errno.EBADF, "recv");
        failure(engine.read(closed[0], ByteBuffer.allocate(0), -1), Errno.EBADF, "read");
        // So does a closed engine, as for every other operation.
        IoEngine gone = openOwnEngine();
        gone.close();
        failure(gone.recv(closed[1], ByteBuffer.allocate(0), NO_FLAGS), EngineClosedException.class);
        failure(gone.readv(closed[1], new ByteBuffer[0], -1), EngineClosedException.class);
    }

    private ByteBuffer readSome(Fd fd, int max) {
        ByteBuffer b = ByteBuffer.allocate(max);
        await(engine.read(fd, b, -1));
        return b;
    }

    private void zeroLengthReadsReturnZero(Fd fd) {
        boolean socket = fd.kind() == Fd.Kind.SOCKET;
        String where = fd.kind() + " " + fd;
        assertEquals(0, await(engine.read(fd, ByteBuffer.allocate(0), -1)), where);
        assertEquals(0, await(engine.read(fd, ByteBuffer.allocateDirect(8).position(8), -1)), where);
        assertEquals(0, await(engine.read(fd, MemorySegment.ofArray(new byte[0]), -1)), where);
        assertEquals(0L, await(engine.readv(fd, new ByteBuffer[] {ByteBuffer.allocate(0), ByteBuffer.allocateDirect(0)}, -1)), where);
        assertEquals(0L, await(engine.readv(fd, new MemorySegment[0], -1)), where);
        Chunk c = chunk();
        try {
            assertEquals(0, await(engine.readUpTo(fd, c, 0, -1)), where);
            await(engine.readExactly(fd, c, 0, -1));
            if (socket) {
                assertEquals(0, await(engine.recv(fd, c, 0, NO_FLAGS)), where);
            }
        } finally {
            free(c);
        }
        if (socket) {
            assertEquals(0, await(engine.recv(fd, ByteBuffer.allocate(0), NO_FLAGS)), where);
            assertEquals(0, await(engine.recv(fd, ByteBuffer.allocateDirect(0), NO_FLAGS)), where);
            // A stream socket's message receives with no room answer the same (JDK: a scattering read).
            assertEquals(0, await(engine.recvMsg(fd, new ByteBuffer[] {ByteBuffer.allocate(0)})).bytes(), where);
            assertEquals(0, await(engine.recvMsg(fd, new ByteBuffer[0])).bytes(), where);
            assertEquals(0, await(engine.recvMsgWithFds(fd, 1, new ByteBuffer[] {ByteBuffer.allocate(0)})).bytes(), where);
            assertEquals(0, await(engine.recvFrom(fd, ByteBuffer.allocate(0), NO_FLAGS)).bytes(), where);
        }
    }

    @Test
    void sendAfterShutdownFailsWithEpipeAndDoesNotKillTheJvm() {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        await(engine.shutdown(p[0], ShutdownHow.WRITE));
        failure(engine.send(p[0], text("late"), NO_FLAGS), Errno.EPIPE, "send"); // MSG_NOSIGNAL: no SIGPIPE
        failure(engine.sendAll(p[0], text("late"), NO_FLAGS), Errno.EPIPE, "sendAll");
    }

    @Test
    void shutdownOfAnUnconnectedSocketIsNotAnError() {
        Fd s = track(await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT)));
        await(engine.shutdown(s, ShutdownHow.BOTH)); // ENOTCONN is documented as success
    }

    @Test
    void peerResetIsEconnreset() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        // SO_LINGER {on, 0}: close sends RST instead of FIN.
        Sockets.setOption(p[1], SocketOptions.LINGER, Linger.seconds(0));
        await(engine.sendAll(p[0], text("unread data"), NO_FLAGS));
        await(engine.sendAll(p[1], text("x"), NO_FLAGS));
        assertEquals("x", recvString(p[0], 1));
        await(engine.close(p[1]));
        failure(engine.recv(p[0], ByteBuffer.allocate(10), NO_FLAGS), Errno.ECONNRESET, "recv");
    }

    // ---- splice ---------------------------------------------------------------------------------

    @Test
    void spliceMovesSocketToPipeToSocket() throws Exception {
        Fd[] in = connectedPair(Ipv4SockAddr.loopback(0));
        Fd[] out = connectedPair(Ipv4SockAddr.loopback(0));
        Pipe pipe = pipe();
        await(engine.sendAll(in[0], text("spliced bytes"), NO_FLAGS));
        int n = await(engine.splice(in[1], pipe.writeEnd(), 65536));
        assertEquals(13, n);
        assertEquals(13, await(engine.splice(pipe.readEnd(), out[0], n)));
        assertEquals("spliced bytes", recvString(out[1], 64));
        await(engine.shutdown(in[0], ShutdownHow.WRITE));
        assertEquals(-1, await(engine.splice(in[1], pipe.writeEnd(), 65536)), "end of stream is -1");
        assertEquals(0, pipe.writeEnd().users());
    }

    @Test
    void spliceFromAFileIntoAPipe() throws Exception {
        Fd f = open(file("splice.bin", pattern(1000, 3)), RO);
        Pipe pipe = pipe();
        assertEquals(1000, await(engine.splice(f, pipe.writeEnd(), 4096)));
        ByteBuffer b = ByteBuffer.allocate(2000);
        assertEquals(1000, await(engine.read(pipe.readEnd(), b, -1)));
        assertArrayEquals(pattern(1000, 3), bytes(b, 0, 1000));
        assertEquals(-1, await(engine.splice(f, pipe.writeEnd(), 4096)), "end of file is -1");
    }

    @Test
    void spliceWithoutAPipeOrOnAClosedFdFails() throws Exception {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        await(engine.sendAll(p[0], text("x"), NO_FLAGS));
        failure(engine.splice(p[1], p[0], 10), Errno.EINVAL, "splice");
        Pipe pipe = pipe();
        Fd closed = await(engine.socket(Domain.INET, STREAM, Protocol.DEFAULT));
        await(engine.close(closed));
        failure(engine.splice(closed, pipe.writeEnd(), 10), Errno.EBADF, "splice");
        failure(engine.splice(pipe.readEnd(), closed, 10), Errno.EBADF, "splice");
        assertEquals(0, pipe.readEnd().users());
        assertEquals(0, pipe.writeEnd().users());
    }

    // ---- sendZeroCopy (capability-gated) -----------------------------------------------------------

    @Test
    void sendZeroCopyDeliversEveryByteOrFailsClearlyWithoutTheCapability() {
        Fd[] p = connectedPair(Ipv4SockAddr.loopback(0));
        byte[] data = pattern(64 * 1024, 4);
        ByteBuffer src = ByteBuffer.allocateDirect(data.length).put(data).flip();
        if (!engine.supports(Capability.ZERO_COPY_SEND)) {
            UnsupportedOperationException e = failure(engine.sendZeroCopy(p[0], src, NO_FLAGS),
                    UnsupportedOperationException.class);
            assertTrue(e.getMessage().contains(engine.name()), "names the engine: " + e.getMessage());
            assertTrue(e.getMessage().contains("sendZeroCopy"), "names the op: " + e.getMessage());
            assertEquals(0, src.position(), "nothing sent");
            assertEquals(0, p[0].users());
            return;
        }
        CompletableFuture<ByteBuffer> received = CompletableFuture.supplyAsync(() -> {
            ByteBuffer got = ByteBuffer.allocate(data.length);
            while (got.hasRemaining()) {
                if (await(engine.recv(p[1], got, NO_FLAGS)) < 0) {
                    break;
                }
            }
            return got;
        });
        int total = 0;
        while (src.hasRemaining()) {
            int before = src.position();
            int n = await(engine.sendZeroCopy(p[0], src, NO_FLAGS));
            assertEquals(before + n, src.position(), "the position advances by the count");
            total += n;
        }
        assertEquals(data.length, total);
        assertArrayEquals(data, await(received).array());
        await(engine.shutdown(p[0], ShutdownHow.WRITE));
        failure(engine.sendZeroCopy(p[0], text("late"), NO_FLAGS), Errno.EPIPE, "sendZeroCopy");
    }

    @Test
    void sendZeroCopyOfAHeapBuffer() {
        Fd[] p = socketPairOrTcp();
        if (!engine.supports(Capability.ZERO_COPY_SEND)) {
            UnsupportedOperationException e = failure(engine.sendZeroCopy(p[0], text("heap"), NO_FLAGS),
                    UnsupportedOperationException.class);
            assertTrue(e.getMessage().contains(engine.name()), e.getMessage());
            return;
        }
        ByteBuffer heap = text("heap bytes");
        assertEquals(10, await(engine.sendZeroCopy(p[0], heap, NO_FLAGS)));
        assertFalse(heap.hasRemaining());
        assertEquals("heap bytes", recvString(p[1], 64));
    }

    private Fd[] socketPairOrTcp() {
        return connectedPair(Ipv4SockAddr.loopback(0));
    }

    @Test
    void unixSocketPathInTheTempDirIsUsable() {
        Path sock = dir.resolve("u.sock");
        Fd l = listener(UnixSockAddr.ofPath(sock.toString()));
        assertEquals(UnixSockAddr.ofPath(sock.toString()), localAddress(l));
        assertNotNull(l);
    }
}
