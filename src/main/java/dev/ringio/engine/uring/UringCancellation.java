package dev.ringio.engine.uring;

import java.util.ArrayDeque;

import dev.ringio.Fd;
import dev.ringio.engine.EngineOp;

/**
 * Cancellation on the io_uring loop: {@code future.cancel()} and {@code close(fd)} become
 * IORING_OP_ASYNC_CANCEL SQEs (by slot token, or by descriptor). A cancel that finds the SQ full is
 * parked and submitted on a later turn (the loop does not sleep while one is parked); while the
 * engine shuts down, ops still in flight are asked again every {@value #SHUTDOWN_RECANCEL_NANOS} ns.
 * A success that races the cancel is still delivered (an accepted fd must be closed, not leaked).
 *
 * <p>Threading: {@link #request} and {@link #cancelOpsOn} from any thread; the rest on the loop
 * thread only.
 */
final class UringCancellation {

    /** While shutting down: how often ops still in flight are asked again. */
    static final long SHUTDOWN_RECANCEL_NANOS = 200_000_000L;
    private static final int ASYNC_CANCEL_ALL = 1;
    private static final int ASYNC_CANCEL_FD = 1 << 1;

    private final UringEngine engine;
    /** Cancels the loop could not submit for lack of an SQE: {target token, fd, flags}. */
    private final ArrayDeque<long[]> pendingCancels = new ArrayDeque<>();
    private long lastCancelSweep;

    /** Any thread (the engine's constructor). */
    UringCancellation(UringEngine engine) {
        this.engine = engine;
    }

    /** Asks the loop to cancel {@code op} (its future's cancel). Any thread. */
    void request(EngineOp<?> op) {
        if (engine.inLoop()) {
            cancelOnLoop(op);
        } else if (!engine.finished) {
            engine.queue.offer((Runnable) () -> cancelOnLoop(op));
            engine.wake();
            if (engine.finished) {
                engine.shutdown.drainStranded();
            }
        }
    }

    private void cancelOnLoop(EngineOp<?> op) {
        if (op.isDone() || op.cancelRequested) {
            return;
        }
        op.cancelRequested = true;
        if (op.token != 0) {
            submitCancel(op.token, -1, 0);
        }
        // A call off the loop cannot be interrupted: one that may never return is abandoned (the
        // thread lets go of what the op held when it does); one that will return decides.
        engine.offLoop.cancel(op);
        // Not yet in the kernel (overflow): drainOverflow fails it as cancelled.
    }

    /**
     * An ASYNC_CANCEL pass over the revoked {@code fd}: every op on the descriptor, and the ops
     * holding it as their directory. Any thread.
     */
    void cancelOpsOn(Fd fd) {
        int raw = fd.value();
        Runnable cancel = () -> {
            // Ops waiting in the overflow list never reach the kernel: drainOverflow refuses them.
            if (!fd.isReleased() && !engine.shutdownStarted) {
                // Cancel every op on this descriptor (kernel 5.19); the last one to finish closes it.
                submitCancel(0, raw, ASYNC_CANCEL_FD | ASYNC_CANCEL_ALL);
                // Off-loop calls on it that may never return (a sendfile into it) are abandoned.
                engine.offLoop.closed(fd);
                // An op that holds fd as its directory (an openat2 under it) is no op "on" fd for
                // the kernel, whose cancel-by-descriptor matches only the op's own file; cancelled
                // by its token, or an open of a FIFO waiting for a peer would keep the close
                // pending as long as it waits. Only directories are scanned for (a path op on
                // anything else fails at once with ENOTDIR), so a socket's close costs no scan.
                if (fd.kind() == Fd.Kind.DIRECTORY) {
                    engine.slots.forEachLive(token -> {
                        if (engine.slots.get(token) instanceof EngineOp<?> op && op.other == fd) {
                            submitCancel(token, -1, 0);
                        }
                    });
                }
            }
        };
        if (engine.inLoop()) {
            cancel.run();
        } else {
            engine.queue.offer(cancel);
            engine.wake();
        }
    }

    /**
     * An ASYNC_CANCEL of {@code target} (a slot token, or {@link Uring#UD_WAKEUP}), or of the ops on
     * {@code fd} with {@code cancelFlags}; parked when the SQ is full. Loop thread only.
     */
    void submitCancel(long target, int fd, int cancelFlags) {
        long sqe = engine.submission.claimSqe();
        if (sqe < 0) {
            pendingCancels.add(new long[] {target, fd, cancelFlags});
            return;
        }
        Ring ring = engine.ring;
        ring.prep(sqe, Uring.OP_ASYNC_CANCEL, fd, target, 0, 0, Uring.UD_IGNORE);
        if (cancelFlags != 0) {
            ring.opFlags(sqe, cancelFlags);
        }
    }

    /**
     * Submits cancellations that found the SQ full earlier. Returns whether any were waiting (the
     * loop must not sleep while some are). Loop thread only.
     */
    boolean submitParkedCancels() {
        int n = pendingCancels.size();
        for (int i = 0; i < n; i++) {
            long[] c = pendingCancels.pollFirst();
            submitCancel(c[0], (int) c[1], (int) c[2]);
        }
        return n > 0;
    }

    /** Shutdown has begun: cancels every op in flight and starts the re-ask clock. Loop thread only. */
    void cancelAllInFlight() {
        lastCancelSweep = System.nanoTime();
        engine.slots.forEachLive(token -> submitCancel(token, -1, 0));
    }

    /** While shutting down: asks again for the ops still in flight, at most once per interval. Loop thread only. */
    void recancelStubbornOps() {
        if (engine.slots.inUse() > 0 && System.nanoTime() - lastCancelSweep > SHUTDOWN_RECANCEL_NANOS) {
            // An op may have been mid-flight in io-wq when the first cancel arrived (-EALREADY):
            // ask again until everything has completed.
            lastCancelSweep = System.nanoTime();
            engine.slots.forEachLive(token -> submitCancel(token, -1, 0));
        }
    }
}
