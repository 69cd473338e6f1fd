package dev.ringio.engine.uring;

import java.util.concurrent.atomic.AtomicLong;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.RawCompletion;
import dev.ringio.buffers.Chunk;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.SlotTable;

/**
 * Completion dispatch of the io_uring loop: each reaped CQE's user_data names a slot (index +
 * generation) of the engine's {@link SlotTable}; the slot's handler (an op, or a low-level
 * {@link RawCompletion}) gets the result. A stale or duplicate completion is counted and dropped;
 * a multishot op keeps its slot while the kernel sets IORING_CQE_F_MORE.
 *
 * <p>Threading: {@link #staleCompletions()} from any thread; the rest on the loop thread only.
 */
final class CqeDispatch implements Ring.CqeSink {

    private final UringEngine engine;
    private final SlotTable slots;
    private final AtomicLong staleCompletions = new AtomicLong();

    /** Any thread (the engine's constructor). */
    CqeDispatch(UringEngine engine, SlotTable slots) {
        this.engine = engine;
        this.slots = slots;
    }

    /** Completions whose slot was stale or already completed (should stay 0). Any thread. */
    long staleCompletions() {
        return staleCompletions.get();
    }

    /** One CQE. Loop thread only. */
    @Override
    public void accept(long userData, int res, int flags) {
        if (userData < 0) {
            if (userData == Uring.UD_WAKEUP) {
                engine.wakeup.onCompleted();
            }
            return;
        }
        Object handler = slots.get(userData);
        if (handler == null) {
            staleCompletions.incrementAndGet();
            return;
        }
        if (isKernelRestart(res)) {
            res = -Errno.ECANCELED.value();
        }
        Object a1 = slots.attachment(userData);
        Object a2 = slots.attachment2(userData);
        if ((flags & Uring.CQE_F_MORE) == 0) {
            slots.remove(userData);
        }
        try {
            if (handler instanceof EngineOp<?> op) {
                if ((flags & Uring.CQE_F_MORE) == 0) {
                    op.token = 0; // the slot is free; a multishot op keeps it while MORE is set
                }
                if (op instanceof Op<?> own) {
                    own.complete(engine, res, flags);
                } else if (op.handleResult(res)) {
                    engine.submitOnLoop(op);
                }
            } else {
                if (a1 instanceof Fd f) {
                    f.release();
                }
                if (a2 instanceof Chunk c) {
                    c.release();
                }
                ((RawCompletion) handler).onComplete(res);
            }
        } catch (Throwable t) {
            if (handler instanceof EngineOp<?> op && (flags & Uring.CQE_F_MORE) == 0 && !op.isDone()) {
                failAfterInternalError(op, t); // the caller hears of it through the future
            } else {
                engine.callbackError(t);
            }
        }
    }

    /**
     * The result of an op's attempt that ran off the loop ({@link UringOffLoop}): to the op as a
     * CQE's, or {@code failure} (the call itself threw). Loop thread only.
     */
    void deliver(EngineOp<?> op, Throwable failure, long result) {
        try {
            if (failure != null) {
                failAfterInternalError(op, failure);
            } else if (op.handleResult(result)) {
                engine.submitOnLoop(op);
            }
        } catch (Throwable t) {
            if (!op.isDone()) {
                failAfterInternalError(op, t);
            } else {
                engine.callbackError(t);
            }
        }
    }

    /**
     * An op whose completion threw (a bug, or a copy the caller's memory refused) must still end:
     * its future fails with the exception rather than staying pending forever. The kernel is done
     * with the op (no MORE flag), so its fd, chunk and memory may be released. Loop only.
     */
    private void failAfterInternalError(EngineOp<?> op, Throwable t) {
        try {
            op.fail(t);
        } catch (Throwable again) {
            t.addSuppressed(again);
            engine.callbackError(again);
            op.releaseResources();
            op.failFromEngine(t);
        }
    }

    /**
     * Whether {@code res} is one of the kernel-internal restart codes (ERESTARTSYS 512,
     * ERESTARTNOINTR 513, ERESTARTNOHAND 514, ERESTART_RESTARTBLOCK 516; include/linux/errno.h),
     * which never reach user space from a syscall but do leak into CQEs: an io-wq worker blocked in
     * a pipe (a splice into a full pipe, a FIFO open with O_CREAT) is woken by the signal that
     * ASYNC_CANCEL, close(fd) or ring teardown sends it, and posts the restart code it got. The op
     * was cancelled, so it is reported as ECANCELED, the way every other cancelled op is. Any thread.
     */
    static boolean isKernelRestart(int res) {
        return res == -512 || res == -513 || res == -514 || res == -516;
    }
}
