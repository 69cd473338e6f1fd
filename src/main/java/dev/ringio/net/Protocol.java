package dev.ringio.net;

/**
 * Protocol numbers for {@code socket(2)} ({@code IPPROTO_*}, Linux values). {@link #DEFAULT} (0)
 * lets the kernel choose the protocol a domain and type imply (TCP for an IPv4 stream socket);
 * {@link #IP} is another name for the same number ({@code IPPROTO_IP}).
 *
 * <p>Values are checked against the C headers in {@code SocketConstantsTest}.
 */
public enum Protocol {
    /** 0: the default protocol for the domain and type. */
    DEFAULT(0),
    /** {@code IPPROTO_ICMP}. */
    ICMP(1),
    /** {@code IPPROTO_IGMP}. */
    IGMP(2),
    /** {@code IPPROTO_TCP}. */
    TCP(6),
    /** {@code IPPROTO_UDP}. */
    UDP(17),
    /** {@code IPPROTO_IPV6}: also the option level of IPv6 options. */
    IPV6(41),
    /** {@code IPPROTO_ICMPV6}. */
    ICMPV6(58),
    /** {@code IPPROTO_SCTP}. */
    SCTP(132),
    /** {@code IPPROTO_UDPLITE}. */
    UDPLITE(136),
    /** {@code IPPROTO_RAW}. */
    RAW(255);

    /** {@code IPPROTO_IP} (0, also the option level of IPv4 options): the same value as {@link #DEFAULT}. */
    public static final Protocol IP = DEFAULT;

    private final int value;

    Protocol(int value) {
        this.value = value;
    }

    /** The C value ({@code IPPROTO_*}). */
    public int value() {
        return value;
    }

    /**
     * The constant for a C value; 0 gives {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException for a protocol ringio does not name
     */
    public static Protocol of(int value) {
        for (Protocol p : values()) {
            if (p.value == value) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol " + value);
    }
}
