package dev.ringio.engine.uring;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.conformance.EngineContract;
import dev.ringio.testing.KernelFeatures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link EngineContract} on an io_uring engine with a two-entry submission queue, so the
 * many-ops tests and the concurrent workloads (hundreds of operations in flight) run through the
 * SQ-full / overflow path.
 */
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class UringQueueDepth2ConformanceTest extends EngineContract {

    @Override
    protected IoEngine openEngine() throws Exception {
        return IoEngines.openUring(EngineConfig.builder().queueDepth(2).build());
    }

    @Override
    protected void checkAfterEachTest(IoEngine engine, List<String> problems) throws Exception {
        UringConformance.check(engine, problems);
    }

    @Test
    void theRingReallyHasTwoEntries() {
        assertEquals("io_uring", engine().name());
        assertTrue(engine().toString().contains("sq=2 "), engine().toString());
    }
}
