package dev.ringio.engine.poll;

import java.util.List;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;
import dev.ringio.engine.Bounce;
import dev.ringio.engine.EngineFuture;
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
        POOL
    }

    static final int NEW = 0;
    static final int WAITING = 1;
    static final int TIMED = 2;
    static final int RUNNING = 3;
    static final int POOL_DONE = 4;
    static final int DONE = 5;

    final String name;
    final OpFuture<T> future;
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

    PollOp(String name, Mode mode) {
        this.name = name;
        this.mode = mode;
        this.future = new OpFuture<>(this);
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

    final void succeed(T value) {
        state = DONE;
        releaseResources();
        if (!future.completeFromEngine(value)) {
            discard(value);
        }
    }

    final void fail(Throwable t) {
        state = DONE;
        releaseResources();
        future.failFromEngine(t);
        onFailed(t);
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

    /** Runs after {@link #fail}: subclasses end streams here. */
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
        if (s != null) {
            s.release();
        }
        if (f != null) {
            f.release();
        }
        if (o != null) {
            o.release();
        }
        if (c != null) {
            c.release();
        }
        if (p != null) {
            p.forEach(Fd::release);
        }
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
    }
}
