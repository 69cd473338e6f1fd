package dev.ringio.engine.poll;

import dev.ringio.EngineClosedException;

/**
 * The readiness engine's shutdown: stop taking work, fail what waits (readiness waiters, timers,
 * ops pending for the next turn) with {@link EngineClosedException}, abandon the pool work in line
 * and the unbounded calls (close returns even while a thread is stuck in {@code open()}), wait for
 * the bounded calls to end, then close the poller and free what the engine owns. If the loop dies
 * instead, everything still held fails with the cause.
 *
 * <p>Threading: {@link #drainStranded()} from any thread; the rest on the loop thread only.
 */
final class PollShutdown {

    private static final System.Logger LOG = System.getLogger(PollEngine.class.getName());

    private final PollEngine engine;

    /** Any thread (the engine's constructor). */
    PollShutdown(PollEngine engine) {
        this.engine = engine;
    }

    /** Stops taking work and ends every waiter. Loop thread only. */
    void begin() {
        PollEngine e = engine;
        e.shutdownStarted = true;
        e.watches.abortAll(op -> new EngineClosedException(op.name));
        e.timers.endAll(s -> new EngineClosedException(s.name), false);
        PollOp<?> op;
        while ((op = e.pending.poll()) != null) {
            op.abort(new EngineClosedException(op.name));
        }
        // Work in line and unbounded calls are abandoned (close returns even while a thread is
        // stuck in open()); bounded calls end by themselves and the loop waits for them.
        e.filePool.abandon(p -> new EngineClosedException(p.name), false);
        e.filePool.shutdown();
    }

    /** The loop died of {@code cause}: every op still held fails with it. Loop thread only. */
    void failEverything(Throwable cause) {
        PollEngine e = engine;
        e.watches.failAll(cause);
        e.timers.endAll(s -> cause, true);
        PollOp<?> op;
        while ((op = e.pending.poll()) != null) {
            op.fail(cause);
        }
        e.filePool.abandon(p -> cause, true); // the loop is gone: nobody would take their results
        e.filePool.shutdown();
        Object o;
        while ((o = e.queue.poll()) != null) {
            if (o instanceof PollOp<?> p && p.state != PollOp.DONE) {
                p.fail(cause);
            }
        }
    }

    /** The loop's last act: closes the poller and frees what the engine owns. Loop thread only. */
    void tearDown() {
        PollEngine e = engine;
        try {
            e.poller.close();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, e.name() + ": closing the poller failed", t);
        }
        e.filePool.shutdown();
        e.offLoop.shutdown();
        if (e.ownsPool) {
            try {
                e.pool.close();
            } catch (IllegalStateException pinned) {
                // A chunk still held by an abandoned call (a read of a terminal stuck in the
                // kernel): its memory must outlive the call, so the pool is left to the GC.
                LOG.log(System.Logger.Level.WARNING, e.name() + ": engine pool still has pinned chunks at close: "
                        + pinned.getMessage());
            }
        }
        e.finished = true;
        drainStranded();
        e.terminated.countDown();
    }

    /** Ops that reached the queue after the loop's last look (a submit racing close). Any thread. */
    synchronized void drainStranded() {
        Object o;
        while ((o = engine.queue.poll()) != null) {
            if (o instanceof PollOp<?> op && op.state != PollOp.DONE) {
                op.abort(new EngineClosedException(op.name));
            }
        }
    }
}
