package dev.ringio.engine;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;

/**
 * One operation of the future API, on every engine: what it holds, what the kernel is asked to do
 * next ({@link #next()}), and what the kernel's answer means ({@link #handleResult}). The op is its
 * own future (one object per operation, besides the description of each attempt): the caller gets
 * it back, and only the engine completes it.
 *
 * <p>What it holds (a descriptor, a second one such as a directory, a chunk, the caller's memory as
 * the kernel sees it, descriptors it passes) is released exactly once, when the op ends, which is
 * when the kernel has answered (a cancel request does not end it), and before its future completes.
 *
 * <p>Result interpretation, written once here: {@code EINTR} asks for another attempt; {@code
 * ECANCELED} after the caller's cancel is a {@link CancellationException}, after the engine closed
 * an {@link EngineClosedException}; any other {@code -errno} is {@link #error(int)} (a
 * {@link NativeIoException} naming the op); a result {@code >= 0} goes to {@link #onResult}, which
 * completes the op or asks for another attempt (a short transfer).
 *
 * <p>Threading: built and held on the caller's thread, then touched by the backend's loop thread
 * only (and, for the readiness backend's file work, by a pool thread between the loop's hand-off and
 * the hand-back). The future methods are safe from any thread.
 */
public abstract class EngineOp<T> extends EngineFuture<T> {

    /** The operation's name, as exceptions name it. */
    public final String name;
    /** The descriptor the op holds (acquired), released when the op ends. */
    public Fd fd;
    /** A second held descriptor (a directory, a splice's destination), released with {@link #fd}. */
    public Fd other;
    /** The chunk the op holds (retained), released when the op ends. */
    public Chunk chunk;
    /** The caller's memory as the kernel sees it (bounce memory included), released when the op ends. */
    public Bounce.Span span;
    /** Descriptors the op passes (SCM_RIGHTS), held until it ends. */
    public List<Fd> passed;
    /** The caller asked to cancel. Loop thread. */
    public boolean cancelRequested;
    /** The io_uring backend's slot token while the kernel owns the op; 0 otherwise. Loop thread. */
    public long token;
    /** A backend's own record of the op while it runs (the readiness backend's waiter), or null. */
    public Object attachment;
    /** The backend the op was submitted to; null before. */
    protected volatile Backend backend;

    protected EngineOp(String name) {
        this.name = name;
    }

    /**
     * The description of the next attempt: the first one, or after a short transfer, the rest.
     * Backend threads only (the loop, or a pool thread the loop handed the op to).
     */
    public abstract KernelOp next();

    /**
     * Handles a successful result ({@code res >= 0}, or an errno {@link #isSuccessErrno} accepts):
     * completes the op ({@link #succeed}, {@link #fail}) and returns false, or returns true to be
     * attempted again (a short transfer with more to move). Loop thread only.
     */
    protected abstract boolean onResult(long res);

    /** The backend this op was submitted to; set by the backend as it takes the op. */
    public final void submittedTo(Backend b) {
        this.backend = b;
    }

    /** The backend this op was submitted to, or null. */
    public final Backend backend() {
        return backend;
    }

    /**
     * Turns the kernel's result ({@code -errno} on failure) into completion, failure, or another
     * attempt. Returns true when the backend must submit {@link #next()} again. May throw (a copy out
     * of bounce memory into memory the caller closed): the backend then fails the op with it. Loop
     * thread only.
     */
    public final boolean handleResult(long res) {
        if (res == -Errno.EINTR.value()) {
            return true;
        }
        if (res == -Errno.ECANCELED.value() && (cancelRequested || isBackendClosed())) {
            fail(cancelRequested ? new CancellationException(name + ": cancelled") : new EngineClosedException(name));
            return false;
        }
        if (res < 0 && !isSuccessErrno((int) -res)) {
            fail(error((int) -res));
            return false;
        }
        return onResult(res);
    }

    private boolean isBackendClosed() {
        Backend b = backend;
        return b != null && b.isClosed();
    }

    /** Errnos that mean success for this op (ETIME for a timeout). */
    protected boolean isSuccessErrno(int errno) {
        return false;
    }

    /** The exception for a kernel failure; ops add what they know (a path, an address). */
    protected Exception error(int errno) {
        return new NativeIoException(name, errno);
    }

    /** Releases what the op holds, then completes its future with {@code value}. Loop thread only. */
    public final void succeed(T value) {
        releaseResources();
        if (!completeFromEngine(value)) {
            discard(value);
        }
    }

    /**
     * Releases what the op holds, tells the op's own callback ({@link #onFailed}), then fails the
     * future with {@code t} (as {@link #withProgress} reports it). Loop thread only.
     */
    public final void fail(Throwable t) {
        t = withProgress(t);
        releaseResources();
        // The op's own callback first, then the future: a multishot's handler hears onError
        // before done() completes, so a caller woken by done() never sees the handler not yet told.
        try {
            onFailed(t);
        } finally {
            failFromEngine(t);
        }
    }

    /**
     * The failure to report for {@code t}: {@code t} itself, or, for a looping transfer that has
     * moved bytes, the same failure carrying the count ({@link dev.ringio.PartialProgress}). Called
     * once, as the op fails.
     */
    protected Throwable withProgress(Throwable t) {
        return t;
    }

    /** Called by {@link #fail} before the future fails: ops with a callback of their own tell it here. */
    protected void onFailed(Throwable t) {
    }

    /** A result nobody can receive any more (the future was completed by someone else): free it. */
    protected void discard(T value) {
        if (value instanceof Fd f) {
            f.close();
        }
    }

    /**
     * Acquires {@code fd} (and retains {@code chunk}, when not null) for this op. On failure releases
     * what it took (and the op's memory: nothing reached the kernel) and rethrows. Caller's thread.
     *
     * @throws NativeIoException     if {@code fd} is closed
     * @throws IllegalStateException if {@code chunk} was freed
     */
    public final void hold(Fd fd, Chunk chunk) throws NativeIoException {
        try {
            fd.acquire(name);
            this.fd = fd;
            if (chunk != null) {
                chunk.retain(name);
                this.chunk = chunk;
            }
        } catch (NativeIoException | RuntimeException e) {
            releaseResources();
            throw e;
        }
    }

    /**
     * Acquires {@code dir} as the op's {@link #other} descriptor (a directory a path is relative
     * to): its number, or {@code AT_FDCWD} when {@code dir} is null. Caller's thread.
     *
     * @throws NativeIoException if {@code dir} is closed (the op then holds nothing more)
     */
    public final int holdDir(Fd dir) throws NativeIoException {
        if (dir == null) {
            return dev.ringio.AtFlags.AT_FDCWD;
        }
        int raw = dir.acquire(name);
        this.other = dir;
        return raw;
    }

    /**
     * Holds {@code fd} (and {@code chunk}) and submits the op to {@code backend}; a closed
     * descriptor or a freed chunk fails the returned future instead (nothing reached the kernel).
     * Caller's thread.
     *
     * @return this op
     */
    public final CompletableFuture<T> holdAndSubmit(Backend backend, Fd fd, Chunk chunk) {
        try {
            hold(fd, chunk);
        } catch (NativeIoException | IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        backend.submit(this);
        return this;
    }

    /** Releases what the op holds, exactly once (idempotent). Loop thread, or the caller's before submission. */
    public final void releaseResources() {
        Fd f = fd;
        Fd o = other;
        Chunk c = chunk;
        List<Fd> p = passed;
        Bounce.Span s = span;
        fd = null;
        other = null;
        chunk = null;
        passed = null;
        span = null;
        release(s, f, o, c, p, false);
    }

    /**
     * Releases what an op held: its memory first (bounce memory goes back to the pool), then its
     * descriptors and chunk. Any of them may be null. What every op, on every engine, releases as
     * it ends; {@code abandoned}: the holds of a call the engine abandoned in the kernel (their
     * descriptor holds were marked with {@link Fd#abandonHold()}), released by the thread that was
     * in the call once it returned. Any thread that owns the holds.
     */
    public static void release(Bounce.Span span, Fd fd, Fd other, Chunk chunk, List<Fd> passed, boolean abandoned) {
        if (span != null) {
            span.release();
        }
        letGo(fd, abandoned);
        letGo(other, abandoned);
        if (chunk != null) {
            chunk.release();
        }
        if (passed != null) {
            passed.forEach(p -> letGo(p, abandoned));
        }
    }

    private static void letGo(Fd f, boolean abandoned) {
        if (f == null) {
            return;
        }
        if (abandoned) {
            f.releaseAbandoned();
        } else {
            f.release();
        }
    }

    /** Whether the op holds {@code f} (as its descriptor, its other one, or one it passes). Loop thread. */
    public final boolean holds(Fd f) {
        return fd == f || other == f || (passed != null && passed.contains(f));
    }

    // ---- the future's side: cancel and deadlines go to the backend ------------------------------

    @Override
    protected final boolean requestCancel() {
        Backend b = backend;
        if (b == null) {
            return false;
        }
        b.cancel(this);
        return true;
    }

    @Override
    protected final boolean onLoopThread() {
        Backend b = backend;
        return b != null && b.inLoop();
    }

    @Override
    protected final CompletableFuture<Void> deadlineTimer(long deadline) {
        Backend b = backend;
        return b == null ? null : b.timer(deadline);
    }

    @Override
    protected final String opName() {
        return name;
    }
}
