package dev.ringio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FileOpsContract} on an engine with a two-entry submission queue, so the many-ops tests and
 * the concurrent workload (200 operations in flight) run through the SQ-full / overflow path.
 */
class FileOpsQueueDepth2Test extends FileOpsContract {

    @Override
    protected EngineConfig config() {
        return EngineConfig.builder().queueDepth(2).build();
    }

    @Test
    void theRingReallyHasTwoEntries() {
        assertTrue(engine.toString().contains("sq=2 "), engine.toString());
    }
}
