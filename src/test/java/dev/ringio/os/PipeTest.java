package dev.ringio.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.ringio.Errno;
import dev.ringio.NativeIoException;

/** Pipe capacity (F_GETPIPE_SZ / F_SETPIPE_SZ) on real pipes. */
class PipeTest {

    @Test
    void capacityStartsAtTheKernelDefaultAndGrowsToAPowerOfTwoOfPages() throws Exception {
        try (Pipe p = Pipe.open()) {
            assertEquals(64 * 1024, p.capacity());
            assertEquals(1 << 20, p.setCapacity(1 << 20));
            assertEquals(1 << 20, p.capacity());
            int rounded = p.setCapacity(100_000); // 24.4 pages -> 32 pages
            assertEquals(32 * 4096, rounded);
            assertEquals(rounded, p.capacity());
        }
    }

    @Test
    void capacityRefusesNonPositiveSizesBeforeAnySyscall() throws Exception {
        try (Pipe p = Pipe.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.setCapacity(0));
            assertTrue(e.getMessage().contains("F_SETPIPE_SZ"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> p.setCapacity(-4096));
            assertEquals(64 * 1024, p.capacity());
        }
    }

    @Test
    void capacityTheKernelCannotGiveIsAnErrnoNamingTheCall() throws Exception {
        try (Pipe p = Pipe.open()) {
            // 2 GiB is beyond what any pipe may hold, for root too (pipe-max-size aside, the page
            // count is capped): the kernel answers with an errno, which names the fcntl.
            NativeIoException e = assertThrows(NativeIoException.class, () -> p.setCapacity(Integer.MAX_VALUE));
            assertEquals("fcntl(F_SETPIPE_SZ)", e.op());
            assertEquals(64 * 1024, p.capacity());
        }
    }

    @Test
    void capacityOfAClosedPipeIsEbadf() throws Exception {
        Pipe p = Pipe.open();
        p.close();
        NativeIoException get = assertThrows(NativeIoException.class, p::capacity);
        assertTrue(get.is(Errno.EBADF), get.toString());
        NativeIoException set = assertThrows(NativeIoException.class, () -> p.setCapacity(1 << 20));
        assertTrue(set.is(Errno.EBADF), set.toString());
    }
}
