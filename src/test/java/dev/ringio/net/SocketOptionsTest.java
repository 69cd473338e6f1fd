package dev.ringio.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.net.NetTesting.CAP_NET_ADMIN;
import static dev.ringio.net.NetTesting.CAP_NET_RAW;
import static dev.ringio.net.NetTesting.NO_FLAGS;
import static dev.ringio.net.NetTesting.ascii;
import static dev.ringio.net.NetTesting.hasCapability;
import static dev.ringio.net.NetTesting.loopbackIndex;
import static dev.ringio.net.NetTesting.loopbackMtu;
import static dev.ringio.net.NetTesting.tcpListener;
import static dev.ringio.net.NetTesting.text;
import static dev.ringio.net.SocketOptions.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every option of the table against the real kernel: set-then-get round trips where Linux allows
 * them, sensible values for the read-only ones, the exact errno where Linux refuses (for the reason
 * the man pages or the kernel give), and the checks ringio makes before any system call. The last
 * test checks that every option of {@link SocketOptions#all()} was exercised, except those a test
 * skipped because this kernel lacks what they need (IPv6, an option compiled out; see
 * {@link KernelFeatures}).
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SocketOptionsTest {

    private static final Set<String> EXERCISED = ConcurrentHashMap.newKeySet();
    /** Options a test skipped for a kernel reason: the coverage check cannot expect them. */
    private static final Set<String> KERNEL_LACKS = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger TESTS_RUN = new AtomicInteger();
    private static final Inet4Address LOOPBACK4 = (Inet4Address) InetAddress.ofLiteral("127.0.0.1");
    private static final Inet4Address GROUP4 = (Inet4Address) InetAddress.ofLiteral("224.0.0.123");
    private static final Inet6Address GROUP6 = (Inet6Address) InetAddress.ofLiteral("ff02::123");

    @AfterEach
    void count() {
        TESTS_RUN.incrementAndGet();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static Fd tcp4() throws NativeIoException {
        return Sockets.socket(Domain.INET, SocketType.STREAM);
    }

    private static Fd udp4() throws NativeIoException {
        return Sockets.socket(Domain.INET, SocketType.DGRAM);
    }

    private static Fd udp6() throws NativeIoException {
        return Sockets.socket(Domain.INET6, SocketType.DGRAM);
    }

    private static <T> T get(Fd fd, SocketOption<T> o) throws NativeIoException {
        EXERCISED.add(o.name());
        return Sockets.getOption(fd, o);
    }

    private static <T> void set(Fd fd, SocketOption<T> o, T value) throws NativeIoException {
        EXERCISED.add(o.name());
        Sockets.setOption(fd, o, value);
    }

    /** Sets each value in turn and reads it back. */
    @SafeVarargs
    private static <T> void roundTrip(Fd fd, SocketOption<T> o, T... values) throws NativeIoException {
        for (T v : values) {
            set(fd, o, v);
            T got = get(fd, o);
            if (v instanceof byte[] b) {
                assertArrayEquals(b, (byte[]) got, o.toString());
            } else {
                assertEquals(v, got, o.toString());
            }
        }
    }

    /** A switch: off by default (or on, as given), then on, then off, then back to the default. */
    private static void toggles(Fd fd, SocketOption<Boolean> o, boolean byDefault) throws NativeIoException {
        assertEquals(byDefault, get(fd, o), o + " default");
        roundTrip(fd, o, !byDefault, byDefault, !byDefault, byDefault);
    }

    /**
     * Skips the running test unless {@code present}, naming {@code feature}; {@code options} (the
     * ones the rest of the test would exercise) are then left out of the coverage check.
     */
    private static void assumeKernel(boolean present, String feature, SocketOption<?>... options) {
        if (!present) {
            for (SocketOption<?> o : options) {
                KERNEL_LACKS.add(o.name());
            }
        }
        KernelFeatures.assume(present, feature);
    }

    /** Skips the running test unless the kernel has IPv6; every IPPROTO_IPV6 option leaves the coverage check then. */
    private static void assumeIpv6() {
        assumeKernel(KernelFeatures.ipv6(), KernelFeatures.IPV6, SocketOptions.all().stream()
                .filter(o -> o.level() == SocketConstants.IPPROTO_IPV6).toArray(SocketOption<?>[]::new));
    }

    private static NativeIoException refused(Errno errno, String op, Executable call) {
        NativeIoException e = assertThrows(NativeIoException.class, call);
        assertEquals(errno.value(), e.errno(), e.getMessage());
        assertEquals(op, e.op());
        return e;
    }

    // ---- the table --------------------------------------------------------------------------------

    @Test
    @Order(1)
    void theTableIsGerbilsWithLinuxCorrections() {
        record Row(Class<?> type, boolean readable, boolean writable) {
        }
        Row bool = new Row(Boolean.class, true, true);
        Row integer = new Row(Integer.class, true, true);
        Row bytes = new Row(byte[].class, true, true);
        Map<String, Row> expected = new LinkedHashMap<>();
        expected.put("SO_ACCEPTCONN", new Row(Boolean.class, true, false));
        expected.put("SO_BINDTODEVICE", new Row(String.class, true, true));
        expected.put("SO_BROADCAST", bool);
        expected.put("SO_DEBUG", bool);
        expected.put("SO_DOMAIN", new Row(Integer.class, true, false));
        expected.put("SO_DONTROUTE", bool);
        expected.put("SO_ERROR", new Row(Integer.class, true, false));
        expected.put("SO_KEEPALIVE", bool);
        expected.put("SO_LINGER", new Row(Linger.class, true, true));
        expected.put("SO_OOBINLINE", bool);
        expected.put("SO_PASSCRED", bool);
        expected.put("SO_PEERCRED", new Row(Ucred.class, true, false));
        expected.put("SO_PEEK_OFF", integer);
        expected.put("SO_PROTOCOL", new Row(Integer.class, true, false));
        expected.put("SO_RCVBUF", integer);
        expected.put("SO_SNDBUF", integer);
        expected.put("SO_RCVLOWAT", integer);
        expected.put("SO_SNDLOWAT", integer);
        expected.put("SO_RCVTIMEO", new Row(Duration.class, true, true));
        expected.put("SO_SNDTIMEO", new Row(Duration.class, true, true));
        expected.put("SO_REUSEADDR", bool);
        expected.put("SO_REUSEPORT", bool);
        expected.put("SO_TYPE", new Row(Integer.class, true, false));
        expected.put("SO_TIMESTAMP", bool);
        Row mreq = new Row(IpMreq.class, false, true);
        Row mreqSource = new Row(IpMreqSource.class, false, true);
        expected.put("IP_ADD_MEMBERSHIP", mreq);
        expected.put("IP_DROP_MEMBERSHIP", mreq);
        expected.put("IP_ADD_SOURCE_MEMBERSHIP", mreqSource);
        expected.put("IP_DROP_SOURCE_MEMBERSHIP", mreqSource);
        expected.put("IP_BLOCK_SOURCE", mreqSource);
        expected.put("IP_UNBLOCK_SOURCE", mreqSource);
        expected.put("IP_FREEBIND", bool);
        expected.put("IP_HDRINCL", bool);
        expected.put("IP_MTU", new Row(Integer.class, true, false));
        expected.put("IP_MTU_DISCOVER", integer);
        expected.put("IP_MULTICAST_ALL", bool);
        expected.put("IP_MULTICAST_IF", mreq);
        expected.put("IP_MULTICAST_LOOP", bool);
        expected.put("IP_MULTICAST_TTL", integer);
        expected.put("IP_NODEFRAG", bool);
        expected.put("IP_OPTIONS", bytes);
        expected.put("IP_PKTINFO", bool);
        expected.put("IP_RECVERR", bool);
        expected.put("IP_RECVORIGDSTADDR", bool);
        expected.put("IP_RECVOPTS", bool);
        expected.put("IP_RECVTOS", bool);
        expected.put("IP_RECVTTL", bool);
        expected.put("IP_RETOPTS", bool);
        expected.put("IP_ROUTER_ALERT", bool);
        expected.put("IP_TOS", integer);
        expected.put("IP_TTL", integer);
        expected.put("IPV6_ADDRFORM", new Row(Integer.class, false, true));
        expected.put("IPV6_ADD_MEMBERSHIP", new Row(Ipv6Mreq.class, false, true));
        expected.put("IPV6_DROP_MEMBERSHIP", new Row(Ipv6Mreq.class, false, true));
        expected.put("IPV6_MTU", integer);
        expected.put("IPV6_MTU_DISCOVER", integer);
        expected.put("IPV6_MULTICAST_HOPS", integer);
        expected.put("IPV6_MULTICAST_IF", integer);
        expected.put("IPV6_MULTICAST_LOOP", bool);
        expected.put("IPV6_RECVPKTINFO", bool);
        expected.put("IPV6_RTHDR", bytes);
        expected.put("IPV6_AUTHHDR", integer);
        expected.put("IPV6_DSTOPTS", bytes);
        expected.put("IPV6_HOPOPTS", bytes);
        expected.put("IPV6_FLOWINFO", bool);
        expected.put("IPV6_HOPLIMIT", integer);
        expected.put("IPV6_ROUTER_ALERT", integer);
        expected.put("IPV6_UNICAST_HOPS", integer);
        expected.put("IPV6_V6ONLY", bool);
        expected.put("TCP_CONGESTION", new Row(String.class, true, true));
        expected.put("TCP_CORK", bool);
        expected.put("TCP_DEFER_ACCEPT", integer);
        expected.put("TCP_KEEPCNT", integer);
        expected.put("TCP_KEEPIDLE", integer);
        expected.put("TCP_KEEPINTVL", integer);
        expected.put("TCP_MAXSEG", integer);
        expected.put("TCP_NODELAY", bool);
        expected.put("TCP_SYNCNT", integer);

        Map<String, Row> actual = new LinkedHashMap<>();
        for (SocketOption<?> o : SocketOptions.all()) {
            actual.put(o.name(), new Row(o.type(), o.isReadable(), o.isWritable()));
        }
        assertEquals(expected, actual);
        assertEquals(77, SocketOptions.all().size());
        assertThrows(UnsupportedOperationException.class, () -> SocketOptions.all().clear());
    }

    @Test
    @Order(2)
    void names() {
        assertEquals("SO_REUSEADDR (SOL_SOCKET)", REUSEADDR.toString());
        assertEquals("IP_TTL (IPPROTO_IP)", IP_TTL.toString());
        assertEquals("IPV6_V6ONLY (IPPROTO_IPV6)", IPV6_V6ONLY.toString());
        assertEquals("TCP_NODELAY (IPPROTO_TCP)", TCP_NODELAY.toString());
        assertEquals("X (99)", SocketOption.ofInt("X", 99, 1).toString());
        assertEquals(SocketConstants.SOL_SOCKET, REUSEADDR.level());
        assertEquals(SocketConstants.SO_REUSEADDR, REUSEADDR.optname());
        assertEquals(Boolean.class, REUSEADDR.type());
    }

    // ---- SOL_SOCKET -------------------------------------------------------------------------------

    @Test
    void socketWideSwitches() throws Exception {
        try (Fd t = tcp4(); Fd u = udp4()) {
            toggles(u, BROADCAST, false);
            toggles(t, DONTROUTE, false);
            toggles(t, KEEPALIVE, false);
            toggles(t, OOBINLINE, false);
            toggles(t, REUSEADDR, false);
            toggles(t, REUSEPORT, false);
            toggles(u, TIMESTAMP, false);
        }
        Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
        try {
            toggles(pair[0], PASSCRED, false);
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void debugNeedsCapNetAdminToTurnOn() throws Exception {
        try (Fd t = tcp4()) {
            roundTrip(t, DEBUG, false);
            if (hasCapability(CAP_NET_ADMIN)) {
                roundTrip(t, DEBUG, true, false);
            } else {
                refused(Errno.EACCES, "setsockopt SO_DEBUG", () -> set(t, DEBUG, true));
            }
        }
    }

    @Test
    void bindToDevice() throws Exception {
        try (Fd u = udp4()) {
            assertEquals("", get(u, BINDTODEVICE));
            // Since Linux 5.7 an unprivileged socket may bind once; changing a binding needs CAP_NET_RAW.
            roundTrip(u, BINDTODEVICE, "lo");
            if (hasCapability(CAP_NET_RAW)) {
                roundTrip(u, BINDTODEVICE, "");
            }
            refused(Errno.ENODEV, "setsockopt SO_BINDTODEVICE", () -> set(u, BINDTODEVICE, "nosuchdev0"));
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> set(u, BINDTODEVICE, "a-name-of-16-chr"));
            assertTrue(tooLong.getMessage().contains("SO_BINDTODEVICE"), tooLong.getMessage());
            assertThrows(IllegalArgumentException.class, () -> set(u, BINDTODEVICE, "l\0o"));
        }
    }

    @Test
    void linger() throws Exception {
        try (Fd t = tcp4()) {
            assertEquals(Linger.off(), get(t, LINGER));
            roundTrip(t, LINGER, Linger.seconds(5), Linger.seconds(0), Linger.off(), Linger.seconds(120));
            // Off with a time set: the kernel keeps the time, ringio reports just "off".
            set(t, LINGER, Linger.off());
            assertFalse(get(t, LINGER).enabled());
        }
        assertThrows(IllegalArgumentException.class, () -> Linger.seconds(-1));
        assertThrows(IllegalArgumentException.class, () -> new Linger(false, 3));
        assertEquals("Linger[off]", Linger.off().toString());
        assertEquals("Linger[7 s]", Linger.seconds(7).toString());
    }

    @Test
    void timeouts() throws Exception {
        for (SocketOption<Duration> o : List.of(RCVTIMEO, SNDTIMEO)) {
            try (Fd t = tcp4()) {
                assertEquals(Duration.ZERO, get(t, o));
                roundTrip(t, o, Duration.ofMillis(1500), Duration.ofSeconds(2), Duration.ofSeconds(3600), Duration.ZERO);
                // One nanosecond is rounded up, never to "no timeout"; the kernel keeps scheduler ticks.
                set(t, o, Duration.ofNanos(1));
                Duration tick = get(t, o);
                assertTrue(tick.compareTo(Duration.ZERO) > 0 && tick.compareTo(Duration.ofMillis(10)) <= 0, tick.toString());
                IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> set(t, o, Duration.ofSeconds(-1)));
                assertTrue(neg.getMessage().contains(o.name()), neg.getMessage());
            }
        }
    }

    @Test
    void bufferSizesAreDoubledByTheKernel() throws Exception {
        try (Fd t = tcp4()) {
            // socket(7): "The kernel doubles this value (to allow space for bookkeeping overhead)".
            set(t, RCVBUF, 65536);
            assertEquals(131072, get(t, RCVBUF));
            set(t, SNDBUF, 32768);
            assertEquals(65536, get(t, SNDBUF));
        }
    }

    @Test
    void lowWaterMarks() throws Exception {
        try (Fd t = tcp4()) {
            assertEquals(1, get(t, RCVLOWAT));
            roundTrip(t, RCVLOWAT, 10, 1);
            assertEquals(1, get(t, SNDLOWAT));
            // socket(7): "SO_SNDLOWAT is not changeable on Linux (setsockopt(2) fails with the error ENOPROTOOPT)".
            refused(Errno.ENOPROTOOPT, "setsockopt SO_SNDLOWAT", () -> set(t, SNDLOWAT, 10));
        }
    }

    @Test
    void peekOffsetIsSigned() throws Exception {
        Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
        try {
            assertEquals(-1, get(pair[1], PEEK_OFF), "-1 (off) must read back as -1");
            Sockets.send(pair[0], ascii("abcdef"), NO_FLAGS);
            set(pair[1], PEEK_OFF, 0);
            ByteBuffer b = ByteBuffer.allocate(3);
            Sockets.recv(pair[1], b, Set.of(MsgFlag.PEEK));
            assertEquals("abc", text(b));
            b.clear();
            Sockets.recv(pair[1], b, Set.of(MsgFlag.PEEK));
            assertEquals("def", text(b), "each peek moves the offset on");
            assertEquals(6, get(pair[1], PEEK_OFF));
            roundTrip(pair[1], PEEK_OFF, 2, -1);
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void readOnlyOptionsReadSensibleValues() throws Exception {
        try (Fd t = tcp4(); Fd u = udp4(); Fd l = tcpListener(Domain.INET); Fd seq = Sockets.socket(Domain.UNIX, SocketType.SEQPACKET)) {
            assertFalse(get(t, ACCEPTCONN));
            assertTrue(get(l, ACCEPTCONN));
            assertEquals(SocketConstants.AF_INET, get(t, DOMAIN));
            assertEquals(SocketConstants.AF_UNIX, get(seq, DOMAIN));
            assertEquals(SocketType.STREAM.value(), get(t, TYPE));
            assertEquals(SocketType.DGRAM.value(), get(u, TYPE));
            assertEquals(SocketType.SEQPACKET.value(), get(seq, TYPE));
            assertEquals(SocketType.STREAM, Sockets.type(l));
            assertEquals(SocketConstants.IPPROTO_TCP, get(t, PROTOCOL));
            assertEquals(SocketConstants.IPPROTO_UDP, get(u, PROTOCOL));
            assertEquals(0, get(seq, PROTOCOL));
            assertEquals(0, get(t, ERROR));
            // Not a Unix connection: no peer (pid 0, uid and gid (uid_t) -1).
            assertEquals(new Ucred(0, -1, -1), get(t, PEERCRED));
        }
        Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
        try {
            Ucred me = new Ucred((int) ProcessHandle.current().pid(), NetTesting.euid(), NetTesting.egid());
            assertEquals(me, get(pair[0], PEERCRED));
            assertEquals(me, get(pair[1], PEERCRED));
        } finally {
            pair[0].close();
            pair[1].close();
        }
        assumeIpv6();
        try (Fd t6 = Sockets.socket(Domain.INET6, SocketType.STREAM)) {
            assertEquals(SocketConstants.AF_INET6, get(t6, DOMAIN));
            assertEquals(Domain.INET6, Sockets.domain(t6));
        }
    }

    @Test
    void directionIsCheckedBeforeAnySystemCall() throws Exception {
        // A closed Fd: any system call would fail with EBADF, so UnsupportedOperationException proves none was made.
        Fd closed = tcp4();
        closed.close();
        Map<Class<?>, Object> samples = Map.of(Boolean.class, true, Integer.class, 1, Ucred.class, new Ucred(1, 2, 3),
                IpMreq.class, IpMreq.of(GROUP4, LOOPBACK4), IpMreqSource.class, new IpMreqSource(GROUP4, LOOPBACK4, LOOPBACK4),
                Ipv6Mreq.class, new Ipv6Mreq(GROUP6, 1));
        int readOnly = 0;
        int writeOnly = 0;
        for (SocketOption<?> o : SocketOptions.all()) {
            if (!o.isWritable()) {
                readOnly++;
                @SuppressWarnings({"unchecked", "rawtypes"})
                Executable call = () -> Sockets.setOption(closed, (SocketOption) o, samples.get(o.type()));
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, call, o.toString());
                assertEquals("setsockopt " + o.name() + ": read-only option", e.getMessage());
            }
            if (!o.isReadable()) {
                writeOnly++;
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                        () -> Sockets.getOption(closed, o), o.toString());
                assertEquals("getsockopt " + o.name() + ": write-only option", e.getMessage());
            }
        }
        assertEquals(7, readOnly);
        assertEquals(10, writeOnly);
        // The same options on the closed Fd in their allowed direction do reach the (EBADF) check.
        refused(Errno.EBADF, "getsockopt SO_TYPE", () -> Sockets.getOption(closed, TYPE));
        refused(Errno.EBADF, "setsockopt IP_ADD_MEMBERSHIP", () -> Sockets.setOption(closed, IP_ADD_MEMBERSHIP, IpMreq.of(GROUP4, LOOPBACK4)));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aValueOfTheWrongTypeIsIllegal() throws Exception {
        Fd closed = tcp4();
        closed.close();
        SocketOption raw = REUSEADDR;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sockets.setOption(closed, raw, 1));
        assertTrue(e.getMessage().contains("SO_REUSEADDR") && e.getMessage().contains("java.lang.Boolean")
                && e.getMessage().contains("java.lang.Integer"), e.getMessage());
        SocketOption rawBytes = IP_OPTIONS;
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> Sockets.setOption(closed, rawBytes, "x"));
        assertTrue(b.getMessage().contains("IP_OPTIONS") && b.getMessage().contains("byte[]"), b.getMessage());
        SocketOption rawLinger = LINGER;
        assertThrows(IllegalArgumentException.class, () -> Sockets.setOption(closed, rawLinger, 5));
        NullPointerException n = assertThrows(NullPointerException.class, () -> Sockets.setOption(closed, TCP_NODELAY, null));
        assertTrue(n.getMessage().contains("TCP_NODELAY"), n.getMessage());
    }

    @Test
    void unknownOptionsAreEnoprotoopt() throws Exception {
        SocketOption<Integer> bogus = SocketOption.ofInt("SO_BOGUS", SocketConstants.SOL_SOCKET, 9999);
        SocketOption<Boolean> bogusTcp = SocketOption.ofBoolean("TCP_BOGUS", SocketConstants.IPPROTO_TCP, 999);
        SocketOption<byte[]> bogusIp = SocketOption.ofBytes("IP_BOGUS", SocketConstants.IPPROTO_IP, 999, 16);
        try (Fd t = tcp4()) {
            refused(Errno.ENOPROTOOPT, "getsockopt SO_BOGUS", () -> Sockets.getOption(t, bogus));
            refused(Errno.ENOPROTOOPT, "setsockopt SO_BOGUS", () -> Sockets.setOption(t, bogus, 1));
            refused(Errno.ENOPROTOOPT, "getsockopt TCP_BOGUS", () -> Sockets.getOption(t, bogusTcp));
            refused(Errno.ENOPROTOOPT, "setsockopt IP_BOGUS", () -> Sockets.setOption(t, bogusIp, new byte[4]));
            // A real option made by hand works like the table's.
            SocketOption<Integer> ttl = SocketOption.ofInt("IP_TTL", SocketConstants.IPPROTO_IP, SocketConstants.IP_TTL);
            Sockets.setOption(t, ttl, 33);
            assertEquals(33, Sockets.getOption(t, IP_TTL));
        }
        try (Fd u = udp4()) {
            // An option of another protocol's level: TCP options on a UDP socket.
            refused(Errno.EOPNOTSUPP, "getsockopt TCP_NODELAY", () -> get(u, TCP_NODELAY));
        }
    }

    // ---- IPPROTO_IP -------------------------------------------------------------------------------

    @Test
    void ipSwitches() throws Exception {
        try (Fd u = udp4()) {
            toggles(u, IP_FREEBIND, false);
            toggles(u, IP_MULTICAST_ALL, true);
            toggles(u, IP_MULTICAST_LOOP, true);
            toggles(u, IP_PKTINFO, false);
            toggles(u, IP_RECVERR, false);
            toggles(u, IP_RECVORIGDSTADDR, false);
            toggles(u, IP_RECVOPTS, false);
            toggles(u, IP_RECVTOS, false);
            toggles(u, IP_RECVTTL, false);
            toggles(u, IP_RETOPTS, false);
        }
    }

    @Test
    void ipNumbers() throws Exception {
        try (Fd u = udp4()) {
            assertEquals(64, get(u, IP_TTL));
            roundTrip(u, IP_TTL, 42, 255, 1);
            refused(Errno.EINVAL, "setsockopt IP_TTL", () -> set(u, IP_TTL, 256));
            assertEquals(1, get(u, IP_MULTICAST_TTL));
            roundTrip(u, IP_MULTICAST_TTL, 5, 0);
            roundTrip(u, IP_TOS, SocketConstants.IPTOS_LOWDELAY, SocketConstants.IPTOS_THROUGHPUT, 0);
            roundTrip(u, IP_MTU_DISCOVER, SocketConstants.IP_PMTUDISC_DO, SocketConstants.IP_PMTUDISC_DONT,
                    SocketConstants.IP_PMTUDISC_PROBE, SocketConstants.IP_PMTUDISC_WANT);
        }
    }

    @Test
    void ipMtuNeedsAConnectedSocket() throws Exception {
        try (Fd u = udp4()) {
            refused(Errno.ENOTCONN, "getsockopt IP_MTU", () -> get(u, IP_MTU));
            Sockets.connect(u, Ipv4SockAddr.loopback(9));
            // IPv4 caps a route's MTU at IP_MAX_MTU (65535); loopback's may be 65536.
            assertEquals(Math.min(loopbackMtu(), 65535), get(u, IP_MTU));
        }
    }

    @Test
    void ipOptions() throws Exception {
        try (Fd u = udp4()) {
            assertArrayEquals(new byte[0], get(u, IP_OPTIONS));
            roundTrip(u, IP_OPTIONS, new byte[] {1, 1, 1, 0}, new byte[] {68, 4, 5, 0}, new byte[0]);
            // The kernel pads the options to a multiple of 4 bytes with EOL.
            set(u, IP_OPTIONS, new byte[] {1, 1, 1});
            assertArrayEquals(new byte[] {1, 1, 1, 0}, get(u, IP_OPTIONS));
            // A record-route option whose pointer is below 4 is malformed (RFC 791).
            refused(Errno.EINVAL, "setsockopt IP_OPTIONS", () -> set(u, IP_OPTIONS, new byte[] {7, 3, 0, 0}));
        }
    }

    @Test
    void rawSocketOnlyIpOptions() throws Exception {
        try (Fd u = udp4()) {
            assertFalse(get(u, IP_HDRINCL));
            assertFalse(get(u, IP_NODEFRAG));
            assertFalse(get(u, IP_ROUTER_ALERT));
            // raw(7): IP_HDRINCL and IP_NODEFRAG belong to raw sockets; ip(7): IP_ROUTER_ALERT "only for raw sockets".
            refused(Errno.ENOPROTOOPT, "setsockopt IP_HDRINCL", () -> set(u, IP_HDRINCL, true));
            refused(Errno.ENOPROTOOPT, "setsockopt IP_NODEFRAG", () -> set(u, IP_NODEFRAG, true));
            refused(Errno.EINVAL, "setsockopt IP_ROUTER_ALERT", () -> set(u, IP_ROUTER_ALERT, true));
        }
        assumeTrue(hasCapability(CAP_NET_RAW), "raw sockets need CAP_NET_RAW");
        try (Fd raw = Sockets.socket(Domain.INET, EnumSet.of(SocketType.RAW), Protocol.ICMP)) {
            toggles(raw, IP_HDRINCL, false);
            toggles(raw, IP_NODEFRAG, false);
            toggles(raw, IP_ROUTER_ALERT, false);
            assertEquals(Protocol.ICMP, Sockets.protocol(raw));
            assertEquals(SocketType.RAW, Sockets.type(raw));
        }
    }

    @Test
    void ipv4MulticastOnLoopback() throws Exception {
        try (Fd rx = udp4(); Fd tx = udp4(); Fd tcp = tcp4()) {
            Sockets.bind(rx, Ipv4SockAddr.any(0));
            int port = ((Ipv4SockAddr) Sockets.getsockname(rx)).port();
            Ipv4SockAddr group = new Ipv4SockAddr(GROUP4.getAddress(), port);
            set(rx, RCVTIMEO, Duration.ofMillis(300));

            set(rx, IP_ADD_MEMBERSHIP, IpMreq.of(GROUP4, LOOPBACK4));
            set(tx, IP_MULTICAST_IF, IpMreq.ofInterface(LOOPBACK4));
            assertEquals("one", multicast(tx, rx, group, "one"));

            set(rx, IP_BLOCK_SOURCE, new IpMreqSource(GROUP4, LOOPBACK4, LOOPBACK4));
            assertNull(multicast(tx, rx, group, "blocked"));
            set(rx, IP_UNBLOCK_SOURCE, new IpMreqSource(GROUP4, LOOPBACK4, LOOPBACK4));
            assertEquals("two", multicast(tx, rx, group, "two"));

            // Leave by interface index (ip_mreqn); leaving again: ip(7) EADDRNOTAVAIL.
            set(rx, IP_DROP_MEMBERSHIP, IpMreq.ofIndex(GROUP4, loopbackIndex()));
            refused(Errno.EADDRNOTAVAIL, "setsockopt IP_DROP_MEMBERSHIP", () -> set(rx, IP_DROP_MEMBERSHIP, IpMreq.of(GROUP4, LOOPBACK4)));
            assertNull(multicast(tx, rx, group, "not a member"));

            // Source-specific membership.
            set(rx, IP_ADD_SOURCE_MEMBERSHIP, new IpMreqSource(GROUP4, LOOPBACK4, LOOPBACK4));
            assertEquals("three", multicast(tx, rx, group, "three"));
            set(rx, IP_DROP_SOURCE_MEMBERSHIP, new IpMreqSource(GROUP4, LOOPBACK4, LOOPBACK4));
            assertNull(multicast(tx, rx, group, "dropped"));

            // Joining, and choosing the sending interface, by index (ip_mreqn) work too.
            set(tx, IP_MULTICAST_IF, IpMreq.ofInterfaceIndex(loopbackIndex()));
            set(rx, IP_ADD_MEMBERSHIP, IpMreq.ofIndex(GROUP4, loopbackIndex()));
            assertEquals("four", multicast(tx, rx, group, "four"));
            set(rx, IP_DROP_MEMBERSHIP, IpMreq.of(GROUP4, LOOPBACK4));

            // Multicast is for datagram sockets: the kernel refuses IP_MULTICAST_IF on a stream socket.
            refused(Errno.EINVAL, "setsockopt IP_MULTICAST_IF", () -> set(tcp, IP_MULTICAST_IF, IpMreq.ofInterface(LOOPBACK4)));
        }
    }

    /** Sends {@code text} to the group and returns what {@code rx} received, or null when nothing came within RCVTIMEO. */
    private static String multicast(Fd tx, Fd rx, SockAddr group, String text) throws NativeIoException {
        Sockets.sendto(tx, ascii(text), NO_FLAGS, group);
        ByteBuffer in = ByteBuffer.allocate(64);
        try {
            Received r = Sockets.recvfrom(rx, in, NO_FLAGS);
            assertEquals(Ipv4SockAddr.class, r.from().getClass());
            return text(in);
        } catch (NativeIoException e) {
            assertTrue(e.is(Errno.EAGAIN), e.getMessage());
            return null;
        }
    }

    // ---- IPPROTO_IPV6 -----------------------------------------------------------------------------

    @Test
    void ipv6Switches() throws Exception {
        assumeIpv6();
        try (Fd u = udp6()) {
            toggles(u, IPV6_MULTICAST_LOOP, true);
            toggles(u, IPV6_RECVPKTINFO, false);
            toggles(u, IPV6_FLOWINFO, false);
            toggles(u, IPV6_V6ONLY, false); // net.ipv6.bindv6only is 0 by default
        }
    }

    @Test
    void ipv6Numbers() throws Exception {
        assumeIpv6();
        try (Fd u = udp6()) {
            roundTrip(u, IPV6_UNICAST_HOPS, 42, 255);
            roundTrip(u, IPV6_MULTICAST_HOPS, 5, 0);
            roundTrip(u, IPV6_MULTICAST_IF, loopbackIndex(), 0);
            roundTrip(u, IPV6_MTU_DISCOVER, SocketConstants.IP_PMTUDISC_DO, SocketConstants.IP_PMTUDISC_DONT);
            // ipv6(7): -1 means the route's default (64 for unicast, 1 for multicast).
            set(u, IPV6_UNICAST_HOPS, -1);
            assertEquals(64, get(u, IPV6_UNICAST_HOPS));
            set(u, IPV6_MULTICAST_HOPS, -1);
            assertEquals(1, get(u, IPV6_MULTICAST_HOPS));
            refused(Errno.EINVAL, "setsockopt IPV6_UNICAST_HOPS", () -> set(u, IPV6_UNICAST_HOPS, 256));
        }
    }

    @Test
    void ipv6Mtu() throws Exception {
        assumeIpv6();
        try (Fd u = udp6()) {
            refused(Errno.ENOTCONN, "getsockopt IPV6_MTU", () -> get(u, IPV6_MTU));
            set(u, IPV6_MTU, 1280);
            // Below IPv6's minimum MTU (RFC 8200: 1280).
            refused(Errno.EINVAL, "setsockopt IPV6_MTU", () -> set(u, IPV6_MTU, 1000));
            KernelFeatures.assumeIpv6Loopback();
            Sockets.connect(u, Ipv6SockAddr.loopback(9));
            assertEquals(loopbackMtu(), get(u, IPV6_MTU), "read: the path MTU");
        }
    }

    @Test
    void ipv6AddrformTurnsAMappedSocketIntoIpv4() throws Exception {
        assumeIpv6();
        // Kernels may be built without IPV6_ADDRFORM (ENOPROTOOPT); where it exists, an unconnected socket gets ENOTCONN.
        assumeKernel(KernelFeatures.socketOption(Domain.INET6, SocketType.DGRAM, IPV6_ADDRFORM, SocketConstants.AF_INET),
                "socket option IPV6_ADDRFORM", IPV6_ADDRFORM);
        try (Fd u = udp6()) {
            refused(Errno.ENOTCONN, "setsockopt IPV6_ADDRFORM", () -> set(u, IPV6_ADDRFORM, SocketConstants.AF_INET));
            Sockets.connect(u, SockAddr.parse("[::ffff:127.0.0.1]:9"));
            set(u, IPV6_ADDRFORM, SocketConstants.AF_INET);
            assertEquals(Domain.INET, Sockets.domain(u));
            assertEquals(Ipv4SockAddr.loopback(9), Sockets.getpeername(u));
        }
    }

    @Test
    void ipv6V6onlyDecidesWhetherIpv4ClientsGetThrough() throws Exception {
        assumeIpv6();
        for (boolean v6only : new boolean[] {false, true}) {
            try (Fd l = Sockets.socket(Domain.INET6, SocketType.STREAM); Fd c = tcp4()) {
                set(l, IPV6_V6ONLY, v6only);
                Sockets.bind(l, Ipv6SockAddr.any(0));
                Sockets.listen(l);
                int port = ((Ipv6SockAddr) Sockets.getsockname(l)).port();
                if (v6only) {
                    refused(Errno.ECONNREFUSED, "connect 127.0.0.1:" + port, () -> Sockets.connect(c, Ipv4SockAddr.loopback(port)));
                } else {
                    Sockets.connect(c, Ipv4SockAddr.loopback(port));
                    try (Accepted a = Sockets.accept(l)) {
                        Ipv6SockAddr peer = (Ipv6SockAddr) a.peer();
                        assertTrue(peer.isV4Mapped());
                        assertEquals("[::ffff:127.0.0.1]:" + ((Ipv4SockAddr) Sockets.getsockname(c)).port(), peer.toString());
                    }
                }
            }
        }
    }

    @Test
    void ipv6MulticastMembership() throws Exception {
        assumeIpv6();
        try (Fd u = udp6()) {
            Sockets.bind(u, Ipv6SockAddr.any(0));
            set(u, IPV6_ADD_MEMBERSHIP, new Ipv6Mreq(GROUP6, loopbackIndex()));
            set(u, IPV6_DROP_MEMBERSHIP, new Ipv6Mreq(GROUP6, loopbackIndex()));
            refused(Errno.EADDRNOTAVAIL, "setsockopt IPV6_DROP_MEMBERSHIP",
                    () -> set(u, IPV6_DROP_MEMBERSHIP, new Ipv6Mreq(GROUP6, loopbackIndex())));
        }
    }

    @Test
    void ipv6StickyExtensionHeaders() throws Exception {
        assumeIpv6();
        // A destination/hop-by-hop options header: next header 0, length 0 (8 bytes), one PadN of 4.
        byte[] padN = {0, 0, 1, 4, 0, 0, 0, 0};
        try (Fd u = udp6()) {
            for (SocketOption<byte[]> o : List.of(IPV6_DSTOPTS, IPV6_HOPOPTS)) {
                assertArrayEquals(new byte[0], get(u, o));
                if (hasCapability(CAP_NET_RAW)) {
                    roundTrip(u, o, padN, new byte[0]);
                } else {
                    refused(Errno.EPERM, "setsockopt " + o.name(), () -> set(u, o, padN));
                }
                // Not a whole number of 8-byte units.
                refused(Errno.EINVAL, "setsockopt " + o.name(), () -> set(u, o, Arrays.copyOf(padN, 6)));
            }
            assertArrayEquals(new byte[0], get(u, IPV6_RTHDR));
            roundTrip(u, IPV6_RTHDR, new byte[0]);
            // A type 0 routing header: deprecated by RFC 5095, refused by Linux.
            byte[] type0 = new byte[24];
            type0[1] = 2;
            type0[3] = 1;
            refused(Errno.EINVAL, "setsockopt IPV6_RTHDR", () -> set(u, IPV6_RTHDR, type0));
        }
    }

    @Test
    void ipv6OptionsLinuxDoesNotImplement() throws Exception {
        assumeIpv6();
        try (Fd u = udp6()) {
            // IPV6_AUTHHDR is a number in the headers only; IPV6_HOPLIMIT is a control-message type
            // (the switch is IPV6_RECVHOPLIMIT). Linux answers both with ENOPROTOOPT.
            refused(Errno.ENOPROTOOPT, "getsockopt IPV6_AUTHHDR", () -> get(u, IPV6_AUTHHDR));
            refused(Errno.ENOPROTOOPT, "setsockopt IPV6_AUTHHDR", () -> set(u, IPV6_AUTHHDR, 1));
            refused(Errno.ENOPROTOOPT, "getsockopt IPV6_HOPLIMIT", () -> get(u, IPV6_HOPLIMIT));
            refused(Errno.ENOPROTOOPT, "setsockopt IPV6_HOPLIMIT", () -> set(u, IPV6_HOPLIMIT, 1));
        }
    }

    @Test
    void ipv6RouterAlertIsForRawSockets() throws Exception {
        assumeIpv6();
        try (Fd u = udp6()) {
            assertEquals(0, get(u, IPV6_ROUTER_ALERT));
            // Router-alert packets go to IPPROTO_RAW raw sockets only (net/ipv6/ipv6_sockglue.c).
            refused(Errno.ENOPROTOOPT, "setsockopt IPV6_ROUTER_ALERT", () -> set(u, IPV6_ROUTER_ALERT, 1));
        }
        assumeTrue(hasCapability(CAP_NET_RAW), "raw sockets need CAP_NET_RAW");
        try (Fd raw = Sockets.socket(Domain.INET6, EnumSet.of(SocketType.RAW), Protocol.RAW)) {
            roundTrip(raw, IPV6_ROUTER_ALERT, 1);
        }
    }

    // ---- IPPROTO_TCP ------------------------------------------------------------------------------

    @Test
    void tcpSwitches() throws Exception {
        try (Fd t = tcp4()) {
            toggles(t, TCP_NODELAY, false);
            toggles(t, TCP_CORK, false);
        }
        assumeIpv6();
        try (Fd t6 = Sockets.socket(Domain.INET6, SocketType.STREAM)) {
            toggles(t6, TCP_NODELAY, false);
        }
    }

    @Test
    void tcpNumbers() throws Exception {
        try (Fd t = tcp4()) {
            roundTrip(t, TCP_KEEPCNT, 4, 9);
            roundTrip(t, TCP_KEEPIDLE, 30, 7200);
            roundTrip(t, TCP_KEEPINTVL, 5, 75);
            roundTrip(t, TCP_SYNCNT, 3, 6);
            roundTrip(t, TCP_MAXSEG, 1000);
            // tcp(7): seconds, kept as a number of SYN-ACK retransmissions; 3 s is exactly 2 of them.
            roundTrip(t, TCP_DEFER_ACCEPT, 3, 0);
            // tcp(7): TCP_KEEPIDLE 1..32767, TCP_SYNCNT 1..255.
            refused(Errno.EINVAL, "setsockopt TCP_KEEPIDLE", () -> set(t, TCP_KEEPIDLE, 0));
            refused(Errno.EINVAL, "setsockopt TCP_SYNCNT", () -> set(t, TCP_SYNCNT, 0));
        }
    }

    @Test
    void tcpCongestionControl() throws Exception {
        try (Fd t = tcp4()) {
            String current = get(t, TCP_CONGESTION);
            assertFalse(current.isEmpty());
            // Reno is always built in; CUBIC (Linux's default) may be left out of a kernel or its modules.
            roundTrip(t, TCP_CONGESTION, "reno", current);
            refused(Errno.ENOENT, "setsockopt TCP_CONGESTION", () -> set(t, TCP_CONGESTION, "no-such-cc"));
            assertThrows(IllegalArgumentException.class, () -> set(t, TCP_CONGESTION, "sixteen-chars-xx"));
            assertEquals(current, get(t, TCP_CONGESTION));
            KernelFeatures.assume(KernelFeatures.tcpCongestionControl("cubic"), "TCP congestion control cubic");
            roundTrip(t, TCP_CONGESTION, "cubic", "reno", current);
        }
    }

    // ---- coverage ---------------------------------------------------------------------------------

    @Test
    @Order(Integer.MAX_VALUE)
    void everyOptionWasExercised() {
        long tests = Arrays.stream(SocketOptionsTest.class.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class)).count();
        assumeTrue(TESTS_RUN.get() == tests - 1, "only when the whole class runs");
        List<String> missed = SocketOptions.all().stream().map(SocketOption::name)
                .filter(n -> !EXERCISED.contains(n) && !KERNEL_LACKS.contains(n)).toList();
        assertEquals(List.of(), missed, "options no test set or got");
    }
}
