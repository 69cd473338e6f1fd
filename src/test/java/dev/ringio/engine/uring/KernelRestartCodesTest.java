package dev.ringio.engine.uring;

import org.junit.jupiter.api.Test;

import dev.ringio.Errno;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel-internal restart codes of include/linux/errno.h that a CQE can carry are exactly the
 * four ringio reports as a cancellation; their neighbours (515 ENOIOCTLCMD, 517 EPROBE_DEFER) and
 * real errnos are not. The io_uring splice and FIFO-open cases that produce 512 for real are in
 * {@code BlockedOpsContract}.
 */
class KernelRestartCodesTest {

    @Test
    void theFourRestartCodesAndNothingElse() {
        for (int code : new int[] {512, 513, 514, 516}) {
            assertTrue(CqeDispatch.isKernelRestart(-code), "-" + code);
            assertFalse(CqeDispatch.isKernelRestart(code), "a positive result " + code + " is a count");
        }
        for (int code : new int[] {511, 515, 517, Errno.EINTR.value(), Errno.ECANCELED.value(), Errno.EAGAIN.value()}) {
            assertFalse(CqeDispatch.isKernelRestart(-code), "-" + code);
        }
    }
}
