package dev.ringio.bench;

import dev.ringio.IoEngines;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The core's kernel-reason skips (its test helper dev.ringio.testing.KernelFeatures, which this
 * module cannot see) for the bench tests: same message prefix, so {@code .ci/run} lists them too.
 */
final class KernelSkips {

    /** How every kernel-reason skip message starts (the core's KernelFeatures.SKIP_PREFIX). */
    static final String SKIP_PREFIX = "kernel feature missing: ";

    private KernelSkips() {
    }

    /**
     * Skips unless io_uring can start here. Only the refusals that mean the kernel has none or has
     * it switched off (ENOSYS: built without it; EPERM: the kernel.io_uring_disabled sysctl or a
     * seccomp filter) skip; any other reason leaves the test to fail when it opens the engine.
     */
    static void assumeIoUring() {
        String why = IoEngines.availability().get("io_uring");
        boolean absent = !"available".equals(why) && (why.contains("ENOSYS") || why.contains("EPERM"));
        assumeTrue(!absent, () -> SKIP_PREFIX + "io_uring (" + why + ")");
    }
}
