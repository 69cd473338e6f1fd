package dev.ringio.os;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.EngineConfig;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.net.Domain;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.sys.Shim;
import dev.ringio.testing.LeakCheck;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** {@link Fcntl}, {@link StatusFlag}, {@link FdFlag} and {@link AccessMode} on real pipes, files and sockets. */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class FcntlTest {

    private static IoEngine engine;

    @BeforeAll
    static void open() throws Exception {
        engine = IoEngines.open("epoll", EngineConfig.builder().build());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void constantsHaveTheCValues() {
        assertEquals(OsTesting.c("F_DUPFD"), Fcntl.F_DUPFD);
        assertEquals(OsTesting.c("F_GETFD"), Fcntl.F_GETFD);
        assertEquals(OsTesting.c("F_SETFD"), Fcntl.F_SETFD);
        assertEquals(OsTesting.c("F_GETFL"), Fcntl.F_GETFL);
        assertEquals(OsTesting.c("F_SETFL"), Fcntl.F_SETFL);
        assertEquals(OsTesting.c("F_DUPFD_CLOEXEC"), Fcntl.F_DUPFD_CLOEXEC);
        assertEquals(OsTesting.c("FD_CLOEXEC"), Fcntl.FD_CLOEXEC);
        assertEquals(OsTesting.c("FD_CLOEXEC"), FdFlag.CLOEXEC.value());
        for (StatusFlag f : StatusFlag.values()) {
            long c = OsTesting.c("O_" + f.name());
            if (f == StatusFlag.LARGEFILE) {
                // glibc defines O_LARGEFILE as 0 on 64-bit (it is implied); the kernel's bit
                // (asm-generic/fcntl.h, 0100000) is what F_GETFL reports: see the next tests.
                assertEquals(0, c, "glibc's O_LARGEFILE on x86_64");
            } else if (f == StatusFlag.SYNC) {
                assertEquals(c, f.value() | StatusFlag.DSYNC.value(), "O_SYNC = __O_SYNC | O_DSYNC");
            } else {
                assertEquals(c, f.value(), f.name());
            }
        }
        assertEquals(OsTesting.c("O_ACCMODE"), AccessMode.MASK);
        assertEquals(OsTesting.c("O_RDONLY"), AccessMode.READ_ONLY.value());
        assertEquals(OsTesting.c("O_WRONLY"), AccessMode.WRITE_ONLY.value());
        assertEquals(OsTesting.c("O_RDWR"), AccessMode.READ_WRITE.value());
        // The O_* of dev.ringio.OpenFlags agree with the names here.
        assertEquals(OpenFlags.O_APPEND, StatusFlag.APPEND.value());
        assertEquals(OpenFlags.O_NONBLOCK, StatusFlag.NONBLOCK.value());
        assertEquals(OsTesting.c("O_RSYNC"), OpenFlags.O_RSYNC);
    }

    @Test
    void pipeEndsReportTheirAccessModeAndNonBlockingRoundTrips() throws Exception {
        try (Pipe p = Pipe.open()) {
            StatusFlags r = Fcntl.getStatusFlags(p.readEnd());
            assertEquals(AccessMode.READ_ONLY, r.access());
            assertFalse(r.has(StatusFlag.NONBLOCK));
            assertEquals(0, r.unknownBits());
            assertEquals(AccessMode.WRITE_ONLY, Fcntl.getStatusFlags(p.writeEnd()).access());

            assertFalse(Fcntl.isNonBlocking(p.readEnd()));
            Fcntl.setNonBlocking(p.readEnd(), true);
            assertTrue(Fcntl.isNonBlocking(p.readEnd()));
            assertEquals(r.bits() | StatusFlag.NONBLOCK.value(), Fcntl.getStatusFlags(p.readEnd()).bits());
            // The kernel agrees: an empty non-blocking pipe's read is EAGAIN, not a wait.
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(1);
                assertEquals(-Errno.EAGAIN.value(), Shim.get().read(p.readEnd().value(), buf.address(), 1));
            }
            Fcntl.setNonBlocking(p.readEnd(), false);
            assertFalse(Fcntl.isNonBlocking(p.readEnd()));
            assertEquals(r.bits(), Fcntl.getStatusFlags(p.readEnd()).bits());
        }
    }

    @Test
    void setStatusFlagsAddAndRemoveKeepTheOtherBits(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "x");
        try (Fd fd = engine.open(file, OpenFlags.O_RDWR | OpenFlags.O_APPEND, 0).join()) {
            StatusFlags before = Fcntl.getStatusFlags(fd);
            assertEquals(AccessMode.READ_WRITE, before.access());
            assertTrue(before.has(StatusFlag.APPEND));
            assertTrue(before.has(StatusFlag.LARGEFILE), "the kernel sets O_LARGEFILE on 64-bit: " + before);
            assertEquals(0, before.unknownBits(), before.toString());

            StatusFlags on = Fcntl.addStatusFlags(fd, EnumSet.of(StatusFlag.NONBLOCK));
            assertTrue(on.has(StatusFlag.APPEND) && on.has(StatusFlag.NONBLOCK), on.toString());
            StatusFlags off = Fcntl.removeStatusFlags(fd, EnumSet.of(StatusFlag.APPEND));
            assertFalse(off.has(StatusFlag.APPEND));
            assertTrue(off.has(StatusFlag.NONBLOCK));
            // Exactly: F_SETFL with {APPEND} clears NONBLOCK; the access mode is untouched.
            Fcntl.setStatusFlags(fd, EnumSet.of(StatusFlag.APPEND));
            StatusFlags exact = Fcntl.getStatusFlags(fd);
            assertTrue(exact.has(StatusFlag.APPEND));
            assertFalse(exact.has(StatusFlag.NONBLOCK));
            assertEquals(AccessMode.READ_WRITE, exact.access());
            // A raw word: the same call.
            Fcntl.setStatusFlags(fd, exact.bits() | StatusFlag.NONBLOCK.value());
            assertTrue(Fcntl.isNonBlocking(fd));
        }
    }

    @Test
    void statusAndFdFlagSetsNeverDropUnknownBits() {
        int unnamed = 0x40000000; // no O_* has this bit
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StatusFlag.of(02000 | unnamed));
        assertTrue(e.getMessage().contains("010000000000"), e.getMessage());
        StatusFlags kept = StatusFlags.of(02 | 02000 | unnamed);
        assertEquals(AccessMode.READ_WRITE, kept.access());
        assertEquals(Set.of(StatusFlag.APPEND), kept.flags());
        assertEquals(unnamed, kept.unknownBits());
        assertEquals(02 | 02000 | unnamed, kept.bits());
        assertEquals(EnumSet.of(StatusFlag.APPEND, StatusFlag.NONBLOCK), StatusFlag.of(02 | 02000 | 04000));
        assertEquals(02000 | 04000, StatusFlag.bits(EnumSet.of(StatusFlag.APPEND, StatusFlag.NONBLOCK)));
        assertThrows(IllegalArgumentException.class, () -> FdFlag.of(1 | 4));
        assertEquals(EnumSet.of(FdFlag.CLOEXEC), FdFlag.of(1));
        assertEquals(EnumSet.noneOf(FdFlag.class), FdFlag.of(0));
    }

    @Test
    void closeOnExecIsOnByDefaultAndCanBeClearedAndSet() throws Exception {
        try (Fd s = Sockets.socket(Domain.UNIX, SocketType.STREAM)) {
            assertTrue(Fcntl.isCloseOnExec(s));
            assertEquals(EnumSet.of(FdFlag.CLOEXEC), Fcntl.getFdFlags(s));
            Fcntl.setCloseOnExec(s, false);
            assertFalse(Fcntl.isCloseOnExec(s));
            assertEquals(0, Fcntl.getFdFlagsRaw(s));
            Fcntl.setFdFlags(s, EnumSet.of(FdFlag.CLOEXEC));
            assertTrue(Fcntl.isCloseOnExec(s));
            Fcntl.setFdFlagsRaw(s, 0);
            assertEquals(EnumSet.noneOf(FdFlag.class), Fcntl.getFdFlags(s));
            Fcntl.setCloseOnExec(s, true);
            assertEquals(Fcntl.FD_CLOEXEC, Fcntl.fcntl(s, Fcntl.F_GETFD, 0));
        }
    }

    @Test
    void dupGivesANumberAtOrAboveTheMinimumSharingTheOpenFileDescription() throws Exception {
        try (Pipe p = Pipe.open(); Fd copy = Fcntl.dup(p.writeEnd(), 200, true); Fd plain = Fcntl.dup(p.readEnd(), 0, false)) {
            assertTrue(copy.value() >= 200, copy.toString());
            assertEquals(Fd.Kind.PIPE, copy.kind());
            assertTrue(Fcntl.isCloseOnExec(copy));
            assertFalse(Fcntl.isCloseOnExec(plain), "F_DUPFD does not set FD_CLOEXEC");
            assertTrue(Fcntl.isCloseOnExec(p.readEnd()), "descriptor flags are per number");
            // Status flags belong to the shared description: set through the copy, seen on the original.
            Fcntl.setNonBlocking(copy, true);
            assertTrue(Fcntl.isNonBlocking(p.writeEnd()));
            // Bytes written through the copy come out of the read end; closing the copy keeps the original open.
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(3);
                buf.set(JAVA_BYTE, 0, (byte) 'a');
                assertEquals(1, Shim.get().write(copy.value(), buf.address(), 1));
                copy.close();
                assertEquals(1, Shim.get().write(p.writeEnd().value(), buf.address(), 1));
                assertEquals(2, Shim.get().read(plain.value(), buf.address(), 3));
            }
            Fd second = Fcntl.dup(p.readEnd());
            assertTrue(Fcntl.isCloseOnExec(second));
            second.close();
        }
    }

    @Test
    void badArgumentsAndDescriptorsNameTheCommandAndErrno() throws Exception {
        Pipe p = Pipe.open();
        try {
            IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> Fcntl.dup(p.readEnd(), -1, true));
            assertTrue(neg.getMessage().contains("F_DUPFD"), neg.getMessage());
            // Above RLIMIT_NOFILE: EINVAL from the kernel.
            NativeIoException big = assertThrows(NativeIoException.class, () -> Fcntl.dup(p.readEnd(), Integer.MAX_VALUE, true));
            assertEquals("fcntl(F_DUPFD_CLOEXEC)", big.op());
            assertTrue(big.is(Errno.EINVAL), big.toString());
            NativeIoException cmd = assertThrows(NativeIoException.class, () -> Fcntl.fcntl(p.readEnd(), 99_999, 0));
            assertEquals("fcntl(cmd 99999)", cmd.op());
            assertTrue(cmd.is(Errno.EINVAL), cmd.toString());
        } finally {
            p.close();
        }
        // A closed Fd: EBADF before any syscall, naming the command.
        NativeIoException closed = assertThrows(NativeIoException.class, () -> Fcntl.getStatusFlags(p.readEnd()));
        assertEquals("fcntl(F_GETFL)", closed.op());
        assertTrue(closed.is(Errno.EBADF));
        assertThrows(NativeIoException.class, () -> Fcntl.setCloseOnExec(p.writeEnd(), false));
        // A number that is not open (beyond any RLIMIT_NOFILE): the kernel's EBADF, named.
        Fd stale = Fd.adopt(1 << 30, Fd.Kind.OTHER);
        NativeIoException kernel = assertThrows(NativeIoException.class, () -> Fcntl.getFdFlags(stale));
        assertEquals("fcntl(F_GETFD)", kernel.op());
        assertTrue(kernel.is(Errno.EBADF), kernel.toString());
    }
}
