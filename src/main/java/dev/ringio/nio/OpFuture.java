package dev.ringio.nio;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link java.util.concurrent.Future} the {@code Future} forms return. {@link #cancel} runs the
 * operation's own cancellation (stop the timer, cancel the engine op, forbid further reads or
 * writes, close the channel when asked to interrupt) only if it is the cancel that decides the
 * outcome; a result that arrived first is kept.
 *
 * <p>{@link #get()} and {@link #get(long, TimeUnit)} of an operation not yet done, called on the
 * loop thread of the engine that carries the operation (a completion handler of a
 * fixed-thread-pool group asking for another operation of a channel on its own loop), throw
 * {@link IllegalStateException}: that loop is the only thread that can complete it, so the wait
 * would never end (on the JDK the group's other threads would complete it). A result that is
 * already there is returned as usual.
 *
 * <p>Threading: any thread.
 */
final class OpFuture<V> extends CompletableFuture<V> {

    private final Outcome<V, ?> outcome;

    OpFuture(Outcome<V, ?> outcome) {
        this.outcome = outcome;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (!outcome.claim()) {
            return isCancelled();
        }
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        outcome.cancelled(mayInterruptIfRunning);
        return cancelled;
    }

    /** @throws IllegalStateException if not done and called on the loop thread that must complete it */
    @Override
    public V get() throws InterruptedException, ExecutionException {
        refuseSelfWait("get");
        return super.get();
    }

    /** @throws IllegalStateException if not done and called on the loop thread that must complete it */
    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseSelfWait("get");
        return super.get(timeout, unit);
    }

    /** @throws IllegalStateException if not done and called on the loop thread that must complete it */
    @Override
    public V join() {
        refuseSelfWait("join");
        return super.join();
    }

    private void refuseSelfWait(String method) {
        if (!isDone() && outcome.mustNotWait()) {
            throw new IllegalStateException("Future." + method + " on " + Thread.currentThread().getName()
                    + ": this is the loop thread that completes the operation, so it would wait forever;"
                    + " use a CompletionHandler, or wait on another thread");
        }
    }
}
