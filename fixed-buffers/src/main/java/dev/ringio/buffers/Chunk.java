package dev.ringio.buffers;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A handle to one chunk of a {@link FixedBufferPool}, obtained from {@link FixedBufferPool#alloc()},
 * {@link FixedBufferPool#allocOrWait()} or {@link FixedBufferPool#withChunk}.
 *
 * <p>Every allocation yields a new handle stamped with the slot's generation. Once the chunk is freed (or the pool
 * closed) the handle is stale: memory accessors and {@link #retain(String)} throw {@link IllegalStateException}
 * instead of exposing memory that may now belong to another holder.
 *
 * <p>An engine pins the chunk with {@link #retain(String)} for the duration of an in-flight operation (the kernel
 * may be reading or writing it) and unpins it with {@link #release()}; a pinned chunk cannot be freed and its pool
 * cannot be closed. All methods are thread-safe and may be called from any thread.
 */
public final class Chunk {

    private final FixedBufferPool pool;
    private final int index;
    private final int generation;

    Chunk(FixedBufferPool pool, int index, int generation) {
        this.pool = pool;
        this.index = index;
        this.generation = generation;
    }

    /**
     * The pool this chunk belongs to. Any thread.
     *
     * @return the owning pool
     */
    public FixedBufferPool pool() {
        return pool;
    }

    /**
     * The chunk's index in the arena, {@code 0 .. pool().chunkCount() - 1} (the slot, not the handle: different
     * handles over time share it). Any thread.
     *
     * @return the chunk index
     */
    public int index() {
        return index;
    }

    /**
     * The chunk's byte offset in {@link FixedBufferPool#arena()}: {@code index() * size()}. Any thread.
     *
     * @return the offset in bytes
     */
    public long offsetInArena() {
        return (long) index * pool.chunkSize();
    }

    /**
     * The chunk's size in bytes (the pool's chunk size). Any thread.
     *
     * @return the size in bytes
     */
    public int size() {
        return pool.chunkSize();
    }

    int generation() {
        return generation;
    }

    /**
     * Whether this handle is still valid: the chunk has not been freed through it (its generation is current) and
     * the pool is open. Any thread.
     *
     * @return {@code true} while the handle may be used
     */
    public boolean isLive() {
        return isLive(pool.state(index));
    }

    private boolean isLive(long state) {
        return FixedBufferPool.generationOf(state) == generation && (state & FixedBufferPool.CLOSED) == 0;
    }

    private IllegalStateException dead(String op) {
        long s = pool.state(index);
        String prefix = op == null ? "" : op + ": ";
        if (FixedBufferPool.generationOf(s) == generation && (s & FixedBufferPool.CLOSED) != 0) {
            return new IllegalStateException(prefix + "chunk " + index + " was freed (pool closed)");
        }
        return new IllegalStateException(prefix + "chunk " + index + " was freed");
    }

    private void checkLive() {
        if (!isLive()) {
            throw dead(null);
        }
    }

    /**
     * The chunk's memory: a {@link #size()}-byte slice of the arena. Any thread.
     *
     * <p>The segment itself is not invalidated by {@link FixedBufferPool#free(Chunk)} (only by closing the pool),
     * so do not keep it beyond the chunk's lifetime.
     *
     * @return the chunk's memory
     * @throws IllegalStateException ("chunk N was freed") if this handle is no longer live
     */
    public MemorySegment segment() {
        checkLive();
        return pool.slice(index);
    }

    /**
     * The chunk's native address, equal to {@code segment().address()}. Any thread.
     *
     * @return the address of the chunk's first byte
     * @throws IllegalStateException ("chunk N was freed") if this handle is no longer live
     */
    public long address() {
        checkLive();
        return pool.chunkAddress(index);
    }

    /**
     * The chunk's memory as a direct {@link ByteBuffer}, equal to {@code segment().asByteBuffer()}. Any thread.
     *
     * @return a new buffer over the chunk (position 0, limit and capacity {@link #size()})
     * @throws IllegalStateException ("chunk N was freed") if this handle is no longer live
     */
    public ByteBuffer asByteBuffer() {
        return segment().asByteBuffer();
    }

    /**
     * Pins the chunk for an in-flight operation: until the matching {@link #release()} the chunk cannot be freed
     * and the pool cannot be closed. Pins nest (each {@code retain} needs its own {@code release}). Any thread;
     * lock-free.
     *
     * @param op a short name of the operation, used in the error message (e.g. {@code "read_fixed"})
     * @throws IllegalStateException ("&lt;op&gt;: chunk N was freed") if this handle is no longer live
     */
    public void retain(String op) {
        while (true) {
            long s = pool.state(index);
            if (!isLive(s)) {
                throw dead(op);
            }
            if (FixedBufferPool.countOf(s) == FixedBufferPool.COUNT_MASK) {
                throw new IllegalStateException(op + ": chunk " + index + " retained too many times");
            }
            if (pool.casState(index, s, s + 1)) {
                return;
            }
        }
    }

    /**
     * Unpins the chunk, undoing one {@link #retain(String)}. Any thread; lock-free.
     *
     * @throws IllegalStateException if this handle is not currently retained
     */
    public void release() {
        while (true) {
            long s = pool.state(index);
            if (FixedBufferPool.generationOf(s) != generation || FixedBufferPool.countOf(s) == 0) {
                throw new IllegalStateException("release: chunk " + index + " is not retained");
            }
            if (pool.casState(index, s, s - 1)) {
                return;
            }
        }
    }

    /**
     * The number of outstanding {@link #retain(String)} calls on this handle; 0 for a stale handle. Any thread.
     *
     * @return the current pin count
     */
    public int retainCount() {
        long s = pool.state(index);
        return FixedBufferPool.generationOf(s) == generation ? FixedBufferPool.countOf(s) : 0;
    }

    /**
     * A short description, e.g. {@code "Chunk[3 of pool@1a2b, 65536 B, live]"}, with {@code ", retained N"}
     * appended while pinned and {@code "freed"} instead of {@code "live"} for a stale handle. Any thread.
     *
     * @return the description
     */
    @Override
    public String toString() {
        long s = pool.state(index);
        StringBuilder sb = new StringBuilder(48).append("Chunk[").append(index).append(" of ")
                .append(pool.shortName()).append(", ").append(pool.chunkSize()).append(" B, ")
                .append(isLive(s) ? "live" : "freed");
        int count = FixedBufferPool.generationOf(s) == generation ? FixedBufferPool.countOf(s) : 0;
        if (count > 0) {
            sb.append(", retained ").append(count);
        }
        return sb.append(']').toString();
    }
}
