package dev.ringio.engine.uring;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.engine.Agent;
import dev.ringio.engine.AgentRunner;
import dev.ringio.engine.EngineOp;

/**
 * The io_uring engine's side of the shared loop ({@link AgentRunner}): a turn retries the overflow
 * list, runs the loop's own tasks, drains the command queue (at most {@value #DRAIN_LIMIT}
 * entries), then calls io_uring_enter without waiting only if there is something to submit or the
 * kernel has completions to post (IORING_SQ_TASKRUN), and reaps every CQE. The park is an
 * io_uring_enter that waits for one completion; the eventfd READ kept pending on the ring is what
 * a wake-up ({@link UringWakeup#write()}) completes.
 *
 * <p>Threading: loop thread only, except {@link #unpark()} (any thread).
 */
final class UringLoop implements Agent {

    private static final int DRAIN_LIMIT = 4096;

    private final UringEngine engine;
    private boolean done;

    /** Any thread (the engine's constructor). */
    UringLoop(UringEngine engine) {
        this.engine = engine;
    }

    /** One turn; returns how much it did. Loop thread only. */
    @Override
    public int doWork() {
        UringEngine e = engine;
        int work = e.submission.drainOverflow() ? 1 : 0;
        work += runLocalTasks();
        work += drainQueue();
        work += e.cancellation.submitParkedCancels() ? 1 : 0;
        if (e.closed && !e.shutdownStarted) {
            e.shutdown.begin();
            work++;
        }
        if (e.shutdownStarted) {
            e.cancellation.recancelStubbornOps();
            if (e.slots.inUse() == 0 && !e.wakeup.isArmed() && e.submission.overflowIsEmpty() && e.queue.isEmpty()
                    && e.localTasks.isEmpty() && e.offLoop.isIdle()) {
                done = true;
                return work;
            }
        } else if (!e.wakeup.isArmed() && !e.wakeup.arm(e.submission, e.ring)) {
            work++; // no SQE for it now: do not park until it is armed
        }
        Ring ring = e.ring;
        if (ring.needsEnter()) {
            int r = ring.enter(0);
            if (r < 0) {
                onEnterError(r);
            }
        }
        return work + ring.reap(e.dispatch);
    }

    /** Whether the shutdown has drained everything. Loop thread only. */
    @Override
    public boolean isDone() {
        return done;
    }

    /** Whether the queue holds commands or a close awaits its shutdown. Loop thread only. */
    @Override
    public boolean hasExternalWork() {
        return !engine.queue.isEmpty() || (engine.closed && !engine.shutdownStarted);
    }

    /**
     * Waits in io_uring_enter for one completion; while shutting down, at most a re-cancel interval
     * so stubborn ops are asked again. Loop thread only.
     */
    @Override
    public void park() {
        Ring ring = engine.ring;
        int r;
        if (engine.shutdownStarted && (ring.features() & Uring.FEAT_EXT_ARG) != 0) {
            r = ring.enterWithTimeout(1, UringCancellation.SHUTDOWN_RECANCEL_NANOS);
        } else {
            r = ring.enter(1);
        }
        if (r < 0) {
            onEnterError(r);
        }
    }

    /** Writes the wake-up eventfd. Any thread. */
    @Override
    public void unpark() {
        engine.wakeup.write();
    }

    /** Runs the tasks {@code execute} got on the loop thread, those there at the start of the turn. Loop only. */
    private int runLocalTasks() {
        int n = engine.localTasks.size();
        for (int i = 0; i < n; i++) {
            runTask(engine.localTasks.pollFirst());
        }
        return n;
    }

    private static void onEnterError(int r) {
        int errno = -r;
        if (errno == Errno.EINTR.value() || errno == Errno.ETIME.value()) {
            return;
        }
        if (errno == Errno.EBUSY.value() || errno == Errno.EAGAIN.value()) {
            // CQ overflow or no room for more completions: the reap below makes room.
            return;
        }
        throw new IllegalStateException("io_uring_enter failed: " + Errno.nameOf(errno) + " (" + Errno.describe(errno) + ")");
    }

    /**
     * Takes up to {@value #DRAIN_LIMIT} commands (ops, tasks) from the cross-thread queue: ops are
     * submitted (or failed once shutdown has begun), tasks run. Loop thread only.
     */
    int drainQueue() {
        int n = 0;
        Object o;
        while (n < DRAIN_LIMIT && (o = engine.queue.poll()) != null) {
            n++;
            if (o instanceof EngineOp<?> op) {
                if (engine.shutdownStarted) {
                    op.fail(new EngineClosedException(op.name));
                } else {
                    engine.submitOnLoop(op);
                }
            } else {
                runTask((Runnable) o);
            }
        }
        if (n > 0) {
            engine.commandsDrained += n; // single writer: the loop
        }
        return n;
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            engine.callbackError(t);
        }
    }
}
