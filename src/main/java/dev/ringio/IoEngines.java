package dev.ringio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.ringio.engine.poll.PollEngine;
import dev.ringio.engine.uring.UringEngine;

/**
 * Opens engines. {@link #open()} tries io_uring, then the readiness engine of this OS (epoll on
 * Linux, kqueue on BSD and macOS), and keeps why each candidate was refused: {@code ENOSYS} (a
 * kernel without io_uring), {@code EPERM} (a seccomp filter such as Docker's default profile, or
 * the {@code kernel.io_uring_disabled} sysctl), {@code ENOMEM} (RLIMIT_MEMLOCK too low for the
 * ring). {@code -Dringio.engine=uring|epoll|kqueue} forces one engine and fails loudly when it
 * cannot start; there is no silent fallback from a forced engine.
 *
 * <p>Threading: any thread.
 */
public final class IoEngines {

    /** {@code -Dringio.engine=uring|epoll|kqueue}: force an engine. */
    public static final String ENGINE_PROPERTY = "ringio.engine";

    /** The engine names, in the order {@link #open()} tries them. */
    public static final List<String> ENGINES = List.of("io_uring", "epoll", "kqueue");

    private static volatile Selection last;

    private IoEngines() {
    }

    /**
     * What {@link #open()} chose and why it passed over the engines before it.
     *
     * @param chosen    the engine opened
     * @param forced    whether {@code -Dringio.engine} named it
     * @param refusals  engine name → why it could not start, for each engine tried before
     */
    public record Selection(String chosen, boolean forced, Map<String, String> refusals) {
        /**
         * Copies {@code refusals}.
         *
         * @param chosen the engine opened
         * @param forced whether {@code -Dringio.engine} named it
         * @param refusals engine name to why it could not start
         */
        public Selection {
            refusals = Map.copyOf(refusals);
        }
    }

    /**
     * Opens the best available engine with {@link EngineConfig#fromSystemProperties()}.
     *
     * @return the open engine, which the caller closes
     * @throws NativeIoException if no engine can start (the message lists each refusal)
     */
    public static IoEngine open() throws NativeIoException {
        return open(EngineConfig.fromSystemProperties());
    }

    /**
     * Opens the best available engine with {@code config}, or the one {@code -Dringio.engine} forces.
     *
     * @param config the engines' configuration
     * @return the open engine, which the caller closes
     * @throws NativeIoException        if no engine can start (the message lists each refusal), or
     *                                  the forced engine cannot (its own errno)
     * @throws IllegalArgumentException if {@code -Dringio.engine} names no engine
     * @throws UnsupportedOperationException if the forced engine does not exist on this OS
     */
    public static IoEngine open(EngineConfig config) throws NativeIoException {
        Objects.requireNonNull(config, "config");
        String forced = System.getProperty(ENGINE_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            String engine = canonical(forced);
            IoEngine e = open(engine, config);
            last = new Selection(engine, true, Map.of());
            return e;
        }
        Map<String, String> refusals = new LinkedHashMap<>();
        for (String engine : candidates()) {
            EngineAvailability gate = EngineAvailability.of(engine);
            if (!gate.isAvailable()) {
                if (gate.unavailabilityCause().orElseThrow() instanceof Error broken) {
                    // Not a refusal but a broken installation (the binding, the native library):
                    // as loud as opening the engine itself would be, not a silent fallback.
                    throw broken;
                }
                refusals.put(engine, gate.reason()); // its gate is shut: not tried again
                continue;
            }
            try {
                IoEngine e = open(engine, config);
                last = new Selection(engine, false, refusals);
                return e;
            } catch (NativeIoException | RuntimeException refused) {
                refusals.put(engine, reason(engine, refused));
            }
        }
        List<String> lines = new ArrayList<>();
        refusals.forEach((k, v) -> lines.add(k + ": " + v));
        throw new NativeIoException("open an I/O engine", Errno.ENOSYS.value(),
                "no engine could start (" + String.join("; ", lines) + ")");
    }

    /**
     * Opens the engine named {@code engine} ({@code io_uring} or {@code uring}, {@code epoll},
     * {@code kqueue}) with no fallback.
     *
     * @param engine the engine's name
     * @param config the engines' configuration
     * @return the open engine, which the caller closes
     * @throws NativeIoException if the engine cannot start, with the errno
     */
    public static IoEngine open(String engine, EngineConfig config) throws NativeIoException {
        return switch (canonical(engine)) {
            case "io_uring" -> UringEngine.open(config);
            case "epoll" -> {
                requireLinux("epoll");
                yield PollEngine.openEpoll(config);
            }
            case "kqueue" -> PollEngine.openKqueue(config);
            default -> throw new AssertionError(engine);
        };
    }

    /**
     * Opens an {@link EngineGroup} of as many engines as there are available processors, with
     * {@link EngineConfig#fromSystemProperties()}.
     *
     * @return the open group, which the caller closes
     * @throws NativeIoException if an engine cannot start, with the errno (those opened are closed)
     */
    public static EngineGroup group() throws NativeIoException {
        return group(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Opens an {@link EngineGroup} of {@code n} engines, each with its own ring (or poller) and loop
     * thread, with {@link EngineConfig#fromSystemProperties()}. The kind is chosen as by
     * {@link #open()} ({@code -Dringio.engine} forces one); every engine of the group is of that kind.
     *
     * @param n the number of engines, {@code >= 1}
     * @return the open group, which the caller closes
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws NativeIoException        if an engine cannot start (those already opened are closed)
     */
    public static EngineGroup group(int n) throws NativeIoException {
        return group(n, EngineConfig.fromSystemProperties());
    }

    /**
     * As {@link #group(int)}, every engine opened with {@code config}.
     *
     * @param n the number of engines, {@code >= 1}
     * @param config the engines' configuration
     * @return the open group, which the caller closes
     * @throws NativeIoException if an engine cannot start, with the errno (those opened are closed)
     */
    public static EngineGroup group(int n, EngineConfig config) throws NativeIoException {
        return EngineGroup.open(n, config);
    }

    /**
     * As {@link #group(int, EngineConfig)} with every engine of the kind {@code engine} names
     * ({@code io_uring} or {@code uring}, {@code epoll}, {@code kqueue}), with no fallback.
     *
     * @param engine the engines' kind by name
     * @param n the number of engines, {@code >= 1}
     * @param config the engines' configuration
     * @return the open group, which the caller closes
     * @throws NativeIoException if an engine cannot start, with the errno (those opened are closed)
     */
    public static EngineGroup group(String engine, int n, EngineConfig config) throws NativeIoException {
        return EngineGroup.open(engine, n, config);
    }

    /**
     * Opens the io_uring engine, failing with the kernel's errno if it cannot start.
     *
     * @param config the engines' configuration
     * @return the open engine, which the caller closes
     * @throws NativeIoException if the engine cannot start, with the errno
     */
    public static IoEngine openUring(EngineConfig config) throws NativeIoException {
        return UringEngine.open(config);
    }

    /**
     * What the last {@link #open()} in this JVM chose, and why it passed over the others; null
     * before one.
     *
     * @return the last selection, or {@code null}
     */
    public static Selection lastSelection() {
        return last;
    }

    /**
     * Why each engine is or is not usable here: engine name → {@code "available"} or the reason it
     * would be refused (e.g. {@code "io_uring_setup: EPERM (Operation not permitted) — a seccomp
     * filter (Docker's default profile) or the kernel.io_uring_disabled sysctl"}), from each
     * engine's {@link EngineAvailability} gate ({@link EngineAvailability#reason()}).
     *
     * @return engine name to {@code "available"} or the reason, in {@link #ENGINES} order
     */
    public static Map<String, String> availability() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String engine : ENGINES) {
            m.put(engine, availability(engine).reason());
        }
        return m;
    }

    /**
     * The availability gate of the engine named {@code engine} ({@code io_uring} or {@code uring},
     * {@code epoll}, {@code kqueue}): {@link EngineAvailability#of(String)}.
     *
     * @param engine the engine's name
     * @return its gate, computed once per JVM
     * @throws IllegalArgumentException if {@code engine} names no engine
     */
    public static EngineAvailability availability(String engine) {
        return EngineAvailability.of(engine);
    }

    /**
     * What this kernel's io_uring offers (probed opcodes and features), or empty when it cannot
     * start.
     *
     * @return the probe, or empty
     */
    public static java.util.Optional<IoUringProbe> ioUringProbe() {
        return UringEngine.probeKernel();
    }

    private static List<String> candidates() {
        return isLinux() ? List.of("io_uring", "epoll") : List.of("kqueue");
    }

    private static String canonical(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "uring", "io_uring", "iouring" -> "io_uring";
            case "epoll", "kqueue" -> n;
            default -> throw new IllegalArgumentException("-D" + ENGINE_PROPERTY + "=" + name
                    + ": no such engine (use uring, epoll or kqueue)");
        };
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    private static void requireLinux(String engine) {
        if (!isLinux()) {
            throw new UnsupportedOperationException(engine + ": exists only on Linux (this is "
                    + System.getProperty("os.name") + ")");
        }
    }

    /** A refusal in words: the exception's message, and for io_uring what its errno usually means. */
    static String reason(String engine, Throwable refused) {
        String msg = refused.getMessage() == null ? refused.toString() : refused.getMessage();
        if (!engine.equals("io_uring") || !(refused instanceof NativeIoException n)) {
            return msg;
        }
        String why;
        if (n.is(Errno.EPERM)) {
            String sysctl = ioUringDisabledSysctl();
            why = sysctl != null && !sysctl.equals("0")
                    ? "the kernel.io_uring_disabled sysctl is " + sysctl
                    : "a seccomp filter forbids it (e.g. Docker's default profile)";
        } else if (n.is(Errno.ENOSYS)) {
            why = "this kernel has no io_uring (older than 5.1, or built without it)";
        } else if (n.is(Errno.ENOMEM)) {
            why = "RLIMIT_MEMLOCK is too low for the ring (raise `ulimit -l`)";
        } else {
            return msg;
        }
        return msg + " - " + why;
    }

    /** /proc/sys/kernel/io_uring_disabled (kernel 6.6+), or null if absent. */
    private static String ioUringDisabledSysctl() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/io_uring_disabled")).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
