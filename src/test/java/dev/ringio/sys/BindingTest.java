package dev.ringio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.Errno;
import dev.ringio.testing.LeakCheck;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@link Shim} provider that {@code -Dringio.binding} selects, exercised through plain syscalls;
 * and the JNR symbol mapping checked against the library's exports (independently of the binding).
 */
@ExtendWith(LeakCheck.class)
class BindingTest {

    private static final int EFD_CLOEXEC = 02000000;
    private static final int EFD_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int F_GETFD = 1;
    private static final int FD_CLOEXEC = 1;

    private final Shim shim = Shim.get();

    @Test
    void theSelectedBindingIsLoaded() {
        String selected = System.getProperty(NativeLibrary.BINDING_PROPERTY, "ffm");
        assertEquals(selected, NativeLibrary.bindingName());
        String cls = shim.getClass().getName();
        switch (selected) {
            case "ffm" -> {
                assertInstanceOf(FfmShim.class, shim);
                assertTrue(cls.contains("Ffm"), cls);
            }
            case "jnr" -> {
                assertFalse(shim instanceof FfmShim, "JNR binding selected but the FFM provider loaded");
                assertTrue(cls.toLowerCase().contains("jnr") || cls.contains("$$") || cls.contains("Proxy"),
                        "not a JNR-generated class: " + cls);
            }
            default -> fail("unexpected -Dringio.binding=" + selected);
        }
        assertSame(shim, Shim.get(), "loaded once per process");
        System.out.println("binding " + selected + ": " + cls);
    }

    @Test
    void abiVersionMatches() {
        assertEquals(Shim.ABI_VERSION, shim.abiVersion());
    }

    @Test
    void eventfdWriteReadCloseRoundTrip() {
        int fd = shim.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        assertTrue(fd >= 0, "eventfd: " + Errno.nameOf(-fd));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            v.set(JAVA_LONG, 0, 5);
            assertEquals(8, shim.write(fd, v.address(), 8));
            v.set(JAVA_LONG, 0, 7);
            assertEquals(8, shim.write(fd, v.address(), 8));
            v.set(JAVA_LONG, 0, 0);
            assertEquals(8, shim.read(fd, v.address(), 8));
            assertEquals(12, v.get(JAVA_LONG, 0), "eventfd sums the writes");
            assertEquals(-Errno.EAGAIN.value(), shim.read(fd, v.address(), 8), "empty, non-blocking");
            assertEquals(-Errno.EINVAL.value(), shim.read(fd, v.address(), 4), "eventfd reads are 8 bytes");
            assertEquals(FD_CLOEXEC, shim.fcntl(fd, F_GETFD, 0) & FD_CLOEXEC, "close-on-exec");
        } finally {
            assertEquals(0, shim.close(fd));
        }
        assertEquals(-Errno.EBADF.value(), shim.close(fd), "a second close reports EBADF, never throws");
    }

    @Test
    void pipe2WriteRead() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            assertEquals(0, shim.pipe2(fds.address(), O_CLOEXEC));
            int r = fds.getAtIndex(JAVA_INT, 0);
            int w = fds.getAtIndex(JAVA_INT, 1);
            try {
                assertNotEquals(r, w);
                assertEquals(0010000, shim.fstatMode(r) & 0170000, "S_IFIFO");
                MemorySegment msg = a.allocateFrom("hello", StandardCharsets.US_ASCII);
                assertEquals(5, shim.write(w, msg.address(), 5));
                MemorySegment in = a.allocate(16);
                assertEquals(5, shim.read(r, in.address(), 16));
                assertEquals("hello", new String(in.asSlice(0, 5).toArray(JAVA_BYTE), StandardCharsets.US_ASCII));
                assertEquals(-Errno.ESPIPE.value(), shim.lseek(r, 0, 0));
                assertEquals(-Errno.ESPIPE.value(), shim.pread(r, in.address(), 1, 0));
            } finally {
                assertEquals(0, shim.close(r));
                assertEquals(0, shim.close(w));
            }
        }
    }

    @Test
    void closedDescriptorsGiveEbadf() {
        int bad = 1 << 24;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(8);
            assertEquals(-Errno.EBADF.value(), shim.read(bad, b.address(), 8));
            assertEquals(-Errno.EBADF.value(), shim.write(bad, b.address(), 8));
            assertEquals(-Errno.EBADF.value(), shim.fstatMode(bad));
            assertEquals(-Errno.EBADF.value(), shim.close(bad));
            assertEquals(-Errno.EBADF.value(), shim.ftruncate(bad, 0));
        }
    }

    @Test
    void openat2OfAMissingFileIsEnoent() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment path = a.allocateFrom("/nonexistent/ringio-" + System.nanoTime());
            MemorySegment how = a.allocate(24, 8);
            how.set(JAVA_LONG, 0, O_CLOEXEC);
            assertEquals(-Errno.ENOENT.value(), shim.openat2(-100, path.address(), how.address(), 24));
        }
    }

    @Test
    void getrandomFills() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(64);
            assertEquals(64, shim.getrandom(b.address(), 64, 0));
            boolean anyNonZero = false;
            for (byte x : b.toArray(JAVA_BYTE)) {
                anyNonZero |= x != 0;
            }
            assertTrue(anyNonZero, "64 random bytes all zero");
        }
    }

    @Test
    void strerror() {
        assertEquals("No such file or directory", text(Errno.ENOENT.value(), 256));
        assertEquals("Bad file descriptor", text(Errno.EBADF.value(), 256));
        assertEquals("Unknown error 99999", text(99999, 256));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(256);
            int n = shim.strerror(Errno.ENOENT.value(), b.address(), 256);
            assertEquals("No such file or directory".length(), n, "the length without the NUL");
            assertEquals(0, b.get(JAVA_BYTE, n), "NUL-terminated");
        }
    }

    private String text(int errno, int len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(len);
            int n = shim.strerror(errno, b.address(), len);
            assertTrue(n > 0 && n < len, "strerror(" + errno + ") returned " + n);
            return b.getString(0, StandardCharsets.UTF_8);
        }
    }

    // ---- the JNR symbol mapping, checked with FFM whatever the binding ----------------------------------

    @Test
    void jnrSymbolOfEveryShimMethodIsExportedByTheLibrary() throws Exception {
        SymbolLookup lib = SymbolLookup.libraryLookup(NativeLibrary.path(), Arena.global());
        List<String> missing = new ArrayList<>();
        List<Method> methods = shimMethods();
        assertTrue(methods.size() >= 26, "Shim methods: " + methods.size());
        for (Method m : methods) {
            String symbol = JnrShim.symbolOf(m.getName());
            if (lib.find(symbol).isEmpty()) {
                missing.add(m.getName() + " -> " + symbol);
            }
        }
        assertEquals(List.of(), missing, "JnrShim.symbolOf names symbols the library does not export");
    }

    @Test
    void shimMethodsAndHeaderFunctionsCorrespondOneToOne() throws Exception {
        Set<String> mapped = new TreeSet<>();
        for (Method m : shimMethods()) {
            assertTrue(mapped.add(JnrShim.symbolOf(m.getName())), "two methods map to " + JnrShim.symbolOf(m.getName()));
        }
        Set<String> declared = new TreeSet<>(ShimHeader.functions());
        assertEquals(declared, mapped, "ringio.h functions vs Shim methods (through JnrShim.symbolOf)");
    }

    @Test
    void symbolOfSpecialCases() {
        assertEquals("ringio_ring_register_ring_fd", JnrShim.symbolOf("ringRegisterRingFd"));
        assertEquals("ringio_getdents64", JnrShim.symbolOf("getdents64"));
        assertEquals("ringio_pipe2", JnrShim.symbolOf("pipe2"));
        assertEquals("ringio_ring_register_iowq_max_workers", JnrShim.symbolOf("ringRegisterIowqMaxWorkers"));
        assertEquals("ringio_fstat_mode", JnrShim.symbolOf("fstatMode"));
        assertEquals("ringio_abi_version", JnrShim.symbolOf("abiVersion"));
        assertEquals("ringio_epoll_create", JnrShim.symbolOf("epollCreate"));
        assertEquals("ringio_epoll_ctl", JnrShim.symbolOf("epollCtl"));
        assertEquals("ringio_epoll_wait", JnrShim.symbolOf("epollWait"));
        assertEquals("ringio_poll_const", JnrShim.symbolOf("pollConst"));
    }

    /** The native methods of {@link Shim}: abstract, not the static accessor. */
    private static List<Method> shimMethods() {
        List<Method> l = new ArrayList<>();
        for (Method m : Shim.class.getDeclaredMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && !m.isSynthetic()) {
                l.add(m);
            }
        }
        return l;
    }
}
