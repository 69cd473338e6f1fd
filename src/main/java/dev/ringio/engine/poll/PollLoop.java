package dev.ringio.engine.poll;

import dev.ringio.NativeIoException;
import dev.ringio.engine.Agent;
import dev.ringio.engine.AgentRunner;

/**
 * The readiness engine's side of the shared loop ({@link AgentRunner}): a turn starts the ops
 * submitted on the loop that had to wait, runs the loop's own tasks, drains the command queue (at
 * most {@value #DRAIN_LIMIT} entries), runs due timers and polls with timeout 0; the park polls
 * with the next timer's deadline as timeout (none: until woken).
 *
 * <p>Threading: loop thread only, except {@link #unpark()} (any thread).
 */
final class PollLoop implements Agent {

    private static final int DRAIN_LIMIT = 4096;

    private final PollEngine engine;
    private final Poller poller;
    private boolean done;
    /** Whether the loop is inside {@link Poller#poll}, dispatching events. */
    private boolean dispatching;

    /** Any thread (the engine's constructor). */
    PollLoop(PollEngine engine, Poller poller) {
        this.engine = engine;
        this.poller = poller;
    }

    /** One turn; returns how much it did. Loop thread only. */
    @Override
    public int doWork() {
        PollEngine e = engine;
        int work = drainQueue();
        work += e.timers.runDue();
        if (e.closed && !e.shutdownStarted) {
            e.shutdown.begin();
            work++;
        }
        if (e.shutdownStarted && e.filePool.isIdle() && e.pending.isEmpty() && e.localTasks.isEmpty() && e.queue.isEmpty()) {
            done = true;
            return work;
        }
        return work + pollEvents(0);
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

    /** Polls until an event, the next timer's deadline, or a wake-up. Loop thread only. */
    @Override
    public void park() {
        long timeout;
        if (!engine.pending.isEmpty() || !engine.localTasks.isEmpty()) {
            timeout = 0;
        } else {
            timeout = engine.timers.nanosToNextDeadline();
        }
        pollEvents(timeout);
    }

    /** Wakes the poller. Any thread. */
    @Override
    public void unpark() {
        poller.wakeup();
    }

    /**
     * Whether the loop is dispatching the poller's events now: ops submitted meanwhile wait for the
     * next turn. Loop thread only.
     */
    boolean isDispatching() {
        return dispatching;
    }

    /**
     * Polls and dispatches readiness. While events are dispatched, ops submitted from callbacks
     * wait in the engine's pending list for the next turn rather than start inline: the poller is
     * walking its event batch (and kqueue's per-batch bookkeeping must not change under it).
     */
    private int pollEvents(long timeoutNanos) {
        dispatching = true;
        try {
            return poller.poll(timeoutNanos, engine.watches);
        } catch (NativeIoException e) {
            throw new IllegalStateException(engine.name() + ": poll failed", e);
        } finally {
            dispatching = false;
        }
    }

    private int drainQueue() {
        // Up to 4096 entries per turn, those that arrive meanwhile included: a chain of on-loop
        // submissions runs many steps per turn, between two polls of the poller (a syscall).
        PollEngine e = engine;
        int work = 0;
        PollOp<?> local;
        while (work < DRAIN_LIMIT && (local = e.pending.poll()) != null) {
            e.inlineBudget = PollEngine.MAX_INLINE_STARTS;
            e.attempts.start(local);
            work++;
        }
        Runnable task;
        while (work < DRAIN_LIMIT && (task = e.localTasks.poll()) != null) {
            e.inlineBudget = PollEngine.MAX_INLINE_STARTS;
            runTask(task);
            work++;
        }
        int drained = 0;
        Object o;
        while (drained < DRAIN_LIMIT && (o = e.queue.poll()) != null) {
            drained++;
            e.inlineBudget = PollEngine.MAX_INLINE_STARTS;
            if (o instanceof PollOp<?> op) {
                if (op.state == PollOp.RUNNING) {
                    e.filePool.returned(op);
                } else {
                    e.attempts.start(op);
                }
            } else {
                runTask((Runnable) o);
            }
        }
        if (drained > 0) {
            e.commandsDrained += drained; // single writer: the loop
        }
        return work + drained;
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            engine.callbackError(t);
        }
    }
}
