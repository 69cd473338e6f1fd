package dev.ringio.engine.poll;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

import dev.ringio.BufferRing;

/**
 * The readiness engine's {@link BufferRing}: {@code entries} buffers of {@code bufferSize} bytes
 * in native memory that multishot receives take one at a time and give back as soon as the handler
 * returns (the kernel never holds them between syscalls, so the ring cannot run dry for long).
 * Freed by the GC once the ring and every receive using it are gone. Loop thread only, except the
 * getters and {@link #close()}.
 */
final class PollBufferRing implements BufferRing {

    private final PollEngine engine;
    private final int entries;
    private final int bufferSize;
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private volatile int available;
    private volatile boolean closed;

    PollBufferRing(PollEngine engine, int entries, int bufferSize) {
        this.engine = engine;
        this.entries = entries;
        this.bufferSize = bufferSize;
        MemorySegment all = Arena.ofAuto().allocate((long) entries * bufferSize, 64);
        for (int i = 0; i < entries; i++) {
            free.add(all.asSlice((long) i * bufferSize, bufferSize));
        }
        this.available = entries;
    }

    boolean belongsTo(PollEngine e) {
        return e == engine;
    }

    boolean isClosed() {
        return closed;
    }

    /** A free buffer; a fresh one if several receives share the ring and all are out at once. */
    MemorySegment take() {
        MemorySegment b = free.poll();
        if (b == null) {
            return Arena.ofAuto().allocate(bufferSize, 64);
        }
        available = free.size();
        return b;
    }

    void give(MemorySegment b) {
        if (free.size() < entries) {
            free.add(b);
        }
        available = free.size();
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
