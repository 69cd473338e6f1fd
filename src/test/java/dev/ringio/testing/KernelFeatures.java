package dev.ringio.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.ringio.EngineAvailability;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv6SockAddr;
import dev.ringio.net.SocketOption;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

/**
 * Skips for kernel reasons. Kernel builds differ between machines (a socket option, an io_uring
 * opcode, IPv6, a /proc file may be compiled out or switched off), so a test that needs such a
 * feature probes for it and calls {@link #assume}: where the kernel has it the test asserts fully,
 * elsewhere it is skipped with a reason that starts with {@link #SKIP_PREFIX}, which {@code .ci/run}
 * collects into the list of tests skipped for kernel reasons.
 *
 * <p>The probes below ask the running kernel itself (a fresh socket, a tiny ring, the file), once
 * per JVM, and count only the answer that means "not in this kernel" as absent (EAFNOSUPPORT for an
 * address family, ENOPROTOOPT for a socket option, ...). Any other failure of a probe is an
 * {@link AssertionError}: a broken probe must fail the test, never turn it into a skip.
 */
public final class KernelFeatures {

    /** How every kernel-reason skip message starts; {@code .ci/run} greps the surefire reports for it. */
    public static final String SKIP_PREFIX = "kernel feature missing: ";

    /** The feature name {@link #assumeIpv6} skips with. */
    public static final String IPV6 = "IPv6 (AF_INET6 sockets)";

    /** The feature name {@link #assumeIpv6Loopback} skips with. */
    public static final String IPV6_LOOPBACK = "IPv6 loopback address (an AF_INET6 socket bound to [::1])";

    /** The feature name {@link #assumeIoUring} skips with. */
    public static final String IO_URING = "io_uring (io_uring_setup refused with ENOSYS or EPERM)";

    private static final int CAP_IPC_LOCK = 14;

    private static final Map<String, Boolean> PROBED = new ConcurrentHashMap<>();

    private KernelFeatures() {
    }

    /** Skips the running test unless {@code present}; {@code feature} names what the kernel lacks. */
    public static void assume(boolean present, String feature) {
        Assumptions.assumeTrue(present, () -> SKIP_PREFIX + feature);
    }

    // ---- IPv6 -------------------------------------------------------------------------------------

    /**
     * Whether this kernel has IPv6 sockets: an AF_INET6 datagram socket can be made (EAFNOSUPPORT
     * when IPv6 is compiled out or booted with ipv6.disable=1).
     */
    public static boolean ipv6() {
        return once("ipv6", () -> {
            try (Fd fd = Sockets.socket(Domain.INET6, SocketType.DGRAM)) {
                return true;
            } catch (NativeIoException e) {
                return absentIf(e, "socket(AF_INET6)", Errno.EAFNOSUPPORT);
            }
        });
    }

    /** Skips the running test unless {@link #ipv6()}. */
    public static void assumeIpv6() {
        assume(ipv6(), IPV6);
    }

    /**
     * Whether this kernel has IPv6 with a loopback address to talk over: {@link #ipv6()}, and an
     * AF_INET6 socket binds to {@code [::1]} (EADDRNOTAVAIL when net.ipv6.conf.lo.disable_ipv6 or
     * .all.disable_ipv6 is set, which leaves AF_INET6 sockets but no addresses).
     */
    public static boolean ipv6Loopback() {
        return ipv6() && once("ipv6 loopback", () -> {
            try (Fd fd = Sockets.socket(Domain.INET6, SocketType.DGRAM)) {
                Sockets.bind(fd, Ipv6SockAddr.loopback(0));
                return true;
            } catch (NativeIoException e) {
                return absentIf(e, "bind [::1]", Errno.EADDRNOTAVAIL);
            }
        });
    }

    /** Skips the running test unless {@link #ipv6Loopback()}. */
    public static void assumeIpv6Loopback() {
        assume(ipv6Loopback(), IPV6_LOOPBACK);
    }

    // ---- socket options ---------------------------------------------------------------------------

    /**
     * Whether the kernel knows {@code option} on a fresh {@code domain}/{@code type} socket: sets it
     * to {@code value} and counts only {@code absent} (ENOPROTOOPT for an option compiled out) as
     * "no". Any other refusal (ENOTCONN, EINVAL for the value, ...) means the kernel has the option.
     * A socket of a family the kernel lacks (EAFNOSUPPORT) makes the option absent too.
     */
    public static <T> boolean socketOption(Domain domain, SocketType type, SocketOption<T> option, T value, Errno absent) {
        return once("option " + domain + "/" + type + " " + option.name() + "=" + value, () -> {
            Fd fd;
            try {
                fd = Sockets.socket(domain, type);
            } catch (NativeIoException e) {
                return absentIf(e, "socket(" + domain + ")", Errno.EAFNOSUPPORT);
            }
            try (fd) {
                Sockets.setOption(fd, option, value);
                return true;
            } catch (NativeIoException e) {
                return !e.is(absent);
            }
        });
    }

    /** {@link #socketOption} with ENOPROTOOPT as the "not in this kernel" answer. */
    public static <T> boolean socketOption(Domain domain, SocketType type, SocketOption<T> option, T value) {
        return socketOption(domain, type, option, value, Errno.ENOPROTOOPT);
    }

    /**
     * Whether TCP congestion control {@code name} can be chosen: setsockopt TCP_CONGESTION on a fresh
     * TCP socket, where ENOENT means the algorithm is neither built in nor loadable as a module.
     */
    public static boolean tcpCongestionControl(String name) {
        return socketOption(Domain.INET, SocketType.STREAM, SocketOptions.TCP_CONGESTION, name, Errno.ENOENT);
    }

    // ---- io_uring ---------------------------------------------------------------------------------

    /**
     * Whether io_uring can start here: a two-entry ring is set up. ENOSYS (built without
     * CONFIG_IO_URING) and EPERM (the kernel.io_uring_disabled sysctl, or a seccomp filter) count as
     * absent; any other refusal is a failure of the test, not a skip.
     */
    public static boolean ioUring() {
        return once("io_uring", () -> {
            Optional<Throwable> cause = EngineAvailability.of("io_uring").unavailabilityCause();
            if (cause.isEmpty()) {
                return true;
            }
            if (cause.get() instanceof NativeIoException e) {
                return absentIf(e, "io_uring_setup", Errno.ENOSYS, Errno.EPERM);
            }
            throw new AssertionError("io_uring probe failed for a reason other than the kernel", cause.get());
        });
    }

    /** Skips the running test unless {@link #ioUring()}. */
    public static void assumeIoUring() {
        assume(ioUring(), IO_URING);
    }

    /**
     * For a whole test class that needs io_uring: {@code @ExtendWith(KernelFeatures.NeedsIoUring.class)}
     * skips the class (before its {@code @BeforeAll} and {@code @AfterAll} methods, which may then
     * assume an engine) with the {@link #SKIP_PREFIX} reason when {@link #ioUring()} is false.
     */
    public static final class NeedsIoUring implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return ioUring() ? ConditionEvaluationResult.enabled("io_uring starts here")
                    : ConditionEvaluationResult.disabled(SKIP_PREFIX + IO_URING);
        }
    }

    // ---- locked memory ----------------------------------------------------------------------------

    /**
     * Whether this process may pin {@code bytes} of memory (registering io_uring buffers counts
     * against RLIMIT_MEMLOCK): it has CAP_IPC_LOCK, or the soft "Max locked memory" limit in
     * /proc/self/limits is unlimited or at least {@code bytes}.
     */
    public static boolean lockedMemory(long bytes) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:") && ((Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> CAP_IPC_LOCK) & 1) != 0) {
                    return true;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max locked memory")) {
                    String soft = line.substring("Max locked memory".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") || Long.parseLong(soft) >= bytes;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no \"Max locked memory\" line in /proc/self/limits");
    }

    // ---- files the kernel provides ----------------------------------------------------------------

    /** Whether {@code path} (a /proc or /sys entry some kernel builds leave out) exists. */
    public static boolean file(String path) {
        return Files.exists(Path.of(path));
    }

    /** Whether sysfs is mounted at /sys (a line "sysfs /sys sysfs ..." in /proc/self/mounts). */
    public static boolean sysfsMounted() {
        return once("sysfs", () -> {
            try {
                return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                        .map(l -> l.split(" "))
                        .anyMatch(f -> f.length > 2 && f[1].equals("/sys") && f[2].equals("sysfs"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static boolean once(String key, BooleanSupplier probe) {
        Boolean known = PROBED.get(key);
        if (known == null) {
            known = probe.getAsBoolean();
            PROBED.put(key, known);
        }
        return known;
    }

    /** False when {@code e} is one of the errnos meaning "not in this kernel"; otherwise the probe itself failed. */
    private static boolean absentIf(NativeIoException e, String what, Errno... absent) {
        for (Errno a : absent) {
            if (e.is(a)) {
                return false;
            }
        }
        throw new AssertionError("probe " + what + " failed for a reason other than a missing kernel feature: " + e.getMessage(), e);
    }
}
