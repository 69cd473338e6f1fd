package dev.ringio.engine.poll;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.conformance.EngineContract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link EngineContract} on the readiness engine over {@link KqueuePoller} with the MACOS
 * {@code struct kevent} layout, against the test-only kqueue emulation over epoll
 * ({@code libringio-kqemu.so}, built in {@code shim/}). kqueue does not exist on Linux: this proves
 * the adapter and the engine against the emulation's kqueue semantics, NOT against a real BSD or
 * macOS kernel, where this adapter has never run (docs/kqueue.md).
 */
class KqueueMacOsEmulatedConformanceTest extends EngineContract {

    @Override
    protected IoEngine openEngine() throws Exception {
        return PollEngine.open("kqueue", EngineConfig.defaults(), KqueuePoller.openEmulated(KeventLayout.MACOS));
    }

    @Override
    protected void checkAfterEachTest(IoEngine engine, List<String> problems) {
        long errors = ((PollEngine) engine).callbackErrors();
        if (errors != 0) {
            problems.add(errors + " callback error(s) reported to the engine's error handler");
        }
    }

    @Test
    void isKqueueWithNoCapabilityBeyondTheCommonOperations() {
        assertEquals("kqueue", engine().name());
        assertTrue(engine().capabilities().isEmpty(), engine().capabilities().toString());
    }
}
