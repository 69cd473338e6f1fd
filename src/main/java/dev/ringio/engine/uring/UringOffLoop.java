package dev.ringio.engine.uring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.KernelOp;

/**
 * The io_uring engine's work off the loop: the ops whose description the ring cannot take
 * ({@link Sqes#opcode} says {@link Sqes#NO_OPCODE}, or the probe lacks the opcode) run their
 * syscall as an {@link OffLoopCall} on a platform thread, and their results come back to the loop
 * as a CQE's would; the final close(2) of revoked descriptors runs on the same threads
 * ({@link UringEngine#closer()}). Calls that may never return (a sendfile into a socket nobody
 * reads) are abandoned on cancel, close of their descriptor and shutdown; the others are waited for.
 *
 * <p>Threading: {@link #executor()} any thread; {@link #returned} on an off-loop thread; the rest
 * on the loop thread only.
 */
final class UringOffLoop {

    private final UringEngine engine;
    /**
     * Platform threads, not virtual ones: a blocking syscall made through a native downcall pins a
     * virtual thread's carrier, and a few stuck ones (a sendfile into a socket nobody reads) would
     * stall every virtual thread of the process.
     */
    private final ExecutorService threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), Thread.ofPlatform().daemon().name("ringio-offloop-", 0).factory());
    /** Calls running whose results the loop has not taken yet: shutdown waits for them (or abandons them). */
    private final Set<OffLoopCall> running = new HashSet<>();

    /** Any thread (the engine's constructor). */
    UringOffLoop(UringEngine engine) {
        this.engine = engine;
    }

    /** The off-loop threads (also the engine's closer and resolver). Any thread. */
    ExecutorService executor() {
        return threads;
    }

    /** Whether no call is running. Loop thread only. */
    boolean isIdle() {
        return running.isEmpty();
    }

    /** Runs {@code d} for {@code op} on an off-loop thread. Loop thread only. */
    void start(EngineOp<?> op, KernelOp d) {
        OffLoopCall call = new OffLoopCall(op, d, engine.shim, this::returned);
        running.add(call);
        op.attachment = call;
        try {
            threads.execute(call);
        } catch (RejectedExecutionException e) {
            running.remove(call);
            op.attachment = null;
            op.fail(new EngineClosedException(op.name));
        }
    }

    /** A call's thread: its result to the loop. Off-loop thread. */
    private void returned(OffLoopCall call) {
        engine.queue.offer((Runnable) () -> deliver(call)); // also while closing: the loop waits for it
        engine.wake();
    }

    /** A call's result to its op, as {@link CqeDispatch} gives a CQE's. Loop thread only. */
    private void deliver(OffLoopCall call) {
        running.remove(call);
        EngineOp<?> op = call.op;
        op.attachment = null;
        engine.dispatch.deliver(op, call.failure, call.result);
    }

    /** A cancel of {@code op}: abandoned if it may never return; one that will return decides. Loop thread only. */
    void cancel(EngineOp<?> op) {
        if (op.attachment instanceof OffLoopCall) {
            abandon(o -> o == op, o -> new CancellationException(o.name + ": cancelled"));
        }
    }

    /** close(fd): the calls on it that may never return are abandoned. Loop thread only. */
    void closed(Fd fd) {
        abandon(op -> op.holds(fd),
                op -> new NativeIoException(op.name, Errno.ECANCELED.value(), "fd " + fd.value() + " closed"));
    }

    /** Shutdown: every call that may never return is abandoned. Loop thread only. */
    void shutdown() {
        abandon(o -> true, o -> new EngineClosedException(o.name));
    }

    /** The loop died of {@code cause}: every call's op fails. Loop thread only. */
    void failAll(Throwable cause) {
        for (OffLoopCall call : new ArrayList<>(running)) {
            Throwable dead = new IllegalStateException(call.op.name + ": the io_uring loop died", cause);
            if (!call.abandon(dead)) {
                call.op.fail(dead); // returned, but the loop that would take the result is gone
            }
        }
        running.clear();
    }

    /** The loop is gone: no new call starts. Any thread. */
    void stop() {
        threads.shutdown();
    }

    private void abandon(Predicate<EngineOp<?>> which, Function<EngineOp<?>, Throwable> reason) {
        for (OffLoopCall call : new ArrayList<>(running)) {
            if (call.unbounded() && which.test(call.op) && call.abandon(reason.apply(call.op))) {
                running.remove(call);
                call.op.attachment = null;
            }
        }
    }
}
