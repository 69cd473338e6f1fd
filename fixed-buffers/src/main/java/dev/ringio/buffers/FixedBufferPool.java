package dev.ringio.buffers;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A pool of equal-sized chunks cut from one page-aligned, zeroed, off-heap arena — the Java counterpart of
 * eio_linux's {@code alloc_fixed} / {@code alloc_fixed_or_wait} / {@code free_fixed} / {@code with_chunk}.
 *
 * <p>An io_uring engine registers {@link #arena()} with the kernel once and then reads or writes into individual
 * chunks; while an operation is in flight it pins the chunk with {@link Chunk#retain(String)} so that the chunk
 * can be neither freed nor the pool closed under the kernel's feet. The pool itself knows nothing about rings.
 *
 * <p>Each {@link #alloc()} returns a new {@link Chunk} handle carrying the slot's current generation; freeing bumps
 * the generation, so stale handles (double free, use after free) are detected.
 *
 * <p>All methods are thread-safe and may be called from any thread. A small lock guards the free-index stack and
 * the waiter queue; waiter futures are always completed outside that lock. Apart from the returned {@link Chunk}
 * handle, {@link #alloc()} and {@link #free(Chunk)} allocate nothing.
 */
public final class FixedBufferPool implements AutoCloseable {

    /** The alignment of {@link #arena()}: one 4 KiB page. */
    public static final int PAGE_SIZE = 4096;

    /** Largest arena {@link #allocate(int, int)} accepts: 64 GiB. */
    static final long MAX_ARENA_BYTES = (1L << 30) * 64;

    // Per-slot state word: | generation (32 bits) | CLOSED (1 bit) | retain count (31 bits) |
    // Generation and retain count live in one word so that retain() (check generation, then pin) and free()
    // (check not pinned, then bump generation) are each a single CAS and can never interleave badly.
    static final long CLOSED = 1L << 31;
    static final long COUNT_MASK = CLOSED - 1;

    static int generationOf(long state) {
        return (int) (state >>> 32);
    }

    static int countOf(long state) {
        return (int) (state & COUNT_MASK);
    }

    private final int chunkCount;
    private final int chunkSize;
    private final Arena memory;
    private final MemorySegment arena;
    private final MemorySegment[] slices;
    private final AtomicLongArray states;
    private final String shortName;

    private final ReentrantLock lock = new ReentrantLock();
    // --- guarded by lock ---
    private final int[] freeStack;
    private int freeTop;
    private Waiter head, tail;
    private int waiters;
    private boolean arenaFreed;
    // --- written under lock, read anywhere ---
    private volatile boolean closed;

    private FixedBufferPool(int chunkCount, int chunkSize, Arena memory, MemorySegment arena) {
        this.chunkCount = chunkCount;
        this.chunkSize = chunkSize;
        this.memory = memory;
        this.arena = arena;
        this.slices = new MemorySegment[chunkCount];
        this.states = new AtomicLongArray(chunkCount);
        this.freeStack = new int[chunkCount];
        for (int i = 0; i < chunkCount; i++) {
            slices[i] = arena.asSlice((long) i * chunkSize, chunkSize);
            // Lowest index on top, so a fresh pool hands out chunk 0 first.
            freeStack[i] = chunkCount - 1 - i;
        }
        this.freeTop = chunkCount;
        this.shortName = "pool@" + Integer.toHexString(System.identityHashCode(this));
    }

    /**
     * Creates a pool whose arena holds {@code chunkCount * chunkSize} bytes, page-aligned
     * ({@code Arena.ofShared().allocate(bytes, PAGE_SIZE)}) and zeroed. Any thread.
     *
     * <p>For {@code O_DIRECT} I/O choose a {@code chunkSize} that is a multiple of {@link #PAGE_SIZE}, so that
     * every chunk, not just the first, is page-aligned.
     *
     * @param chunkCount number of chunks, at least 1
     * @param chunkSize  size of each chunk in bytes, at least 1
     * @return a new open pool with every chunk free
     * @throws IllegalArgumentException if {@code chunkCount < 1}, {@code chunkSize < 1}, or the arena would exceed
     *                                  64 GiB
     */
    public static FixedBufferPool allocate(int chunkCount, int chunkSize) {
        if (chunkCount < 1) {
            throw new IllegalArgumentException("chunkCount must be >= 1, got " + chunkCount);
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
        }
        long bytes = (long) chunkCount * chunkSize; // both < 2^31, so the long product cannot overflow
        if (bytes > MAX_ARENA_BYTES) {
            throw new IllegalArgumentException("arena of " + chunkCount + " x " + chunkSize + " = " + bytes
                    + " bytes exceeds the maximum of " + MAX_ARENA_BYTES + " bytes");
        }
        Arena memory = Arena.ofShared();
        try {
            MemorySegment arena = memory.allocate(bytes, PAGE_SIZE);
            return new FixedBufferPool(chunkCount, chunkSize, memory, arena);
        } catch (Throwable t) {
            memory.close();
            throw t;
        }
    }

    /**
     * The whole arena, e.g. to register it with the kernel as fixed buffers. Any thread.
     *
     * @return the arena segment ({@code chunkCount() * chunkSize()} bytes, page-aligned)
     * @throws IllegalStateException if the pool is closed
     */
    public MemorySegment arena() {
        if (closed) {
            throw new IllegalStateException(this + ": pool closed");
        }
        return arena;
    }

    /**
     * The size of every chunk in bytes. Any thread.
     *
     * @return the chunk size
     */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * The number of chunks in the arena. Any thread.
     *
     * @return the chunk count
     */
    public int chunkCount() {
        return chunkCount;
    }

    /**
     * The number of chunks neither allocated nor handed to a waiter; 0 once the pool is closed. Any thread.
     *
     * @return the number of chunks that {@link #alloc()} could return right now
     */
    public int freeCount() {
        lock.lock();
        try {
            return closed ? 0 : freeTop;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of pending {@link #allocOrWait()} futures still waiting for a chunk. Any thread.
     *
     * @return the number of queued waiters
     */
    public int waiterCount() {
        lock.lock();
        try {
            return waiters;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a free chunk without blocking (eio's {@code alloc_fixed}). Any thread.
     *
     * @return a new live handle to a free chunk, or {@code null} if none is free
     * @throws IllegalStateException if the pool is closed
     */
    public Chunk alloc() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException(this + ": alloc: pool closed");
            }
            if (freeTop == 0) {
                return null;
            }
            int index = freeStack[--freeTop];
            return new Chunk(this, index, generationOf(states.get(index)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a chunk now if one is free, otherwise queues a waiter (eio's {@code alloc_fixed_or_wait}). Any thread;
     * never blocks.
     *
     * <p>The returned future is already complete when a chunk was free. Otherwise it is completed, on the thread
     * that calls {@link #free(Chunk)}, as soon as a chunk is freed: waiters are served oldest first and a freed chunk
     * goes straight to the oldest waiter whose future is still pending. Cancelling the future (or completing it in
     * any other way, e.g. via {@link CompletableFuture#orTimeout}) removes the waiter; if a chunk was handed to it
     * concurrently, that chunk returns to the pool and is never lost. Do not {@code obtrude} a value onto the
     * future. When the pool is closed while the future is pending it fails with
     * {@code IllegalStateException("pool closed")}.
     *
     * @return a future of a live chunk handle; already failed with {@link IllegalStateException} if the pool is
     *         closed
     */
    public CompletableFuture<Chunk> allocOrWait() {
        Waiter w;
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException(this + ": pool closed"));
            }
            if (freeTop > 0) {
                int index = freeStack[--freeTop];
                return CompletableFuture.completedFuture(new Chunk(this, index, generationOf(states.get(index))));
            }
            w = new Waiter();
            enqueue(w);
        } finally {
            lock.unlock();
        }
        // Any completion we did not perform ourselves (cancel, timeout, completeExceptionally) unlinks the waiter.
        // Registered outside the lock: if the future is already done the action runs right here.
        w.future.whenComplete((chunk, failure) -> {
            if (failure != null) {
                unlinkIfQueued(w);
            }
        });
        return w.future;
    }

    /**
     * Returns a chunk to the pool (eio's {@code free_fixed}). The handle becomes stale at once; the slot goes to the
     * oldest pending waiter if there is one (completing its future on this thread, outside the pool's lock), or
     * else back onto the free stack. Any thread.
     *
     * @param chunk a live chunk of this pool that is not pinned
     * @throws NullPointerException  if {@code chunk} is null
     * @throws IllegalStateException if the chunk belongs to another pool, was already freed (stale handle), is
     *                               still pinned by an in-flight operation ({@link Chunk#retainCount()} &gt; 0), or
     *                               the pool is closed
     */
    public void free(Chunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (chunk.pool() != this) {
            throw new IllegalStateException("free: chunk " + chunk.index() + " belongs to another pool ("
                    + chunk.pool() + "), not to " + this);
        }
        int index = chunk.index();
        int newGeneration;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("free: chunk " + index + ": " + this + " is closed");
            }
            while (true) {
                long s = states.get(index);
                if (generationOf(s) != chunk.generation()) {
                    throw new IllegalStateException("free: chunk " + index
                            + " was already freed (double free or stale handle) in " + this);
                }
                int count = countOf(s);
                if (count > 0) {
                    throw new IllegalStateException("free: chunk " + index + " is still retained by " + count
                            + " in-flight op(s) in " + this);
                }
                newGeneration = chunk.generation() + 1;
                if (states.compareAndSet(index, s, (long) newGeneration << 32)) {
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        handOff(index, newGeneration);
    }

    /**
     * Puts a freshly freed slot back: to the oldest pending waiter, else onto the free stack. Never throws for a
     * closed pool (the slot is simply dropped along with the arena).
     */
    private void handOff(int index, int generation) {
        while (true) {
            Waiter w;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                w = pollLiveWaiter();
                if (w == null) {
                    freeStack[freeTop++] = index;
                    return;
                }
            } finally {
                lock.unlock();
            }
            // Outside the lock: this runs the waiter's dependents on our thread.
            if (w.future.complete(new Chunk(this, index, generation))) {
                return;
            }
            // The waiter was cancelled/failed concurrently; the handle never escaped, so the slot is still ours.
        }
    }

    /**
     * eio's {@code with_chunk}: if a chunk is free, runs {@code fn} with it and frees it afterwards (also when
     * {@code fn} throws); otherwise returns {@code fallback.get()} without waiting. Any thread.
     *
     * <p>{@code fn} must not keep, free or leave pinned the chunk; if it does, the final free throws
     * {@link IllegalStateException} (added as suppressed when {@code fn} itself threw).
     *
     * @param fallback supplies the result when no chunk is free
     * @param fn       computes the result from a temporarily allocated chunk
     * @param <T>      the result type
     * @return the result of {@code fn}, or of {@code fallback} when the pool is empty
     * @throws IllegalStateException if the pool is closed
     */
    public <T> T withChunk(Supplier<? extends T> fallback, Function<? super Chunk, ? extends T> fn) {
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(fn, "fn");
        Chunk chunk = alloc();
        if (chunk == null) {
            return fallback.get();
        }
        T result;
        try {
            result = fn.apply(chunk);
        } catch (Throwable t) {
            try {
                free(chunk);
            } catch (RuntimeException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        free(chunk);
        return result;
    }

    /**
     * Closes the pool: fails pending waiters with {@code IllegalStateException("pool closed")}, invalidates every
     * chunk handle and frees the arena. Idempotent. Any thread.
     *
     * <p>If any chunk is still pinned ({@link Chunk#retain(String)} without a matching {@link Chunk#release()}) the
     * kernel may still be writing it, so nothing is closed and {@link IllegalStateException} is thrown; release the
     * chunk and call {@code close()} again. A {@code retain} racing with {@code close} may fail with "pool closed"
     * even if this close then turns out to be refused because of another pinned chunk.
     *
     * @throws IllegalStateException if a chunk is still pinned, or if the arena is still in use by a native call on
     *                               another thread (the pool then stays closed and a later close retries freeing
     *                               the arena)
     */
    @Override
    public void close() {
        List<Waiter> failed;
        lock.lock();
        try {
            if (closed) {
                freeArena();
                return;
            }
            // Pass 1: cheap refusal without touching anything.
            for (int i = 0; i < chunkCount; i++) {
                int count = countOf(states.get(i));
                if (count > 0) {
                    throw pinned(i, count);
                }
            }
            // Pass 2: atomically mark every slot CLOSED (which stops new retains); roll back if a retain slipped in.
            for (int i = 0; i < chunkCount; i++) {
                while (true) {
                    long s = states.get(i);
                    int count = countOf(s);
                    if (count > 0) {
                        for (int j = 0; j < i; j++) {
                            unmarkClosed(j);
                        }
                        throw pinned(i, count);
                    }
                    if (states.compareAndSet(i, s, s | CLOSED)) {
                        break;
                    }
                }
            }
            closed = true;
            freeTop = 0;
            failed = new ArrayList<>(waiters);
            for (Waiter w = head; w != null; ) {
                Waiter next = w.next;
                w.prev = w.next = null;
                w.queued = false;
                failed.add(w);
                w = next;
            }
            head = tail = null;
            waiters = 0;
        } finally {
            lock.unlock();
        }
        try {
            for (Waiter w : failed) {
                w.future.completeExceptionally(new IllegalStateException(this + ": pool closed"));
            }
        } finally {
            lock.lock();
            try {
                freeArena();
            } finally {
                lock.unlock();
            }
        }
    }

    private void freeArena() {
        if (!arenaFreed) {
            memory.close();
            arenaFreed = true;
        }
    }

    private void unmarkClosed(int i) {
        // While a slot is marked CLOSED nothing else can change it (retain refuses, release needs a count > 0,
        // free needs the lock we hold), but use a CAS loop anyway.
        while (true) {
            long s = states.get(i);
            if (states.compareAndSet(i, s, s & ~CLOSED)) {
                return;
            }
        }
    }

    private IllegalStateException pinned(int index, int count) {
        return new IllegalStateException("close: chunk " + index + " is still retained by " + count
                + " in-flight op(s); " + this + " not closed");
    }

    // ---- chunk support (package-private, used by Chunk) ----

    MemorySegment slice(int index) {
        return slices[index];
    }

    long chunkAddress(int index) {
        return arena.address() + (long) index * chunkSize;
    }

    long state(int index) {
        return states.get(index);
    }

    boolean casState(int index, long expected, long update) {
        return states.compareAndSet(index, expected, update);
    }

    boolean isClosed() {
        return closed;
    }

    String shortName() {
        return shortName;
    }

    // ---- waiter queue (guarded by lock) ----

    private static final class Waiter {
        final CompletableFuture<Chunk> future = new CompletableFuture<>();
        Waiter prev, next;
        boolean queued;
    }

    private void enqueue(Waiter w) {
        w.prev = tail;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        w.queued = true;
        waiters++;
    }

    private void unlink(Waiter w) {
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = w.next = null;
        w.queued = false;
        waiters--;
    }

    private void unlinkIfQueued(Waiter w) {
        lock.lock();
        try {
            if (w.queued) {
                unlink(w);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Oldest waiter whose future is still pending, unlinked; dead ones met on the way are dropped. */
    private Waiter pollLiveWaiter() {
        while (head != null) {
            Waiter w = head;
            unlink(w);
            if (!w.future.isDone()) {
                return w;
            }
        }
        return null;
    }

    /**
     * A short description, e.g. {@code "FixedBufferPool@1a2b[16 x 65536 B, open]"}. Any thread.
     *
     * @return the pool's identity, geometry and open/closed state
     */
    @Override
    public String toString() {
        return "FixedBufferPool@" + Integer.toHexString(System.identityHashCode(this)) + "[" + chunkCount + " x "
                + chunkSize + " B, " + (closed ? "closed" : "open") + "]";
    }
}
