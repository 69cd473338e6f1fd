package dev.ringio.engine.uring;

import java.util.concurrent.CompletableFuture;

import dev.ringio.Fd;
import dev.ringio.engine.CallOp;
import dev.ringio.engine.EngineFuture;
import dev.ringio.engine.SpliceOp;

/**
 * io_uring's splice from a socket or a pipe: io_uring always punts SPLICE to an io-wq worker, which
 * then blocks in splice(2) until the source has data, where ASYNC_CANCEL cannot reach it (so
 * close(fd) and cancel would hang); waiting for POLLIN first keeps the wait in the ring, where it
 * can be cancelled. {@code dst} is held by the caller meanwhile and released when the splice holds
 * it itself.
 *
 * A splice whose source was polled readable first; cancel reaches whichever stage is running.
 *
 * <p>Threading: built and started on any thread; its stages complete on the loop.
 */
final class StagedSplice extends EngineFuture<Integer> {
    private final UringEngine engine;
    private final Fd src;
    private final Fd dst;
    private final int len;
    private volatile CompletableFuture<Integer> stage;

    StagedSplice(UringEngine engine, Fd src, Fd dst, int len) {
        this.engine = engine;
        this.src = src;
        this.dst = dst;
        this.len = len;
    }

    CompletableFuture<Integer> start() {
        CompletableFuture<Integer> poll = CallOp.poll(engine, "splice", src, Layouts.POLLIN);
        stage = poll;
        poll.whenComplete((events, failure) -> {
            CompletableFuture<Integer> splice = failure != null ? null : SpliceOp.submit(engine, src, dst, len);
            dst.release(); // the splice holds dst itself now
            if (failure != null) {
                failFromEngine(failure instanceof java.util.concurrent.CompletionException c
                        && c.getCause() != null ? c.getCause() : failure);
                return;
            }
            stage = splice;
            splice.whenComplete((n, t) -> {
                if (t != null) {
                    failFromEngine(t instanceof java.util.concurrent.CompletionException c
                            && c.getCause() != null ? c.getCause() : t);
                } else {
                    completeFromEngine(n);
                }
            });
        });
        return this;
    }

    /** Cancels the stage in flight; the future completes with what that stage reports. */
    @Override
    protected boolean requestCancel() {
        stage.cancel(true);
        return true;
    }

    @Override
    protected boolean onLoopThread() {
        return engine.inLoop();
    }

    @Override
    protected CompletableFuture<Void> deadlineTimer(long deadline) {
        return engine.sleepUntil(deadline);
    }

    @Override
    protected String opName() {
        return "splice";
    }
}
