package dev.ringio.engine.uring;

import java.util.concurrent.CancellationException;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.KernelOp;

/**
 * An io_uring op not yet moved onto {@link KernelOp} descriptions: it writes its own SQE
 * ({@link #prep}) and reads its own CQE ({@link #complete(UringEngine, int, int)}). Everything else
 * (what it holds, its future, cancellation, failure with progress) is {@link EngineOp}'s.
 *
 * <p>Threading: constructed on the caller's thread, then touched by the loop thread only.
 */
abstract class Op<T> extends EngineOp<T> {

    Op(String name) {
        super(name);
    }

    /** Writes the SQE at {@code sqe} (already zeroed) with user_data {@code token}. */
    abstract void prep(Ring ring, long sqe, long token);

    /**
     * Handles a successful result ({@code res >= 0}, or a "success" errno such as ETIME for a
     * timeout). Either completes the op ({@link #succeed}) or resubmits it ({@code engine.resubmit}).
     */
    abstract void onResult(UringEngine engine, int res, int cqeFlags);

    /** Such an op writes its SQE itself ({@link #prep}): it has no description. */
    @Override
    public final KernelOp next() {
        throw new UnsupportedOperationException(name + " writes its own SQE");
    }

    /** Such an op reads its CQE itself ({@link #complete(UringEngine, int, int)}). */
    @Override
    protected final boolean onResult(long res) {
        throw new UnsupportedOperationException(name + " reads its own CQE");
    }

    /** Turns the kernel's result into completion, failure, or a retry. Loop thread only. */
    void complete(UringEngine engine, int res, int cqeFlags) {
        if (res == -Errno.EINTR.value()) {
            engine.resubmit(this);
        } else if (res == -Errno.ECANCELED.value() && (cancelRequested || engine.isClosed())) {
            fail(cancelRequested ? new CancellationException(name + ": cancelled")
                    : new EngineClosedException(name));
        } else if (res < 0 && !isSuccessErrno(-res)) {
            fail(error(-res));
        } else {
            onResult(engine, res, cqeFlags);
        }
    }

    /** The engine this op was submitted to. */
    final UringEngine engine() {
        return (UringEngine) backend();
    }
}
