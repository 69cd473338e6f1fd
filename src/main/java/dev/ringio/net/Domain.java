package dev.ringio.net;

/** Socket address families ({@code AF_*}, Linux values; checked against the C headers in tests). */
public enum Domain {
    /** AF_UNSPEC: no particular family (getaddrinfo: any). */
    UNSPEC(0),
    /** AF_UNIX: Unix domain sockets. */
    UNIX(1),
    /** AF_INET: IPv4. */
    INET(2),
    /** AF_INET6: IPv6. */
    INET6(10),
    /** AF_NETLINK: kernel/user-space messaging. */
    NETLINK(16),
    /** AF_PACKET: raw link-level packets. */
    PACKET(17),
    /** AF_ALG: the kernel crypto API. */
    ALG(38);

    /** {@code AF_LOCAL} is another name for {@code AF_UNIX}. */
    public static final Domain LOCAL = UNIX;

    private final int value;

    Domain(int value) {
        this.value = value;
    }

    /**
     * The C value ({@code AF_*}).
     *
     * @return the {@code AF_*} value
     */
    public int value() {
        return value;
    }

    /**
     * The constant for a C value.
     *
     * @param value an {@code AF_*} value
     * @return the family
     */
    public static Domain of(int value) {
        for (Domain d : values()) {
            if (d.value == value) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown address family " + value);
    }
}
