package dev.ringio.net;

/** Socket address families ({@code AF_*}, Linux values; checked against the C headers in tests). */
public enum Domain {
    UNSPEC(0), UNIX(1), INET(2), INET6(10), NETLINK(16), PACKET(17), ALG(38);

    /** {@code AF_LOCAL} is another name for {@code AF_UNIX}. */
    public static final Domain LOCAL = UNIX;

    private final int value;

    Domain(int value) {
        this.value = value;
    }

    /** The C value ({@code AF_*}). */
    public int value() {
        return value;
    }

    /** The constant for a C value. */
    public static Domain of(int value) {
        for (Domain d : values()) {
            if (d.value == value) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown address family " + value);
    }
}
