package dev.ringio.os;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.ringio.Errno;
import dev.ringio.NativeIoException;
import dev.ringio.sys.NativeLibrary;
import dev.ringio.sys.Shim;
import dev.ringio.testing.LeakCheck;

/**
 * The public {@link Kqueue}, in both struct layouts, against the TEST-ONLY kqueue emulation over
 * epoll ({@code shim/src/kqemu}, {@code libringio-kqemu.so}): a real kqueue cannot exist on Linux.
 * The emulation implements the read, write and timer filters and every EV_* action and flag;
 * the other filters' constants are checked against the BSD and macOS headers by value only, in
 * {@link #constantsAreTheBsdValues()}. Neither the emulation nor this class has been run against
 * a real BSD or macOS kernel (see docs/kqueue.md). Pipes and timers here are real kernel objects.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class KqueueTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    /** The emulation, found as {@code dev.ringio.engine.poll.KqueueEmulation} finds it (a minimal copy of its lookup). */
    static Kqueue emulated(Kqueue.Layout layout) throws NativeIoException {
        Path lib = NativeLibrary.overridden("ringio.kqemu.path");
        if (lib == null) {
            lib = NativeLibrary.extract(KqueueTest.class, "/native/linux-x86_64/libringio-kqemu.so", "libringio-kqemu.so");
        }
        if (lib == null) {
            for (Path d = Path.of("").toAbsolutePath(); d != null && lib == null; d = d.getParent()) {
                Path p = d.resolve("shim/target/classes/native/linux-x86_64/libringio-kqemu.so");
                lib = Files.isRegularFile(p) ? p : null;
            }
        }
        assertNotNull(lib, "libringio-kqemu.so not found (build shim/)");
        String kevent = layout == Kqueue.Layout.FREEBSD ? "ringio_kqemu_kevent_freebsd" : "ringio_kqemu_kevent_macos";
        return Kqueue.open(dev.ringio.sys.Kqueue.bind(lib, new dev.ringio.sys.Kqueue.Symbols("ringio_kqemu_kqueue", kevent,
                "ringio_kqemu_close")), layout);
    }

    static void write(dev.ringio.Fd fd, int bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(bytes);
            assertEquals(bytes, Shim.get().write(fd.value(), buf.address(), bytes));
        }
    }

    @Test
    void openRefusesOnLinux() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, Kqueue::open);
        assertTrue(e.getMessage().contains("kqueue"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, Kqueue.Layout::ofThisSystem);
    }

    @ParameterizedTest
    @EnumSource(Kqueue.Layout.class)
    void readFilterReportsBytesUdataAndEof(Kqueue.Layout layout) throws Exception {
        try (Kqueue kq = emulated(layout); Kqueue.Kevents ev = kq.newKevents(4); Pipe p = Pipe.open()) {
            assertEquals(layout, kq.layout());
            assertTrue(kq.fd() >= 0);
            kq.add(p.readEnd().value(), Kqueue.Filter.READ, EnumSet.noneOf(Kqueue.Flag.class), 0, 0, 0xfeedL);
            assertEquals(0, kq.poll(ev, Duration.ZERO), "nothing to read yet");
            write(p.writeEnd(), 3);
            assertEquals(1, kq.poll(ev, LONG));
            assertEquals(1, ev.count());
            assertEquals(p.readEnd().value(), ev.ident(0));
            assertEquals(Kqueue.EVFILT_READ, ev.filter(0));
            assertEquals(Kqueue.Filter.READ, ev.filterKind(0));
            assertEquals(3, ev.data(0), "bytes readable");
            assertEquals(0xfeedL, ev.udata(0));
            assertEquals(0, ev.fflags(0));
            assertFalse(ev.flagSet(0).contains(Kqueue.Flag.EOF));
            p.writeEnd().close();
            assertEquals(1, kq.poll(ev, LONG));
            assertTrue(ev.flagSet(0).contains(Kqueue.Flag.EOF), ev.flagSet(0).toString());
            assertTrue((ev.flags(0) & Kqueue.EV_EOF) != 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Kqueue.Layout.class)
    void disableEnableAndDelete(Kqueue.Layout layout) throws Exception {
        try (Kqueue kq = emulated(layout); Kqueue.Kevents ev = kq.newKevents(4); Pipe p = Pipe.open()) {
            long ident = p.writeEnd().value();
            kq.add(ident, Kqueue.Filter.WRITE, EnumSet.noneOf(Kqueue.Flag.class), 0, 0, 1);
            assertEquals(1, kq.poll(ev, LONG));
            assertEquals(Kqueue.Filter.WRITE, ev.filterKind(0));
            assertTrue(ev.data(0) > 0, "space to write");
            kq.disable(ident, Kqueue.Filter.WRITE);
            assertEquals(0, kq.poll(ev, Duration.ZERO), "disabled: not reported");
            kq.enable(ident, Kqueue.Filter.WRITE);
            assertEquals(1, kq.poll(ev, LONG));
            kq.delete(ident, Kqueue.Filter.WRITE);
            assertEquals(0, kq.poll(ev, Duration.ZERO));
            NativeIoException again = assertThrows(NativeIoException.class, () -> kq.delete(ident, Kqueue.Filter.WRITE));
            assertEquals("kevent(EV_DELETE)", again.op());
            assertTrue(again.is(Errno.ENOENT), again.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Kqueue.Layout.class)
    void oneShotAndClear(Kqueue.Layout layout) throws Exception {
        try (Kqueue kq = emulated(layout); Kqueue.Kevents ev = kq.newKevents(4); Pipe p = Pipe.open()) {
            long ident = p.readEnd().value();
            write(p.writeEnd(), 1);
            kq.add(ident, Kqueue.Filter.READ, EnumSet.of(Kqueue.Flag.ONESHOT), 0, 0, 2);
            assertEquals(1, kq.poll(ev, LONG));
            assertEquals(0, kq.poll(ev, Duration.ZERO), "one shot: gone after its event");
            assertThrows(NativeIoException.class, () -> kq.delete(ident, Kqueue.Filter.READ));
            kq.add(ident, Kqueue.Filter.READ, EnumSet.of(Kqueue.Flag.CLEAR), 0, 0, 3);
            assertEquals(1, kq.poll(ev, LONG));
            assertEquals(0, kq.poll(ev, Duration.ZERO), "EV_CLEAR: the same data is reported once");
            write(p.writeEnd(), 1);
            assertEquals(1, kq.poll(ev, LONG));
            assertEquals(2, ev.data(0));
        }
    }

    @ParameterizedTest
    @EnumSource(Kqueue.Layout.class)
    void timerFilterAndARawChangeList(Kqueue.Layout layout) throws Exception {
        try (Kqueue kq = emulated(layout); Kqueue.Kevents ch = kq.newKevents(2); Kqueue.Kevents ev = kq.newKevents(2)) {
            // Gerbil's kevent-set! and kevent: a change list and an event list in one call.
            ch.set(0, 77, Kqueue.EVFILT_TIMER, Kqueue.EV_ADD | Kqueue.EV_ONESHOT, 0, 1, 0x77L);
            int n = kq.kevent(ch, 1, ev, 2, LONG);
            assertEquals(1, n);
            assertEquals(77, ev.ident(0));
            assertEquals(Kqueue.Filter.TIMER, ev.filterKind(0));
            assertEquals(0x77L, ev.udata(0));
            assertEquals(1, ev.data(0), "one expiry");
        }
    }

    @ParameterizedTest
    @EnumSource(Kqueue.Layout.class)
    void keventAccessorsRoundTripEveryField(Kqueue.Layout layout) {
        try (Kqueue.Kevents k = new Kqueue.Kevents(layout, 3)) {
            k.set(2, 0x1_0000_0001L, Kqueue.Filter.VNODE, EnumSet.of(Kqueue.Flag.ADD, Kqueue.Flag.CLEAR), Kqueue.NOTE_DELETE | Kqueue.NOTE_RENAME,
                    -5L, 0xdead_beefL);
            assertEquals(0x1_0000_0001L, k.ident(2));
            assertEquals(Kqueue.Filter.VNODE, k.filterKind(2));
            assertEquals(Kqueue.EV_ADD | Kqueue.EV_CLEAR, k.flags(2));
            assertEquals(EnumSet.of(Kqueue.Flag.ADD, Kqueue.Flag.CLEAR), k.flagSet(2));
            assertEquals(Kqueue.NOTE_DELETE | Kqueue.NOTE_RENAME, k.fflags(2));
            assertEquals(-5L, k.data(2));
            assertEquals(0xdead_beefL, k.udata(2));
            k.setIdent(0, 9);
            k.setFilter(0, Kqueue.EVFILT_PROC);
            k.setFlags(0, Kqueue.EV_EOF | Kqueue.EV_ERROR);
            k.setFflags(0, Kqueue.NOTE_EXIT);
            k.setData(0, 42);
            k.setUdata(0, 43);
            assertEquals(9, k.ident(0));
            assertEquals(Kqueue.Filter.PROC, k.filterKind(0));
            assertEquals(0xC000, k.flags(0), "flags are an unsigned short");
            assertEquals(Kqueue.NOTE_EXIT, k.fflags(0));
            assertEquals(42, k.data(0));
            assertEquals(43, k.udata(0));
            assertEquals(0, k.ident(1), "entries start zeroed");
            assertEquals(3, k.capacity());
            assertThrows(IndexOutOfBoundsException.class, () -> k.ident(3));
            assertThrows(IllegalArgumentException.class, () -> k.setFlags(0, 0x10000));
            assertThrows(IllegalArgumentException.class, () -> Kqueue.Flag.of(0x0100));
            assertThrows(IllegalArgumentException.class, () -> Kqueue.Filter.of((short) -3));
        }
    }

    @Test
    void badArgumentsAndClosedKqueue() throws Exception {
        Kqueue kq = emulated(Kqueue.Layout.FREEBSD);
        try (Kqueue.Kevents ev = kq.newKevents(2); Kqueue.Kevents other = new Kqueue.Kevents(Kqueue.Layout.MACOS, 2)) {
            assertThrows(IllegalArgumentException.class, () -> kq.kevent(null, 0, ev, 3, Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> kq.kevent(null, 0, other, 1, Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> kq.kevent(null, -1, ev, 1, Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> kq.poll(ev, Duration.ofSeconds(-1)));
            NativeIoException badFd = assertThrows(NativeIoException.class,
                    () -> kq.add(1 << 30, Kqueue.Filter.READ, EnumSet.noneOf(Kqueue.Flag.class), 0, 0, 0));
            assertEquals("kevent(EV_ADD)", badFd.op());
            assertTrue(badFd.is(Errno.EBADF), badFd.toString());
            kq.close();
            kq.close();
            NativeIoException closed = assertThrows(NativeIoException.class, () -> kq.poll(ev, Duration.ZERO));
            assertTrue(closed.is(Errno.EBADF));
        }
        assertThrows(IllegalArgumentException.class, () -> new Kqueue.Kevents(Kqueue.Layout.MACOS, 0));
    }

    @Test
    void constantsAreTheBsdValues() {
        // FreeBSD, macOS and OpenBSD <sys/event.h> (LP64); OpenBSD-only: EVFILT_DEVICE, NOTE_EOF, NOTE_TRUNCATE, NOTE_CHANGE.
        assertArrayEquals(new short[] {-1, -2, -4, -5, -6, -7, -8}, new short[] {Kqueue.EVFILT_READ, Kqueue.EVFILT_WRITE,
                Kqueue.EVFILT_VNODE, Kqueue.EVFILT_PROC, Kqueue.EVFILT_SIGNAL, Kqueue.EVFILT_TIMER, Kqueue.EVFILT_DEVICE});
        assertArrayEquals(new int[] {0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x4000, 0x8000}, new int[] {Kqueue.EV_ADD,
                Kqueue.EV_DELETE, Kqueue.EV_ENABLE, Kqueue.EV_DISABLE, Kqueue.EV_ONESHOT, Kqueue.EV_CLEAR, Kqueue.EV_RECEIPT,
                Kqueue.EV_DISPATCH, Kqueue.EV_ERROR, Kqueue.EV_EOF});
        assertArrayEquals(new int[] {0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80}, new int[] {Kqueue.NOTE_DELETE, Kqueue.NOTE_WRITE,
                Kqueue.NOTE_EXTEND, Kqueue.NOTE_ATTRIB, Kqueue.NOTE_LINK, Kqueue.NOTE_RENAME, Kqueue.NOTE_REVOKE, Kqueue.NOTE_TRUNCATE});
        assertArrayEquals(new int[] {0x80000000, 0x40000000, 0x20000000, 0x1, 0x2}, new int[] {Kqueue.NOTE_EXIT, Kqueue.NOTE_FORK,
                Kqueue.NOTE_EXEC, Kqueue.NOTE_TRACK, Kqueue.NOTE_TRACKERR});
        assertEquals(1, Kqueue.NOTE_LOWAT);
        assertEquals(2, Kqueue.NOTE_EOF);
        assertEquals(1, Kqueue.NOTE_CHANGE);
        assertEquals(64, Kqueue.Layout.FREEBSD.size());
        assertEquals(32, Kqueue.Layout.MACOS.size());
        for (Kqueue.Flag f : Kqueue.Flag.values()) {
            assertEquals(java.util.Set.of(f), Kqueue.Flag.of(f.value()));
        }
        for (Kqueue.Filter f : Kqueue.Filter.values()) {
            assertSame(f, Kqueue.Filter.of(f.value()));
        }
    }
}
