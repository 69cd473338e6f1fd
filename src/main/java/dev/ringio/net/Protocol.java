package dev.ringio.net;

/**
 * Protocol numbers for {@code socket(2)} ({@code IPPROTO_*}, Linux values). {@link #DEFAULT} (0)
 * lets the kernel choose the protocol a domain and type imply (TCP for an IPv4 stream socket);
 * {@link #IP} is another name for the same number ({@code IPPROTO_IP}). {@link Sockets#socket(Domain,
 * java.util.Set, int)} takes any number, named here or not.
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
    /** {@code IPPROTO_IPIP}: IPIP tunnels. */
    IPIP(4),
    /** {@code IPPROTO_TCP}. */
    TCP(6),
    /** {@code IPPROTO_EGP}: exterior gateway protocol. */
    EGP(8),
    /** {@code IPPROTO_PUP}: PUP protocol. */
    PUP(12),
    /** {@code IPPROTO_UDP}. */
    UDP(17),
    /** {@code IPPROTO_IDP}: XNS IDP protocol. */
    IDP(22),
    /** {@code IPPROTO_TP}: SO Transport Protocol Class 4. */
    TP(29),
    /** {@code IPPROTO_DCCP}: datagram congestion control protocol. */
    DCCP(33),
    /** {@code IPPROTO_IPV6}: also the option level of IPv6 options. */
    IPV6(41),
    /** {@code IPPROTO_RSVP}: reservation protocol. */
    RSVP(46),
    /** {@code IPPROTO_GRE}: general routing encapsulation. */
    GRE(47),
    /** {@code IPPROTO_ESP}: encapsulating security payload. */
    ESP(50),
    /** {@code IPPROTO_AH}: authentication header. */
    AH(51),
    /** {@code IPPROTO_ICMPV6}. */
    ICMPV6(58),
    /** {@code IPPROTO_MTP}: multicast transport protocol. */
    MTP(92),
    /** {@code IPPROTO_BEETPH}: IP option pseudo header for BEET. */
    BEETPH(94),
    /** {@code IPPROTO_ENCAP}: encapsulation header. */
    ENCAP(98),
    /** {@code IPPROTO_PIM}: protocol independent multicast. */
    PIM(103),
    /** {@code IPPROTO_COMP}: compression header protocol. */
    COMP(108),
    /** {@code IPPROTO_SCTP}. */
    SCTP(132),
    /** {@code IPPROTO_UDPLITE}. */
    UDPLITE(136),
    /** {@code IPPROTO_MPLS}: MPLS in IP. */
    MPLS(137),
    /** {@code IPPROTO_ETHERNET}: Ethernet-within-IPv6 encapsulation. */
    ETHERNET(143),
    /** {@code IPPROTO_RAW}: raw IP packets. */
    RAW(255),
    /** {@code IPPROTO_MPTCP}: multipath TCP (a stream socket's protocol; not an IP protocol number). */
    MPTCP(262);

    /** {@code IPPROTO_IP} (0, also the option level of IPv4 options): the same value as {@link #DEFAULT}. */
    public static final Protocol IP = DEFAULT;

    /** arew's {@code ipv4}: {@code IPPROTO_IP}, another name for {@link #DEFAULT}. */
    public static final Protocol IPV4 = DEFAULT;

    private final int value;

    Protocol(int value) {
        this.value = value;
    }

    /**
     * The C value ({@code IPPROTO_*}).
     *
     * @return the {@code IPPROTO_*} value
     */
    public int value() {
        return value;
    }

    /**
     * The constant for a C value; 0 gives {@link #DEFAULT}.
     *
     * @param value an {@code IPPROTO_*} value
     * @return the protocol
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
