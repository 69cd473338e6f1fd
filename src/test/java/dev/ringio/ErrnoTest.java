package dev.ringio;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Errno} names, values and descriptions, and the messages of {@link NativeIoException}. */
@ExtendWith(LeakCheck.class)
class ErrnoTest {

    /** The errnos the project brief names, with their Linux x86_64 values (asm-generic/errno-base.h, errno.h). */
    private static final Map<String, Integer> BRIEF = new LinkedHashMap<>();

    static {
        BRIEF.put("E2BIG", 7);
        BRIEF.put("EACCES", 13);
        BRIEF.put("EAGAIN", 11);
        BRIEF.put("EBADF", 9);
        BRIEF.put("EBUSY", 16);
        BRIEF.put("ECHILD", 10);
        BRIEF.put("ECONNABORTED", 103);
        BRIEF.put("ECONNREFUSED", 111);
        BRIEF.put("ECONNRESET", 104);
        BRIEF.put("EDOM", 33);
        BRIEF.put("EEXIST", 17);
        BRIEF.put("EFAULT", 14);
        BRIEF.put("EFBIG", 27);
        BRIEF.put("EINPROGRESS", 115);
        BRIEF.put("EINTR", 4);
        BRIEF.put("EINVAL", 22);
        BRIEF.put("EIO", 5);
        BRIEF.put("EISDIR", 21);
        BRIEF.put("EMFILE", 24);
        BRIEF.put("EMLINK", 31);
        BRIEF.put("ENFILE", 23);
        BRIEF.put("ENODEV", 19);
        BRIEF.put("ENOENT", 2);
        BRIEF.put("ENOEXEC", 8);
        BRIEF.put("ENOMEM", 12);
        BRIEF.put("ENOSPC", 28);
        BRIEF.put("ENOTBLK", 15);
        BRIEF.put("ENOTDIR", 20);
        BRIEF.put("ENOTTY", 25);
        BRIEF.put("ENXIO", 6);
        BRIEF.put("EPERM", 1);
        BRIEF.put("EPIPE", 32);
        BRIEF.put("ERANGE", 34);
        BRIEF.put("EROFS", 30);
        BRIEF.put("ESPIPE", 29);
        BRIEF.put("ESRCH", 3);
        BRIEF.put("ETXTBSY", 26);
        BRIEF.put("EWOULDBLOCK", 11);
        BRIEF.put("EXDEV", 18);
    }

    @Test
    void theBriefsErrnosHaveTheirLinuxValues() {
        assertEquals(39, BRIEF.size());
        BRIEF.forEach((name, value) -> {
            Errno e = Errno.valueOf(name);
            assertEquals(value, e.value(), name);
        });
    }

    @Test
    void nameOfAndOfFindTheConstant() {
        BRIEF.forEach((name, value) -> {
            String expected = name.equals("EWOULDBLOCK") ? "EAGAIN" : name; // errno(3) names 11 EAGAIN
            assertEquals(expected, Errno.nameOf(value), "nameOf(" + value + ")");
            assertEquals(Optional.of(Errno.valueOf(expected)), Errno.of(value), "of(" + value + ")");
        });
    }

    @Test
    void ewouldblockIsEagain() {
        assertEquals(Errno.EAGAIN.value(), Errno.EWOULDBLOCK.value());
        assertEquals(Errno.EAGAIN, Errno.of(11).orElseThrow());
        assertEquals(Errno.EOPNOTSUPP.value(), Errno.ENOTSUP.value());
        assertEquals(Errno.EOPNOTSUPP, Errno.of(95).orElseThrow());
        assertEquals(Errno.EAGAIN.description(), Errno.EWOULDBLOCK.description());
    }

    @Test
    void everyDescriptionIsTheCLibrarysText() {
        for (Errno e : Errno.values()) {
            String d = e.description();
            assertNotNull(d, e.name());
            assertFalse(d.isBlank(), e.name());
            assertFalse(d.startsWith("Unknown error"), e + " (" + e.value() + ") is not an errno of this C library: " + d);
            assertFalse(d.equals("errno " + e.value()), e + ": the library was not reached");
            assertEquals(d, Errno.describe(e.value()));
        }
        assertEquals("No such file or directory", Errno.ENOENT.description());
        assertEquals("Bad file descriptor", Errno.EBADF.description());
        assertEquals("Connection refused", Errno.ECONNREFUSED.description());
        assertEquals("Operation not permitted", Errno.EPERM.description());
    }

    @Test
    void unnamedValues() {
        assertEquals("errno 0", Errno.nameOf(0));
        assertEquals("errno 200", Errno.nameOf(200));
        assertEquals("errno -3", Errno.nameOf(-3));
        assertEquals("errno 4096", Errno.nameOf(4096));
        assertEquals(Optional.empty(), Errno.of(0));
        assertEquals(Optional.empty(), Errno.of(-1));
        assertEquals(Optional.empty(), Errno.of(41)); // no errno 41 on Linux
        assertEquals(Optional.empty(), Errno.of(255));
        assertEquals(Optional.empty(), Errno.of(256));
        assertEquals(Optional.empty(), Errno.of(Integer.MAX_VALUE));
        assertEquals(Optional.empty(), Errno.of(Integer.MIN_VALUE));
        assertTrue(Errno.describe(99999).contains("99999"), Errno.describe(99999));
    }

    @Test
    void valuesAreUniqueExceptTheTwoAliases() {
        Map<Integer, Errno> seen = new LinkedHashMap<>();
        for (Errno e : Errno.values()) {
            Errno before = seen.putIfAbsent(e.value(), e);
            if (before != null) {
                assertTrue((before == Errno.EAGAIN && e == Errno.EWOULDBLOCK)
                        || (before == Errno.EOPNOTSUPP && e == Errno.ENOTSUP), before + " and " + e + " share " + e.value());
            }
        }
    }

    // ---- NativeIoException ----------------------------------------------------------------------------

    @Test
    void messageNamesOpErrnoAndDescription() {
        NativeIoException e = new NativeIoException("openat2 /etc/shadow", Errno.EACCES.value());
        assertEquals("openat2 /etc/shadow: EACCES (Permission denied)", e.getMessage());
        assertEquals("openat2 /etc/shadow", e.op());
        assertEquals(13, e.errno());
        assertEquals("EACCES", e.errnoName());
        assertEquals(Optional.of(Errno.EACCES), e.errnoConstant());
        assertTrue(e.is(Errno.EACCES));
        assertFalse(e.is(Errno.ENOENT));
        assertInstanceOf(java.io.IOException.class, e);
    }

    @Test
    void everyBriefErrnoMakesAFullMessage() {
        BRIEF.forEach((name, value) -> {
            NativeIoException e = new NativeIoException("op-" + name, value);
            String m = e.getMessage();
            String shown = Errno.nameOf(value);
            assertTrue(m.contains("op-" + name), m);
            assertTrue(m.contains(shown), m);
            assertTrue(m.contains(Errno.describe(value)), m);
        });
    }

    @Test
    void negativeErrnoIsTakenAsItsAbsoluteValue() {
        NativeIoException e = new NativeIoException("read", -Errno.EBADF.value());
        assertEquals(9, e.errno());
        assertTrue(e.is(Errno.EBADF));
        assertTrue(e.getMessage().startsWith("read: EBADF ("), e.getMessage());
    }

    @Test
    void detailIsAppended() {
        NativeIoException e = new NativeIoException("io_uring_setup", Errno.EPERM.value(), "entries=8");
        assertEquals("io_uring_setup: EPERM (Operation not permitted) [entries=8]", e.getMessage());
    }

    @Test
    void unnamedErrnoStillMakesAMessage() {
        NativeIoException e = new NativeIoException("x", 200);
        assertTrue(e.getMessage().startsWith("x: errno 200 ("), e.getMessage());
        assertEquals(Optional.empty(), e.errnoConstant());
    }

    @Test
    void checkPassesResultsAndThrowsForNegatives() throws Exception {
        assertEquals(0, NativeIoException.check("a", 0));
        assertEquals(42, NativeIoException.check("a", 42));
        assertEquals(Long.MAX_VALUE, NativeIoException.check("a", Long.MAX_VALUE));
        NativeIoException e = assertThrows(NativeIoException.class, () -> NativeIoException.check("close fd 7", -9));
        assertEquals("close fd 7", e.op());
        assertTrue(e.is(Errno.EBADF));
    }
}
