package dev.ringio.os;

import java.util.EnumSet;
import java.util.Set;

/**
 * The event bits and input flags of {@link Epoll} ({@code EPOLL*}, Linux values; checked against
 * the C headers in {@code EpollTest}). The readiness bits share their values with
 * {@link PollEvent}; {@link #EXCLUSIVE}, {@link #WAKEUP}, {@link #ONESHOT} and {@link #ET} are
 * flags of a registration, never reported.
 */
public enum EpollEvent {
    /** {@code EPOLLIN}: readable. */
    IN(0x1),
    /** {@code EPOLLPRI}: urgent data or a state change. */
    PRI(0x2),
    /** {@code EPOLLOUT}: writable. */
    OUT(0x4),
    /** {@code EPOLLERR}: an error is pending; always reported, need not be asked for. */
    ERR(0x8),
    /** {@code EPOLLHUP}: hang-up; always reported, need not be asked for. */
    HUP(0x10),
    /** {@code EPOLLRDNORM}. */
    RDNORM(0x40),
    /** {@code EPOLLRDBAND}. */
    RDBAND(0x80),
    /** {@code EPOLLWRNORM}. */
    WRNORM(0x100),
    /** {@code EPOLLWRBAND}. */
    WRBAND(0x200),
    /** {@code EPOLLMSG}: unused by Linux. */
    MSG(0x400),
    /** {@code EPOLLRDHUP}: the stream socket's peer shut down its writing half. */
    RDHUP(0x2000),
    /**
     * {@code EPOLLEXCLUSIVE} (add only): when several epoll instances wait on the same descriptor,
     * wake one of them, not all. Refused (EINVAL) by {@link Epoll#modify}, and with ONESHOT.
     */
    EXCLUSIVE(1 << 28),
    /**
     * {@code EPOLLWAKEUP}: keep the system from suspending while the event is pending; needs
     * CAP_BLOCK_SUSPEND, silently ignored without it.
     */
    WAKEUP(1 << 29),
    /** {@code EPOLLONESHOT}: after one event the registration is disabled until {@link Epoll#modify} re-arms it. */
    ONESHOT(1 << 30),
    /** {@code EPOLLET}: edge-triggered; report a change of state once, not a state for as long as it lasts. */
    ET(1 << 31);

    private final int value;

    EpollEvent(int value) {
        this.value = value;
    }

    /**
     * The C bit ({@code EPOLL*}; {@link #ET} is the sign bit).
     *
     * @return the {@code EPOLL*} bit
     */
    public int value() {
        return value;
    }

    /**
     * The C mask for a set of events and flags.
     *
     * @param events the events and flags
     * @return their bits OR-ed together
     */
    public static int bits(Set<EpollEvent> events) {
        int bits = 0;
        for (EpollEvent e : events) {
            bits |= e.value;
        }
        return bits;
    }

    /**
     * The events in a mask.
     *
     * @param mask an {@code EPOLL*} mask
     * @return the events and flags, a new set
     * @throws IllegalArgumentException if the mask has a bit no constant names (never silently
     *                                  dropped; {@link #unknownBits(int)} tells them)
     */
    public static EnumSet<EpollEvent> of(int mask) {
        int unknown = unknownBits(mask);
        if (unknown != 0) {
            throw new IllegalArgumentException("epoll events 0x" + Integer.toHexString(mask)
                    + " have bits ringio does not name: 0x" + Integer.toHexString(unknown));
        }
        EnumSet<EpollEvent> set = EnumSet.noneOf(EpollEvent.class);
        for (EpollEvent e : values()) {
            if ((mask & e.value) != 0) {
                set.add(e);
            }
        }
        return set;
    }

    /**
     * The bits of {@code mask} that no constant names.
     *
     * @param mask an {@code EPOLL*} mask
     * @return the unnamed bits
     */
    public static int unknownBits(int mask) {
        int known = 0;
        for (EpollEvent e : values()) {
            known |= e.value;
        }
        return mask & ~known;
    }
}
