package dev.ringio.os;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.Errno;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.sys.Shim;
import dev.ringio.testing.LeakCheck;

/**
 * {@link HeldDescriptor}, the deferred close behind {@link Kqueue#close()}, on a real descriptor
 * (an eventfd): a close while a call holds the number leaves it open until the call releases it,
 * the descriptor is closed exactly once, and calls after the close fail with EBADF naming the op.
 */
@ExtendWith(LeakCheck.class)
class HeldDescriptorTest {

    private static boolean open(int fd) {
        return Files.exists(Path.of("/proc/self/fd/" + fd), LinkOption.NOFOLLOW_LINKS);
    }

    private final AtomicInteger closes = new AtomicInteger();
    private int fd;
    private HeldDescriptor held;

    /** A fresh eventfd, closed through the shim, counting the closes. */
    @BeforeEach
    void eventfd() {
        fd = Shim.get().eventfd(0, OpenFlags.O_CLOEXEC);
        assertTrue(fd >= 0, "eventfd: " + fd);
        held = new HeldDescriptor("eventfd", fd, n -> {
            closes.incrementAndGet();
            assertEquals(0, Shim.get().close(n));
        });
    }

    @Test
    void closeWhileHeldIsDeferredToTheLastRelease() throws Exception {
        held.acquire("first");
        held.acquire("second");
        held.close();
        assertTrue(held.isClosing());
        assertTrue(open(fd), "closed under a call that holds it");
        NativeIoException refused = assertThrows(NativeIoException.class, () -> held.acquire("kevent"));
        assertEquals("kevent", refused.op());
        assertTrue(refused.is(Errno.EBADF), refused.toString());
        assertTrue(refused.getMessage().contains("eventfd " + fd + " is closed"), refused.getMessage());
        held.release();
        assertTrue(open(fd), "closed while a second call still holds it");
        assertEquals(0, closes.get());
        held.release();
        assertFalse(open(fd), "not closed by the last release");
        assertEquals(1, closes.get());
        held.close();
        assertEquals(1, closes.get(), "closed twice");
    }

    @Test
    void closeWithNoHolderClosesAtOnceAndOnlyOnce() throws Exception {
        held.acquire("kevent");
        held.release();
        assertTrue(open(fd), "a call's release closed a descriptor nobody closed");
        assertEquals(0, closes.get());
        assertFalse(held.isClosing());
        held.close();
        held.close();
        assertTrue(held.isClosing());
        assertEquals(1, closes.get());
        assertFalse(open(fd));
    }
}
