package dev.ringio.os;

/** The access mode of an open file description ({@code F_GETFL & O_ACCMODE}). */
public enum AccessMode {
    /** {@code O_RDONLY}. */
    READ_ONLY(0),
    /** {@code O_WRONLY}. */
    WRITE_ONLY(1),
    /** {@code O_RDWR}. */
    READ_WRITE(2),
    /** {@code O_ACCMODE} itself (3): Linux's "no access" mode, used by some drivers (ioctl only). */
    NONE(3);

    /** {@code O_ACCMODE}. */
    static final int MASK = 3;

    private final int value;

    AccessMode(int value) {
        this.value = value;
    }

    /**
     * The C value.
     *
     * @return the {@code O_RDONLY} / {@code O_WRONLY} / {@code O_RDWR} value
     */
    public int value() {
        return value;
    }

    /**
     * The access mode in a status word ({@code bits & O_ACCMODE}).
     *
     * @param bits a status word
     * @return its access mode
     */
    public static AccessMode of(int bits) {
        return values()[bits & MASK];
    }
}
