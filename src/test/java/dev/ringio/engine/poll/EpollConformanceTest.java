package dev.ringio.engine.poll;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.conformance.EngineContract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link EngineContract} on the readiness engine over epoll, opened the way selection opens it. */
class EpollConformanceTest extends EngineContract {

    @Override
    protected IoEngine openEngine() throws Exception {
        return IoEngines.open("epoll", EngineConfig.defaults());
    }

    @Override
    protected void checkAfterEachTest(IoEngine engine, List<String> problems) throws InterruptedException {
        noCallbackErrors(engine, problems);
    }

    /**
     * A readiness engine's own check after each contract test: no callback reached the error
     * handler, and no timer is left in the heap (a deadline's timer leaves it when its operation
     * ends, at once on the loop; waited for briefly, as the read is not on the loop).
     */
    static void noCallbackErrors(IoEngine engine, List<String> problems) throws InterruptedException {
        PollEngine e = (PollEngine) engine;
        long errors = e.callbackErrors();
        if (errors != 0) {
            problems.add(errors + " callback error(s) reported to the engine's error handler");
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        int timers;
        while ((timers = e.pendingTimers()) != 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        if (timers != 0) {
            problems.add(timers + " timer(s) still in the engine's heap after the test");
        }
    }

    @Test
    void isEpollWithNoCapabilityBeyondTheCommonOperations() {
        assertEquals("epoll", engine().name());
        assertFalse(engine().fixedBuffersRegistered());
        assertTrue(engine().capabilities().isEmpty(), engine().capabilities().toString());
    }
}
