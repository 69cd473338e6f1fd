package dev.ringio.engine.poll;

/**
 * {@link KqueuePollerTest} with the {@link KeventLayout#FREEBSD} struct kevent, against the test-only
 * kqueue emulation. Never run on a real BSD or macOS kernel.
 */
class KqueuePollerFreeBsdTest extends KqueuePollerTest {

    @Override
    KeventLayout layout() {
        return KeventLayout.FREEBSD;
    }
}
