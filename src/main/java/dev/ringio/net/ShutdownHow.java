package dev.ringio.net;

/** Which half of a connection {@code shutdown(2)} closes ({@code SHUT_RD}, {@code SHUT_WR}, {@code SHUT_RDWR}). */
public enum ShutdownHow {
    READ(0), WRITE(1), BOTH(2);

    private final int value;

    ShutdownHow(int value) {
        this.value = value;
    }

    /** The C value. */
    public int value() {
        return value;
    }
}
