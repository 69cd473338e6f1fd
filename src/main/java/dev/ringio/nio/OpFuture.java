package dev.ringio.nio;

import java.util.concurrent.CompletableFuture;

/**
 * The {@link java.util.concurrent.Future} the {@code Future} forms return. {@link #cancel} runs the
 * operation's own cancellation (stop the timer, cancel the engine op, forbid further reads or
 * writes, close the channel when asked to interrupt) only if it is the cancel that decides the
 * outcome; a result that arrived first is kept.
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
}
