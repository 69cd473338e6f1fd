package dev.ringio;

import java.util.Set;

/** {@code openat2(2)} resolve flags ({@code struct open_how.resolve}). */
public enum Resolve {
    /** Stay on the mount of the starting directory. */
    NO_XDEV(0x01),
    /** No /proc "magic links". */
    NO_MAGICLINKS(0x02),
    /** No symbolic links at all. */
    NO_SYMLINKS(0x04),
    /** The path must resolve beneath the starting directory ({@code ..} escapes fail with EXDEV). */
    BENEATH(0x08),
    /** Treat the starting directory as the root. */
    IN_ROOT(0x10),
    /** Only resolve from the dentry cache (fails with EAGAIN otherwise). */
    CACHED(0x20);

    private final int bit;

    Resolve(int bit) {
        this.bit = bit;
    }

    /**
     * The C bit ({@code RESOLVE_*}).
     *
     * @return the {@code RESOLVE_*} bit
     */
    public int bit() {
        return bit;
    }

    /**
     * The bits of a set of flags.
     *
     * @param flags the flags
     * @return their bits OR-ed together
     */
    public static long bits(Set<Resolve> flags) {
        long b = 0;
        for (Resolve r : flags) {
            b |= r.bit;
        }
        return b;
    }
}
