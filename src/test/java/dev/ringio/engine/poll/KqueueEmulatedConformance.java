package dev.ringio.engine.poll;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.conformance.EngineContract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link EngineContract} on the readiness engine over {@link KqueuePoller} with one
 * {@code struct kevent} layout, against the test-only kqueue emulation over epoll
 * ({@code libringio-kqemu.so}, built in {@code shim/}). kqueue does not exist on Linux: this proves
 * the adapter and the engine against the emulation's kqueue semantics, NOT against a real BSD or
 * macOS kernel, where this adapter has never run (docs/kqueue.md).
 */
abstract class KqueueEmulatedConformance extends EngineContract {

    /** The layout the emulation and the poller use. */
    abstract KeventLayout layout();

    @Override
    protected IoEngine openEngine() throws Exception {
        return PollEngine.open("kqueue", EngineConfig.defaults(), KqueuePoller.openEmulated(layout()));
    }

    @Override
    protected void checkAfterEachTest(IoEngine engine, List<String> problems) throws InterruptedException {
        EpollConformanceTest.noCallbackErrors(engine, problems);
    }

    @Test
    void isKqueueWithNoCapabilityBeyondTheCommonOperations() {
        assertEquals("kqueue", engine().name());
        assertTrue(engine().capabilities().isEmpty(), engine().capabilities().toString());
    }
}
