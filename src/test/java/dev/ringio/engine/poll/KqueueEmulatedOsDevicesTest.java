package dev.ringio.engine.poll;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.os.OsDevicesContract;

/**
 * {@link OsDevicesContract} (inotify, signalfd, eventfd, timerfd, pidfd, child processes and epoll
 * descriptors waited on through the engine) on the readiness engine over {@link KqueuePoller},
 * against the test-only kqueue emulation over epoll ({@code libringio-kqemu.so}). kqueue does not
 * exist on Linux: this proves the engine's kqueue adapter with Linux's devices under the
 * emulation's kqueue semantics, not a BSD or macOS kernel (docs/kqueue.md).
 */
class KqueueEmulatedOsDevicesTest extends OsDevicesContract {

    @Override
    protected IoEngine openEngine() throws Exception {
        return PollEngine.open("kqueue", EngineConfig.builder().fixedBuffers(8, 4096).build(),
                KqueuePoller.openEmulated(KeventLayout.FREEBSD));
    }
}
