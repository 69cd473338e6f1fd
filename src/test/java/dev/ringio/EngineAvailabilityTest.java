package dev.ringio;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.engine.poll.PollEngine;
import dev.ringio.engine.uring.UringEngine;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one availability gate every engine kind has ({@link EngineAvailability}): what it says here
 * (Linux: io_uring where the kernel allows it, epoll, no kqueue), that it agrees with a fresh probe
 * and with opening the engine, that it is computed once, and that {@link IoEngines#availability()}
 * shows it. The refusal path under a real seccomp filter is SeccompRefusalTest's.
 */
@ExtendWith(LeakCheck.class)
class EngineAvailabilityTest {

    @Test
    void ioUringGateAgreesWithAFreshProbeAndWithOpen() throws Exception {
        EngineAvailability gate = EngineAvailability.of("io_uring");
        assertEquals("io_uring", gate.engine());
        Throwable fresh = null;
        try {
            UringEngine.requireKernelSupport();
        } catch (Throwable t) {
            fresh = t;
        }
        if (fresh == null) {
            assertTrue(gate.isAvailable(), gate.toString());
            assertEquals(Optional.empty(), gate.unavailabilityCause());
            assertEquals("available", gate.reason());
            try (IoEngine e = IoEngines.open("io_uring", EngineConfig.builder().queueDepth(4).build())) {
                assertEquals("io_uring", e.name());
                e.noop().get();
            }
        } else {
            assertFalse(gate.isAvailable(), "a fresh probe failed (" + fresh + ") but the gate says available");
            NativeIoException now = assertInstanceOf(NativeIoException.class, fresh);
            NativeIoException then = assertInstanceOf(NativeIoException.class, gate.unavailabilityCause().orElseThrow());
            assertEquals(now.errno(), then.errno(), gate.toString());
            assertTrue(gate.reason().startsWith("io_uring_setup: "), gate.reason());
        }
    }

    @Test
    void ioUringIsAvailableOnThisKernel() {
        KernelFeatures.assumeIoUring();
        assertTrue(EngineAvailability.of("uring").isAvailable(), EngineAvailability.of("uring").toString());
    }

    @Test
    void epollGateIsOpenOnLinuxAndTheEngineStarts() throws Exception {
        EngineAvailability gate = EngineAvailability.of("epoll");
        assertEquals("epoll", gate.engine());
        assertTrue(gate.isAvailable(), gate.toString());
        assertEquals("available", gate.reason());
        try (IoEngine e = IoEngines.open("epoll", EngineConfig.builder().build())) {
            e.noop().get();
        }
    }

    @Test
    void kqueueGateIsShutOnLinuxWithAReason() {
        EngineAvailability gate = EngineAvailability.of("kqueue");
        assertEquals("kqueue", gate.engine());
        assertFalse(gate.isAvailable());
        Throwable cause = gate.unavailabilityCause().orElseThrow();
        assertInstanceOf(UnsupportedOperationException.class, cause);
        assertTrue(cause.getMessage().contains("not a BSD/macOS kernel"), cause.getMessage());
        // The words drop the engine's own name: "kqueue: kqueue: ..." would say it twice.
        assertTrue(gate.reason().startsWith("not a BSD/macOS kernel"), gate.reason());
        assertEquals("kqueue: " + gate.reason(), gate.toString());
        // Opening it fails the same way, loudly.
        UnsupportedOperationException open = assertThrows(UnsupportedOperationException.class,
                () -> IoEngines.open("kqueue", EngineConfig.builder().build()));
        assertEquals(cause.getMessage(), open.getMessage());
        assertThrows(UnsupportedOperationException.class, PollEngine::requireKqueue);
    }

    @Test
    void eachGateIsComputedOnce() {
        for (String name : IoEngines.ENGINES) {
            EngineAvailability first = EngineAvailability.of(name);
            assertSame(first, EngineAvailability.of(name), name);
            assertSame(first, IoEngines.availability(name), name);
            assertSame(first.unavailabilityCause().orElse(null), EngineAvailability.of(name).unavailabilityCause().orElse(null),
                    name + ": the cause is the one the first probe kept, not a new probe's");
        }
        assertSame(EngineAvailability.of("io_uring"), EngineAvailability.of(" URING "));
        assertSame(EngineAvailability.of("io_uring"), EngineAvailability.of("iouring"));
    }

    @Test
    void availabilityMapShowsEveryGateInOrder() {
        Map<String, String> m = IoEngines.availability();
        assertEquals(IoEngines.ENGINES, m.keySet().stream().toList());
        for (String name : IoEngines.ENGINES) {
            assertEquals(EngineAvailability.of(name).reason(), m.get(name), name);
        }
    }

    @Test
    void unknownEngineNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineAvailability.of("select"));
        assertTrue(e.getMessage().contains("select"), e.getMessage());
        assertThrows(NullPointerException.class, () -> EngineAvailability.of(null));
    }

    @Test
    void openTakesTheFirstEngineWhoseGateIsOpen() throws Exception {
        String forced = System.getProperty(IoEngines.ENGINE_PROPERTY);
        assumeTrue(forced == null || forced.isBlank(), "-D" + IoEngines.ENGINE_PROPERTY + " forces an engine past the gates");
        // open() tries the first candidate whose gate is open: here io_uring when allowed, else epoll.
        String expected = EngineAvailability.of("io_uring").isAvailable() ? "io_uring" : "epoll";
        try (IoEngine e = IoEngines.open(EngineConfig.builder().build())) {
            assertEquals(expected, e.name());
            IoEngines.Selection s = IoEngines.lastSelection();
            if (expected.equals("epoll")) {
                assertEquals(EngineAvailability.of("io_uring").reason(), s.refusals().get("io_uring"));
            } else if (!s.refusals().isEmpty()) {
                fail("io_uring is available, yet open() passed over " + s.refusals());
            }
        }
    }
}
