package dev.ringio.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Objects;

import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Signals: sending them ({@code kill}, {@code tgkill}), the calling thread's signal mask
 * ({@code pthread_sigmask}: block, unblock, set, query), pending signals, and names and numbers,
 * real-time ones included (Gerbil's {@code std/os/signal}).
 *
 * <p>The mask is per thread: {@link #block} changes the calling thread's only. In a JVM a signal
 * sent to the process goes to any one thread that does not block it, and the JVM's threads do not
 * block the common ones, so blocking a signal in one thread does not keep it from the process; see
 * {@link SignalFd} and {@link SignalHandlers} for how ringio receives signals, and
 * docs/os.md ("How delivery works in a JVM"). Every method is safe from any thread.
 */
public final class Signals {

    static final int SIG_BLOCK = 0;
    static final int SIG_UNBLOCK = 1;
    static final int SIG_SETMASK = 2;

    private Signals() {
    }

    /**
     * Sends {@code signal} to the process {@code pid} ({@code kill(2)}; pid 0: this process group,
     * -1: every process it may signal, {@code -pgid}: that group). Signal 0 only checks that the
     * process exists and may be signalled.
     *
     * @param pid the process ({@code > 0}), {@code 0} for this process group, {@code -1} for every
     *            process, {@code -pgid} for a group
     * @param signal the signal number, or 0 to check only
     * @throws NativeIoException ESRCH (no such process), EPERM, EINVAL (bad signal); the message
     *                           names the pid and the signal
     */
    public static void kill(long pid, int signal) throws NativeIoException {
        check(signal, true);
        int r = Shim.get().kill(Math.toIntExact(pid), signal);
        if (r < 0) {
            throw new NativeIoException("kill(" + pid + ", " + name(signal) + ")", -r);
        }
    }

    /**
     * {@link #kill(long, int)} with a standard signal.
     *
     * @param pid the process, as for {@link #kill(long, int)}
     * @param signal the signal
     * @throws NativeIoException ESRCH (no such process), EPERM
     */
    public static void kill(long pid, Signal signal) throws NativeIoException {
        kill(pid, signal.number());
    }

    /**
     * Sends {@code signal} to one thread {@code tid} of this process ({@code tgkill(2)}): a
     * thread-directed signal, which only that thread can take (and stays pending for it while it
     * blocks the signal). Get a thread's id with {@link #currentThreadId()} on that thread.
     *
     * @param tid the thread id, from {@link #currentThreadId()}
     * @param signal the signal number
     * @throws NativeIoException ESRCH when no thread of this process has that id
     */
    public static void killThread(int tid, int signal) throws NativeIoException {
        check(signal, true);
        int r = Shim.get().tgkill((int) ProcessHandle.current().pid(), tid, signal);
        if (r < 0) {
            throw new NativeIoException("tgkill(" + tid + ", " + name(signal) + ")", -r);
        }
    }

    /**
     * The kernel thread id of the calling thread ({@code gettid(2)}); a virtual thread gets its
     * carrier's.
     *
     * @return the calling thread's kernel thread id
     */
    public static int currentThreadId() {
        return Shim.get().gettid();
    }

    /**
     * Adds {@code set} to the calling thread's blocked signals; returns the mask before.
     *
     * @param set the signals
     * @return the calling thread's blocked signals before the call
     * @throws NativeIoException naming the call, with the errno
     */
    public static SignalSet block(SignalSet set) throws NativeIoException {
        return sigmask(SIG_BLOCK, set, "pthread_sigmask(SIG_BLOCK)");
    }

    /**
     * Removes {@code set} from the calling thread's blocked signals; returns the mask before.
     *
     * @param set the signals
     * @return the calling thread's blocked signals before the call
     * @throws NativeIoException naming the call, with the errno
     */
    public static SignalSet unblock(SignalSet set) throws NativeIoException {
        return sigmask(SIG_UNBLOCK, set, "pthread_sigmask(SIG_UNBLOCK)");
    }

    /**
     * Replaces the calling thread's blocked signals with {@code set}; returns the mask before.
     *
     * @param set the signals
     * @return the calling thread's blocked signals before the call
     * @throws NativeIoException naming the call, with the errno
     */
    public static SignalSet setBlocked(SignalSet set) throws NativeIoException {
        return sigmask(SIG_SETMASK, set, "pthread_sigmask(SIG_SETMASK)");
    }

    /**
     * The calling thread's blocked signals now.
     *
     * @return the blocked signals
     * @throws NativeIoException naming the call, with the errno
     */
    public static SignalSet blocked() throws NativeIoException {
        return sigmask(-1, SignalSet.empty(), "pthread_sigmask");
    }

    /**
     * The signals pending for the calling thread: sent to it or to the process while blocked
     * ({@code sigpending(2)}).
     *
     * @return the pending signals
     * @throws NativeIoException naming the call, with the errno
     */
    public static SignalSet pending() throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            NativeIoException.check("sigpending", Shim.get().sigpending(out.address()));
            return SignalSet.fromBits(out.get(JAVA_LONG, 0));
        }
    }

    private static SignalSet sigmask(int how, SignalSet set, String op) throws NativeIoException {
        Objects.requireNonNull(set, "set");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(JAVA_LONG);
            NativeIoException.check(op, Shim.get().sigmask(how, set.bits(), old.address()));
            return SignalSet.fromBits(old.get(JAVA_LONG, 0));
        }
    }

    /**
     * SIGRTMIN: the first real-time signal the C library leaves to programs (34 with glibc).
     *
     * @return SIGRTMIN
     */
    public static int rtMin() {
        return Shim.get().sigRt(0);
    }

    /**
     * SIGRTMAX: the last real-time signal (64).
     *
     * @return SIGRTMAX
     */
    public static int rtMax() {
        return Shim.get().sigRt(1);
    }

    /**
     * The real-time signal {@code SIGRTMIN + offset}.
     *
     * @param offset the offset from SIGRTMIN, {@code >= 0}
     * @return the signal number
     * @throws IllegalArgumentException beyond SIGRTMAX or for a negative offset
     */
    public static int realtime(int offset) {
        int s = rtMin() + offset;
        if (offset < 0 || s > rtMax()) {
            throw new IllegalArgumentException("SIGRTMIN+" + offset + " is beyond SIGRTMAX (" + rtMax() + ")");
        }
        return s;
    }

    /**
     * The name of a signal number: {@code "SIGUSR1"}, {@code "SIGRTMIN+2"}, {@code "SIGRTMAX"};
     * {@code "SIG32"} for numbers the C library keeps for itself, {@code "signal 99"} out of range.
     *
     * @param signal a signal number
     * @return its name
     */
    public static String name(int signal) {
        return Signal.of(signal).map(Signal::name).orElseGet(() -> {
            if (signal < 1 || signal > 64) {
                return "signal " + signal;
            }
            int min = rtMin();
            int max = rtMax();
            if (signal == max) {
                return "SIGRTMAX";
            }
            if (signal >= min && signal < max) {
                return signal == min ? "SIGRTMIN" : "SIGRTMIN+" + (signal - min);
            }
            return "SIG" + signal;
        });
    }

    /**
     * The number of a signal name: standard names with or without {@code SIG} ({@code "TERM"}),
     * {@code "SIGRTMIN"}, {@code "SIGRTMIN+n"}, {@code "SIGRTMAX"}, {@code "SIGRTMAX-n"}, or a
     * number as text.
     *
     * @param name a signal name or number
     * @return the signal number
     * @throws IllegalArgumentException for anything else
     */
    public static int number(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (!n.isEmpty() && Character.isDigit(n.charAt(0))) {
            int s = Integer.parseInt(n);
            check(s, false);
            return s;
        }
        String bare = n.startsWith("SIG") ? n.substring(3) : n;
        if (bare.startsWith("RTMIN")) {
            return bare.length() == 5 ? rtMin() : realtime(Integer.parseInt(bare.substring(5).replace("+", "")));
        }
        if (bare.startsWith("RTMAX")) {
            int back = bare.length() == 5 ? 0 : -Integer.parseInt(bare.substring(5));
            if (back < 0 || rtMax() - back < rtMin()) {
                throw new IllegalArgumentException("no real-time signal named " + name);
            }
            return rtMax() - back;
        }
        return Signal.named(n).number();
    }

    static void check(int signal, boolean zeroAllowed) {
        if (signal < (zeroAllowed ? 0 : 1) || signal > 64) {
            throw new IllegalArgumentException("signal number out of range " + (zeroAllowed ? 0 : 1) + "..64: " + signal);
        }
    }
}
