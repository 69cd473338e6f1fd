package dev.ringio;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.ringio.engine.poll.PollEngine;
import dev.ringio.engine.uring.UringEngine;

/**
 * Whether one kind of engine ({@code io_uring}, {@code epoll}, {@code kqueue}) can start here, and
 * if not, why: the same gate for every kind, computed once per JVM on first use (io_uring: a
 * two-entry ring is set up and destroyed; epoll: an epoll instance is made and closed; kqueue:
 * whether this OS has it and its {@code struct kevent} is mirrored). {@link IoEngines#open()} skips a
 * candidate whose gate is shut, keeping the reason; {@link IoEngines#availability()} and
 * {@code ringio info} report the gates.
 *
 * <p>A gate that is open does not promise that {@link IoEngines#open(String, EngineConfig)} succeeds
 * (a full-size ring may still exceed RLIMIT_MEMLOCK), and a gate is not recomputed when the
 * conditions change (a raised limit, a changed sysctl) during the JVM's life.
 *
 * <p>Threading: any thread; instances are immutable.
 */
public final class EngineAvailability {

    private final String engine;
    private final Throwable cause;

    private EngineAvailability(String engine, Throwable cause) {
        this.engine = engine;
        this.cause = cause;
    }

    /**
     * The gate of the engine named {@code engine} ({@code io_uring} or {@code uring},
     * {@code epoll}, {@code kqueue}); the same instance on every call. Any thread.
     *
     * @param engine the engine's name
     * @return its gate, computed on the first call for that engine
     * @throws IllegalArgumentException if {@code engine} names no engine
     */
    public static EngineAvailability of(String engine) {
        Objects.requireNonNull(engine, "engine");
        return switch (engine.trim().toLowerCase(Locale.ROOT)) {
            case "io_uring", "uring", "iouring" -> IoUringGate.GATE;
            case "epoll" -> EpollGate.GATE;
            case "kqueue" -> KqueueGate.GATE;
            default -> throw new IllegalArgumentException(engine + ": no such engine (use io_uring, epoll or kqueue)");
        };
    }

    /**
     * The engine's canonical name: {@code io_uring}, {@code epoll} or {@code kqueue}. Any thread.
     *
     * @return the name
     */
    public String engine() {
        return engine;
    }

    /**
     * Whether the engine can start here. Any thread.
     *
     * @return true when the gate's probe succeeded
     */
    public boolean isAvailable() {
        return cause == null;
    }

    /**
     * Why the engine cannot start here, or empty when it can: a {@link NativeIoException} with the
     * errno the kernel gave (io_uring, epoll), an {@link UnsupportedOperationException} where the OS
     * has no such facility (epoll off Linux, kqueue off BSD and macOS), or the error that loading
     * the binding or the native library raised (an {@link Error}: {@link IoEngines#open()} throws
     * it rather than pass over the engine). Any thread.
     *
     * @return the cause, or empty
     */
    public Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(cause);
    }

    /**
     * {@code "available"}, or the reason in words: the cause's message and, for io_uring's usual
     * errnos, what they mean here ({@code EPERM}: a seccomp filter or the
     * {@code kernel.io_uring_disabled} sysctl; {@code ENOSYS}: no io_uring in this kernel;
     * {@code ENOMEM}: RLIMIT_MEMLOCK). Any thread.
     *
     * @return the words {@link IoEngines#availability()} shows for this engine
     */
    public String reason() {
        if (cause == null) {
            return "available";
        }
        // A class initialiser's failure (the binding, the native library) says why in its cause.
        Throwable why = cause instanceof ExceptionInInitializerError init && init.getCause() != null ? init.getCause() : cause;
        String words = IoEngines.reason(engine, why);
        return words.startsWith(engine + ": ") ? words.substring(engine.length() + 2) : words;
    }

    /**
     * The engine's name and {@link #reason()}. Any thread.
     *
     * @return e.g. {@code "io_uring: available"}
     */
    @Override
    public String toString() {
        return engine + ": " + reason();
    }

    /** Runs {@code probe} once, keeping what it threw (a refusal, or a native library that cannot load). */
    private static EngineAvailability probe(String engine, Probe probe) {
        try {
            probe.run();
            return new EngineAvailability(engine, null);
        } catch (Throwable t) {
            return new EngineAvailability(engine, t);
        }
    }

    /** A probe: returns when the engine can start, throws why it cannot. */
    @FunctionalInterface
    private interface Probe {
        void run() throws Exception;
    }

    // One holder class per engine: each gate is computed on its first use, once, and never for an
    // engine nobody asks about (a kqueue question loads no io_uring code).

    private static final class IoUringGate {
        static final EngineAvailability GATE = probe("io_uring", UringEngine::requireKernelSupport);
    }

    private static final class EpollGate {
        static final EngineAvailability GATE = probe("epoll", PollEngine::requireEpoll);
    }

    private static final class KqueueGate {
        static final EngineAvailability GATE = probe("kqueue", PollEngine::requireKqueue);
    }
}
