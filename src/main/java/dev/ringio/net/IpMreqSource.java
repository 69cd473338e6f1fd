package dev.ringio.net;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * The value of the source-specific multicast options {@code IP_ADD_SOURCE_MEMBERSHIP},
 * {@code IP_DROP_SOURCE_MEMBERSHIP}, {@code IP_BLOCK_SOURCE} and {@code IP_UNBLOCK_SOURCE}
 * ({@code struct ip_mreq_source}).
 *
 * @param group            the multicast group ({@code imr_multiaddr})
 * @param interfaceAddress the local interface's address ({@code imr_interface}); 0.0.0.0 lets the
 *                         kernel choose
 * @param source           the source to accept or block ({@code imr_sourceaddr})
 */
public record IpMreqSource(Inet4Address group, Inet4Address interfaceAddress, Inet4Address source) {

    /**
     * Checks that no component is null.
     *
     * @param group the multicast group ({@code imr_multiaddr})
     * @param interfaceAddress the local interface's address ({@code imr_interface}); 0.0.0.0 lets
     *                         the kernel choose
     * @param source the source to accept or block ({@code imr_sourceaddr})
     */
    public IpMreqSource {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(interfaceAddress, "interfaceAddress");
        Objects.requireNonNull(source, "source");
    }
}
