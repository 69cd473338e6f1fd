package dev.ringio.engine.poll;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;
import dev.ringio.engine.Bounce;
import dev.ringio.engine.EngineFuture;
import dev.ringio.engine.EngineOp;
import dev.ringio.sys.Shim;

/**
 * One operation of the readiness engine: a syscall the loop (or, for regular files, the file pool)
 * makes, retried on readiness while it says EAGAIN, and the future it completes.
 *
 * <p>Life: {@link #NEW} (queued or about to start) → {@link #WAITING} (EAGAIN: parked on its
 * descriptor's {@link Watch}), {@link #TIMED} (in the timer heap) or {@link #RUNNING} (on the file
 * pool) → {@link #DONE}. Loop thread only, except {@link #attempt} of a {@link Mode#POOL} op, which
 * runs on a pool thread while the loop leaves the op alone.
 */
abstract class PollOp<T> {

    /** Where an op's syscall runs. */
    enum Mode {
        /** On the loop, once: the call never blocks (bind, listen, shutdown, socket). */
        LOOP,
        /** On the loop, non-blocking; on EAGAIN wait for {@link #interest} and try again. */
        READY,
        /** On the file pool: the call may block (regular files, directories, paths). */
        POOL,
        /** No call: an entry in the engine's timer heap, completed when its deadline passes. */
        TIMER
    }

    static final int NEW = 0;
    static final int WAITING = 1;
    static final int TIMED = 2;
    static final int RUNNING = 3;
    static final int POOL_DONE = 4;
    static final int DONE = 5;

    final String name;
    /** The future the op completes: its own {@link OpFuture}, or, for a {@link KernelCall}, the op of the op layer. */
    final EngineFuture<T> future;
    Mode mode;
    int state = NEW;
    boolean cancelRequested;

    /** Held resources, released exactly once when the op completes. */
    Fd fd;
    Fd other;
    Chunk chunk;
    List<Fd> passed;
    /**
     * The caller's memory as the kernel sees it (bounce memory included), released when the op ends:
     * after its syscall has returned, never while a pool thread is still in it.
     */
    Bounce.Span span;

    /**
     * READY ops whose syscall blocks on a blocking descriptor (read, write, accept, connect,
     * splice; not send/recv, which pass MSG_DONTWAIT): the engine sets O_NONBLOCK on {@link #fd}
     * (and {@link #other}) once, before the first attempt.
     */
    boolean needsNonBlocking;

    /** READY ops: the descriptor waited on and {@link Interest#READ} or {@link Interest#WRITE}. */
    Fd waitFd;
    int interest;
    /** Links in the {@link Watch}'s waiter list. */
    PollOp<?> prevWaiter;
    PollOp<?> nextWaiter;
    Watch watch;

    /** A POOL op's result (or the exception its attempt threw), handed from the pool thread to the loop. */
    long poolResult;
    Throwable poolFailure;

    /**
     * POOL ops whose call may wait for another party without bound (an open of a FIFO or a
     * device, a read of a terminal): they run on the engine's unbounded workers and are abandoned
     * when cancelled or when the engine closes (see {@link PollEngine}).
     */
    boolean unbounded;
    /** Set for an op whose result is a new descriptor: an abandoned call's descriptor is closed. */
    boolean resultIsFd;

    /** Where a POOL attempt is, between the loop and a pool thread: {@link #POOL_QUEUED} ... */
    static final int POOL_QUEUED = 0;
    /** A pool thread is in the call. */
    static final int POOL_STARTED = 1;
    /** The call returned; its result is on the way to the loop. */
    static final int POOL_RETURNED = 2;
    /** The loop completed the op without the call: a pool thread still in it cleans up after it. */
    static final int POOL_ABANDONED = 3;
    private static final VarHandle POOL_STATE;

    static {
        try {
            POOL_STATE = MethodHandles.lookup().findVarHandle(PollOp.class, "poolState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through POOL_STATE
    private volatile int poolState;
    /** What an abandoned call's op held, released by the pool thread when the call returns. */
    private volatile Held abandonedHolds;

    PollOp(String name, Mode mode) {
        this.name = name;
        this.mode = mode;
        this.future = new OpFuture<>(this);
    }

    /** An op completing {@code future}, which is the op of the op layer it runs ({@link KernelCall}). */
    PollOp(String name, Mode mode, EngineFuture<T> future) {
        this.name = name;
        this.mode = mode;
        this.future = future;
    }

    /** The descriptor the op holds (and works on), or null. */
    Fd fd() {
        return fd;
    }

    /** The second descriptor the op holds (a directory, a splice's destination), or null. */
    Fd other() {
        return other;
    }

    /** One attempt: the syscall; its result, or {@code -errno} ({@code -EAGAIN}: wait and retry). */
    abstract long attempt(Shim shim);

    /**
     * Handles an attempt's final result (not EINTR, not EAGAIN). Returns true to attempt again
     * (a loop such as readExactly that is not done yet); otherwise the op has succeeded or failed.
     */
    boolean onResult(long res) {
        if (res < 0) {
            fail(error((int) -res));
        } else {
            succeed(value(res));
        }
        return false;
    }

    /** The value of a successful result; {@code null} by default. */
    T value(long res) {
        return null;
    }

    /** The exception for a failed attempt. */
    Exception error(int errno) {
        return new NativeIoException(name, errno);
    }

    void succeed(T value) {
        state = DONE;
        releaseResources();
        if (!future.completeFromEngine(value)) {
            discard(value);
        }
    }

    void fail(Throwable t) {
        t = withProgress(t);
        state = DONE;
        releaseResources();
        // The op's own callback first, then the future: a multishot's handler hears onError
        // before done() completes, so a caller woken by done() never sees it not yet told.
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

    // ---- the pool hand-off -------------------------------------------------------------------------

    /** Loop: before handing the op to a pool thread. */
    final void poolQueued() {
        POOL_STATE.setVolatile(this, POOL_QUEUED);
    }

    /** Pool thread: false if the loop abandoned the op before the call started (then leave it alone). */
    final boolean poolStart() {
        return POOL_STATE.compareAndSet(this, POOL_QUEUED, POOL_STARTED);
    }

    /**
     * Pool thread, the call returned: true if the loop still wants the result; false if it
     * abandoned the op meanwhile, in which case this releases what the op held and closes a
     * descriptor the call produced (nobody can receive it).
     */
    final boolean poolReturned(Shim shim, long res) {
        if (POOL_STATE.compareAndSet(this, POOL_STARTED, POOL_RETURNED)) {
            return true;
        }
        if (resultIsFd && res >= 0) {
            shim.close((int) res);
        }
        Held h = abandonedHolds;
        abandonedHolds = null;
        if (h != null) {
            h.release();
        }
        return false;
    }

    /**
     * Loop: completes the op with {@code reason} without waiting for its pool call. Not started
     * yet: the call never runs and the op ends as usual. Started (only when {@code evenRunning}):
     * the future completes now and what the op holds (descriptors, chunk, memory) stays held until
     * the call returns, since the kernel may still use it. False if the call already returned
     * (its result is on the way and wins) or is running and {@code evenRunning} is false.
     */
    final boolean abandonPoolCall(Throwable reason, boolean evenRunning) {
        if (POOL_STATE.compareAndSet(this, POOL_QUEUED, POOL_ABANDONED)) {
            abort(reason);
            return true;
        }
        if (!evenRunning || (int) POOL_STATE.getVolatile(this) != POOL_STARTED) {
            return false;
        }
        Held h = takeHolds();
        abandonedHolds = h; // published to the pool thread by the CAS below
        if (!POOL_STATE.compareAndSet(this, POOL_STARTED, POOL_ABANDONED)) {
            abandonedHolds = null; // the call returned just now: its result wins, the op keeps its holds
            restoreHolds(h);
            return false;
        }
        // The holds stay until the call returns, but no longer delay close(fd)'s future
        // (Fd.whenSettled): the op is complete as far as anyone waiting for it is concerned.
        h.markAbandoned();
        abort(reason);
        return true;
    }

    /** Loop: whether the op holds {@code f} (as its descriptor, its other one, or one it passes). */
    boolean holds(Fd f) {
        return fd == f || other == f || (passed != null && passed.contains(f));
    }

    /**
     * Loop: takes what the op holds out of it (an abandoned call keeps it): its descriptors, its
     * chunk, and its memory, which the kernel may still read or write until the call returns.
     */
    Held takeHolds() {
        Held h = new Held(span, fd, other, chunk, passed);
        span = null;
        fd = null;
        other = null;
        chunk = null;
        passed = null;
        return h;
    }

    /** Loop: gives back what {@link #takeHolds} took (the call returned after all). */
    void restoreHolds(Held h) {
        span = h.span;
        fd = h.fd;
        other = h.other;
        chunk = h.chunk;
        passed = h.passed;
    }

    /** What an op holds, set aside while an abandoned pool call is still in the kernel. */
    record Held(Bounce.Span span, Fd fd, Fd other, Chunk chunk, List<Fd> passed) {
        void markAbandoned() {
            if (fd != null) {
                fd.abandonHold();
            }
            if (other != null) {
                other.abandonHold();
            }
            if (passed != null) {
                passed.forEach(Fd::abandonHold);
            }
        }

        /** The pool thread, once the abandoned call returned: the memory back to its pool, the rest released. */
        void release() {
            EngineOp.release(span, fd, other, chunk, passed, true);
        }
    }

    /**
     * Ends the op without a result of its own: cancelled, its descriptor closed through the
     * engine, or the engine closing. Fails the future with {@code reason}; streams end instead.
     */
    void abort(Throwable reason) {
        fail(reason);
    }

    /** Submitted to a closed engine (never started): {@link #abort} by default. */
    void rejected(Throwable reason) {
        abort(reason);
    }

    /** Runs in {@link #fail}, before the future fails: subclasses end streams here. */
    void onFailed(Throwable t) {
    }

    /** A value nobody can receive (the future was already completed): never leak a descriptor. */
    void discard(T value) {
        if (value instanceof Fd f) {
            f.close();
        }
    }

    final void releaseResources() {
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
        EngineOp.release(s, f, o, c, p, false);
    }

    /** The op's future: {@code cancel} asks the engine, which completes it on the loop. */
    static final class OpFuture<T> extends EngineFuture<T> {
        private final PollOp<T> op;
        volatile PollEngine engine;

        OpFuture(PollOp<T> op) {
            this.op = op;
        }

        @Override
        protected boolean requestCancel() {
            PollEngine e = engine;
            if (e == null) {
                return false;
            }
            e.requestCancel(op);
            return true;
        }

        @Override
        protected boolean onLoopThread() {
            PollEngine e = engine;
            return e != null && e.inLoop();
        }

        /** An entry in the engine's timer heap ({@code sleepUntil}); its cancel takes it out. */
        @Override
        protected java.util.concurrent.CompletableFuture<Void> deadlineTimer(long deadline) {
            PollEngine e = engine;
            return e == null ? null : e.sleepUntil(deadline);
        }

        @Override
        protected String opName() {
            return op.name;
        }
    }
}
