package dev.ringio.engine.poll;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.ringio.Errno;
import dev.ringio.NativeIoException;
import dev.ringio.os.Pipe;
import dev.ringio.sys.Kqueue;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.engine.poll.KeventLayout.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The TEST-ONLY kqueue emulation ({@code libringio-kqemu.so}) driven directly through the Java
 * binding ({@link Kqueue}, FFM or JNR-FFI as {@code -Dringio.binding} says) and
 * {@link KeventLayout}, in both layouts: each filter and flag {@link KqueuePoller} relies on, and
 * the errno path ({@code -1}/errno in C, {@code -errno} in Java). The emulation follows kqueue(2)
 * as documented; <b>neither it nor the adapter has ever been compared with a real BSD or macOS
 * kernel.</b>
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class KqueueEmulationTest {

    /** One kqueue plus native arrays, in one layout. */
    private static final class Kq implements AutoCloseable {
        final KeventLayout l;
        final Kqueue k;
        final int fd;
        final Arena arena = Arena.ofConfined();
        final MemorySegment ch;
        final MemorySegment ev;
        final MemorySegment ts;

        Kq(KeventLayout l) throws NativeIoException {
            this.l = l;
            this.k = KqueueEmulation.binding(l);
            this.fd = (int) NativeIoException.check("kqueue", k.kqueue());
            this.ch = arena.allocate(8L * l.size(), 8);
            this.ev = arena.allocate(8L * l.size(), 8);
            this.ts = arena.allocate(TIMESPEC_SIZE, 8);
        }

        /** One change, no eventlist: 0 or -errno. */
        int change(long ident, short filter, int flags, long data, long udata) {
            l.put(ch, 0, ident, filter, flags, 0, data, udata);
            return k.kevent(fd, ch.address(), 1, 0, 0, 0);
        }

        /** Collects into ev; timeoutMillis -1 waits forever. */
        int collect(long timeoutMillis) {
            ts.set(JAVA_LONG, TV_SEC, Math.max(0, timeoutMillis) / 1000);
            ts.set(JAVA_LONG, TV_NSEC, Math.max(0, timeoutMillis) % 1000 * 1_000_000L);
            return k.kevent(fd, 0, 0, ev.address(), 8, timeoutMillis < 0 ? 0 : ts.address());
        }

        @Override
        public void close() {
            assertEquals(0, k.close(fd));
            arena.close();
        }
    }

    @ParameterizedTest
    @EnumSource(KeventLayout.class)
    void levelReadWithUdataAndData(KeventLayout layout) throws Exception {
        try (Kq q = new Kq(layout); Pipe pipe = Pipe.open(true)) {
            int rfd = pipe.readEnd().value();
            assertEquals(0, q.change(rfd, EVFILT_READ, EV_ADD, 0, 0xFEED_FACE_CAFE_BEEFL));
            assertEquals(0, q.collect(0));
            KqueuePollerTest.write(pipe.writeEnd(), "abc");
            assertEquals(1, q.collect(1000));
            assertEquals(rfd, layout.ident(q.ev, 0));
            assertEquals(EVFILT_READ, layout.filter(q.ev, 0));
            assertEquals(3, layout.data(q.ev, 0), "bytes readable");
            assertEquals(0xFEED_FACE_CAFE_BEEFL, layout.udata(q.ev, 0));
            assertEquals(0, layout.flags(q.ev, 0) & (EV_EOF | EV_ERROR));
            assertEquals(1, q.collect(0), "level-triggered");
        }
    }

    @ParameterizedTest
    @EnumSource(KeventLayout.class)
    void clearOneshotDisableEnableDelete(KeventLayout layout) throws Exception {
        try (Kq q = new Kq(layout); Pipe pipe = Pipe.open(true)) {
            int rfd = pipe.readEnd().value();
            KqueuePollerTest.write(pipe.writeEnd(), "x");
            // EV_CLEAR: once per new activity.
            assertEquals(0, q.change(rfd, EVFILT_READ, EV_ADD | EV_CLEAR, 0, 1));
            assertEquals(1, q.collect(1000));
            assertEquals(EV_CLEAR, layout.flags(q.ev, 0) & EV_CLEAR);
            assertEquals(0, q.collect(20));
            KqueuePollerTest.write(pipe.writeEnd(), "y");
            assertEquals(1, q.collect(1000));
            assertEquals(2, layout.data(q.ev, 0));
            assertEquals(0, q.change(rfd, EVFILT_READ, EV_DELETE, 0, 0));
            // EV_ONESHOT: delivered once, then gone.
            assertEquals(0, q.change(rfd, EVFILT_READ, EV_ADD | EV_ONESHOT, 0, 2));
            assertEquals(1, q.collect(1000));
            assertEquals(0, q.collect(0));
            assertEquals(-Errno.ENOENT.value(), q.change(rfd, EVFILT_READ, EV_DELETE, 0, 0), "errno through the binding");
            // EV_DISABLE keeps the knote; EV_ENABLE delivers again with the udata of EV_ADD.
            assertEquals(0, q.change(rfd, EVFILT_READ, EV_ADD, 0, 3));
            assertEquals(0, q.change(rfd, EVFILT_READ, EV_DISABLE, 0, 0));
            assertEquals(0, q.collect(20));
            assertEquals(0, q.change(rfd, EVFILT_READ, EV_ENABLE, 0, 0));
            assertEquals(1, q.collect(1000));
            assertEquals(3, layout.udata(q.ev, 0));
            assertEquals(0, q.change(rfd, EVFILT_READ, EV_DELETE, 0, 0));
            assertEquals(-Errno.ENOENT.value(), q.change(rfd, EVFILT_READ, EV_ENABLE, 0, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(KeventLayout.class)
    void errorsAsEventsWithRoomElseMinusErrno(KeventLayout layout) throws Exception {
        try (Kq q = new Kq(layout); Pipe pipe = Pipe.open(true)) {
            int rfd = pipe.readEnd().value();
            layout.put(q.ch, 0, rfd, EVFILT_READ, EV_DELETE, 0, 0, 11);
            layout.put(q.ch, 1, pipe.writeEnd().value(), EVFILT_WRITE, EV_ADD | EV_RECEIPT, 0, 0, 12);
            layout.put(q.ch, 2, rfd, (short) 99, EV_ADD, 0, 0, 13);
            assertEquals(3, q.k.kevent(q.fd, q.ch.address(), 3, q.ev.address(), 8, 0));
            long[] expected = {Errno.ENOENT.value(), 0, Errno.EINVAL.value()};
            for (int i = 0; i < 3; i++) {
                assertEquals(EV_ERROR, layout.flags(q.ev, i) & EV_ERROR, "entry " + i);
                assertEquals(expected[i], layout.data(q.ev, i), "entry " + i);
                assertEquals(11 + i, layout.udata(q.ev, i));
            }
            if (layout == FREEBSD) {
                assertEquals(EV_ERROR, layout.flags(q.ev, 0), "FreeBSD replaces the flags");
            } else {
                assertEquals(EV_DELETE | EV_ERROR, layout.flags(q.ev, 0), "macOS adds EV_ERROR");
            }
            assertEquals(1, q.collect(0), "the receipted add was applied");
            assertEquals(-Errno.EBADF.value(), q.change(1 << 20, EVFILT_READ, EV_ADD, 0, 0));
            assertEquals(-Errno.EBADF.value(), q.k.kevent(rfd, 0, 0, q.ev.address(), 8, 0), "not a kqueue");
            assertEquals(-Errno.EINVAL.value(), q.k.kevent(q.fd, 0, -1, 0, 0, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(KeventLayout.class)
    void eofOnBothFilters(KeventLayout layout) throws Exception {
        try (Kq q = new Kq(layout); Pipe a = Pipe.open(true); Pipe b = Pipe.open(true)) {
            assertEquals(0, q.change(a.readEnd().value(), EVFILT_READ, EV_ADD | EV_ONESHOT, 0, 1));
            a.writeEnd().close();
            assertEquals(1, q.collect(1000));
            assertEquals(EV_EOF, layout.flags(q.ev, 0) & EV_EOF);
            assertEquals(0, layout.fflags(q.ev, 0));
            assertEquals(0, q.change(b.writeEnd().value(), EVFILT_WRITE, EV_ADD | EV_CLEAR, 0, 2));
            assertEquals(1, q.collect(0));
            assertEquals(0, layout.flags(q.ev, 0) & EV_EOF);
            assertTrue(layout.data(q.ev, 0) > 0, "space in the pipe");
            b.readEnd().close();
            assertEquals(1, q.collect(1000));
            assertEquals(EV_EOF, layout.flags(q.ev, 0) & EV_EOF);
            assertEquals(0, q.change(b.writeEnd().value(), EVFILT_WRITE, EV_DELETE, 0, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(KeventLayout.class)
    void timers(KeventLayout layout) throws Exception {
        try (Kq q = new Kq(layout)) {
            long t0 = System.nanoTime();
            assertEquals(0, q.change(7, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 30, 70));
            assertEquals(1, q.collect(-1), "NULL timeout: forever, until the timer");
            assertTrue(System.nanoTime() - t0 >= 29_000_000L);
            assertEquals(7, layout.ident(q.ev, 0));
            assertEquals(EVFILT_TIMER, layout.filter(q.ev, 0));
            assertEquals(1, layout.data(q.ev, 0), "expirations");
            assertEquals(70, layout.udata(q.ev, 0));
            assertEquals(-Errno.ENOENT.value(), q.change(7, EVFILT_TIMER, EV_DELETE, 0, 0), "one-shot: gone");
            assertEquals(0, q.change(8, EVFILT_TIMER, EV_ADD, 5, 80));
            Thread.sleep(30);
            assertEquals(1, q.collect(0));
            assertTrue(layout.data(q.ev, 0) >= 2, "periodic, counted: " + layout.data(q.ev, 0));
            assertEquals(0, q.change(8, EVFILT_TIMER, EV_DELETE, 0, 0));
        }
    }

    @Test
    void freebsdExtWordsTwoAndThreePassThrough() throws Exception {
        try (Kq q = new Kq(FREEBSD); Pipe pipe = Pipe.open(true)) {
            FREEBSD.put(q.ch, 0, pipe.writeEnd().value(), EVFILT_WRITE, EV_ADD, 0, 0, 1);
            q.ch.set(JAVA_LONG, FREEBSD_EXT + 16, 0x1111L);
            q.ch.set(JAVA_LONG, FREEBSD_EXT + 24, 0x2222L);
            assertEquals(0, q.k.kevent(q.fd, q.ch.address(), 1, 0, 0, 0));
            assertEquals(1, q.collect(0));
            assertEquals(0, FREEBSD.ext(q.ev, 0, 0));
            assertEquals(0x1111L, FREEBSD.ext(q.ev, 0, 2));
            assertEquals(0x2222L, FREEBSD.ext(q.ev, 0, 3));
            assertThrows(UnsupportedOperationException.class, () -> MACOS.ext(q.ev, 0, 0));
        }
    }

    @Test
    void layoutsAndConstantsMatchTheEmulationsCStructs() throws Throwable {
        // ringio_kqemu_const through FFM in both binding runs: a one-off lookup, not the binding under test.
        Linker linker = Linker.nativeLinker();
        MethodHandle konst = linker.downcallHandle(
                SymbolLookup.libraryLookup(KqueueEmulation.path(), Arena.global()).find(KqueueEmulation.CONST_SYMBOL).orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        List<String> mismatches = KeventLayout.mismatches(name -> {
            try (Arena a = Arena.ofConfined()) {
                return (long) konst.invokeExact(a.allocateFrom(name));
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        });
        assertEquals(List.of(), mismatches);
        assertEquals(64, FREEBSD.size());
        assertEquals(32, MACOS.size());
        assertEquals(Long.MIN_VALUE, (long) konst.invokeExact(MemorySegment.NULL));
    }

    @Test
    void layoutForEachOperatingSystem() {
        assertEquals(java.util.Optional.of(MACOS), KeventLayout.forOs("Mac OS X", "14.5", "64"));
        assertEquals(java.util.Optional.of(FREEBSD), KeventLayout.forOs("FreeBSD", "14.1-RELEASE", "64"));
        assertEquals(java.util.Optional.empty(), KeventLayout.forOs("FreeBSD", "11.4-RELEASE", "64"), "32-byte kevent");
        assertEquals(java.util.Optional.empty(), KeventLayout.forOs("NetBSD", "10.0", "64"));
        assertEquals(java.util.Optional.empty(), KeventLayout.forOs("Mac OS X", "14.5", "32"));
        assertEquals(java.util.Optional.empty(), KeventLayout.forOs("Linux", "6.18", "64"));
    }
}
