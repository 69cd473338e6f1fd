package dev.ringio.net;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A socket address: IPv4, IPv6 (with scope id) or Unix (a path, or a name in Linux's abstract
 * namespace). Immutable; converts to and from the kernel's {@code struct sockaddr_*}, from and to
 * text ({@link #parse(String)}, {@code toString()}) and to and from {@code java.net}
 * ({@link #of(SocketAddress)}, {@link #toJava()}).
 *
 * <p>Text forms ({@code toString()} writes the first four, and {@code parse} reads them back):
 * <ul>
 *   <li>{@code 1.2.3.4:80} — IPv4;</li>
 *   <li>{@code [2001:db8::1]:80}, {@code [fe80::1%2]:80} — IPv6 in RFC 5952's shortest form, the
 *       scope id as a number ({@code parse} also takes an interface name: {@code [fe80::1%eth0]:80});
 *       a v4-mapped address as {@code [::ffff:1.2.3.4]:80};</li>
 *   <li>{@code /run/app.sock} — a Unix path;</li>
 *   <li>{@code @name} — a name in the abstract namespace;</li>
 *   <li>{@code :80} — ({@code parse} only) the IPv4 wildcard, 0.0.0.0:80 (for IPv6's, write
 *       {@code [::]:80});</li>
 *   <li>{@code host:80} — ({@code parse} only) a host name, resolved with {@code getaddrinfo}.</li>
 * </ul>
 * Ports are numbers 0..65535. An unnamed Unix socket prints as {@code (unnamed)} and has no text
 * form to parse.
 */
public sealed interface SockAddr permits Ipv4SockAddr, Ipv6SockAddr, UnixSockAddr {

    /** {@code sizeof(struct sockaddr_storage)}: room for any address the kernel returns. */
    int MAX_SIZE = 128;

    /**
     * The address family.
     *
     * @return the address family
     */
    Domain domain();

    /**
     * This address as {@code java.net} sees it: an {@link InetSocketAddress} (no name lookup; an
     * IPv6 scope id is kept) or a {@link UnixDomainSocketAddress} (empty path when unnamed).
     *
     * @return the {@code java.net} address
     * @throws UnsupportedOperationException for an abstract Unix name, which {@code java.net}
     *                                       cannot represent
     */
    SocketAddress toJava();

    /**
     * The address a {@code java.net} address stands for: an {@link InetSocketAddress} with a
     * resolved address (IPv4 or IPv6, keeping the scope id), or a {@link UnixDomainSocketAddress}
     * (an empty path is the unnamed address). Never looks a name up.
     *
     * @param address a {@code java.net} socket address
     * @return ringio's address
     * @throws IllegalArgumentException for an unresolved {@code InetSocketAddress} or another kind
     *                                  of address
     */
    static SockAddr of(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof InetSocketAddress inet) {
            InetAddress a = inet.getAddress();
            if (a == null) {
                throw new IllegalArgumentException("unresolved address " + inet + " (resolve it first, e.g. with SockAddr.parse)");
            }
            if (a instanceof Inet4Address) {
                return new Ipv4SockAddr(a.getAddress(), inet.getPort());
            }
            Inet6Address v6 = (Inet6Address) a;
            return new Ipv6SockAddr(v6.getAddress(), inet.getPort(), 0, v6.getScopeId());
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            String path = unix.getPath().toString();
            return path.isEmpty() ? UnixSockAddr.UNNAMED : UnixSockAddr.ofPath(path);
        }
        throw new IllegalArgumentException("unsupported address type " + address.getClass().getName());
    }

    /**
     * Reads an address in one of the text forms above; a host name is resolved with
     * {@code getaddrinfo} (stream-socket results, the first one; see {@link #resolveAll}). Any
     * thread; blocks while a name is resolved.
     *
     * @param text the address as text
     * @return the address
     * @throws IllegalArgumentException saying what is wrong with {@code text}; for a name that does
     *                                  not resolve, the cause is the {@link ResolverException}
     */
    static SockAddr parse(String text) {
        return SockAddrSyntax.parseAll(Objects.requireNonNull(text, "text"), false).getFirst();
    }

    /**
     * As {@link #parse(String)}, but every address a host name resolves to (IPv4 and IPv6, without
     * duplicates, in the resolver's order); a single address for the other forms.
     *
     * @param text the address as text
     * @return every address, at least one
     */
    static List<SockAddr> resolveAll(String text) {
        return SockAddrSyntax.parseAll(Objects.requireNonNull(text, "text"), true);
    }

    /**
     * Writes this address as a {@code struct sockaddr_*} at the start of {@code dst} (at least
     * {@link #MAX_SIZE} bytes) and returns its length in bytes.
     *
     * @param dst the memory to write to, at least {@link #MAX_SIZE} bytes
     * @return the length written, in bytes
     */
    int encode(MemorySegment dst);

    /**
     * Reads a {@code struct sockaddr_*} the kernel wrote ({@code length} bytes, as it reported).
     *
     * @param src the memory the kernel wrote
     * @param length the length the kernel reported
     * @return the address
     * @throws IllegalArgumentException for a family ringio does not know or a short length
     */
    static SockAddr decode(MemorySegment src, int length) {
        if (length < 2) {
            // An unnamed Unix socket (e.g. the peer of socketpair) has only the family, or nothing.
            return UnixSockAddr.UNNAMED;
        }
        int family = Short.toUnsignedInt(src.get(JAVA_SHORT, 0));
        return switch (family) {
            case 2 -> Ipv4SockAddr.decode(src, length);
            case 10 -> Ipv6SockAddr.decode(src, length);
            case 1 -> UnixSockAddr.decode(src, length);
            default -> throw new IllegalArgumentException("unsupported address family " + family);
        };
    }
}
