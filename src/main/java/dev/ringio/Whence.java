package dev.ringio;

/** The origin of an {@link Fd#lseek(long, Whence)}. Values are Linux's. */
public enum Whence {
    /** From the start of the file. */
    SET(0),
    /** From the current offset. */
    CUR(1),
    /** From the end of the file. */
    END(2),
    /** To the next data at or after the offset. */
    DATA(3),
    /** To the next hole at or after the offset. */
    HOLE(4);

    private final int value;

    Whence(int value) {
        this.value = value;
    }

    /**
     * The C value ({@code SEEK_SET} ...).
     *
     * @return the {@code SEEK_*} value
     */
    public int value() {
        return value;
    }
}
