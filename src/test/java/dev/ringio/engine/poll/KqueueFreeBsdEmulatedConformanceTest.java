package dev.ringio.engine.poll;

/** {@link KqueueEmulatedConformance} with the FREEBSD {@code struct kevent} layout (emulated; see there). */
class KqueueFreeBsdEmulatedConformanceTest extends KqueueEmulatedConformance {

    @Override
    KeventLayout layout() {
        return KeventLayout.FREEBSD;
    }
}
