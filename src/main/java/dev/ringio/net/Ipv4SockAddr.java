package dev.ringio.net;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An IPv4 socket address ({@code struct sockaddr_in}: family at 0, port at 2 in network order,
 * address at 4; 16 bytes).
 *
 * @param address the 4 address bytes, most significant first
 * @param port    0..65535
 */
public record Ipv4SockAddr(byte[] address, int port) implements SockAddr {

    static final int SIZE = 16;

    /**
     * Checks the components and copies {@code address}.
     *
     * @param address the 4 address bytes, most significant first
     * @param port 0..65535
     * @throws IllegalArgumentException unless {@code address} has 4 bytes and {@code port} is in
     *                                  0..65535
     */
    public Ipv4SockAddr {
        Objects.requireNonNull(address, "address");
        if (address.length != 4) {
            throw new IllegalArgumentException("IPv4 address needs 4 bytes, got " + address.length);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
        address = address.clone();
    }

    /**
     * 127.0.0.1:port.
     *
     * @param port the port, 0..65535
     * @return the address
     */
    public static Ipv4SockAddr loopback(int port) {
        return new Ipv4SockAddr(new byte[] {127, 0, 0, 1}, port);
    }

    /**
     * 0.0.0.0:port (every interface).
     *
     * @param port the port, 0..65535
     * @return the address
     */
    public static Ipv4SockAddr any(int port) {
        return new Ipv4SockAddr(new byte[4], port);
    }

    /**
     * The 4 address bytes, most significant first, a copy.
     *
     * @return the address bytes
     */
    @Override
    public byte[] address() {
        return address.clone();
    }

    @Override
    public Domain domain() {
        return Domain.INET;
    }

    /**
     * This address with another port.
     *
     * @param port the new port, 0..65535
     * @return the address with {@code port}
     */
    public Ipv4SockAddr withPort(int port) {
        return new Ipv4SockAddr(address, port);
    }

    /** An {@link java.net.InetSocketAddress} (no name lookup). */
    @Override
    public java.net.InetSocketAddress toJava() {
        try {
            return new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(address), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e); // 4 bytes are always an IPv4 address
        }
    }

    @Override
    public int encode(MemorySegment dst) {
        dst.asSlice(0, SIZE).fill((byte) 0);
        dst.set(JAVA_SHORT, 0, (short) Domain.INET.value());
        dst.set(JAVA_BYTE, 2, (byte) (port >>> 8));
        dst.set(JAVA_BYTE, 3, (byte) port);
        MemorySegment.copy(address, 0, dst, JAVA_BYTE, 4, 4);
        return SIZE;
    }

    static Ipv4SockAddr decode(MemorySegment src, int length) {
        if (length < 8) {
            throw new IllegalArgumentException("sockaddr_in of " + length + " bytes");
        }
        int port = (Byte.toUnsignedInt(src.get(JAVA_BYTE, 2)) << 8) | Byte.toUnsignedInt(src.get(JAVA_BYTE, 3));
        byte[] a = new byte[4];
        MemorySegment.copy(src, JAVA_BYTE, 4, a, 0, 4);
        return new Ipv4SockAddr(a, port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4SockAddr other && port == other.port && java.util.Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(address) * 31 + port;
    }

    /** {@code "127.0.0.1:8080"}. */
    @Override
    public String toString() {
        return Byte.toUnsignedInt(address[0]) + "." + Byte.toUnsignedInt(address[1]) + "."
                + Byte.toUnsignedInt(address[2]) + "." + Byte.toUnsignedInt(address[3]) + ":" + port;
    }
}
