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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link EngineContract} on an io_uring engine built with the {@link EngineConfig} defaults. */
@ExtendWith(KernelFeatures.NeedsIoUring.class)
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
        assertTrue(engine().supports(Capability.KERNEL_ASYNC_FILE_IO), engine().capabilities().toString());
        assertTrue(engine().supports(Capability.KERNEL_MULTISHOT), engine().capabilities().toString());
        // Registering the pool pins its memory: RLIMIT_MEMLOCK refuses it unless the limit or CAP_IPC_LOCK allows.
        long poolBytes = engine().bufferPool().arena().byteSize();
        KernelFeatures.assume(KernelFeatures.lockedMemory(poolBytes), "RLIMIT_MEMLOCK of " + poolBytes + " bytes (or CAP_IPC_LOCK)");
        assertTrue(engine().fixedBuffersRegistered(), engine().toString());
        assertTrue(engine().supports(Capability.REGISTERED_BUFFERS), engine().capabilities().toString());
    }
}
