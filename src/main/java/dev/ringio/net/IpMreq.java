package dev.ringio.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The value of {@code IP_ADD_MEMBERSHIP}, {@code IP_DROP_MEMBERSHIP} and {@code IP_MULTICAST_IF}:
 * a multicast group and the local interface, named by its address ({@code struct ip_mreq}) or
 * by its index ({@code struct ip_mreqn}, sent whenever {@code interfaceIndex} is not 0; Linux
 * accepts either for all three options). For {@code IP_MULTICAST_IF} the group is ignored.
 *
 * @param group            the multicast group ({@code imr_multiaddr}); 0.0.0.0 for IP_MULTICAST_IF
 * @param interfaceAddress the interface's address ({@code imr_interface}/{@code imr_address});
 *                         0.0.0.0 lets the kernel choose (or use the index)
 * @param interfaceIndex   the interface index ({@code imr_ifindex}); 0 for none
 */
public record IpMreq(Inet4Address group, Inet4Address interfaceAddress, int interfaceIndex) {

    static final Inet4Address ANY = (Inet4Address) InetAddress.ofLiteral("0.0.0.0");

    /**
     * Checks the fields.
     *
     * @param group the multicast group ({@code imr_multiaddr})
     * @param interfaceAddress the interface's address; 0.0.0.0 lets the kernel choose
     * @param interfaceIndex the interface index; 0 for none
     * @throws IllegalArgumentException for a negative index
     */
    public IpMreq {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(interfaceAddress, "interfaceAddress");
        if (interfaceIndex < 0) {
            throw new IllegalArgumentException("interface index " + interfaceIndex + " (must be >= 0)");
        }
    }

    /**
     * Group {@code group} on the interface with address {@code interfaceAddress} ({@code ip_mreq}).
     *
     * @param group the multicast group
     * @param interfaceAddress the interface's address
     * @return the request
     */
    public static IpMreq of(Inet4Address group, Inet4Address interfaceAddress) {
        return new IpMreq(group, interfaceAddress, 0);
    }

    /**
     * Group {@code group} on the interface with index {@code interfaceIndex} ({@code ip_mreqn}).
     *
     * @param group the multicast group
     * @param interfaceIndex the interface index
     * @return the request
     */
    public static IpMreq ofIndex(Inet4Address group, int interfaceIndex) {
        return new IpMreq(group, ANY, interfaceIndex);
    }

    /**
     * For {@code IP_MULTICAST_IF}: send multicast through the interface with this address.
     *
     * @param interfaceAddress the interface's address
     * @return the request
     */
    public static IpMreq ofInterface(Inet4Address interfaceAddress) {
        return new IpMreq(ANY, interfaceAddress, 0);
    }

    /**
     * For {@code IP_MULTICAST_IF}: send multicast through the interface with this index.
     *
     * @param interfaceIndex the interface index
     * @return the request
     */
    public static IpMreq ofInterfaceIndex(int interfaceIndex) {
        return new IpMreq(ANY, ANY, interfaceIndex);
    }
}
