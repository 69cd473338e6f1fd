package dev.ringio.nio;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Ipv6SockAddr;
import dev.ringio.net.SockAddr;

/**
 * The address conventions of the JDK's TCP channels: a socket is dual-stack IPv6 where the host
 * has IPv6 (unless {@code java.net.preferIPv4Stack} is true), IPv4 addresses travel as
 * v4-mapped IPv6 addresses on such a socket, and addresses read back are shown the way
 * {@code java.net} shows them (a v4-mapped address as an {@link Inet4Address}).
 *
 * <p>Threading: any thread; stateless after class initialisation.
 */
final class InetAddressing {

    /** Whether TCP sockets are opened as AF_INET6 (dual stack) rather than AF_INET. */
    static final boolean IPV6 = !Boolean.getBoolean("java.net.preferIPv4Stack")
            && Files.exists(Path.of("/proc/net/if_inet6"));

    private InetAddressing() {
    }

    /** The family new TCP sockets get. */
    static Domain socketDomain() {
        return IPV6 ? Domain.INET6 : Domain.INET;
    }

    /**
     * The address to pass the kernel for {@code address} on a socket of {@code domain}.
     *
     * @throws UnsupportedAddressTypeException if it is not an {@link InetSocketAddress}, or an
     *                                         IPv6 address on an IPv4 socket
     * @throws UnresolvedAddressException     if it is unresolved
     */
    static SockAddr toKernel(SocketAddress address, Domain domain) {
        if (!(address instanceof InetSocketAddress inet)) {
            throw new UnsupportedAddressTypeException();
        }
        if (inet.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        InetAddress a = inet.getAddress();
        if (domain == Domain.INET6 && a instanceof Inet4Address v4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
            return new Ipv6SockAddr(mapped, inet.getPort(), 0, 0);
        }
        if (domain != Domain.INET6 && !(a instanceof Inet4Address)) {
            throw new UnsupportedAddressTypeException();
        }
        return SockAddr.of(inet);
    }

    /** The wildcard address with port 0 (an ephemeral port) on a socket of {@code domain}. */
    static SockAddr wildcard(Domain domain) {
        return domain == Domain.INET6 ? Ipv6SockAddr.any(0) : Ipv4SockAddr.any(0);
    }

    /** {@code address} as {@code java.net} shows it (a v4-mapped IPv6 address as IPv4). */
    static InetSocketAddress toJava(SockAddr address) {
        if (address instanceof Ipv6SockAddr v6 && v6.isV4Mapped()) {
            byte[] v4 = new byte[4];
            System.arraycopy(v6.address(), 12, v4, 0, 4);
            try {
                return new InetSocketAddress(InetAddress.getByAddress(v4), v6.port());
            } catch (UnknownHostException e) {
                throw new AssertionError(e); // four bytes are always an IPv4 address
            }
        }
        return (InetSocketAddress) address.toJava();
    }

}
