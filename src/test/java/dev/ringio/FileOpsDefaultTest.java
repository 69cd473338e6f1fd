package dev.ringio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FileOpsContract} on an engine built with the {@link EngineConfig} defaults. */
class FileOpsDefaultTest extends FileOpsContract {

    @Override
    protected EngineConfig config() {
        return EngineConfig.defaults();
    }

    @Test
    void chunkIoUsesRegisteredBuffers() {
        // root here, so RLIMIT_MEMLOCK cannot refuse the registration
        assertTrue(engine.fixedBuffersRegistered(), engine.toString());
    }
}
