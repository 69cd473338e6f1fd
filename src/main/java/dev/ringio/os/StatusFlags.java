package dev.ringio.os;

import java.util.EnumSet;
import java.util.Set;

/**
 * What {@code fcntl(F_GETFL)} reports for an open file description: its access mode, the status
 * flags ringio names, and the whole word, so a bit ringio does not name is never lost (a
 * read-modify-write through {@link Fcntl#setStatusFlags(dev.ringio.Fd, int)} keeps it).
 *
 * @param access the access mode
 * @param flags  the named flags set in {@code bits}
 * @param bits   the raw word, as the kernel gave it
 */
public record StatusFlags(AccessMode access, Set<StatusFlag> flags, int bits) {

    /**
     * Copies {@code flags}.
     *
     * @param access the access mode
     * @param flags the named flags set in {@code bits}
     * @param bits the raw word, as the kernel gave it
     */
    public StatusFlags {
        flags = Set.copyOf(flags);
    }

    /**
     * The status word {@code bits} seen through ringio's names, keeping every bit.
     *
     * @param bits the status word, as {@code F_GETFL} returns it
     * @return the status flags
     */
    public static StatusFlags of(int bits) {
        return new StatusFlags(AccessMode.of(bits), StatusFlag.known(bits), bits);
    }

    /**
     * Whether {@code flag} is set.
     *
     * @param flag the flag
     * @return true if {@code flag} is set
     */
    public boolean has(StatusFlag flag) {
        return flags.contains(flag);
    }

    /**
     * The bits beyond the access mode that no {@link StatusFlag} names (0 on today's kernels).
     *
     * @return the unnamed bits
     */
    public int unknownBits() {
        return StatusFlag.unknownBits(bits);
    }

    /**
     * The named flags as a mutable set.
     *
     * @return the named flags, a new set
     */
    public EnumSet<StatusFlag> flagSet() {
        return flags.isEmpty() ? EnumSet.noneOf(StatusFlag.class) : EnumSet.copyOf(flags);
    }
}
