package dev.ringio.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.ringio.DeadlineExceededException;
import dev.ringio.PartialProgress;

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
 *
 * <p>Deadlines: {@link #orTimeout} and {@link #completeOnTimeout} give the deadline to the engine
 * instead of the JDK's timer thread. The engine arms a timer of its own (its {@code sleepUntil}:
 * an io_uring {@code TIMEOUT}, the readiness engine's timer heap); when it expires first, the
 * engine cancels the op in the kernel by the same path as {@link #cancel} and completes the
 * future with its verdict turned into the timeout: a {@link DeadlineExceededException} (a
 * {@link TimeoutException} whose cause is the cancellation and which carries a looping
 * transfer's count), or {@code completeOnTimeout}'s value. A result that wins the race is
 * delivered, as for a cancel. When the op ends first, its timer is cancelled. The descriptor,
 * chunk and memory the op holds are released when the kernel lets go of them, never at expiry.
 */
public abstract class EngineFuture<T> extends CompletableFuture<T> {

    private static final VarHandle EXPIRED;

    static {
        try {
            EXPIRED = MethodHandles.lookup().findVarHandle(EngineFuture.class, "expired", Expired.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What orTimeout leaves as its action: fail with the timeout rather than complete with a value. */
    private static final Object FAIL = new Object();

    /** A deadline that expired (set once, before the engine is asked to cancel): its length and action. */
    private record Expired(long nanos, Object action) {
    }

    @SuppressWarnings("unused") // through EXPIRED
    private volatile Expired expired;
    /** The caller cancelled: a deadline expiring later does not turn that cancel into a timeout. */
    private volatile boolean cancelledByCaller;

    /**
     * Asks the engine to cancel the op; false when no engine has it yet (it is then cancelled as a
     * plain future).
     */
    protected abstract boolean requestCancel();

    /** Whether the calling thread is the loop thread of the engine that completes this future. */
    protected abstract boolean onLoopThread();

    /**
     * The engine's timer for a deadline: a future of the engine that completes normally at
     * {@code deadline} ({@link System#nanoTime()} time) and is removed from the engine by its
     * {@code cancel}; {@code null} when no engine has this future (then the JDK's timer is used,
     * as for a plain future).
     */
    protected abstract CompletableFuture<Void> deadlineTimer(long deadline);

    /** The op's name, for the timeout's message. */
    protected abstract String opName();

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
        spinUntilDone();
        return super.get();
    }

    /** As {@link CompletableFuture#get(long, TimeUnit)}; {@link IllegalStateException} on the loop thread while not done. */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        checkNotWaitingOnLoop("get");
        spinUntilDone();
        return super.get(timeout, unit);
    }

    /** As {@link CompletableFuture#join()}; {@link IllegalStateException} on the engine's loop thread while not done. */
    @Override
    public T join() {
        checkNotWaitingOnLoop("join");
        spinUntilDone();
        return super.join();
    }

    /**
     * Spins briefly before blocking, on every engine: a completion usually arrives within
     * microseconds, and a park/unpark pair costs more than that. Never on the loop thread (it
     * would wait on itself; {@link #checkNotWaitingOnLoop} has refused that already when not done).
     */
    private void spinUntilDone() {
        if (!isDone() && !onLoopThread()) {
            IdleStrategy.awaitBriefly(this);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDone()) {
            return false;
        }
        cancelledByCaller = true;
        return requestCancel() || super.cancel(mayInterruptIfRunning);
    }

    /**
     * As {@link CompletableFuture#orTimeout}, but the deadline cancels the op in the kernel: when
     * it passes before the op completes, the engine cancels the op (its descriptor, chunk and
     * memory released once the kernel lets go) and fails this future with a
     * {@link DeadlineExceededException}, a {@link TimeoutException} carrying a looping transfer's
     * count ({@link PartialProgress}). A result or failure the kernel reports before the cancel
     * takes effect is delivered instead. A loop such as {@code readExactly} has one deadline for
     * the whole transfer, not one per kernel step. Calling it again adds a deadline (the earliest
     * decides). Any thread.
     *
     * @return this future
     */
    @Override
    public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        armDeadline(timeout, unit, FAIL);
        return this;
    }

    /**
     * As {@link CompletableFuture#completeOnTimeout}, but the deadline cancels the op in the
     * kernel first (see {@link #orTimeout}); the future completes with {@code value} once the
     * engine has cancelled the op. A looping transfer's partial count is then not reported (the
     * value replaces the failure that would carry it). Any thread.
     *
     * @return this future
     */
    @Override
    public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        armDeadline(timeout, unit, value);
        return this;
    }

    private void armDeadline(long timeout, TimeUnit unit, Object action) {
        if (isDone()) {
            return;
        }
        long nanos = Math.max(0, unit.toNanos(timeout));
        long now = System.nanoTime();
        long deadline = nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
        CompletableFuture<Void> timer = deadlineTimer(deadline);
        if (timer == null) {
            if (action == FAIL) {
                super.orTimeout(timeout, unit);
            } else {
                @SuppressWarnings("unchecked")
                T value = (T) action;
                super.completeOnTimeout(value, timeout, unit);
            }
            return;
        }
        timer.whenComplete((v, failure) -> {
            if (failure == null) {
                deadlinePassed(nanos, action);
            }
            // else: the op ended first and removed its timer, or the engine closed
        });
        whenComplete((v, failure) -> timer.cancel(true)); // the op ended: take its timer off the engine
    }

    /** The engine's timer expired (on its loop): cancel the op and remember why. */
    private void deadlinePassed(long nanos, Object action) {
        if (isDone() || cancelledByCaller || !EXPIRED.compareAndSet(this, null, new Expired(nanos, action))) {
            return; // done, cancelled by the caller, or an earlier deadline is already at work
        }
        requestCancel();
    }

    /** The engine's result; false if the future was already complete (then the caller must discard it). */
    public final boolean completeFromEngine(T value) {
        return super.complete(value);
    }

    /**
     * The engine's failure. A cancellation that an expired deadline asked for becomes the
     * timeout: a {@link DeadlineExceededException} (with the count of a looping transfer), or the
     * value of {@link #completeOnTimeout}.
     */
    public final void failFromEngine(Throwable t) {
        Expired e = expired;
        if (e != null && t instanceof CancellationException) {
            if (e.action != FAIL) {
                @SuppressWarnings("unchecked")
                T value = (T) e.action;
                super.complete(value);
                return;
            }
            long moved = PartialProgress.of(t);
            t = new DeadlineExceededException(opName() + ": deadline of " + formatNanos(e.nanos) + " passed"
                    + (moved > 0 ? " after " + moved + " bytes" : "") + "; cancelled in the kernel", moved, t);
        }
        super.completeExceptionally(t);
    }

    private static String formatNanos(long nanos) {
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + " ms";
        }
        if (nanos % 1_000 == 0) {
            return nanos / 1_000 + " us";
        }
        return nanos + " ns";
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
