package dev.ringio.engine.uring;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.Capability;
import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.conformance.EngineContract;
import dev.ringio.testing.KernelFeatures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The {@link EngineContract} on an io_uring engine whose fixed-buffer pool is not registered, so
 * chunk I/O uses plain READ / WRITE on the pool's memory.
 */
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class UringUnregisteredBuffersConformanceTest extends EngineContract {

    @Override
    protected IoEngine openEngine() throws Exception {
        return IoEngines.openUring(EngineConfig.builder().registerFixedBuffers(false).build());
    }

    @Override
    protected void checkAfterEachTest(IoEngine engine, List<String> problems) throws Exception {
        UringConformance.check(engine, problems);
    }

    @Test
    void chunkIoDoesNotUseRegisteredBuffers() {
        assertEquals("io_uring", engine().name());
        assertFalse(engine().fixedBuffersRegistered(), engine().toString());
        assertFalse(engine().supports(Capability.REGISTERED_BUFFERS), engine().capabilities().toString());
    }
}
