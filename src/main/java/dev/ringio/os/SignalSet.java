package dev.ringio.os;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A set of signals 1..64 ({@code sigset_t}): {@link #empty()} ({@code sigemptyset}),
 * {@link #full()} ({@code sigfillset}), {@link #add} ({@code sigaddset}), {@link #remove}
 * ({@code sigdelset}), {@link #contains} ({@code sigismember}). Mutable, like the C type; not
 * thread-safe (confine one set to a thread, or copy it).
 */
public final class SignalSet {

    private long bits;

    private SignalSet(long bits) {
        this.bits = bits;
    }

    /**
     * A new empty set ({@code sigemptyset}).
     *
     * @return a new empty set
     */
    public static SignalSet empty() {
        return new SignalSet(0);
    }

    /**
     * A new set of every signal 1..64 ({@code sigfillset}).
     *
     * @return a new full set
     */
    public static SignalSet full() {
        return new SignalSet(-1L);
    }

    /**
     * A new set of these signals.
     *
     * @param signals the members
     * @return a new set
     */
    public static SignalSet of(Signal... signals) {
        SignalSet s = empty();
        for (Signal sig : signals) {
            s.add(sig);
        }
        return s;
    }

    /**
     * A new set of these signal numbers.
     *
     * @param signals the members' numbers, 1 to 64
     * @return a new set
     */
    public static SignalSet ofNumbers(int... signals) {
        SignalSet s = empty();
        for (int sig : signals) {
            s.add(sig);
        }
        return s;
    }

    /**
     * The set whose bit n-1 is signal n (the form the shim passes).
     *
     * @param bits bit n-1 for each member n
     * @return a new set
     */
    public static SignalSet fromBits(long bits) {
        return new SignalSet(bits);
    }

    /**
     * Bit n-1 set for each member n.
     *
     * @return the members as bits
     */
    public long bits() {
        return bits;
    }

    /**
     * Adds {@code signal} ({@code sigaddset}); returns this set.
     *
     * @param signal the signal number, 1 to 64
     * @return this set
     */
    public SignalSet add(int signal) {
        bits |= bit(signal);
        return this;
    }

    /**
     * Adds {@code signal}; returns this set.
     *
     * @param signal the signal
     * @return this set
     */
    public SignalSet add(Signal signal) {
        return add(signal.number());
    }

    /**
     * Removes {@code signal} ({@code sigdelset}); returns this set.
     *
     * @param signal the signal number, 1 to 64
     * @return this set
     */
    public SignalSet remove(int signal) {
        bits &= ~bit(signal);
        return this;
    }

    /**
     * Removes {@code signal}; returns this set.
     *
     * @param signal the signal
     * @return this set
     */
    public SignalSet remove(Signal signal) {
        return remove(signal.number());
    }

    /**
     * Whether {@code signal} is a member ({@code sigismember}).
     *
     * @param signal the signal number, 1 to 64
     * @return true if {@code signal} is a member
     */
    public boolean contains(int signal) {
        return (bits & bit(signal)) != 0;
    }

    /**
     * Whether {@code signal} is a member.
     *
     * @param signal the signal
     * @return true if {@code signal} is a member
     */
    public boolean contains(Signal signal) {
        return contains(signal.number());
    }

    /**
     * Whether the set has no member.
     *
     * @return true if the set is empty
     */
    public boolean isEmpty() {
        return bits == 0;
    }

    /**
     * The members, ascending.
     *
     * @return the member numbers, ascending
     */
    public List<Integer> numbers() {
        List<Integer> out = new ArrayList<>(Long.bitCount(bits));
        for (int s = 1; s <= 64; s++) {
            if (contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * A copy of this set.
     *
     * @return a new set with the same members
     */
    public SignalSet copy() {
        return new SignalSet(bits);
    }

    private static long bit(int signal) {
        if (signal < 1 || signal > 64) {
            throw new IllegalArgumentException("signal number out of range 1..64: " + signal);
        }
        return 1L << (signal - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignalSet s && s.bits == bits;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(bits);
    }

    /** e.g. {@code [SIGINT, SIGUSR1, SIGRTMIN+2]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int s : numbers()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(Signals.name(s));
        }
        return sb.append(']').toString();
    }
}
