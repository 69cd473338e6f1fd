package dev.ringio.net;

import java.util.EnumSet;
import java.util.Set;

/**
 * Socket types ({@code SOCK_*}, Linux values) and the two flags Linux lets {@code socket(2)},
 * {@code socketpair(2)} and {@code accept4(2)} take in the same argument. A socket's type is one
 * base type plus any flags, e.g. {@code EnumSet.of(STREAM, NONBLOCK)} (arew's symbolic style);
 * {@link #bits(Set)} turns such a set into the C {@code int}.
 *
 * <p>Values are checked against the C headers in {@code SocketConstantsTest}.
 */
public enum SocketType {
    /** {@code SOCK_STREAM}: a connected byte stream (TCP, Unix stream). */
    STREAM(1),
    /** {@code SOCK_DGRAM}: datagrams (UDP, Unix datagram). */
    DGRAM(2),
    /** {@code SOCK_RAW}: raw network protocol access (needs CAP_NET_RAW). */
    RAW(3),
    /** {@code SOCK_RDM}: reliably-delivered messages (not implemented by Linux's inet families). */
    RDM(4),
    /** {@code SOCK_SEQPACKET}: connected, record-preserving (Unix, SCTP). */
    SEQPACKET(5),
    /** {@code SOCK_DCCP}: datagram congestion control protocol (needs the kernel's dccp module). */
    DCCP(6),
    /** {@code SOCK_PACKET}: the obsolete Linux 2.0 packet interface (use {@link Domain#PACKET} with RAW). */
    PACKET(10),
    /** {@code SOCK_NONBLOCK} (a flag): the descriptor is non-blocking ({@code O_NONBLOCK}). */
    NONBLOCK(04000),
    /** {@code SOCK_CLOEXEC} (a flag): close-on-exec; ringio always adds it. */
    CLOEXEC(02000000);

    private static final int FLAG_MASK = 04000 | 02000000;
    /** {@code SOCK_TYPE_MASK} (linux/net.h): the base type's bits; every higher bit is a flag. */
    private static final int TYPE_MASK = 0xf;

    private final int value;

    SocketType(int value) {
        this.value = value;
    }

    /**
     * The C value ({@code SOCK_*}).
     *
     * @return the {@code SOCK_*} value
     */
    public int value() {
        return value;
    }

    /**
     * Whether this is a flag ({@link #NONBLOCK}, {@link #CLOEXEC}) rather than a base type.
     *
     * @return true for a flag
     */
    public boolean isFlag() {
        return (value & FLAG_MASK) != 0;
    }

    /**
     * The C {@code int} for a set of one base type and any flags.
     *
     * @param type one base type and any flags
     * @return the C {@code type} argument
     * @throws IllegalArgumentException unless the set holds exactly one base type
     */
    public static int bits(Set<SocketType> type) {
        int bits = 0;
        SocketType base = null;
        for (SocketType t : type) {
            if (!t.isFlag()) {
                if (base != null) {
                    throw new IllegalArgumentException("socket type " + type + " names two base types (" + base + ", " + t + ")");
                }
                base = t;
            }
            bits |= t.value;
        }
        if (base == null) {
            throw new IllegalArgumentException("socket type " + type + " names no base type (STREAM, DGRAM, RAW, RDM, SEQPACKET, DCCP, PACKET)");
        }
        return bits;
    }

    /**
     * The base type of a C value, e.g. what {@code SO_TYPE} reports; flag bits are ignored.
     *
     * @param value a {@code SOCK_*} base type value
     * @return the base type
     * @throws IllegalArgumentException for a value that is no known base type
     */
    public static SocketType of(int value) {
        int base = value & ~FLAG_MASK;
        for (SocketType t : values()) {
            if (!t.isFlag() && t.value == base) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown socket type " + base);
    }

    /**
     * The set a C {@code int} stands for: its base type plus its flags (the inverse of
     * {@link #bits(Set)}). Flag bits ringio does not name (any bit above {@code SOCK_TYPE_MASK},
     * 0xf, other than {@code NONBLOCK} and {@code CLOEXEC}) are ignored: they are not in the set,
     * and do not make the call throw.
     *
     * @param bits a C {@code type} value: a base type with flag bits
     * @return the base type and the flags, a new set
     * @throws IllegalArgumentException if the base type is unknown
     */
    public static EnumSet<SocketType> setOf(int bits) {
        // Every bit above SOCK_TYPE_MASK is a flag (linux/net.h): the unnamed ones are dropped here.
        EnumSet<SocketType> set = EnumSet.of(of(bits & (TYPE_MASK | FLAG_MASK)));
        for (SocketType t : values()) {
            if (t.isFlag() && (bits & t.value) != 0) {
                set.add(t);
            }
        }
        return set;
    }
}
