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
    NUMERICSERV(0x400),
    /** {@code AI_IDN}: convert an internationalised node name to its ASCII (punycode) form first. */
    IDN(0x40),
    /** {@code AI_CANONIDN}: with CANONNAME, give the canonical name decoded from ASCII. */
    CANONIDN(0x80),
    /** {@code AI_IDN_ALLOW_UNASSIGNED}: deprecated by glibc 2.28 and ignored; kept as the ABI value arew names. */
    IDN_ALLOW_UNASSIGNED(0x100),
    /** {@code AI_IDN_USE_STD3_ASCII_RULES}: deprecated by glibc 2.28 and ignored; kept as the ABI value arew names. */
    IDN_USE_STD3_ASCII_RULES(0x200);

    private final int value;

    AiFlag(int value) {
        this.value = value;
    }

    /**
     * The C value ({@code AI_*}).
     *
     * @return the {@code AI_*} value
     */
    public int value() {
        return value;
    }

    /**
     * The C {@code int} for a set of flags.
     *
     * @param flags the flags
     * @return their bits OR-ed together
     */
    public static int bits(Set<AiFlag> flags) {
        int bits = 0;
        for (AiFlag f : flags) {
            bits |= f.value;
        }
        return bits;
    }

    /**
     * The flags set in a C {@code int}.
     *
     * @param bits {@code AI_*} bits
     * @return the flags, a new set
     * @throws IllegalArgumentException if a bit is set that no constant names (never silently dropped)
     */
    public static EnumSet<AiFlag> of(int bits) {
        int known = 0;
        for (AiFlag f : values()) {
            known |= f.value;
        }
        if ((bits & ~known) != 0) {
            throw new IllegalArgumentException("getaddrinfo flags 0x" + Integer.toHexString(bits)
                    + " have bits ringio does not name: 0x" + Integer.toHexString(bits & ~known));
        }
        EnumSet<AiFlag> set = EnumSet.noneOf(AiFlag.class);
        for (AiFlag f : values()) {
            if ((bits & f.value) != 0) {
                set.add(f);
            }
        }
        return set;
    }
}
