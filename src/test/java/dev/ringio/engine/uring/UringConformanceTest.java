package dev.ringio.engine.uring;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ringio.Capability;
import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.conformance.EngineContract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link EngineContract} on an io_uring engine built with the {@link EngineConfig} defaults. */
class UringConformanceTest extends EngineContract {

    @Override
    protected IoEngine openEngine() throws Exception {
        return IoEngines.openUring(EngineConfig.defaults());
    }

    @Override
    protected void checkAfterEachTest(IoEngine engine, List<String> problems) throws Exception {
        UringConformance.check(engine, problems);
    }

    @Test
    void isIoUringAndChunkIoUsesRegisteredBuffers() {
        assertEquals("io_uring", engine().name());
        // root here, so RLIMIT_MEMLOCK cannot refuse the registration
        assertTrue(engine().fixedBuffersRegistered(), engine().toString());
        assertTrue(engine().supports(Capability.REGISTERED_BUFFERS), engine().capabilities().toString());
        assertTrue(engine().supports(Capability.KERNEL_ASYNC_FILE_IO), engine().capabilities().toString());
        assertTrue(engine().supports(Capability.KERNEL_MULTISHOT), engine().capabilities().toString());
    }
}
