package dev.ringio.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ringio.Errno;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Signal handlers in Java (Gerbil's {@code add-signal-handler!} / {@code remove-signal-handler!}):
 * code that runs when the process receives a signal, whichever thread the kernel delivers it to.
 *
 * <p><b>How delivery works.</b> Adding the first handler for a signal installs ringio's native
 * handler for it with {@code sigaction} (keeping the action it replaces). A signal sent to the
 * process is delivered to any one thread that does not block it; on that thread the native handler
 * only writes a 16-byte record (signal, si_code, sender pid and uid) into a pipe, non-blocking,
 * and returns. A platform daemon thread of ringio's, {@code ringio-signals}, reads the pipe and
 * calls the Java handlers, in order of registration, off every engine loop and never inside the
 * native handler. Signals of one kind that arrive together may be merged (as the kernel merges
 * pending standard signals; a full pipe, 4096 records, drops more). Removing the last handler of a
 * signal restores the action that was there before; removing the last of all stops the thread and
 * closes the pipe.
 *
 * <p><b>Signals ringio refuses</b> ({@link #refusalReason}): SIGKILL and SIGSTOP (the kernel
 * forbids it), the C library's internal 32 and 33, and the signals the JVM needs for itself:
 * SIGSEGV, SIGBUS, SIGFPE, SIGILL (HotSpot turns them into NullPointerException, stack-overflow and
 * safepoint handling, and crash reports), SIGTRAP (HotSpot traps on some platforms, debuggers),
 * SIGQUIT (the thread dump), SIGUSR2 (HotSpot's thread suspend/resume signal), SIGPIPE and SIGXFSZ
 * (HotSpot handles them so that a write to a closed pipe or past the file-size limit fails with
 * EPIPE / EFBIG instead of killing the process), and SIGRTMAX-2 (the JDK's signal for waking threads
 * blocked in network and NIO calls on close). SIGHUP, SIGINT and SIGTERM are allowed: a handler
 * replaces the JVM's shutdown on them (as {@code sun.misc.Signal.handle} does) until removed.
 *
 * <p>Threading: every method is safe from any thread.
 */
public final class SignalHandlers {

    private static final Object LOCK = new Object();
    /** Guarded by LOCK: the handlers per signal (the lists themselves are read by the dispatcher). */
    private static final Map<Integer, CopyOnWriteArrayList<Registration>> HANDLERS = new HashMap<>();
    /** Guarded by LOCK: the running dispatcher, or null. */
    private static Dispatcher dispatcher;

    private SignalHandlers() {
    }

    /** A handler's registration; {@link #close()} removes it. */
    public static final class Registration implements AutoCloseable {
        private final int signal;
        private final SignalHandler handler;

        private Registration(int signal, SignalHandler handler) {
            this.signal = signal;
            this.handler = handler;
        }

        /**
         * The signal number.
         *
         * @return the signal number
         */
        public int signal() {
            return signal;
        }

        /** Removes this handler (the native handler goes with the signal's last one). Idempotent. */
        @Override
        public void close() {
            SignalHandlers.remove(this);
        }

        @Override
        public String toString() {
            return "SignalHandlers.Registration[" + Signals.name(signal) + "]";
        }
    }

    /**
     * Why ringio refuses to handle {@code signal}, or empty when it may be handled.
     *
     * @param signal the signal number
     * @return the reason, or empty
     * @throws IllegalArgumentException outside 1..64
     */
    public static Optional<String> refusalReason(int signal) {
        Signals.check(signal, false);
        if (signal == Signals.rtMax() - 2) {
            return Optional.of("SIGRTMAX-2 is the JDK's signal for waking threads blocked in network and NIO calls when their channel closes");
        }
        if (signal >= 32 && signal < Signals.rtMin()) {
            return Optional.of("SIG" + signal + " is reserved by the C library (thread cancellation, setxid)");
        }
        return Signal.of(signal).map(s -> switch (s) {
            case SIGKILL, SIGSTOP -> s + " cannot be caught (the kernel forbids it)";
            case SIGSEGV, SIGBUS, SIGFPE, SIGILL -> s + " belongs to the JVM: HotSpot turns it into NullPointerException,"
                    + " ArithmeticException, stack-overflow and safepoint handling, and crash reports";
            case SIGTRAP -> s + " belongs to the JVM (HotSpot's traps on some platforms) and to debuggers";
            case SIGQUIT -> s + " belongs to the JVM: it prints the thread dump";
            case SIGUSR2 -> s + " belongs to the JVM: HotSpot's thread suspend/resume signal";
            case SIGPIPE, SIGXFSZ -> s + " belongs to the JVM: its handler lets a write fail with "
                    + (s == Signal.SIGPIPE ? "EPIPE" : "EFBIG") + " instead of killing the process";
            default -> null;
        });
    }

    /**
     * {@link #add(int, SignalHandler)} for a standard signal.
     *
     * @param signal the signal
     * @param handler called on ringio's signal thread for each delivery
     * @return the registration, which removes the handler when closed
     * @throws NativeIoException if sigaction or the pipe fails
     */
    public static Registration add(Signal signal, SignalHandler handler) throws NativeIoException {
        return add(signal.number(), handler);
    }

    /**
     * Adds {@code handler} for {@code signal}: from now on, each delivery of the signal to this
     * process calls it on ringio's signal thread. Any thread.
     *
     * @param signal the signal number
     * @param handler called on ringio's signal thread for each delivery
     * @return the registration, which removes the handler when closed
     * @throws IllegalArgumentException for a signal ringio refuses, with {@link #refusalReason}'s text
     * @throws NativeIoException        if sigaction or the pipe fails
     */
    public static Registration add(int signal, SignalHandler handler) throws NativeIoException {
        Objects.requireNonNull(handler, "handler");
        Optional<String> refused = refusalReason(signal);
        if (refused.isPresent()) {
            throw new IllegalArgumentException("add signal handler for " + Signals.name(signal) + ": " + refused.get());
        }
        Registration reg = new Registration(signal, handler);
        synchronized (LOCK) {
            if (dispatcher == null) {
                dispatcher = Dispatcher.start();
            }
            CopyOnWriteArrayList<Registration> list = HANDLERS.get(signal);
            if (list == null) {
                list = new CopyOnWriteArrayList<>();
                HANDLERS.put(signal, list);
                int r = Shim.get().sigHandlerInstall(signal);
                if (r < 0) {
                    HANDLERS.remove(signal);
                    stopIfIdle();
                    throw new NativeIoException("sigaction " + Signals.name(signal), -r);
                }
            }
            list.add(reg);
        }
        return reg;
    }

    /**
     * Removes every handler of {@code signal} and restores the action that was there before the
     * first was added. Nothing happens when it has none. Any thread.
     *
     * @param signal the signal number
     */
    public static void remove(int signal) {
        synchronized (LOCK) {
            CopyOnWriteArrayList<Registration> list = HANDLERS.get(signal);
            if (list != null) {
                list.clear();
                removeSignal(signal);
            }
        }
    }

    /**
     * {@link #remove(int)} for a standard signal.
     *
     * @param signal the signal
     */
    public static void remove(Signal signal) {
        remove(signal.number());
    }

    /**
     * The signals that have handlers now.
     *
     * @return the handled signals, a new set
     */
    public static SignalSet handled() {
        synchronized (LOCK) {
            SignalSet s = SignalSet.empty();
            HANDLERS.keySet().forEach(s::add);
            return s;
        }
    }

    private static void remove(Registration reg) {
        synchronized (LOCK) {
            CopyOnWriteArrayList<Registration> list = HANDLERS.get(reg.signal);
            if (list != null && list.remove(reg) && list.isEmpty()) {
                removeSignal(reg.signal);
            }
        }
    }

    /** Under LOCK. */
    private static void removeSignal(int signal) {
        HANDLERS.remove(signal);
        int r = Shim.get().sigHandlerRestore(signal);
        if (r < 0) {
            System.getLogger("dev.ringio").log(System.Logger.Level.WARNING,
                    "restoring the action of " + Signals.name(signal) + ": " + Errno.nameOf(-r));
        }
        stopIfIdle();
    }

    /** Under LOCK: with no handler left, detach the pipe from the native handler and stop the thread. */
    private static void stopIfIdle() {
        if (HANDLERS.isEmpty() && dispatcher != null) {
            dispatcher.stop();
            dispatcher = null;
        }
    }

    private static List<Registration> handlersOf(int signal) {
        CopyOnWriteArrayList<Registration> list;
        synchronized (LOCK) {
            list = HANDLERS.get(signal);
        }
        return list == null ? List.of() : list;
    }

    /** The pipe the native handler writes to and the thread that reads it. */
    private static final class Dispatcher implements Runnable {
        private static final int RECORD = 16;
        private final Pipe pipe;
        private final Thread thread;

        private Dispatcher(Pipe pipe) {
            this.pipe = pipe;
            this.thread = Thread.ofPlatform().name("ringio-signals").daemon().unstarted(this);
        }

        static Dispatcher start() throws NativeIoException {
            Pipe p = Pipe.open();
            // The native handler must never block: the write end is non-blocking (a full pipe drops).
            int w = p.writeEnd().value();
            long fl = Shim.get().fcntl(w, 3 /* F_GETFL */, 0);
            if (fl < 0 || Shim.get().fcntl(w, 4 /* F_SETFL */, fl | 04000) < 0) {
                p.close();
                throw new NativeIoException("fcntl(F_SETFL, O_NONBLOCK) signal pipe", (int) -Math.min(fl, -Errno.EINVAL.value()));
            }
            Dispatcher d = new Dispatcher(p);
            Shim.get().sigNotifyFd(w);
            d.thread.start();
            return d;
        }

        /** Detaches the pipe from the native handler, waits until no thread is inside it, and ends the thread. */
        void stop() {
            Shim.get().sigNotifyFd(-1);
            Shim.get().sigQuiesce();
            // A record with signal 0 tells the thread to stop; it closes the pipe on its way out.
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment rec = arena.allocate(RECORD);
                // The thread drains the pipe, so a full one (EAGAIN) has room again soon.
                while (Shim.get().write(pipe.writeEnd().value(), rec.address(), RECORD) == -Errno.EAGAIN.value()) {
                    Thread.onSpinWait();
                    Thread.yield();
                }
            }
        }

        @Override
        public void run() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(RECORD * 256L, 8);
                int carry = 0;
                while (true) {
                    long n = Shim.get().read(pipe.readEnd().value(), buf.address() + carry, buf.byteSize() - carry);
                    if (n == -Errno.EINTR.value()) {
                        continue;
                    }
                    if (n <= 0) {
                        return;
                    }
                    int total = carry + (int) n;
                    int at = 0;
                    for (; at + RECORD <= total; at += RECORD) {
                        int sig = buf.get(JAVA_INT, at);
                        if (sig == 0) {
                            return;
                        }
                        dispatch(new SignalDelivery(sig, buf.get(JAVA_INT, at + 4), buf.get(JAVA_INT, at + 8),
                                buf.get(JAVA_INT, at + 12)));
                    }
                    carry = total - at;
                    if (carry > 0) {
                        MemorySegment.copy(buf, at, buf, 0, carry);
                    }
                }
            } finally {
                pipe.close();
            }
        }

        private static void dispatch(SignalDelivery d) {
            for (Registration r : handlersOf(d.signal())) {
                try {
                    r.handler.handle(d);
                } catch (Throwable t) {
                    System.getLogger("dev.ringio").log(System.Logger.Level.WARNING,
                            "a handler of " + Signals.name(d.signal()) + " failed", t);
                }
            }
        }
    }
}
