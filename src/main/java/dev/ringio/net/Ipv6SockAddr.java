package dev.ringio.net;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An IPv6 socket address ({@code struct sockaddr_in6}: family 0, port 2 (network order),
 * flowinfo 4, address 8, scope id 24; 28 bytes).
 *
 * @param address  the 16 address bytes
 * @param port     0..65535
 * @param flowInfo the flow label (usually 0)
 * @param scopeId  the interface index for link-local addresses (0 otherwise)
 */
public record Ipv6SockAddr(byte[] address, int port, int flowInfo, int scopeId) implements SockAddr {

    static final int SIZE = 28;

    /**
     * Checks the components and copies {@code address}.
     *
     * @param address the 16 address bytes
     * @param port 0..65535
     * @param flowInfo the flow label (usually 0)
     * @param scopeId the interface index for link-local addresses (0 otherwise)
     * @throws IllegalArgumentException unless {@code address} has 16 bytes and {@code port} is in
     *                                  0..65535
     */
    public Ipv6SockAddr {
        Objects.requireNonNull(address, "address");
        if (address.length != 16) {
            throw new IllegalArgumentException("IPv6 address needs 16 bytes, got " + address.length);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
        address = address.clone();
    }

    /**
     * [::1]:port.
     *
     * @param port the port, 0..65535
     * @return the address
     */
    public static Ipv6SockAddr loopback(int port) {
        byte[] a = new byte[16];
        a[15] = 1;
        return new Ipv6SockAddr(a, port, 0, 0);
    }

    /**
     * [::]:port (every interface).
     *
     * @param port the port, 0..65535
     * @return the address
     */
    public static Ipv6SockAddr any(int port) {
        return new Ipv6SockAddr(new byte[16], port, 0, 0);
    }

    /**
     * The 16 address bytes, a copy.
     *
     * @return the address bytes
     */
    @Override
    public byte[] address() {
        return address.clone();
    }

    @Override
    public Domain domain() {
        return Domain.INET6;
    }

    /**
     * This address with another port.
     *
     * @param port the new port, 0..65535
     * @return the address with {@code port}
     */
    public Ipv6SockAddr withPort(int port) {
        return new Ipv6SockAddr(address, port, flowInfo, scopeId);
    }

    /**
     * Whether this is an IPv4 address mapped into IPv6 ({@code ::ffff:a.b.c.d}).
     *
     * @return true for a v4-mapped address
     */
    public boolean isV4Mapped() {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    /** An {@link java.net.InetSocketAddress} holding an {@link java.net.Inet6Address} with the scope id (no name lookup). */
    @Override
    public java.net.InetSocketAddress toJava() {
        try {
            return new java.net.InetSocketAddress(java.net.Inet6Address.getByAddress(null, address, scopeId), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e); // 16 bytes are always an IPv6 address
        }
    }

    @Override
    public int encode(MemorySegment dst) {
        dst.asSlice(0, SIZE).fill((byte) 0);
        dst.set(JAVA_SHORT, 0, (short) Domain.INET6.value());
        dst.set(JAVA_BYTE, 2, (byte) (port >>> 8));
        dst.set(JAVA_BYTE, 3, (byte) port);
        dst.set(JAVA_INT.withOrder(java.nio.ByteOrder.BIG_ENDIAN).withByteAlignment(1), 4, flowInfo);
        MemorySegment.copy(address, 0, dst, JAVA_BYTE, 8, 16);
        dst.set(JAVA_INT.withByteAlignment(1), 24, scopeId);
        return SIZE;
    }

    static Ipv6SockAddr decode(MemorySegment src, int length) {
        if (length < 24) {
            throw new IllegalArgumentException("sockaddr_in6 of " + length + " bytes");
        }
        int port = (Byte.toUnsignedInt(src.get(JAVA_BYTE, 2)) << 8) | Byte.toUnsignedInt(src.get(JAVA_BYTE, 3));
        int flow = src.get(JAVA_INT.withOrder(java.nio.ByteOrder.BIG_ENDIAN).withByteAlignment(1), 4);
        byte[] a = new byte[16];
        MemorySegment.copy(src, JAVA_BYTE, 8, a, 0, 16);
        int scope = length >= SIZE ? src.get(JAVA_INT.withByteAlignment(1), 24) : 0;
        return new Ipv6SockAddr(a, port, flow, scope);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv6SockAddr other && port == other.port && flowInfo == other.flowInfo
                && scopeId == other.scopeId && Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(address) * 31 + port) * 31 + scopeId;
    }

    /**
     * {@code "[::1]:8080"}: RFC 5952's form, with {@code %scope} when there is a scope id, and a
     * v4-mapped address as {@code "[::ffff:1.2.3.4]:80"} (RFC 5952 section 5).
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        if (isV4Mapped()) {
            sb.append("::ffff:").append(Byte.toUnsignedInt(address[12])).append('.').append(Byte.toUnsignedInt(address[13]))
                    .append('.').append(Byte.toUnsignedInt(address[14])).append('.').append(Byte.toUnsignedInt(address[15]));
            return sb.append(scopeId != 0 ? "%" + Integer.toUnsignedString(scopeId) : "").append("]:").append(port).toString();
        }
        // RFC 5952 form: lower-case hex, the longest run of zero groups (>= 2) as "::".
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (Byte.toUnsignedInt(address[2 * i]) << 8) | Byte.toUnsignedInt(address[2 * i + 1]);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        sb.append(scopeId != 0 ? "%" + Integer.toUnsignedString(scopeId) : "").append("]:").append(port);
        return sb.toString();
    }
}
