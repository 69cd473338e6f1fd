package dev.ringio.engine;

import java.util.concurrent.CompletableFuture;

/**
 * The future an engine op returns, on every engine: only the engine completes it
 * ({@link #completeFromEngine}, {@link #failFromEngine}); {@link #cancel} asks the engine, which
 * then completes it with its verdict (cancelled, or the result that won the race). Dependent stages
 * are plain {@link CompletableFuture}s. Any thread.
 *
 * <p>Because {@code cancel} does not complete the future itself (a plain {@code CompletableFuture}
 * would, at once, with a bare {@code CancellationException}), the engine's verdict can say what
 * the op did first: a looping transfer is failed with a
 * {@link dev.ringio.TransferCancelledException} carrying the bytes it moved, which is still a
 * {@code CancellationException}, so {@link #isCancelled()} turns true once it lands. {@code get}
 * and {@code join} throw a fresh {@code CancellationException} whose cause is that one;
 * {@link dev.ringio.PartialProgress#of} reads the count through it.
 */
public abstract class EngineFuture<T> extends CompletableFuture<T> {

    /**
     * Asks the engine to cancel the op; false when no engine has it yet (it is then cancelled as a
     * plain future).
     */
    protected abstract boolean requestCancel();

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDone()) {
            return false;
        }
        return requestCancel() || super.cancel(mayInterruptIfRunning);
    }

    /** The engine's result; false if the future was already complete (then the caller must discard it). */
    public final boolean completeFromEngine(T value) {
        return super.complete(value);
    }

    /** The engine's failure. */
    public final void failFromEngine(Throwable t) {
        super.completeExceptionally(t);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
