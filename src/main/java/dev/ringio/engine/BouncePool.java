package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Native bounce memory owned by ringio: what the kernel sees in place of memory it must not hold
 * (heap arrays the GC may move, segments of arenas the caller may close). Buffers come in power-of-two
 * size classes from {@link #MIN_CLASS} to {@link #MAX_CLASS}; a released buffer goes back to its class,
 * idle buffers of other classes being freed if that is what keeps the pool's idle bytes within
 * {@link #MAX_IDLE_BYTES} (the buffer just used is the likeliest to be wanted again). A
 * request larger than {@link #MAX_CLASS} gets a buffer of its own, freed when released. Each buffer
 * lives in an arena of its own that the pool closes itself, so freeing is deterministic (never left to
 * the GC, never one fresh direct buffer per operation).
 *
 * <p>Memory from {@link Arena} counts against {@code -XX:MaxDirectMemorySize}, as direct buffers do;
 * that is why the idle bound matters.
 *
 * <p>Threading: any thread. A lease is released exactly once, by whoever ends the operation, and only
 * after the kernel is done with it (the completion, or the syscall's return).
 */
public final class BouncePool {

    /** The smallest buffer handed out. */
    public static final int MIN_CLASS = 4096;
    /** The largest pooled buffer; larger requests get a buffer of their own. */
    public static final int MAX_CLASS = 1 << 20;
    /** The most bytes kept idle across all classes. */
    public static final long MAX_IDLE_BYTES = 4L << 20;

    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_CLASS) - Integer.numberOfTrailingZeros(MIN_CLASS) + 1;

    /** The process-wide pool every engine uses. */
    public static final BouncePool SHARED = new BouncePool(MAX_IDLE_BYTES);

    private final long maxIdleBytes;
    private final ArrayDeque<Lease>[] idle;
    private long idleBytes;
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong freed = new AtomicLong();
    private final AtomicLong leased = new AtomicLong();

    @SuppressWarnings("unchecked")
    BouncePool(long maxIdleBytes) {
        this.maxIdleBytes = maxIdleBytes;
        this.idle = new ArrayDeque[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            idle[i] = new ArrayDeque<>();
        }
    }

    /** A buffer of at least {@code size} bytes (at least one). Any thread. */
    public Lease acquire(long size) {
        long want = Math.max(1, size);
        int cls = classOf(want);
        if (cls >= 0) {
            synchronized (this) {
                Lease l = idle[cls].pollFirst();
                if (l != null) {
                    idleBytes -= l.memory.byteSize();
                    l.released = false;
                    leased.incrementAndGet();
                    return l;
                }
            }
        }
        long bytes = cls >= 0 ? (long) MIN_CLASS << cls : want;
        Arena arena = Arena.ofShared();
        MemorySegment memory;
        try {
            memory = arena.allocate(bytes, 64);
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
        created.incrementAndGet();
        leased.incrementAndGet();
        return new Lease(this, arena, memory, cls);
    }

    void release(Lease l) {
        leased.decrementAndGet();
        List<Lease> evicted = null;
        boolean kept = false;
        if (l.cls >= 0) {
            long size = l.memory.byteSize();
            synchronized (this) {
                // The buffer just used is kept in preference to idle ones of other classes (largest
                // first, least recently used first), so that the classes in use stay pooled however
                // earlier transfers filled the idle budget.
                for (int c = CLASSES - 1; c >= 0 && idleBytes + size > maxIdleBytes && size <= maxIdleBytes; c--) {
                    while (c != l.cls && !idle[c].isEmpty() && idleBytes + size > maxIdleBytes) {
                        Lease old = idle[c].pollLast();
                        idleBytes -= old.memory.byteSize();
                        if (evicted == null) {
                            evicted = new ArrayList<>();
                        }
                        evicted.add(old);
                    }
                }
                if (idleBytes + size <= maxIdleBytes) {
                    idleBytes += size;
                    idle[l.cls].addFirst(l);
                    kept = true;
                }
            }
        }
        if (!kept) {
            free(l);
        }
        if (evicted != null) {
            evicted.forEach(BouncePool::free);
        }
    }

    private static void free(Lease l) {
        l.pool.freed.incrementAndGet();
        l.arena.close();
    }

    private static int classOf(long size) {
        if (size > MAX_CLASS) {
            return -1;
        }
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(MIN_CLASS, size) - 1);
        return bits - Integer.numberOfTrailingZeros(MIN_CLASS);
    }

    /** Buffers ever allocated (each one a fresh native allocation). */
    public long created() {
        return created.get();
    }

    /** Buffers freed (their arena closed). */
    public long freed() {
        return freed.get();
    }

    /** Buffers handed out and not yet released. */
    public long leased() {
        return leased.get();
    }

    /** Bytes held idle, for reuse. */
    public synchronized long idleBytes() {
        return idleBytes;
    }

    /** Buffers held idle, for reuse. */
    public synchronized int idleCount() {
        int n = 0;
        for (ArrayDeque<Lease> q : idle) {
            n += q.size();
        }
        return n;
    }

    /** One buffer on loan: {@link #memory()} belongs to the holder until {@link #release()}. */
    public static final class Lease {
        private final BouncePool pool;
        private final Arena arena;
        private final MemorySegment memory;
        private final int cls;
        private volatile boolean released;

        private Lease(BouncePool pool, Arena arena, MemorySegment memory, int cls) {
            this.pool = pool;
            this.arena = arena;
            this.memory = memory;
            this.cls = cls;
        }

        /** The buffer (its size is the class size, at least what was asked for). */
        public MemorySegment memory() {
            return memory;
        }

        /** Gives the buffer back; idempotent. Only once the kernel no longer uses it. */
        public void release() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            pool.release(this);
        }
    }
}
