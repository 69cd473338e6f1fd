package dev.ringio.net;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.net.NetTesting.NO_FLAGS;
import static dev.ringio.net.NetTesting.ascii;
import static dev.ringio.net.NetTesting.closedPort;
import static dev.ringio.net.NetTesting.directAscii;
import static dev.ringio.net.NetTesting.isCloseOnExec;
import static dev.ringio.net.NetTesting.isNonBlocking;
import static dev.ringio.net.NetTesting.tcpListener;
import static dev.ringio.net.NetTesting.text;
import static org.junit.jupiter.api.Assertions.*;

/** The raw socket calls against the real kernel over loopback: TCP v4/v6, UDP, Unix stream and datagram, socketpair. */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class SocketsTest {

    @TempDir
    Path dir;

    // ---- connections ------------------------------------------------------------------------------

    @Test
    void tcpOverIpv4() throws Exception {
        connection(Domain.INET);
    }

    @Test
    void tcpOverIpv6() throws Exception {
        KernelFeatures.assumeIpv6Loopback();
        connection(Domain.INET6);
    }

    private static void connection(Domain domain) throws Exception {
        try (Fd listener = tcpListener(domain); Fd client = Sockets.socket(domain, SocketType.STREAM)) {
            SockAddr local = Sockets.getsockname(listener);
            assertEquals(domain, local.domain());
            if (local instanceof Ipv4SockAddr v4) {
                assertEquals(Ipv4SockAddr.loopback(v4.port()), v4);
                assertTrue(v4.port() > 0);
            } else {
                assertEquals(Ipv6SockAddr.loopback(((Ipv6SockAddr) local).port()), local);
            }
            assertTrue(Sockets.getOption(listener, SocketOptions.ACCEPTCONN));

            assertTrue(Sockets.connect(client, local));
            try (Accepted a = Sockets.accept(listener)) {
                assertEquals(Sockets.getsockname(client), a.peer());
                assertEquals(local, Sockets.getpeername(client));
                assertEquals(a.peer(), Sockets.getpeername(a.fd()));
                assertEquals(Fd.Kind.SOCKET, a.fd().kind());
                assertTrue(isCloseOnExec(a.fd()), "accepted socket close-on-exec");
                assertFalse(isNonBlocking(a.fd()));

                assertEquals(domain, Sockets.domain(a.fd()));
                assertEquals(SocketType.STREAM, Sockets.type(a.fd()));
                assertEquals(Protocol.TCP, Sockets.protocol(a.fd()));

                assertNull(exchange(client, a.fd()), "TCP reports no sender");
                assertNull(exchange(a.fd(), client));

                // Half-close: the server reads end of stream, and can still send.
                Sockets.shutdown(client, ShutdownHow.WRITE);
                assertEquals(0, Sockets.recv(a.fd(), ByteBuffer.allocate(8), NO_FLAGS));
                exchange(a.fd(), client);
            }
        }
    }

    /**
     * Sends from {@code from} and receives on {@code to}, once with heap and once with direct
     * buffers; returns the sender the second receive reported.
     */
    private static SockAddr exchange(Fd from, Fd to) throws NativeIoException {
        ByteBuffer heap = ascii("hello");
        assertEquals(5, Sockets.send(from, heap, NO_FLAGS));
        assertFalse(heap.hasRemaining());
        ByteBuffer in = ByteBuffer.allocate(5); // WAITALL: a stream socket waits until the buffer is full
        assertEquals(5, Sockets.recv(to, in, Set.of(MsgFlag.WAITALL)));
        assertEquals("hello", text(in));

        ByteBuffer direct = directAscii("world!");
        assertEquals(6, Sockets.send(from, direct, NO_FLAGS));
        ByteBuffer din = ByteBuffer.allocateDirect(6);
        Received r = Sockets.recvfrom(to, din, Set.of(MsgFlag.WAITALL));
        assertEquals(6, r.bytes());
        assertEquals(6, din.position());
        assertEquals("world!", text(din));
        return r.from();
    }

    @Test
    void unixStreamOnAPath() throws Exception {
        UnixSockAddr path = UnixSockAddr.ofPath(dir.resolve("s.sock").toString());
        unixConnection(path);
        assertTrue(Files.exists(dir.resolve("s.sock")), "bind creates the socket file");
    }

    @Test
    void unixStreamInTheAbstractNamespace() throws Exception {
        unixConnection(UnixSockAddr.ofAbstract("ringio-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
    }

    private static void unixConnection(UnixSockAddr address) throws Exception {
        try (Fd listener = Sockets.socket(Domain.UNIX, SocketType.STREAM); Fd client = Sockets.socket(Domain.UNIX, SocketType.STREAM)) {
            assertEquals(UnixSockAddr.UNNAMED, Sockets.getsockname(listener));
            Sockets.bind(listener, address);
            Sockets.listen(listener, 4);
            assertEquals(address, Sockets.getsockname(listener));
            assertTrue(Sockets.connect(client, address));
            try (Accepted a = Sockets.accept(listener)) {
                assertEquals(UnixSockAddr.UNNAMED, a.peer());
                assertEquals(address, Sockets.getpeername(client));
                assertEquals(address, Sockets.getsockname(a.fd()));
                assertEquals(Domain.UNIX, Sockets.domain(a.fd()));
                assertEquals(Protocol.DEFAULT, Sockets.protocol(a.fd()));
                assertTrue(isCloseOnExec(a.fd()));
                // A Unix stream reports the sender's name when it has one: the unbound client has none.
                assertNull(exchange(client, a.fd()));
                assertEquals(address, exchange(a.fd(), client));
                Sockets.shutdown(a.fd(), ShutdownHow.BOTH);
                assertEquals(0, Sockets.recv(client, ByteBuffer.allocate(4), NO_FLAGS));
            }
        }
    }

    // ---- datagrams --------------------------------------------------------------------------------

    @Test
    void udpOverIpv4() throws Exception {
        datagrams(Domain.INET, Ipv4SockAddr.loopback(0));
    }

    @Test
    void udpOverIpv6() throws Exception {
        KernelFeatures.assumeIpv6Loopback();
        datagrams(Domain.INET6, Ipv6SockAddr.loopback(0));
    }

    private static void datagrams(Domain domain, SockAddr loopback) throws Exception {
        try (Fd a = Sockets.socket(domain, EnumSet.of(SocketType.DGRAM), Protocol.UDP);
             Fd b = Sockets.socket(domain, SocketType.DGRAM)) {
            Sockets.bind(a, loopback);
            Sockets.bind(b, loopback);
            SockAddr aAddr = Sockets.getsockname(a);
            SockAddr bAddr = Sockets.getsockname(b);
            assertEquals(SocketType.DGRAM, Sockets.type(a));
            assertEquals(Protocol.UDP, Sockets.protocol(b));

            ByteBuffer out = ascii("ping");
            assertEquals(4, Sockets.sendto(a, out, NO_FLAGS, bAddr));
            ByteBuffer in = ByteBuffer.allocate(64);
            Received r = Sockets.recvfrom(b, in, NO_FLAGS);
            assertEquals(new Received(4, aAddr), r);
            assertEquals("ping", text(in));

            // MSG_TRUNC: the datagram's real length, though the buffer held only part of it.
            Sockets.sendto(b, directAscii("a longer datagram"), NO_FLAGS, aAddr);
            ByteBuffer small = ByteBuffer.allocate(4);
            Received t = Sockets.recvfrom(a, small, Set.of(MsgFlag.TRUNC));
            assertEquals(17, t.bytes());
            assertEquals(4, small.position());
            assertEquals("a lo", text(small));

            // MSG_PEEK leaves the datagram queued; MSG_DONTWAIT on an empty queue is EAGAIN.
            Sockets.sendto(a, ascii("peek"), NO_FLAGS, bAddr);
            assertEquals(4, Sockets.recvfrom(b, ByteBuffer.allocate(8), Set.of(MsgFlag.PEEK)).bytes());
            assertEquals(4, Sockets.recvfrom(b, ByteBuffer.allocate(8), NO_FLAGS).bytes());
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> Sockets.recvfrom(b, ByteBuffer.allocate(8), Set.of(MsgFlag.DONTWAIT)));
            assertTrue(e.is(Errno.EAGAIN), e.getMessage());
            assertEquals("recvfrom", e.op());

            // A connected datagram socket sends without an address.
            assertTrue(Sockets.connect(a, bAddr));
            Sockets.send(a, ascii("conn"), NO_FLAGS);
            assertEquals(aAddr, Sockets.recvfrom(b, ByteBuffer.allocate(8), NO_FLAGS).from());
        }
    }

    @Test
    void unixDatagrams() throws Exception {
        UnixSockAddr rxAddr = UnixSockAddr.ofPath(dir.resolve("rx.sock").toString());
        UnixSockAddr txAddr = UnixSockAddr.ofAbstract("ringio-dgram-" + System.nanoTime());
        try (Fd rx = Sockets.socket(Domain.UNIX, SocketType.DGRAM); Fd tx = Sockets.socket(Domain.UNIX, SocketType.DGRAM);
             Fd anon = Sockets.socket(Domain.UNIX, SocketType.DGRAM)) {
            Sockets.bind(rx, rxAddr);
            Sockets.bind(tx, txAddr);
            assertEquals(3, Sockets.sendto(tx, ascii("one"), NO_FLAGS, rxAddr));
            ByteBuffer in = ByteBuffer.allocate(16);
            assertEquals(new Received(3, txAddr), Sockets.recvfrom(rx, in, NO_FLAGS));
            assertEquals("one", text(in));
            // An unbound sender has no address to report.
            Sockets.sendto(anon, ascii("two"), NO_FLAGS, rxAddr);
            assertEquals(new Received(3, null), Sockets.recvfrom(rx, ByteBuffer.allocate(16), NO_FLAGS));
        }
    }

    @Test
    void socketpairs() throws Exception {
        for (SocketType type : new SocketType[] {SocketType.STREAM, SocketType.DGRAM, SocketType.SEQPACKET}) {
            Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(type));
            try {
                assertEquals(2, pair.length);
                for (Fd fd : pair) {
                    assertTrue(isCloseOnExec(fd), type + " socketpair end close-on-exec");
                    assertEquals(Fd.Kind.SOCKET, fd.kind());
                    assertEquals(type, Sockets.type(fd));
                    assertEquals(UnixSockAddr.UNNAMED, Sockets.getpeername(fd));
                }
                exchange(pair[0], pair[1]);
                exchange(pair[1], pair[0]);
            } finally {
                pair[0].close();
                pair[1].close();
            }
        }
        NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.socketpair(Domain.INET, EnumSet.of(SocketType.STREAM)));
        assertTrue(e.is(Errno.EOPNOTSUPP), e.getMessage());
        assertEquals("socketpair", e.op());
    }

    // ---- close-on-exec, non-blocking -----------------------------------------------------------------

    @Test
    void everyDescriptorIsCloseOnExec() throws Exception {
        socketsAreCloseOnExec(Domain.INET);
        socketsAreCloseOnExec(Domain.UNIX);
        try (Fd l = tcpListener(Domain.INET); Fd c = Sockets.socket(Domain.INET, SocketType.STREAM)) {
            Sockets.connect(c, Sockets.getsockname(l));
            try (Accepted a = Sockets.accept(l, EnumSet.of(SocketType.NONBLOCK))) {
                assertTrue(isCloseOnExec(a.fd()));
                assertTrue(isNonBlocking(a.fd()));
            }
        }
        try (Fd l = tcpListener(Domain.INET)) {
            assertThrows(IllegalArgumentException.class, () -> Sockets.accept(l, EnumSet.of(SocketType.STREAM)));
        }
        KernelFeatures.assumeIpv6();
        socketsAreCloseOnExec(Domain.INET6);
    }

    private static void socketsAreCloseOnExec(Domain d) throws NativeIoException {
        for (SocketType t : new SocketType[] {SocketType.STREAM, SocketType.DGRAM}) {
            try (Fd fd = Sockets.socket(d, t)) {
                assertTrue(isCloseOnExec(fd), d + " " + t);
            }
            try (Fd fd = Sockets.socket(d, EnumSet.of(t, SocketType.CLOEXEC, SocketType.NONBLOCK), Protocol.DEFAULT)) {
                assertTrue(isCloseOnExec(fd), d + " " + t + " with CLOEXEC");
                assertTrue(isNonBlocking(fd));
            }
        }
    }

    @Test
    void nonBlockingConnectAndAccept() throws Exception {
        try (Fd l = Sockets.socket(Domain.INET, EnumSet.of(SocketType.STREAM, SocketType.NONBLOCK), Protocol.DEFAULT);
             Fd c = Sockets.socket(Domain.INET, EnumSet.of(SocketType.STREAM, SocketType.NONBLOCK), Protocol.TCP)) {
            Sockets.bind(l, Ipv4SockAddr.loopback(0));
            Sockets.listen(l);
            NativeIoException empty = assertThrows(NativeIoException.class, () -> Sockets.accept(l));
            assertTrue(empty.is(Errno.EAGAIN), empty.getMessage());
            // Linux answers a non-blocking TCP connect with EINPROGRESS even over loopback.
            assertFalse(Sockets.connect(c, Sockets.getsockname(l)));
            awaitConnected(c);
            assertEquals(0, Sockets.getOption(c, SocketOptions.ERROR));
            try (Accepted a = Sockets.accept(l)) {
                assertEquals(Sockets.getsockname(c), a.peer());
                assertFalse(isNonBlocking(a.fd()), "accept4 does not inherit O_NONBLOCK");
            }
        }
        UnixSockAddr u = UnixSockAddr.ofAbstract("ringio-nb-" + System.nanoTime());
        try (Fd l = Sockets.socket(Domain.UNIX, SocketType.STREAM);
             Fd c = Sockets.socket(Domain.UNIX, EnumSet.of(SocketType.STREAM, SocketType.NONBLOCK), Protocol.DEFAULT)) {
            Sockets.bind(l, u);
            Sockets.listen(l);
            // A Unix connect completes at once when the backlog has room.
            assertTrue(Sockets.connect(c, u));
            Sockets.accept(l).close();
        }
    }

    private static void awaitConnected(Fd fd) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                Sockets.getpeername(fd);
                return;
            } catch (NativeIoException e) {
                if (!e.is(Errno.ENOTCONN) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(5);
            }
        }
    }

    // ---- failures ---------------------------------------------------------------------------------

    @Test
    void bindToAnAddressInUse() throws Exception {
        try (Fd l = tcpListener(Domain.INET); Fd other = Sockets.socket(Domain.INET, SocketType.STREAM)) {
            SockAddr taken = Sockets.getsockname(l);
            NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.bind(other, taken));
            assertTrue(e.is(Errno.EADDRINUSE), e.getMessage());
            assertEquals("bind " + taken, e.op());
            assertTrue(e.getMessage().startsWith("bind 127.0.0.1:"), e.getMessage());
        }
    }

    @Test
    void connectToAClosedPortIsRefused() throws Exception {
        Ipv4SockAddr closed = Ipv4SockAddr.loopback(closedPort());
        try (Fd c = Sockets.socket(Domain.INET, SocketType.STREAM)) {
            NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.connect(c, closed));
            assertTrue(e.is(Errno.ECONNREFUSED), e.getMessage());
            assertEquals("connect " + closed, e.op());
        }
        // Non-blocking: in progress, then SO_ERROR says why it failed (reading clears it).
        try (Fd c = Sockets.socket(Domain.INET, EnumSet.of(SocketType.STREAM, SocketType.NONBLOCK), Protocol.DEFAULT)) {
            assertFalse(Sockets.connect(c, closed));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int err;
            while ((err = Sockets.getOption(c, SocketOptions.ERROR)) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(Errno.ECONNREFUSED.value(), err);
            assertEquals(0, Sockets.getOption(c, SocketOptions.ERROR));
        }
        try (Fd c = Sockets.socket(Domain.UNIX, SocketType.STREAM)) {
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> Sockets.connect(c, UnixSockAddr.ofPath("/nonexistent/ringio.sock")));
            assertTrue(e.is(Errno.ENOENT), e.getMessage());
        }
    }

    @Test
    void acceptOnASocketThatIsNotListening() throws Exception {
        try (Fd s = Sockets.socket(Domain.INET, SocketType.STREAM)) {
            Sockets.bind(s, Ipv4SockAddr.loopback(0));
            NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.accept(s));
            assertTrue(e.is(Errno.EINVAL), e.getMessage());
            assertEquals("accept", e.op());
        }
        try (Fd s = Sockets.socket(Domain.INET, SocketType.DGRAM)) {
            NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.listen(s));
            assertTrue(e.is(Errno.EOPNOTSUPP), e.getMessage());
        }
    }

    @Test
    void overLongUnixPathIsRefusedBeforeTheKernel() {
        String longPath = "/tmp/" + "x".repeat(UnixSockAddr.UNIX_MAX_PATH);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnixSockAddr.ofPath(longPath));
        assertTrue(e.getMessage().contains("UNIX_MAX_PATH"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SockAddr.parse(longPath));
        assertThrows(IllegalArgumentException.class, () -> UnixSockAddr.ofAbstract("y".repeat(UnixSockAddr.UNIX_MAX_PATH)));
        // The longest path that fits: 107 bytes and the NUL.
        assertDoesNotThrow(() -> UnixSockAddr.ofPath("/" + "z".repeat(UnixSockAddr.UNIX_MAX_PATH - 2)));
    }

    @Test
    void longestUnixPathBinds() throws Exception {
        String name = dir.resolve("p").toString();
        String path = name + "q".repeat(UnixSockAddr.UNIX_MAX_PATH - 1 - name.length());
        assertEquals(UnixSockAddr.UNIX_MAX_PATH - 1, path.length());
        try (Fd s = Sockets.socket(Domain.UNIX, SocketType.STREAM)) {
            Sockets.bind(s, UnixSockAddr.ofPath(path));
            assertEquals(UnixSockAddr.ofPath(path), Sockets.getsockname(s));
        }
    }

    @Test
    void sendOnAShutDownSocketIsEpipeNotSigpipe() throws Exception {
        try (Fd l = tcpListener(Domain.INET); Fd c = Sockets.socket(Domain.INET, SocketType.STREAM)) {
            Sockets.connect(c, Sockets.getsockname(l));
            try (Accepted a = Sockets.accept(l)) {
                Sockets.shutdown(c, ShutdownHow.WRITE);
                NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.send(c, ascii("late"), NO_FLAGS));
                assertTrue(e.is(Errno.EPIPE), e.getMessage());
                assertEquals("send", e.op());
            }
        }
        Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
        try {
            pair[1].close();
            ByteBuffer b = ascii("to nobody");
            NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.sendto(pair[0], b, NO_FLAGS, null));
            assertTrue(e.is(Errno.EPIPE), e.getMessage());
            assertEquals(0, b.position(), "nothing sent, position unchanged");
        } finally {
            pair[0].close();
        }
        // Still alive: the JVM took no SIGPIPE.
        assertTrue(ProcessHandle.current().isAlive());
    }

    @Test
    void shutdownOfAnUnconnectedSocketIsNotAnError() throws Exception {
        try (Fd s = Sockets.socket(Domain.INET, SocketType.STREAM)) {
            assertDoesNotThrow(() -> Sockets.shutdown(s, ShutdownHow.BOTH));
            NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.getpeername(s));
            assertTrue(e.is(Errno.ENOTCONN), e.getMessage());
            assertEquals("getpeername", e.op());
        }
    }

    @Test
    void closedFdFailsWithEbadfNamingTheOperation() throws Exception {
        Fd s = Sockets.socket(Domain.INET, SocketType.STREAM);
        s.close();
        NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.bind(s, Ipv4SockAddr.loopback(0)));
        assertTrue(e.is(Errno.EBADF));
        assertEquals("bind 127.0.0.1:0", e.op());
        assertTrue(assertThrows(NativeIoException.class, () -> Sockets.listen(s)).is(Errno.EBADF));
        assertTrue(assertThrows(NativeIoException.class, () -> Sockets.getsockname(s)).is(Errno.EBADF));
        assertTrue(assertThrows(NativeIoException.class, () -> Sockets.getOption(s, SocketOptions.TYPE)).is(Errno.EBADF));
        assertTrue(assertThrows(NativeIoException.class, () -> Sockets.recv(s, ByteBuffer.allocate(1), NO_FLAGS)).is(Errno.EBADF));
        assertEquals(0, s.users());
    }

    @Test
    void badArgumentsFailBeforeTheKernel() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Sockets.socket(Domain.INET, EnumSet.of(SocketType.NONBLOCK), Protocol.DEFAULT));
        assertThrows(IllegalArgumentException.class,
                () -> Sockets.socket(Domain.INET, EnumSet.of(SocketType.STREAM, SocketType.DGRAM), Protocol.DEFAULT));
        try (Fd s = Sockets.socket(Domain.INET, SocketType.STREAM)) {
            assertThrows(IllegalArgumentException.class, () -> Sockets.listen(s, -1));
            assertThrows(IllegalArgumentException.class, () -> Sockets.recv(s, ByteBuffer.allocate(4).asReadOnlyBuffer(), NO_FLAGS));
            assertThrows(NullPointerException.class, () -> Sockets.bind(s, null));
        }
        NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.socket(Domain.INET, EnumSet.of(SocketType.STREAM), Protocol.UDP));
        assertTrue(e.is(Errno.EPROTONOSUPPORT), e.getMessage());
        assertEquals("socket", e.op());
    }

    @Test
    void receiveTimeoutIsEagain() throws Exception {
        Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
        try {
            Sockets.setOption(pair[0], SocketOptions.RCVTIMEO, Duration.ofMillis(100));
            long t0 = System.nanoTime();
            NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.recv(pair[0], ByteBuffer.allocate(4), NO_FLAGS));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.is(Errno.EAGAIN), e.getMessage());
            assertTrue(ms >= 80, "timed out after " + ms + " ms");
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void buffersAdvanceOnlyByWhatWasTransferred() throws Exception {
        Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.DGRAM));
        try {
            ByteBuffer src = ByteBuffer.allocate(32);
            src.put("xxhelloyy".getBytes()).position(2).limit(7);
            assertEquals(5, Sockets.send(pair[0], src, NO_FLAGS));
            assertEquals(7, src.position());
            ByteBuffer dst = ByteBuffer.allocate(32).position(10);
            assertEquals(5, Sockets.recv(pair[1], dst, NO_FLAGS));
            assertEquals(15, dst.position());
            assertEquals("hello", new String(dst.array(), 10, 5));
            // An empty datagram is a datagram.
            assertEquals(0, Sockets.send(pair[0], ByteBuffer.allocate(0), NO_FLAGS));
            assertEquals(0, Sockets.recv(pair[1], ByteBuffer.allocate(4), Set.of(MsgFlag.DONTWAIT)));
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }
}
