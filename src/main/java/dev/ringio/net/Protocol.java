package dev.ringio.net;

/** Protocols ({@code IPPROTO_*}, Linux values); {@link #DEFAULT} (0) lets the kernel choose. */
public enum Protocol {
    DEFAULT(0), ICMP(1), IGMP(2), TCP(6), UDP(17), IPV6(41), ICMPV6(58), SCTP(132), UDPLITE(136), RAW(255);

    /** {@code IPPROTO_IP} is 0, the same value as {@link #DEFAULT}. */
    public static final Protocol IP = DEFAULT;

    private final int value;

    Protocol(int value) {
        this.value = value;
    }

    /** The C value. */
    public int value() {
        return value;
    }

    /** The protocol for a C value. */
    public static Protocol of(int value) {
        for (Protocol p : values()) {
            if (p.value == value) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol " + value);
    }
}
