package dev.ringio.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Skips for kernel reasons. Kernel builds differ between machines (a socket option, an io_uring
 * opcode, IPv6, a /proc file may be compiled out or switched off), so a test that needs such a
 * feature probes for it and calls {@link #assume}: where the kernel has it the test asserts fully,
 * elsewhere it is skipped with a reason that starts with {@link #SKIP_PREFIX}, which {@code .ci/run}
 * collects into the list of tests skipped for kernel reasons.
 */
public final class KernelFeatures {

    /** How every kernel-reason skip message starts; {@code .ci/run} greps the surefire reports for it. */
    public static final String SKIP_PREFIX = "kernel feature missing: ";

    private KernelFeatures() {
    }

    /** Skips the running test unless {@code present}; {@code feature} names what the kernel lacks. */
    public static void assume(boolean present, String feature) {
        Assumptions.assumeTrue(present, () -> SKIP_PREFIX + feature);
    }
}
