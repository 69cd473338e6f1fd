package dev.ringio.nio;

import java.nio.channels.CompletionHandler;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * How one asynchronous operation ends: exactly once, through either a {@link CompletionHandler}
 * run where the group runs handlers, or the {@link OpFuture} the {@code Future} form returned.
 *
 * <p>Several parties race to end an operation: the engine's completion, a timeout, a user's
 * {@code cancel}. Each first {@link #claim()}s it; only the winner delivers. The operation counts
 * as outstanding in its group until its result has been handed over, so the group does not
 * terminate (and shut its executor down) while a handler is still to be run.
 *
 * <p>Threading: any thread; {@link #succeed}/{@link #fail} run the handler on the caller's thread
 * only where {@link HandlerExecutor#invoke} allows it (the loop of a fixed group's channel, or a
 * handler of the same group, within the nesting bound); else it goes to the executor or the loop.
 */
final class Outcome<V, A> {

    private final HandlerExecutor executor;
    private final A attachment;
    private final CompletionHandler<V, ? super A> handler;
    private final OpFuture<V> future;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile Consumer<Boolean> onCancel;

    private Outcome(HandlerExecutor executor, A attachment, CompletionHandler<V, ? super A> handler) {
        this.executor = executor;
        this.attachment = attachment;
        this.handler = handler;
        this.future = handler == null ? new OpFuture<>(this) : null;
        executor.operationStarted();
    }

    /** An outcome for the handler form ({@code handler} non-null) or the Future form ({@code null}). */
    static <V, A> Outcome<V, A> of(HandlerExecutor executor, A attachment, CompletionHandler<V, ? super A> handler) {
        return new Outcome<>(executor, attachment, handler);
    }

    /** The Future form's future; {@code null} for the handler form. */
    Future<V> future() {
        return future;
    }

    /** Whether the calling thread must not wait for this operation (see {@link HandlerExecutor#mustNotWait}). */
    boolean mustNotWait() {
        return executor.mustNotWait();
    }

    /** What a winning {@code Future.cancel} does (argument: mayInterruptIfRunning). */
    void onCancel(Consumer<Boolean> action) {
        this.onCancel = action;
    }

    /** Takes the right to end the operation; true for the first caller only. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** Claims and delivers {@code value}; false if another party ended the operation first. */
    boolean succeed(V value) {
        if (!claim()) {
            return false;
        }
        deliverValue(value);
        return true;
    }

    /** Claims and delivers {@code failure}; false if another party ended the operation first. */
    boolean fail(Throwable failure) {
        if (!claim()) {
            return false;
        }
        deliverFailure(failure);
        return true;
    }

    /** Delivers {@code value}; the caller has already {@link #claim()}ed. */
    void deliverValue(V value) {
        if (handler == null) {
            future.complete(value);
            executor.operationFinished();
        } else {
            executor.invoke(() -> handler.completed(value, attachment));
        }
    }

    /** Delivers {@code failure}; the caller has already {@link #claim()}ed. */
    void deliverFailure(Throwable failure) {
        if (handler == null) {
            future.completeExceptionally(failure);
            executor.operationFinished();
        } else {
            executor.invoke(() -> handler.failed(failure, attachment));
        }
    }

    /** Called by {@link OpFuture#cancel} after it claimed the operation. */
    void cancelled(boolean mayInterruptIfRunning) {
        try {
            Consumer<Boolean> action = onCancel;
            if (action != null) {
                action.accept(mayInterruptIfRunning);
            }
        } finally {
            executor.operationFinished();
        }
    }
}
