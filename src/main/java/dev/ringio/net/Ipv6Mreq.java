package dev.ringio.net;

import java.net.Inet6Address;
import java.util.Objects;

/**
 * The value of {@code IPV6_ADD_MEMBERSHIP} and {@code IPV6_DROP_MEMBERSHIP}
 * ({@code struct ipv6_mreq}).
 *
 * @param group          the multicast group ({@code ipv6mr_multiaddr})
 * @param interfaceIndex the interface index ({@code ipv6mr_interface}); 0 lets the kernel choose
 */
public record Ipv6Mreq(Inet6Address group, int interfaceIndex) {

    /**
     * Checks the components.
     *
     * @param group the multicast group ({@code ipv6mr_multiaddr})
     * @param interfaceIndex the interface index ({@code ipv6mr_interface}); 0 lets the kernel
     *                       choose
     * @throws IllegalArgumentException for a negative index
     */
    public Ipv6Mreq {
        Objects.requireNonNull(group, "group");
        if (interfaceIndex < 0) {
            throw new IllegalArgumentException("interface index " + interfaceIndex + " (must be >= 0)");
        }
    }
}
