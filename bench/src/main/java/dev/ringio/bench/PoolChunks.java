package dev.ringio.bench;

import dev.ringio.IoEngine;
import dev.ringio.buffers.Chunk;

/** Chunks a workload borrows from an engine's fixed-buffer pool for one run, and gives back. */
final class PoolChunks {

    private PoolChunks() {
    }

    /** {@code n} chunks; none taken if the pool cannot give them all. */
    static Chunk[] take(IoEngine engine, int n) {
        Chunk[] chunks = new Chunk[n];
        for (int i = 0; i < n; i++) {
            chunks[i] = engine.bufferPool().alloc();
            if (chunks[i] == null) {
                free(engine, chunks);
                throw new IllegalStateException("fixed-buffer pool exhausted: " + i + " of " + n + " chunks free");
            }
        }
        return chunks;
    }

    /** Gives back every chunk of {@code chunks} that was taken. */
    static void free(IoEngine engine, Chunk[] chunks) {
        for (Chunk c : chunks) {
            if (c != null) {
                engine.bufferPool().free(c);
            }
        }
    }
}
