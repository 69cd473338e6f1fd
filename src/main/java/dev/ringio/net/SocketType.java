package dev.ringio.net;

import java.util.Set;

/**
 * Socket types ({@code SOCK_*}) and the two creation flags that share the type argument
 * ({@code SOCK_NONBLOCK}, {@code SOCK_CLOEXEC}); combine them in a set, arew style:
 * {@code EnumSet.of(SocketType.STREAM, SocketType.NONBLOCK)}. Linux values.
 */
public enum SocketType {
    STREAM(1), DGRAM(2), RAW(3), RDM(4), SEQPACKET(5),
    /** Flag: O_NONBLOCK on the new socket. */
    NONBLOCK(04000),
    /** Flag: close-on-exec (ringio always adds it). */
    CLOEXEC(02000000);

    private final int value;

    SocketType(int value) {
        this.value = value;
    }

    /** The C value. */
    public int value() {
        return value;
    }

    /** Whether this is one of the creation flags rather than a type. */
    public boolean isFlag() {
        return this == NONBLOCK || this == CLOEXEC;
    }

    /**
     * The C {@code type} argument for a set holding exactly one type and any flags.
     *
     * @throws IllegalArgumentException if the set holds no type or more than one
     */
    public static int bits(Set<SocketType> set) {
        int bits = 0;
        int types = 0;
        for (SocketType t : set) {
            bits |= t.value;
            if (!t.isFlag()) {
                types++;
            }
        }
        if (types != 1) {
            throw new IllegalArgumentException("socket type set " + set + " must hold exactly one of STREAM, DGRAM, RAW, RDM, SEQPACKET");
        }
        return bits;
    }

    /** The type named by a C value ({@code SO_TYPE}). */
    public static SocketType of(int value) {
        for (SocketType t : values()) {
            if (!t.isFlag() && t.value == value) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown socket type " + value);
    }
}
