package dev.ringio.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future an engine op returns, on every engine: only the engine completes it
 * ({@link #completeFromEngine}, {@link #failFromEngine}); {@link #cancel} asks the engine, which
 * then completes it with its verdict (cancelled, or the result that won the race). Dependent stages
 * are plain {@link CompletableFuture}s.
 *
 * <p>Waiting on the loop thread: only the engine's loop thread completes the future, so
 * {@link #join()} or {@link #get()} there on a future that is not done would wait for itself, and
 * with it the whole engine and its {@code close()}. They throw {@link IllegalStateException}
 * instead (as {@code BlockingIo} does); a future already done returns its outcome as usual.
 *
 * <p>Threading: any thread.
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

    /** Whether the calling thread is the loop thread of the engine that completes this future. */
    protected abstract boolean onLoopThread();

    /**
     * Throws if waiting for this future here could never end: the caller is the loop thread that
     * must complete it. Call before waiting in {@code get}/{@code join}.
     *
     * @param how the waiting method, named in the exception
     */
    protected final void checkNotWaitingOnLoop(String how) {
        if (!isDone() && onLoopThread()) {
            throw new IllegalStateException(how + "() on the engine's loop thread: the loop completes this future, "
                    + "so waiting for it there would never end (and would hang the engine and its close()); "
                    + "chain a stage (thenApply, whenComplete) instead of blocking in a callback");
        }
    }

    /** As {@link CompletableFuture#get()}; {@link IllegalStateException} on the engine's loop thread while not done. */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        checkNotWaitingOnLoop("get");
        return super.get();
    }

    /** As {@link CompletableFuture#get(long, TimeUnit)}; {@link IllegalStateException} on the loop thread while not done. */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        checkNotWaitingOnLoop("get");
        return super.get(timeout, unit);
    }

    /** As {@link CompletableFuture#join()}; {@link IllegalStateException} on the engine's loop thread while not done. */
    @Override
    public T join() {
        checkNotWaitingOnLoop("join");
        return super.join();
    }

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
