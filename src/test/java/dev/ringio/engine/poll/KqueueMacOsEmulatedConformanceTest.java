package dev.ringio.engine.poll;

/** {@link KqueueEmulatedConformance} with the MACOS {@code struct kevent} layout (emulated; see there). */
class KqueueMacOsEmulatedConformanceTest extends KqueueEmulatedConformance {

    @Override
    KeventLayout layout() {
        return KeventLayout.MACOS;
    }
}
