package dev.ringio.os;

import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code poll(2)} event bits ({@code POLL*}, Linux values; checked against the C headers in
 * {@code PollEventTest}): what {@code IoEngine.awaitReadable} and {@code awaitWritable} complete
 * with, seen as a set with {@link #of(int)}. Either engine reports the same bits: io_uring's
 * {@code POLL_ADD} result, or the readiness engine's epoll events, which share these values.
 *
 * <pre>{@code
 * int revents = engine.awaitReadable(fd).join();
 * if (PollEvent.of(revents).contains(PollEvent.HUP)) { ... the writer has gone ... }
 * }</pre>
 */
public enum PollEvent {
    /** {@code POLLIN}: there is data to read (or a connection to accept, or end of stream). */
    IN(0x1),
    /** {@code POLLPRI}: urgent data (TCP out-of-band), or a state change (cgroup, sysfs files). */
    PRI(0x2),
    /** {@code POLLOUT}: a write would not block. */
    OUT(0x4),
    /** {@code POLLERR}: an error is pending (also: the read end of a pipe is gone, for a writer). Always reported. */
    ERR(0x8),
    /** {@code POLLHUP}: hang-up (the peer of a pipe or socket is gone). Always reported. */
    HUP(0x10),
    /** {@code POLLNVAL}: the descriptor is not open. Always reported. */
    NVAL(0x20),
    /** {@code POLLRDNORM}: normal data to read (on Linux, with IN). */
    RDNORM(0x40),
    /** {@code POLLRDBAND}: priority band data to read. */
    RDBAND(0x80),
    /** {@code POLLWRNORM}: normal data may be written (on Linux, with OUT). */
    WRNORM(0x100),
    /** {@code POLLWRBAND}: priority data may be written. */
    WRBAND(0x200),
    /** {@code POLLMSG}: unused by Linux. */
    MSG(0x400),
    /** {@code POLLRDHUP}: the stream socket's peer shut down its writing half. */
    RDHUP(0x2000);

    /** {@code POLLIN}. */
    public static final int POLLIN = 0x1;
    /** {@code POLLPRI}. */
    public static final int POLLPRI = 0x2;
    /** {@code POLLOUT}. */
    public static final int POLLOUT = 0x4;
    /** {@code POLLERR}. */
    public static final int POLLERR = 0x8;
    /** {@code POLLHUP}. */
    public static final int POLLHUP = 0x10;
    /** {@code POLLNVAL}. */
    public static final int POLLNVAL = 0x20;
    /** {@code POLLRDNORM}. */
    public static final int POLLRDNORM = 0x40;
    /** {@code POLLRDBAND}. */
    public static final int POLLRDBAND = 0x80;
    /** {@code POLLWRNORM}. */
    public static final int POLLWRNORM = 0x100;
    /** {@code POLLWRBAND}. */
    public static final int POLLWRBAND = 0x200;
    /** {@code POLLMSG}. */
    public static final int POLLMSG = 0x400;
    /** {@code POLLRDHUP}. */
    public static final int POLLRDHUP = 0x2000;

    private final int value;

    PollEvent(int value) {
        this.value = value;
    }

    /**
     * The C bit ({@code POLL*}).
     *
     * @return the {@code POLL*} bit
     */
    public int value() {
        return value;
    }

    /**
     * The C mask for a set of events.
     *
     * @param events the events
     * @return their bits OR-ed together
     */
    public static int bits(Set<PollEvent> events) {
        int bits = 0;
        for (PollEvent e : events) {
            bits |= e.value;
        }
        return bits;
    }

    /**
     * The events in a mask.
     *
     * @param mask a {@code POLL*} mask
     * @return the events, a new set
     * @throws IllegalArgumentException if the mask has a bit no constant names (bits are never
     *                                  silently dropped; {@link #unknownBits(int)} tells them)
     */
    public static EnumSet<PollEvent> of(int mask) {
        int unknown = unknownBits(mask);
        if (unknown != 0) {
            throw new IllegalArgumentException("poll events 0x" + Integer.toHexString(mask)
                    + " have bits ringio does not name: 0x" + Integer.toHexString(unknown));
        }
        EnumSet<PollEvent> set = EnumSet.noneOf(PollEvent.class);
        for (PollEvent e : values()) {
            if ((mask & e.value) != 0) {
                set.add(e);
            }
        }
        return set;
    }

    /**
     * The bits of {@code mask} that no constant names.
     *
     * @param mask a {@code POLL*} mask
     * @return the unnamed bits
     */
    public static int unknownBits(int mask) {
        int known = 0;
        for (PollEvent e : values()) {
            known |= e.value;
        }
        return mask & ~known;
    }
}
