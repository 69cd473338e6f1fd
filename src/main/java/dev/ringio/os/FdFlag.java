package dev.ringio.os;

import java.util.EnumSet;
import java.util.Set;

/**
 * The descriptor's own flags ({@code fcntl(F_GETFD)}, {@code FD_*}): unlike the status flags, they
 * belong to this descriptor number, not to the open file description that {@code dup} shares.
 * Linux defines one.
 */
public enum FdFlag {
    /** {@code FD_CLOEXEC}: the descriptor is closed by {@code execve}. */
    CLOEXEC(1);

    private final int value;

    FdFlag(int value) {
        this.value = value;
    }

    /**
     * The C bit ({@code FD_*}).
     *
     * @return the {@code FD_*} bit
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
    public static int bits(Set<FdFlag> flags) {
        int bits = 0;
        for (FdFlag f : flags) {
            bits |= f.value;
        }
        return bits;
    }

    /**
     * The flags in {@code bits}.
     *
     * @param bits {@code FD_*} bits
     * @return the flags, a new set
     * @throws IllegalArgumentException if a bit is set that ringio does not name (never silently
     *                                  dropped; {@link Fcntl#getFdFlagsRaw} gives the raw word)
     */
    public static EnumSet<FdFlag> of(int bits) {
        EnumSet<FdFlag> set = EnumSet.noneOf(FdFlag.class);
        int rest = bits;
        for (FdFlag f : values()) {
            if ((bits & f.value) != 0) {
                set.add(f);
                rest &= ~f.value;
            }
        }
        if (rest != 0) {
            throw new IllegalArgumentException("fd flags 0x" + Integer.toHexString(bits)
                    + " have bits ringio does not name: 0x" + Integer.toHexString(rest));
        }
        return set;
    }
}
