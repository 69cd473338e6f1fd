package dev.ringio.os;

import java.util.EnumSet;
import java.util.Set;

/**
 * The file status flags of an open file description that {@code fcntl(F_GETFL)} reports besides
 * the access mode ({@code O_*}, Linux x86_64 values; checked against the C headers in
 * {@code FcntlTest}). Of these, {@code F_SETFL} changes only {@link #APPEND}, {@link #ASYNC},
 * {@link #DIRECT}, {@link #NOATIME} and {@link #NONBLOCK}; the kernel ignores the others there.
 * The access mode is {@link AccessMode}; the whole word, with any bit ringio does not name, is
 * {@link StatusFlags#bits()}.
 */
public enum StatusFlag {
    /** {@code O_APPEND}: every write goes to the end of the file. */
    APPEND(02000),
    /** {@code O_NONBLOCK}: reads and writes that would wait fail with EAGAIN instead. */
    NONBLOCK(04000),
    /** {@code O_DSYNC}: writes wait for the data (not all metadata) to reach storage. */
    DSYNC(010000),
    /** {@code O_ASYNC}: signal-driven I/O (SIGIO). */
    ASYNC(020000),
    /** {@code O_DIRECT}: bypass the page cache. */
    DIRECT(040000),
    /**
     * {@code O_LARGEFILE}: offsets beyond 2 GiB. The kernel sets it on every file on 64-bit systems
     * (its bit, 0100000, from {@code asm-generic/fcntl.h}; glibc defines {@code O_LARGEFILE} as 0 there).
     */
    LARGEFILE(0100000),
    /** {@code O_DIRECTORY}: opened as a directory. */
    DIRECTORY(0200000),
    /** {@code O_NOFOLLOW}: opened without following a final symlink. */
    NOFOLLOW(0400000),
    /** {@code O_NOATIME}: reads do not update the access time. */
    NOATIME(01000000),
    /** {@code O_CLOEXEC} as the file was opened with (F_GETFD tells the descriptor's own flag). */
    CLOEXEC(02000000),
    /** {@code O_SYNC} (includes {@link #DSYNC}'s bit): writes wait for data and metadata. */
    SYNC(04000000),
    /** {@code O_PATH}: a descriptor that only names a file. */
    PATH(010000000);

    private final int value;

    StatusFlag(int value) {
        this.value = value;
    }

    /**
     * The C bit ({@code O_*}). For {@link #SYNC} this is the bit of its own ({@code __O_SYNC});
     * {@code O_SYNC} as a C value is {@code SYNC | DSYNC}.
     *
     * @return the {@code O_*} value
     */
    public int value() {
        return value;
    }

    /**
     * The C {@code int} for a set of flags (0 for an empty set).
     *
     * @param flags the flags
     * @return their bits OR-ed together
     */
    public static int bits(Set<StatusFlag> flags) {
        int bits = 0;
        for (StatusFlag f : flags) {
            bits |= f.value;
        }
        return bits;
    }

    /**
     * The flags in {@code bits} (the access mode bits, 3, are not flags and are left out).
     *
     * @param bits {@code O_*} status bits
     * @return the flags, a new set
     * @throws IllegalArgumentException if {@code bits} has a bit beyond the access mode that ringio
     *                                  does not name (bits are never silently dropped; use
     *                                  {@link StatusFlags#of(int)} to keep them)
     */
    public static EnumSet<StatusFlag> of(int bits) {
        int unknown = unknownBits(bits);
        if (unknown != 0) {
            throw new IllegalArgumentException("status flags 0" + Integer.toOctalString(bits)
                    + " have bits ringio does not name: 0" + Integer.toOctalString(unknown));
        }
        return known(bits);
    }

    static EnumSet<StatusFlag> known(int bits) {
        EnumSet<StatusFlag> set = EnumSet.noneOf(StatusFlag.class);
        for (StatusFlag f : values()) {
            if ((bits & f.value) != 0) {
                set.add(f);
            }
        }
        return set;
    }

    /** The bits of {@code bits}, beyond the access mode, that no constant names. */
    static int unknownBits(int bits) {
        int known = AccessMode.MASK;
        for (StatusFlag f : values()) {
            known |= f.value;
        }
        return bits & ~known;
    }
}
