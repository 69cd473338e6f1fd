package dev.ringio.engine;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Fd;

/**
 * {@code close(fd)}, on every engine. Not a kernel operation of its own: the descriptor is revoked
 * (marked closing, in the one atomic state ops acquire it through, so a new op fails with EBADF),
 * then the backend ends every op on it ({@link Backend#cancelOpsOn}: io_uring's ASYNC_CANCEL pass,
 * the readiness backend's waiters and abandoned pool calls), and the last holder to let go closes
 * the descriptor through {@link Backend#closer()}, off the loop (close(2) can block). The future is
 * {@link Fd#whenSettled()}: every operation on it has completed (and the descriptor is closed, or
 * will be when a call the engine abandoned in the kernel returns).
 *
 * <p>Threading: any thread.
 */
public final class Closing {

    private Closing() {
    }

    /** Closes {@code fd} once every op on it has ended (cancelling them); what {@code IoEngine.close(Fd)} returns. */
    public static CompletableFuture<Void> close(Backend backend, Fd fd) {
        Objects.requireNonNull(fd, "fd");
        // Revoked before the cancel pass is queued: an op that acquired fd earlier but reaches the
        // backend after the pass is refused at its submit gate; one that reached it before is ended
        // by the pass.
        fd.revoke(backend.closer());
        if (!fd.isReleased() && !backend.isClosed()) {
            backend.cancelOpsOn(fd);
        }
        return fd.whenSettled();
    }
}
