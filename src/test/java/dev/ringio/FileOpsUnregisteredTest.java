package dev.ringio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link FileOpsContract} on an engine whose fixed-buffer pool is not registered, so chunk I/O
 * uses plain READ / WRITE on the pool's memory.
 */
class FileOpsUnregisteredTest extends FileOpsContract {

    @Override
    protected EngineConfig config() {
        return EngineConfig.builder().registerFixedBuffers(false).build();
    }

    @Test
    void chunkIoDoesNotUseRegisteredBuffers() {
        assertFalse(engine.fixedBuffersRegistered(), engine.toString());
    }
}
