package dev.ringio.engine.poll;

/**
 * The interest bits a {@link Poller} takes, independent of the OS (epoll's {@code EPOLLIN} and
 * kqueue's {@code EVFILT_READ} both map to {@link #READ}). Combine with {@code |}.
 *
 * <p>Errors and hangups are always reported, whatever the interest (epoll reports EPOLLERR and
 * EPOLLHUP unasked; kqueue sets EV_EOF / EV_ERROR on the registered filters).
 */
public final class Interest {

    /** No readiness wanted: only errors and hangups are reported. */
    public static final int NONE = 0;
    /** Readable: data, end of stream, or a pending connection on a listener. */
    public static final int READ = 1;
    /** Writable: buffer space, or a finished non-blocking connect. */
    public static final int WRITE = 1 << 1;
    /**
     * Report once, then disarm until {@link Poller#modify} re-arms the registration (the
     * descriptor stays registered; {@link Poller#deregister} still applies).
     */
    public static final int ONESHOT = 1 << 2;

    /** Every bit this class defines. */
    public static final int ALL = READ | WRITE | ONESHOT;

    private Interest() {
    }

    /**
     * {@code interest} itself, or an {@link IllegalArgumentException} for bits this class does not
     * define. Any thread.
     */
    public static int check(int interest) {
        if ((interest & ~ALL) != 0) {
            throw new IllegalArgumentException("unknown interest bits 0x" + Integer.toHexString(interest & ~ALL));
        }
        return interest;
    }

    /** {@code "READ|WRITE|ONESHOT"}, {@code "NONE"}; for messages. Any thread. */
    public static String toString(int interest) {
        if (interest == NONE) {
            return "NONE";
        }
        StringBuilder sb = new StringBuilder();
        if ((interest & READ) != 0) {
            sb.append("READ|");
        }
        if ((interest & WRITE) != 0) {
            sb.append("WRITE|");
        }
        if ((interest & ONESHOT) != 0) {
            sb.append("ONESHOT|");
        }
        if ((interest & ~ALL) != 0) {
            sb.append("0x").append(Integer.toHexString(interest & ~ALL)).append('|');
        }
        return sb.substring(0, sb.length() - 1);
    }
}
