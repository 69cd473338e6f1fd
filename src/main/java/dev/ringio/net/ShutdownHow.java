package dev.ringio.net;

/** Which half of a connection {@code shutdown(2)} ends ({@code SHUT_*}, Linux values). */
public enum ShutdownHow {
    /** {@code SHUT_RD}: no more receptions. */
    READ(0),
    /** {@code SHUT_WR}: no more transmissions; the peer reads end of stream (half-close). */
    WRITE(1),
    /** {@code SHUT_RDWR}: both. */
    BOTH(2);

    private final int value;

    ShutdownHow(int value) {
        this.value = value;
    }

    /**
     * The C value ({@code SHUT_*}).
     *
     * @return the {@code SHUT_*} value
     */
    public int value() {
        return value;
    }
}
