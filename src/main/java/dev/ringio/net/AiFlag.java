package dev.ringio.net;

import java.util.EnumSet;
import java.util.Set;

/**
 * {@code getaddrinfo} flags ({@code AI_*}, glibc values; checked against the C headers in
 * {@code SocketConstantsTest}).
 */
public enum AiFlag {
    /** {@code AI_PASSIVE}: with no node, give the wildcard address (for bind) instead of loopback. */
    PASSIVE(0x1),
    /** {@code AI_CANONNAME}: report the host's canonical name. */
    CANONNAME(0x2),
    /** {@code AI_NUMERICHOST}: the node must be a numeric address; never look a name up. */
    NUMERICHOST(0x4),
    /** {@code AI_V4MAPPED}: asked for IPv6 and none found, give IPv4 addresses as v4-mapped IPv6. */
    V4MAPPED(0x8),
    /** {@code AI_ALL}: with V4MAPPED, give IPv6 and v4-mapped IPv4 addresses both. */
    ALL(0x10),
    /** {@code AI_ADDRCONFIG}: only families this host has a (non-loopback) address of. */
    ADDRCONFIG(0x20),
    /** {@code AI_NUMERICSERV}: the service must be a port number; never look a name up. */
    NUMERICSERV(0x400);

    private final int value;

    AiFlag(int value) {
        this.value = value;
    }

    /** The C value ({@code AI_*}). */
    public int value() {
        return value;
    }

    /** The C {@code int} for a set of flags. */
    public static int bits(Set<AiFlag> flags) {
        int bits = 0;
        for (AiFlag f : flags) {
            bits |= f.value;
        }
        return bits;
    }

    /** The flags set in a C {@code int}; bits ringio does not name are ignored. */
    public static EnumSet<AiFlag> of(int bits) {
        EnumSet<AiFlag> set = EnumSet.noneOf(AiFlag.class);
        for (AiFlag f : values()) {
            if ((bits & f.value) != 0) {
                set.add(f);
            }
        }
        return set;
    }
}
