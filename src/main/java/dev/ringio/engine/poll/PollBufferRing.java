package dev.ringio.engine.poll;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

import dev.ringio.BufferRing;

/**
 * The readiness engine's {@link BufferRing}: up to {@code entries} buffers of {@code bufferSize}
 * bytes in native memory that multishot receives take one at a time and give back as soon as the
 * handler returns (the kernel never holds them between syscalls, so the ring cannot run dry for
 * long). A buffer is allocated when first needed, not up front: receives hold only a few at a time,
 * so a large ring costs only what its receives use. Freed by the GC once the ring and every
 * receive using it are gone. Loop thread only, except the getters and {@link #close()}.
 */
final class PollBufferRing implements BufferRing {

    private final PollEngine engine;
    private final int entries;
    private final int bufferSize;
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private int out;                 // loop: buffers taken and not given back
    private int allocated;           // loop: buffers allocated so far
    private volatile int available;
    private volatile boolean closed;

    PollBufferRing(PollEngine engine, int entries, int bufferSize) {
        this.engine = engine;
        this.entries = entries;
        this.bufferSize = bufferSize;
        this.available = entries;
    }

    boolean belongsTo(PollEngine e) {
        return e == engine;
    }

    boolean isClosed() {
        return closed;
    }

    /** A free buffer: one given back before, else a new one (also when more than {@code entries} are out). */
    MemorySegment take() {
        MemorySegment b = free.poll();
        if (b == null) {
            b = Arena.ofAuto().allocate(bufferSize, 64);
            allocated++;
        }
        out++;
        available = Math.max(0, entries - out);
        return b;
    }

    /** How many buffers have been allocated (for tests: the ring allocates as receives need them). Loop thread. */
    int allocated() {
        return allocated;
    }

    void give(MemorySegment b) {
        out = Math.max(0, out - 1);
        if (free.size() < entries) {
            free.add(b);
        }
        available = Math.max(0, entries - out);
    }

    @Override
    public int entries() {
        return entries;
    }

    @Override
    public int bufferSize() {
        return bufferSize;
    }

    @Override
    public int available() {
        return available;
    }

    @Override
    public void close() {
        closed = true;
    }
}
