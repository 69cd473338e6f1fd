package dev.ringio.net;

/**
 * The value of {@code SO_LINGER} ({@code struct linger}): whether {@code close} lingers to send
 * unsent data, and for how long. {@code Linger.seconds(0)} makes close reset the connection (RST)
 * instead of the orderly FIN.
 *
 * @param enabled {@code l_onoff}
 * @param seconds {@code l_linger}, {@code >= 0}; 0 when off
 */
public record Linger(boolean enabled, int seconds) {

    private static final Linger OFF = new Linger(false, 0);

    /**
     * Checks the components.
     *
     * @param enabled {@code l_onoff}
     * @param seconds {@code l_linger}, {@code >= 0}; 0 when off
     * @throws IllegalArgumentException for negative seconds, or seconds with linger off
     */
    public Linger {
        if (seconds < 0) {
            throw new IllegalArgumentException("linger of " + seconds + " s (must be >= 0)");
        }
        if (!enabled && seconds != 0) {
            throw new IllegalArgumentException("linger off with " + seconds + " s (use Linger.off())");
        }
    }

    /**
     * Lingering off: close returns at once and the kernel sends what is left in the background.
     *
     * @return lingering off
     */
    public static Linger off() {
        return OFF;
    }

    /**
     * Lingering on: close blocks up to {@code seconds} for unsent data to go out.
     *
     * @param seconds the longest wait, {@code >= 0}
     * @return lingering on for {@code seconds}
     */
    public static Linger seconds(int seconds) {
        return new Linger(true, seconds);
    }

    @Override
    public String toString() {
        return enabled ? "Linger[" + seconds + " s]" : "Linger[off]";
    }
}
