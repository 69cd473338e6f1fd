package dev.ringio.os;

import java.util.Locale;
import java.util.Optional;

/**
 * The standard Linux signals (x86-64 and arm64 numbering, {@code <signal.h>}), by name and number.
 * Real-time signals have no constants: they are numbers from {@link Signals#rtMin()} to
 * {@link Signals#rtMax()} ({@link Signals#realtime(int)}), and every ringio call that takes a
 * signal takes its number too. Gerbil's {@code SIGHUP ...} constants.
 */
public enum Signal {
    /** SIGHUP (1): Hangup. */
    SIGHUP(1),
    /** SIGINT (2): Interrupt. */
    SIGINT(2),
    /** SIGQUIT (3): Quit. */
    SIGQUIT(3),
    /** SIGILL (4): Illegal instruction. */
    SIGILL(4),
    /** SIGTRAP (5): Trace/breakpoint trap. */
    SIGTRAP(5),
    /** SIGABRT (6): Aborted. */
    SIGABRT(6),
    /** SIGBUS (7): Bus error. */
    SIGBUS(7),
    /** SIGFPE (8): Floating point exception. */
    SIGFPE(8),
    /** SIGKILL (9): Killed. */
    SIGKILL(9),
    /** SIGUSR1 (10): User defined signal 1. */
    SIGUSR1(10),
    /** SIGSEGV (11): Segmentation fault. */
    SIGSEGV(11),
    /** SIGUSR2 (12): User defined signal 2. */
    SIGUSR2(12),
    /** SIGPIPE (13): Broken pipe. */
    SIGPIPE(13),
    /** SIGALRM (14): Alarm clock. */
    SIGALRM(14),
    /** SIGTERM (15): Terminated. */
    SIGTERM(15),
    /** SIGSTKFLT (16): Stack fault. */
    SIGSTKFLT(16),
    /** SIGCHLD (17): Child exited. */
    SIGCHLD(17),
    /** SIGCONT (18): Continued. */
    SIGCONT(18),
    /** SIGSTOP (19): Stopped (signal). */
    SIGSTOP(19),
    /** SIGTSTP (20): Stopped. */
    SIGTSTP(20),
    /** SIGTTIN (21): Stopped (tty input). */
    SIGTTIN(21),
    /** SIGTTOU (22): Stopped (tty output). */
    SIGTTOU(22),
    /** SIGURG (23): Urgent I/O condition. */
    SIGURG(23),
    /** SIGXCPU (24): CPU time limit exceeded. */
    SIGXCPU(24),
    /** SIGXFSZ (25): File size limit exceeded. */
    SIGXFSZ(25),
    /** SIGVTALRM (26): Virtual timer expired. */
    SIGVTALRM(26),
    /** SIGPROF (27): Profiling timer expired. */
    SIGPROF(27),
    /** SIGWINCH (28): Window changed. */
    SIGWINCH(28),
    /** SIGIO (29): I/O possible. */
    SIGIO(29),
    /** SIGPWR (30): Power failure. */
    SIGPWR(30),
    /** SIGSYS (31): Bad system call. */
    SIGSYS(31);

    /** SIGIOT is SIGABRT's other name. */
    public static final Signal SIGIOT = SIGABRT;
    /** SIGPOLL is SIGIO's other name. */
    public static final Signal SIGPOLL = SIGIO;

    private static final Signal[] BY_NUMBER = new Signal[32];

    static {
        for (Signal s : values()) {
            BY_NUMBER[s.number] = s;
        }
    }

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    /**
     * The signal number.
     *
     * @return the signal number
     */
    public int number() {
        return number;
    }

    /**
     * The standard signal with that number; empty for 0, real-time and unknown numbers.
     *
     * @param number a signal number
     * @return the standard signal, or empty
     */
    public static Optional<Signal> of(int number) {
        return number > 0 && number < BY_NUMBER.length ? Optional.ofNullable(BY_NUMBER[number]) : Optional.empty();
    }

    /**
     * The standard signal by name, with or without the {@code SIG} prefix, any case
     * ({@code "SIGUSR1"}, {@code "usr1"}, {@code "IOT"}).
     *
     * @param name the signal's name
     * @return the signal
     * @throws IllegalArgumentException for a name that is no standard signal (see
     *                                  {@link Signals#number(String)} for real-time names)
     */
    public static Signal named(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (!n.startsWith("SIG")) {
            n = "SIG" + n;
        }
        return switch (n) {
            case "SIGIOT" -> SIGABRT;
            case "SIGPOLL" -> SIGIO;
            default -> {
                try {
                    yield valueOf(n);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("no standard signal named " + name, e);
                }
            }
        };
    }
}
