package dev.ringio.engine.uring;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.RawCompletion;
import dev.ringio.buffers.Chunk;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.SlotTable;

/**
 * The io_uring engine's shutdown, in the order of its lifetime rule: stop taking work, cancel what
 * is in flight, drain every completion (the loop keeps turning until the slot table is empty and
 * the wake-up READ has completed), then unmap: destroy the ring on its own thread, free the
 * buffer rings the kernel no longer references, close the eventfd, fail whatever raced into the
 * queue, release the engine's own pool and executor. If the loop dies instead, every op still
 * held fails with the cause.
 *
 * <p>Threading: {@link #drainStranded()} from any thread; the rest on the loop thread only.
 */
final class UringShutdown {

    private static final System.Logger LOG = System.getLogger("dev.ringio");

    private final UringEngine engine;

    /** Any thread (the engine's constructor). */
    UringShutdown(UringEngine engine) {
        this.engine = engine;
    }

    /**
     * Stops taking work: fails the overflow list and what the queue holds, and cancels every op in
     * flight and the wake-up READ. Loop thread only.
     */
    void begin() {
        engine.shutdownStarted = true;
        EngineOp<?> op;
        while ((op = engine.submission.pollOverflow()) != null) {
            op.fail(new EngineClosedException(op.name));
        }
        engine.loopAgent.drainQueue();
        engine.offLoop.shutdown();
        engine.cancellation.cancelAllInFlight();
        if (engine.wakeup.isArmed()) {
            engine.cancellation.submitCancel(Uring.UD_WAKEUP, -1, 0);
        }
    }

    /**
     * The loop died of {@code cause}: every op it held fails (their memory is never reused, the
     * kernel may still write it), every low-level completion hears ECANCELED. Loop thread only.
     */
    void failEverything(Throwable cause) {
        engine.offLoop.failAll(cause);
        SlotTable slots = engine.slots;
        slots.forEachLive(token -> {
            Object h = slots.get(token);
            Object a1 = slots.attachment(token);
            Object a2 = slots.attachment2(token);
            slots.remove(token);
            if (h instanceof EngineOp<?> o) {
                o.span = null; // the kernel may still use its bounce memory: never reuse it
                o.fail(new IllegalStateException(o.name + ": the io_uring loop died", cause));
            } else {
                if (a1 instanceof Fd f) {
                    f.release();
                }
                if (a2 instanceof Chunk c) {
                    c.release();
                }
                try {
                    ((RawCompletion) h).onComplete(-Errno.ECANCELED.value());
                } catch (Throwable ignored) {
                    // nothing more can be done for it
                }
            }
        });
        EngineOp<?> op;
        while ((op = engine.submission.pollOverflow()) != null) {
            op.fail(new EngineClosedException(op.name));
        }
    }

    /** The loop's last act: unmaps the ring and frees everything the engine owns. Loop thread only. */
    void tearDown() {
        engine.closed = true;
        try {
            Ring ring = engine.ring;
            if (ring != null) {
                if (engine.buffersRegistered) {
                    engine.shim.ringUnregisterBuffers(ring.address());
                    engine.buffersRegistered = false;
                }
                ring.destroy(); // on the loop thread: the registered ring fd belongs to it
            }
            engine.bufferRings.freeAfterRingDestroyed(); // the kernel no longer references their memory
        } finally {
            engine.finished = true;
            engine.wakeup.close(); // closes now, or when the last concurrent waker lets go
            drainStranded();
            releaseOwnedResources();
            engine.terminated.complete(null);
        }
    }

    private void releaseOwnedResources() {
        engine.offLoop.stop();
        if (engine.ownsPool) {
            try {
                engine.pool.close();
            } catch (IllegalStateException e) {
                LOG.log(System.Logger.Level.WARNING, "engine pool still has pinned chunks at close: " + e.getMessage());
            }
        }
    }

    /** After the loop has gone: fails whatever raced into the queue. Any thread. */
    synchronized void drainStranded() {
        Object o;
        while ((o = engine.queue.poll()) != null) {
            if (o instanceof EngineOp<?> op) {
                op.fail(new EngineClosedException(op.name));
            }
        }
    }
}
