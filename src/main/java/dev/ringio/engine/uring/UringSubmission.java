package dev.ringio.engine.uring;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.KernelOp;

/**
 * The submission side of the io_uring loop: claiming SQEs, writing an op into one (under a slot
 * token), the submit gate that refuses cancelled ops and ops on revoked descriptors, and the
 * user-space overflow list that holds ops while the SQ is full (nothing is dropped; the next turn
 * retries them in order).
 *
 * <p>Threading: loop thread only.
 */
final class UringSubmission {

    private final UringEngine engine;
    /** Ops that found the SQ full, in submission order. */
    private final ArrayDeque<EngineOp<?>> overflow = new ArrayDeque<>();

    /** Any thread (the engine's constructor). */
    UringSubmission(UringEngine engine) {
        this.engine = engine;
    }

    /** Whether no op waits in the overflow list. Loop thread only. */
    boolean overflowIsEmpty() {
        return overflow.isEmpty();
    }

    /** Takes the first op of the overflow list, or null. Loop thread only (shutdown). */
    EngineOp<?> pollOverflow() {
        return overflow.pollFirst();
    }

    /** The next free SQE; when the SQ is full, submits what is there and tries once more. Loop thread only. */
    long claimSqe() {
        Ring ring = engine.ring;
        long sqe = ring.nextSqe();
        if (sqe < 0) {
            ring.enter(0); // the kernel consumes the SQ now; an error leaves it full (-1 below)
            sqe = ring.nextSqe();
        }
        return sqe;
    }

    /**
     * Retries the overflow list in order until the SQ is full again. Returns whether it took any
     * op off the list. Loop thread only.
     */
    boolean drainOverflow() {
        boolean any = false;
        while (!overflow.isEmpty()) {
            EngineOp<?> op = overflow.peekFirst();
            Throwable refused = refusal(op);
            if (refused != null) {
                overflow.pollFirst();
                op.fail(refused);
                any = true;
                continue;
            }
            if (!tryPrep(op)) {
                break;
            }
            overflow.pollFirst();
            any = true;
        }
        return any;
    }

    private boolean tryPrep(EngineOp<?> op) {
        if (op instanceof Op<?> own) {
            long sqe = claimSqe();
            if (sqe < 0) {
                return false;
            }
            long token = engine.slots.put(op);
            op.token = token;
            own.prep(engine.ring, sqe, token);
            return true;
        }
        // A description built for an attempt that found the SQ full is kept (next() may have
        // staged bounce memory for it), not built again.
        KernelOp d = op.attachment instanceof KernelOp kept ? kept : op.next();
        op.attachment = null;
        int opcode = Sqes.opcode(d);
        if (opcode == Sqes.NO_OPCODE || !engine.supportsOp(opcode)) {
            engine.offLoop.start(op, d); // the syscall off the loop; its result comes back as a CQE's would
            return true;
        }
        long sqe = claimSqe();
        if (sqe < 0) {
            op.attachment = d;
            return false;
        }
        long token = engine.slots.put(op);
        op.token = token;
        Sqes.write(engine.ring, sqe, d, token);
        return true;
    }

    /** Submits (or queues behind earlier overflow) an op. Loop thread only. */
    void submit(EngineOp<?> op) {
        Throwable refused = refusal(op);
        if (refused != null) {
            op.fail(refused);
        } else if (engine.shutdownStarted) {
            op.fail(new EngineClosedException(op.name));
        } else if (!overflow.isEmpty() || !tryPrep(op)) {
            overflow.addLast(op);
        }
    }

    /**
     * Why {@code op} must not reach the kernel now, or null: its caller cancelled it, or
     * {@code close(fd)} has revoked a descriptor it holds. The revocation check is the submit gate
     * that makes close(fd) sound: close(fd) revokes before it queues its cancel pass, so an op the
     * loop takes up after that pass sees the mark here, and one it took up before is in the kernel
     * when the pass's ASYNC_CANCEL arrives. Loop only.
     */
    private static Throwable refusal(EngineOp<?> op) {
        if (op.cancelRequested) {
            return new CancellationException(op.name + ": cancelled");
        }
        Fd revoked = op.fd != null && op.fd.isRevoked() ? op.fd : op.other != null && op.other.isRevoked() ? op.other : null;
        if (revoked != null) {
            return new NativeIoException(op.name, Errno.ECANCELED.value(),
                    "fd " + revoked.value() + " closed before the operation reached the kernel");
        }
        return null;
    }
}
