package dev.ringio.engine.uring;

import java.util.ArrayList;
import java.util.List;

import dev.ringio.EngineClosedException;

/**
 * The buffer rings registered with one io_uring engine's ring: registered on the loop (the ring is
 * SINGLE_ISSUER), unregistered and freed once closed and no multishot receive uses them, and freed
 * after the ring itself is destroyed at teardown for those still registered then.
 *
 * <p>Threading: {@link #release} from any thread; the rest on the loop thread only.
 */
final class UringBufferRings {

    private final UringEngine engine;
    private final List<UringBufferRing> rings = new ArrayList<>();

    /** Any thread (the engine's constructor). */
    UringBufferRings(UringEngine engine) {
        this.engine = engine;
    }

    /** Records a ring just registered with the kernel. Loop thread only. */
    void add(UringBufferRing b) {
        rings.add(b);
    }

    /** BufferRing.close(): free it on the loop once no receive uses it. Any thread. */
    void release(UringBufferRing b) {
        if (engine.finished) {
            return;
        }
        Runnable free = () -> afterUse(b);
        if (engine.inLoop()) {
            free.run();
        } else {
            try {
                engine.execute(free);
            } catch (EngineClosedException closing) {
                // teardown frees it
            }
        }
    }

    /** A receive stopped using {@code b}, or it was closed: frees it if both are so. Loop thread only. */
    void afterUse(UringBufferRing b) {
        Ring ring = engine.ring;
        if (b.isClosed() && b.users == 0 && ring != null) {
            b.freeIfUnused(engine.shim, ring.address());
            rings.remove(b);
        }
    }

    /** Teardown, after the ring is destroyed: the kernel no longer references their memory. Loop thread only. */
    void freeAfterRingDestroyed() {
        for (UringBufferRing b : rings) {
            b.freeAfterRingDestroyed();
        }
        rings.clear();
    }
}
