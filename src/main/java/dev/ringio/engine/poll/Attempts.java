package dev.ringio.engine.poll;

import java.util.concurrent.CancellationException;

import dev.ringio.EngineClosedException;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;

/**
 * How the readiness engine runs an op on its loop: the start (to the timer heap, to the file pool,
 * or a first attempt after setting O_NONBLOCK where the op needs it), the submit gate that refuses
 * cancelled ops and ops on revoked descriptors, the non-blocking attempts (EINTR retried; EAGAIN
 * sends the op to wait for readiness), and the op's verdict on each result (done, or try again now).
 *
 * <p>Threading: loop thread only, except {@link #attemptNoEintr} (the loop or a pool thread).
 */
final class Attempts {

    private final PollEngine engine;

    /** Any thread (the engine's constructor). */
    Attempts(PollEngine engine) {
        this.engine = engine;
    }

    /** Starts {@code op} on the loop: to the timer heap, the file pool, or a first attempt. Loop thread only. */
    void start(PollOp<?> op) {
        if (op.state != PollOp.NEW) {
            return; // cancelled (and completed) while queued
        }
        if (engine.shutdownStarted) {
            op.abort(new EngineClosedException(op.name));
            return;
        }
        if (op.cancelRequested) {
            op.abort(new CancellationException(op.name + ": cancelled"));
            return;
        }
        Fd revoked = revokedFdOf(op);
        if (revoked != null) {
            op.abort(new NativeIoException(op.name, PollEngine.ECANCELED,
                    "fd " + revoked.value() + " closed before the operation started"));
            return;
        }
        if (op.mode == PollOp.Mode.TIMER) {
            engine.timers.add((KernelCall<?>) op);
            return;
        }
        if (op.mode == PollOp.Mode.POOL) {
            if (op instanceof PollOps.Raw raw && raw.pageCacheFirst && engine.filePool.servedFromPageCache(raw)) {
                return;
            }
            engine.filePool.submit(op);
            return;
        }
        if (op.mode == PollOp.Mode.READY && op.needsNonBlocking) {
            long r = PollEngine.ensureNonBlocking(engine.shim, op.fd().value());
            if (r == 0 && op.other() != null) {
                r = PollEngine.ensureNonBlocking(engine.shim, op.other().value());
            }
            if (r < 0) {
                handle(op, r);
                return;
            }
        }
        attemptOnLoop(op);
    }

    /**
     * A descriptor {@code op} holds that {@code close(Fd)} has revoked, or null. The submit gate
     * that makes close(fd) sound: close(fd) revokes before it queues its cancel pass, so an op that
     * acquired the descriptor earlier but starts after the pass sees the mark here (and one that
     * started before is a waiter the pass aborts).
     */
    private static Fd revokedFdOf(PollOp<?> op) {
        Fd fd = op.fd();
        if (fd != null && fd.isRevoked()) {
            return fd;
        }
        Fd other = op.other();
        if (other != null && other.isRevoked()) {
            return other;
        }
        return op.waitFd != null && op.waitFd.isRevoked() ? op.waitFd : null;
    }

    /** Attempts {@code op} on the loop until it completes or has to wait for readiness. Loop thread only. */
    void attemptOnLoop(PollOp<?> op) {
        while (true) {
            long r;
            try {
                r = attemptNoEintr(op);
            } catch (Throwable t) {
                op.fail(t);
                return;
            }
            if (r == -PollEngine.EAGAIN && op.mode == PollOp.Mode.READY) {
                engine.watches.park(op);
                return;
            }
            if (!handle(op, r)) {
                return;
            }
        }
    }

    /** One attempt of {@code op}'s syscall, retried on EINTR: -errno or the result. The loop or a pool thread. */
    long attemptNoEintr(PollOp<?> op) {
        long r;
        do {
            r = op.attempt(engine.shim);
        } while (r == -PollEngine.EINTR);
        return r;
    }

    /** Hands a final result to the op; true if it wants another attempt now (and may have one). Loop thread only. */
    boolean handle(PollOp<?> op, long r) {
        boolean again;
        try {
            again = op.onResult(r);
        } catch (Throwable t) {
            op.fail(t);
            return false;
        }
        if (!again) {
            return false;
        }
        if (op.cancelRequested) {
            op.abort(new CancellationException(op.name + ": cancelled"));
            return false;
        }
        if (engine.shutdownStarted) {
            op.abort(new EngineClosedException(op.name));
            return false;
        }
        return true;
    }

    /** A POOL op's result back on the loop (or a loop op's, for uniformity). Loop thread only. */
    void afterAttempt(PollOp<?> op, long r) {
        if (op.state == PollOp.DONE) {
            return;
        }
        op.state = PollOp.NEW;
        if (op.poolFailure != null) {
            op.fail(op.poolFailure);
            return;
        }
        if (handle(op, r)) {
            if (op.mode == PollOp.Mode.POOL) {
                engine.filePool.submit(op);
            } else {
                attemptOnLoop(op);
            }
        }
    }
}
