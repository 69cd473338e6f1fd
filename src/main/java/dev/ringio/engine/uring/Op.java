package dev.ringio.engine.uring;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;
import dev.ringio.engine.Bounce;
import dev.ringio.engine.EngineFuture;

/**
 * One operation of the future API: the SQE it writes, what its result means, and the future it
 * completes. Lives from submission to completion; while the kernel owns it, the engine's slot
 * table references it, so the memory it hands the kernel (its {@code Arena.ofAuto()} segments,
 * its chunk, its {@link Bounce.Span}) stays reachable, and bounce memory goes back to the pool only
 * when the op ends.
 *
 * <p>Threading: constructed on the caller's thread, then touched by the loop thread only.
 */
abstract class Op<T> {

    final String name;
    final OpFuture<T> future;
    /** The descriptor the op holds (acquired), released exactly once when the op ends. */
    Fd fd;
    /** A second held descriptor (a directory), released with {@link #fd}. */
    Fd dir;
    /** The chunk the op holds (retained), released when the op ends. */
    Chunk chunk;
    /**
     * The caller's memory as the kernel sees it (bounce memory included), released when the op ends,
     * which is when the kernel has answered: a cancel request does not end it.
     */
    Bounce.Span span;
    /** The slot token while the kernel owns the op; 0 otherwise. */
    long token;
    /** The caller asked to cancel. */
    boolean cancelRequested;

    Op(String name) {
        this.name = name;
        this.future = new OpFuture<>(this);
    }

    /** Writes the SQE at {@code sqe} (already zeroed) with user_data {@code token}. */
    abstract void prep(Ring ring, long sqe, long token);

    /**
     * Handles a successful result ({@code res >= 0}, or a "success" errno such as ETIME for a
     * timeout). Either completes the op ({@link #succeed}) or resubmits it ({@code engine.resubmit}).
     */
    abstract void onResult(UringEngine engine, int res, int cqeFlags);

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

    /** Errnos that mean success for this op (ETIME for a timeout). */
    boolean isSuccessErrno(int errno) {
        return false;
    }

    /** The exception for a kernel failure; ops add what they know (a path). */
    Exception error(int errno) {
        return new NativeIoException(name, errno);
    }

    final void succeed(T value) {
        releaseResources();
        if (!future.completeFromEngine(value)) {
            discard(value);
        }
    }

    final void fail(Throwable t) {
        t = withProgress(t);
        releaseResources();
        // The op's own callback first, then the future: a multishot's handler hears onError
        // before done() completes (as MultishotOp.endStream promises), so a caller woken by
        // done() never sees the handler not yet told.
        try {
            onFailed(t);
        } finally {
            future.failFromEngine(t);
        }
    }

    /**
     * The failure to report for {@code t}: {@code t} itself, or, for a looping transfer that has
     * moved bytes, the same failure carrying the count ({@link dev.ringio.PartialProgress}).
     * Called once, as the op fails.
     */
    Throwable withProgress(Throwable t) {
        return t;
    }

    /** Called by {@link #fail} before the future fails: ops with a callback of their own tell it here. */
    void onFailed(Throwable t) {
    }

    /** A result nobody can receive any more (the future was completed by someone else): free it. */
    void discard(T value) {
        if (value instanceof Fd f) {
            f.close();
        }
    }

    final void releaseResources() {
        Fd f = fd;
        Fd d = dir;
        Chunk c = chunk;
        Bounce.Span s = span;
        fd = null;
        dir = null;
        chunk = null;
        span = null;
        if (s != null) {
            s.release();
        }
        if (f != null) {
            f.release();
        }
        if (d != null) {
            d.release();
        }
        if (c != null) {
            c.release();
        }
    }

    /**
     * The future of an op. {@link #cancel} asks the kernel to cancel; the future then completes
     * with the kernel's verdict (cancelled, or the result that won the race). Dependent stages are
     * plain {@link CompletableFuture}s.
     */
    static final class OpFuture<T> extends EngineFuture<T> {
        private final Op<T> op;
        volatile UringEngine engine;

        OpFuture(Op<T> op) {
            this.op = op;
        }

        /**
         * Requests cancellation. Returns {@code false} if the future is already done; otherwise
         * {@code true}, and the future completes when the kernel answers: exceptionally with a
         * {@link CancellationException} if the op was cancelled, else with its result.
         */
        @Override
        protected boolean requestCancel() {
            UringEngine e = engine;
            if (e == null) {
                return false;
            }
            e.requestCancel(op);
            return true;
        }

        @Override
        protected boolean onLoopThread() {
            UringEngine e = engine;
            return e != null && e.inLoop();
        }

        /** An IORING_OP_TIMEOUT of the engine ({@code sleepUntil}); its cancel is an ASYNC_CANCEL. */
        @Override
        protected CompletableFuture<Void> deadlineTimer(long deadline) {
            UringEngine e = engine;
            return e == null ? null : e.sleepUntil(deadline);
        }

        @Override
        protected String opName() {
            return op.name;
        }
    }
}
