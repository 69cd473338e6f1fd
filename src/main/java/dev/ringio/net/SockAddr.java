package dev.ringio.net;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A socket address: IPv4, IPv6 (with scope id) or Unix (a path, or a name in Linux's abstract
 * namespace). Immutable; converts to and from the kernel's {@code struct sockaddr_*}.
 */
public sealed interface SockAddr permits Ipv4SockAddr, Ipv6SockAddr, UnixSockAddr {

    /** {@code sizeof(struct sockaddr_storage)}: room for any address the kernel returns. */
    int MAX_SIZE = 128;

    /** The address family. */
    Domain domain();

    /**
     * Writes this address as a {@code struct sockaddr_*} at the start of {@code dst} (at least
     * {@link #MAX_SIZE} bytes) and returns its length in bytes.
     */
    int encode(MemorySegment dst);

    /**
     * Reads a {@code struct sockaddr_*} the kernel wrote ({@code length} bytes, as it reported).
     *
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
