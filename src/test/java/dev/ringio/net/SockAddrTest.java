package dev.ringio.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.net.NetTesting.loopbackIndex;
import static org.junit.jupiter.api.Assertions.*;

/** Socket addresses as text (parse, toString), as java.net objects, and as kernel structs. */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class SockAddrTest {

    private static Ipv6SockAddr v6(String literal, int port, int scope) {
        return new Ipv6SockAddr(InetAddress.ofLiteral(literal).getAddress(), port, 0, scope);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** Sixteen address bytes from eight 16-bit groups. */
    private static byte[] groups(int... g) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (g[i] >>> 8);
            b[2 * i + 1] = (byte) g[i];
        }
        return b;
    }

    // ---- toString -----------------------------------------------------------------------------

    @Test
    void ipv4ToString() {
        assertEquals("1.2.3.4:80", new Ipv4SockAddr(bytes(1, 2, 3, 4), 80).toString());
        assertEquals("0.0.0.0:0", Ipv4SockAddr.any(0).toString());
        assertEquals("127.0.0.1:8080", Ipv4SockAddr.loopback(8080).toString());
        assertEquals("255.255.255.255:65535", new Ipv4SockAddr(bytes(255, 255, 255, 255), 65535).toString());
        assertEquals("10.0.200.1:1", new Ipv4SockAddr(bytes(10, 0, 200, 1), 1).toString());
    }

    @Test
    void ipv6ToStringIsRfc5952() {
        assertEquals("[::1]:80", Ipv6SockAddr.loopback(80).toString());
        assertEquals("[::]:0", Ipv6SockAddr.any(0).toString());
        assertEquals("[2001:db8::1]:443", new Ipv6SockAddr(groups(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 443, 0, 0).toString());
        assertEquals("[fe80::1%2]:80", new Ipv6SockAddr(groups(0xfe80, 0, 0, 0, 0, 0, 0, 1), 80, 0, 2).toString());
        // The longest run of zeros is compressed; of equal runs, the first.
        assertEquals("[1:0:0:1::1]:1", new Ipv6SockAddr(groups(1, 0, 0, 1, 0, 0, 0, 1), 1, 0, 0).toString());
        assertEquals("[1::2:0:0:3:4]:1", new Ipv6SockAddr(groups(1, 0, 0, 2, 0, 0, 3, 4), 1, 0, 0).toString());
        // A single zero group is not compressed.
        assertEquals("[1:0:2:3:4:5:6:7]:1", new Ipv6SockAddr(groups(1, 0, 2, 3, 4, 5, 6, 7), 1, 0, 0).toString());
        assertEquals("[0:2:3:4:5:6:7:8]:1", new Ipv6SockAddr(groups(0, 2, 3, 4, 5, 6, 7, 8), 1, 0, 0).toString());
        assertEquals("[2001:db8::]:1", new Ipv6SockAddr(groups(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 1, 0, 0).toString());
        assertEquals("[::2:3:4:5:6:7]:1", new Ipv6SockAddr(groups(0, 0, 2, 3, 4, 5, 6, 7), 1, 0, 0).toString());
        // Lower-case hex, no leading zeros in a group.
        assertEquals("[abcd:ef:1::a]:9", new Ipv6SockAddr(groups(0xabcd, 0x00ef, 1, 0, 0, 0, 0, 0xa), 9, 0, 0).toString());
        // IPv4 forms: v4-mapped in mixed notation (RFC 5952 section 5); the deprecated v4-compatible as hex.
        assertEquals("[::ffff:1.2.3.4]:80", new Ipv6SockAddr(groups(0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304), 80, 0, 0).toString());
        assertEquals("[::102:304]:80", new Ipv6SockAddr(groups(0, 0, 0, 0, 0, 0, 0x0102, 0x0304), 80, 0, 0).toString());
        assertEquals("[ffff::]:1", new Ipv6SockAddr(groups(0xffff, 0, 0, 0, 0, 0, 0, 0), 1, 0, 0).toString());
    }

    @Test
    void unixToString() {
        assertEquals("/run/app.sock", UnixSockAddr.ofPath("/run/app.sock").toString());
        assertEquals("@ringio", UnixSockAddr.ofAbstract("ringio").toString());
        assertEquals("(unnamed)", UnixSockAddr.UNNAMED.toString());
    }

    /**
     * A Unix socket path or abstract name is encoded by the rule every path operation uses: an
     * unpaired surrogate is refused naming the problem (before: silently '?', so a bind could
     * create a socket file of another name), an escaped undecodable byte becomes that byte.
     */
    @Test
    void unixNamesWithAnUnpairedSurrogateAreRefusedNotTurnedIntoQuestionMarks() {
        for (String bad : List.of("/tmp/a\uD800", "/tmp/\uDBFFb", "/tmp/a\uDC00", "\uDFFF")) {
            java.nio.file.InvalidPathException e = assertThrows(java.nio.file.InvalidPathException.class,
                    () -> UnixSockAddr.ofPath(bad));
            assertTrue(e.getMessage().startsWith("Unix socket path: unpaired surrogate U+"), e.getMessage());
            e = assertThrows(java.nio.file.InvalidPathException.class, () -> UnixSockAddr.ofAbstract(bad));
            assertTrue(e.getMessage().startsWith("abstract Unix socket name: unpaired surrogate U+"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> UnixSockAddr.ofPath("/tmp/a\0b"));
        assertArrayEquals(new byte[] {'a', 0, 'b'}, UnixSockAddr.ofAbstract("a\0b").name());
        assertArrayEquals(new byte[] {0, 'x', 0}, UnixSockAddr.ofAbstract("\0x\0").name());
        String emoji = "/tmp/\uD83D\uDE00.sock"; // a surrogate pair is one code point, encoded whole
        assertArrayEquals(emoji.getBytes(java.nio.charset.StandardCharsets.UTF_8), UnixSockAddr.ofPath(emoji).name());
        // The escape a directory listing gives a byte that is not UTF-8 stands for that byte.
        assertArrayEquals(new byte[] {'/', 's', (byte) 0xff}, UnixSockAddr.ofPath("/s\uDCFF").name());
    }

    // ---- parse --------------------------------------------------------------------------------

    @Test
    void parsesEveryForm() {
        assertEquals(new Ipv4SockAddr(bytes(1, 2, 3, 4), 80), SockAddr.parse("1.2.3.4:80"));
        assertEquals(Ipv4SockAddr.any(80), SockAddr.parse(":80"));
        assertEquals(Ipv6SockAddr.loopback(80), SockAddr.parse("[::1]:80"));
        assertEquals(Ipv6SockAddr.any(0), SockAddr.parse("[::]:0"));
        assertEquals(v6("fe80::1", 80, 2), SockAddr.parse("[fe80::1%2]:80"));
        assertEquals(UnixSockAddr.ofPath("/tmp/x.sock"), SockAddr.parse("/tmp/x.sock"));
        assertEquals(UnixSockAddr.ofAbstract("name"), SockAddr.parse("@name"));
        assertEquals(new Ipv6SockAddr(groups(0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304), 80, 0, 0), SockAddr.parse("[::ffff:1.2.3.4]:80"));
        assertEquals(new Ipv6SockAddr(groups(1, 2, 3, 4, 5, 6, 0x0102, 0x0304), 1, 0, 0), SockAddr.parse("[1:2:3:4:5:6:1.2.3.4]:1"));
        assertEquals(new Ipv6SockAddr(groups(1, 2, 3, 4, 5, 6, 7, 0), 1, 0, 0), SockAddr.parse("[1:2:3:4:5:6:7::]:1"));
        assertEquals(new Ipv6SockAddr(groups(0, 2, 3, 4, 5, 6, 7, 8), 1, 0, 0), SockAddr.parse("[::2:3:4:5:6:7:8]:1"));
        assertEquals(new Ipv6SockAddr(groups(0xabcd, 0, 0, 0, 0, 0, 0, 0xef), 1, 0, 0), SockAddr.parse("[ABCD::EF]:1"));
        assertEquals(new Ipv6SockAddr(groups(1, 2, 3, 4, 5, 6, 7, 8), 65535, 0, 0), SockAddr.parse("[0001:2:3:4:5:6:7:8]:65535"));
        assertEquals(Ipv4SockAddr.any(0), SockAddr.parse("0.0.0.0:0"));
        // A zone by interface name is looked up in sysfs, which a machine may not mount.
        KernelFeatures.assume(KernelFeatures.file("/sys/class/net/lo/ifindex"), "sysfs /sys/class/net (interface names in scopes)");
        assertEquals(v6("fe80::1", 80, loopbackIndex()), SockAddr.parse("[fe80::1%lo]:80"));
    }

    @Test
    void parseReadsWhatToStringWrites() {
        List<SockAddr> all = List.of(new Ipv4SockAddr(bytes(192, 0, 2, 7), 443), Ipv4SockAddr.any(1), Ipv6SockAddr.loopback(2),
                Ipv6SockAddr.any(3), v6("2001:db8::1:0:0:1", 4, 0), v6("fe80::abcd", 5, 7), v6("1:0:0:2:0:0:3:4", 6, 0),
                new Ipv6SockAddr(groups(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1), 7, 0, 0), new Ipv6SockAddr(groups(0xffff, 0xffff,
                        0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff), 65535, 0, -1),
                UnixSockAddr.ofPath("/a/b"), UnixSockAddr.ofAbstract("x y"));
        for (SockAddr a : all) {
            assertEquals(a, SockAddr.parse(a.toString()), a.toString());
        }
    }

    @Test
    void resolvesHostNames() {
        SockAddr first = SockAddr.parse("localhost:8080");
        assertTrue(first.equals(Ipv4SockAddr.loopback(8080)) || first.equals(Ipv6SockAddr.loopback(8080)), first.toString());
        List<SockAddr> all = SockAddr.resolveAll("localhost:8080");
        assertFalse(all.isEmpty());
        assertEquals(first, all.getFirst());
        assertEquals(all.size(), new HashSet<>(all).size(), "no duplicates");
        for (SockAddr a : all) {
            assertTrue(a.equals(Ipv4SockAddr.loopback(8080)) || a.equals(Ipv6SockAddr.loopback(8080)), a.toString());
        }
        assertEquals(List.of(Ipv4SockAddr.loopback(1)), SockAddr.resolveAll("127.0.0.1:1"));
        assertEquals(List.of(UnixSockAddr.ofAbstract("n")), SockAddr.resolveAll("@n"));
    }

    @Test
    void badStringsSayWhatIsWrong() {
        String[][] cases = {
            {"", "empty address"},
            {"1.2.3.4", "missing port"},
            {"localhost", "missing port"},
            {"1.2.3.4:", "missing port number"},
            {"1.2.3.4:65536", "outside 0..65535"},
            {"1.2.3.4:123456", "outside 0..65535"},
            {"1.2.3.4:-1", "not a number"},
            {"1.2.3.4:8o", "not a number"},
            {"256.1.1.1:80", "over 255"},
            {"1.2.3:80", "needs 4 dotted numbers"},
            {"1.2.3.4.5:80", "needs 4 dotted numbers"},
            {"1..3.4:80", "bad IPv4 address"},
            {"01.2.3.4:80", "leading zero"},
            {"::1:80", "needs brackets"},
            {"[::1]80", "missing :port"},
            {"[::1", "no ']'"},
            {"[::1]:", "missing port number"},
            {"[1::2::3]:80", "more than one \"::\""},
            {"[1:2:3:4:5:6:7:8:9]:80", "9 groups, not 8"},
            {"[1:2:3:4:5:6:7]:80", "7 groups, not 8"},
            {"[1:2:3:4::5:6:7:8]:80", "too many groups"},
            {"[12345::]:80", "bad group"},
            {"[g::]:80", "not a hex digit"},
            {"[:1::]:80", "bad group"},
            {"[1.2.3.4::]:80", "IPv4 part may only end"},
            {"[::1.2.3]:80", "needs 4 dotted numbers"},
            {"[]:80", "empty IPv6 address"},
            {"[::1%]:80", "empty scope"},
            {"[fe80::1%nosuchif0]:80", "no network interface \"nosuchif0\""},
            {"[fe80::1%../x]:80", "not an interface name"},
            {"[fe80::1%99999999999]:80", "too large"},
            {"@", "empty abstract name"},
            {"bad host!:80", "not allowed in a host name"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SockAddr.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), "\"" + c[0] + "\": " + e.getMessage());
            assertTrue(e.getMessage().contains("\"" + c[0] + "\""), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> SockAddr.parse(null));
    }

    @Test
    void anUnknownHostIsAnIllegalArgumentCausedByTheResolver() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SockAddr.parse("no-such-host.invalid:80"));
        ResolverException cause = assertInstanceOf(ResolverException.class, e.getCause());
        assertTrue(cause.eaiName().equals("EAI_NONAME") || cause.eaiName().equals("EAI_AGAIN"), cause.getMessage());
        assertTrue(e.getMessage().contains(cause.eaiName()), e.getMessage());
    }

    // ---- java.net -----------------------------------------------------------------------------

    @Test
    void toAndFromJavaNet() throws Exception {
        InetSocketAddress j4 = new InetSocketAddress(InetAddress.ofLiteral("192.0.2.1"), 80);
        assertEquals(new Ipv4SockAddr(bytes(192, 0, 2, 1), 80), SockAddr.of(j4));
        assertEquals(j4, SockAddr.of(j4).toJava());

        Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.ofLiteral("fe80::1").getAddress(), 3);
        InetSocketAddress j6 = new InetSocketAddress(scoped, 443);
        SockAddr s6 = SockAddr.of(j6);
        assertEquals(v6("fe80::1", 443, 3), s6);
        InetSocketAddress back = (InetSocketAddress) s6.toJava();
        assertEquals(443, back.getPort());
        assertEquals(3, ((Inet6Address) back.getAddress()).getScopeId());
        assertArrayEquals(scoped.getAddress(), back.getAddress().getAddress());

        // A v4-mapped address stays IPv6 on the way out (java.net would otherwise turn it into IPv4).
        Ipv6SockAddr mapped = (Ipv6SockAddr) SockAddr.parse("[::ffff:10.0.0.1]:5");
        assertInstanceOf(Inet6Address.class, mapped.toJava().getAddress());

        UnixDomainSocketAddress ju = UnixDomainSocketAddress.of("/tmp/ringio.sock");
        assertEquals(UnixSockAddr.ofPath("/tmp/ringio.sock"), SockAddr.of(ju));
        assertEquals(ju, SockAddr.of(ju).toJava());
        assertEquals(UnixSockAddr.UNNAMED, SockAddr.of(UnixDomainSocketAddress.of("")));
        assertEquals(UnixDomainSocketAddress.of(""), UnixSockAddr.UNNAMED.toJava());

        assertThrows(UnsupportedOperationException.class, () -> UnixSockAddr.ofAbstract("a").toJava());
        IllegalArgumentException unresolved = assertThrows(IllegalArgumentException.class,
                () -> SockAddr.of(InetSocketAddress.createUnresolved("example.com", 80)));
        assertTrue(unresolved.getMessage().contains("unresolved"), unresolved.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SockAddr.of(new SocketAddress() {
        }));
    }

    @Test
    void withPort() {
        assertEquals(Ipv4SockAddr.loopback(9), Ipv4SockAddr.loopback(1).withPort(9));
        assertEquals(v6("fe80::1", 9, 4), v6("fe80::1", 1, 4).withPort(9));
        assertThrows(IllegalArgumentException.class, () -> Ipv4SockAddr.any(0).withPort(70000));
    }

    // ---- kernel structs -----------------------------------------------------------------------

    @Test
    void encodeAndDecodeRoundTrip() {
        List<SockAddr> all = List.of(new Ipv4SockAddr(bytes(192, 0, 2, 7), 443), v6("2001:db8::1", 80, 0),
                new Ipv6SockAddr(InetAddress.ofLiteral("fe80::2").getAddress(), 8, 0x12345, 6), UnixSockAddr.ofPath("/tmp/x"),
                UnixSockAddr.ofAbstract("abs"), UnixSockAddr.UNNAMED);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(SockAddr.MAX_SIZE, 8);
            for (SockAddr a : all) {
                int len = a.encode(buf);
                assertEquals(a, SockAddr.decode(buf, len), a.toString());
                assertEquals(a.domain().value(), Short.toUnsignedInt(buf.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 0)));
            }
            assertEquals(16, all.get(0).encode(buf));
            assertEquals(28, all.get(1).encode(buf));
            assertEquals(2 + 6 + 1, all.get(3).encode(buf), "path, NUL");
            assertEquals(2 + 1 + 3, all.get(4).encode(buf), "leading NUL, name, no terminator");
            assertEquals(2, UnixSockAddr.UNNAMED.encode(buf));
        }
    }
}
