package dev.ringio.engine.poll;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.AtFlags;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.engine.poll.EpollPollerTest.Event;
import dev.ringio.engine.poll.EpollPollerTest.Recorder;
import dev.ringio.net.Accepted;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.os.Pipe;
import dev.ringio.sys.Shim;
import dev.ringio.testing.LeakCheck;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link KqueuePoller}: the behaviours of {@link EpollPollerTest}, run once per
 * {@link KeventLayout} by the subclasses {@link KqueuePollerFreeBsdTest} and
 * {@link KqueuePollerMacOsTest}.
 *
 * <p><b>The adapter has never run on a real BSD or macOS kernel.</b> These tests run it on Linux
 * against {@code libringio-kqemu.so}, a test-only emulation of kqueue/kevent over epoll
 * ({@code shim/src/kqemu}, docs/kqueue.md) that speaks both struct layouts; they prove the
 * adapter's logic and its struct handling against that emulation's reading of kqueue(2), not
 * against BSD. Where kqueue itself differs from epoll (a NONE registration reports nothing, a
 * half-closed socket is a hangup), the test says so. Runs under whichever binding
 * {@code -Dringio.binding} selects.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
abstract class KqueuePollerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;

    /** The layout under test. */
    abstract KeventLayout layout();

    private KqueuePoller open() throws NativeIoException {
        return KqueuePoller.openEmulated(layout());
    }

    // ---- readiness -------------------------------------------------------------------------------

    @Test
    void pipeBecomesReadableAfterAWrite() throws Exception {
        try (KqueuePoller p = open(); Pipe pipe = Pipe.open(true)) {
            assertEquals(layout(), p.layout());
            Recorder r = new Recorder();
            p.register(pipe.readEnd(), Interest.READ, 42);
            assertEquals(0, p.poll(0, r), "nothing written yet");
            assertEquals(List.of(), r.take());

            write(pipe.writeEnd(), "x");
            assertEquals(1, p.poll(5 * SECOND, r));
            assertEquals(List.of(new Event(42, true, false, false, false)), r.take());

            // Level-triggered: reported again until the data is read.
            assertEquals(1, p.poll(0, r));
            assertEquals(42, r.take().get(0).token());
            read(pipe.readEnd(), 16);
            assertEquals(0, p.poll(0, r), "drained");
            p.deregister(pipe.readEnd());
        }
    }

    @Test
    void pipeWriteEndIsWritableAtOnce() throws Exception {
        try (KqueuePoller p = open(); Pipe pipe = Pipe.open(true)) {
            Recorder r = new Recorder();
            p.register(pipe.writeEnd(), Interest.WRITE, 7);
            assertEquals(1, p.poll(0, r));
            assertEquals(List.of(new Event(7, false, true, false, false)), r.take());
        }
    }

    @Test
    void readAndWriteInterestOnOneDescriptorAreOneEvent() throws Exception {
        try (KqueuePoller p = open()) {
            Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM, SocketType.NONBLOCK));
            try {
                Recorder r = new Recorder();
                p.register(pair[0], Interest.READ | Interest.WRITE, -5);
                assertEquals(List.of(new Event(-5, false, true, false, false)), pollOnce(p, r, 0));
                Sockets.send(pair[1], ascii("hi"), EnumSet.noneOf(MsgFlag.class));
                // Two knotes (EVFILT_READ, EVFILT_WRITE) fire; the sink sees one call.
                assertEquals(List.of(new Event(-5, true, true, false, false)), pollOnce(p, r, 5 * SECOND));
                p.deregister(pair[0]);
            } finally {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    @Test
    void oneshotFiresOnceUntilModifyRearmsIt() throws Exception {
        try (KqueuePoller p = open(); Pipe pipe = Pipe.open(true)) {
            Recorder r = new Recorder();
            p.register(pipe.readEnd(), Interest.READ | Interest.ONESHOT, 1);
            write(pipe.writeEnd(), "x");
            assertEquals(1, p.poll(5 * SECOND, r));
            assertEquals(1, r.take().get(0).token());
            assertEquals(0, p.poll(0, r), "one-shot: disarmed although still readable");
            assertEquals(0, p.poll(TimeUnit.MILLISECONDS.toNanos(20), r));

            p.modify(pipe.readEnd(), Interest.READ | Interest.ONESHOT, 2);
            assertEquals(1, p.poll(5 * SECOND, r), "re-armed");
            assertEquals(List.of(new Event(2, true, false, false, false)), r.take(), "with the new token");
            assertEquals(0, p.poll(0, r), "disarmed again");

            p.modify(pipe.readEnd(), Interest.READ, 3);
            assertEquals(1, p.poll(0, r));
            assertEquals(1, p.poll(0, r), "level-triggered after modify without ONESHOT");
            assertEquals(List.of(new Event(3, true, false, false, false), new Event(3, true, false, false, false)),
                    r.take());

            // And back to one-shot on a live knote: kqueue keeps EV_ONESHOT from creation, so the
            // poller must delete and add it again.
            p.modify(pipe.readEnd(), Interest.READ | Interest.ONESHOT, 4);
            assertEquals(List.of(new Event(4, true, false, false, false)), pollOnce(p, r, 0));
            assertEquals(0, p.poll(0, r));
            p.deregister(pipe.readEnd()); // still registered while disarmed
        }
    }

    @Test
    void oneshotWithBothFiltersDisarmsTheWholeDescriptor() throws Exception {
        try (KqueuePoller p = open()) {
            Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM, SocketType.NONBLOCK));
            try {
                Recorder r = new Recorder();
                p.register(pair[0], Interest.READ | Interest.WRITE | Interest.ONESHOT, 8);
                // Only the write filter fires; the read knote must go with it, as EPOLLONESHOT does.
                assertEquals(List.of(new Event(8, false, true, false, false)), pollOnce(p, r, 0));
                Sockets.send(pair[1], ascii("hi"), EnumSet.noneOf(MsgFlag.class));
                assertEquals(0, p.poll(TimeUnit.MILLISECONDS.toNanos(30), r), "readable now, but disarmed");
                p.modify(pair[0], Interest.READ | Interest.WRITE | Interest.ONESHOT, 9);
                assertEquals(List.of(new Event(9, true, true, false, false)), pollOnce(p, r, 5 * SECOND));
                assertEquals(0, p.poll(0, r));
                p.modify(pair[0], Interest.READ, 10);
                assertEquals(List.of(new Event(10, true, false, false, false)), pollOnce(p, r, 0));
                p.deregister(pair[0]);
            } finally {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    @Test
    void modifyChangesInterest() throws Exception {
        try (KqueuePoller p = open()) {
            Recorder r = new Recorder();
            Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM, SocketType.NONBLOCK));
            try {
                p.register(pair[0], Interest.READ, 10);
                assertEquals(0, p.poll(0, r), "not readable, WRITE not asked");
                p.modify(pair[0], Interest.WRITE, 11);
                assertEquals(List.of(new Event(11, false, true, false, false)), pollOnce(p, r, 0));
                p.modify(pair[0], Interest.NONE, 12);
                assertEquals(0, p.poll(0, r), "NONE: no knote at all on kqueue");
                p.deregister(pair[0]);
            } finally {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    @Test
    void deregisterStopsEvents() throws Exception {
        try (KqueuePoller p = open(); Pipe pipe = Pipe.open(true)) {
            Recorder r = new Recorder();
            p.register(pipe.readEnd(), Interest.READ, 9);
            write(pipe.writeEnd(), "x");
            assertEquals(1, p.poll(5 * SECOND, r));
            p.deregister(pipe.readEnd());
            assertEquals(0, p.poll(0, r));
            assertEquals(0, p.poll(TimeUnit.MILLISECONDS.toNanos(20), r));
            assertEquals(List.of(new Event(9, true, false, false, false)), r.take());

            NativeIoException e = assertThrows(NativeIoException.class, () -> p.deregister(pipe.readEnd()));
            assertEquals(Errno.ENOENT.value(), e.errno(), e.getMessage());
            assertEquals("kevent deregister fd " + pipe.readEnd().value(), e.op());
            NativeIoException m = assertThrows(NativeIoException.class,
                    () -> p.modify(pipe.readEnd(), Interest.READ, 9));
            assertEquals(Errno.ENOENT.value(), m.errno(), m.getMessage());
            assertTrue(m.getMessage().startsWith("kevent modify fd "), m.getMessage());

            p.register(pipe.readEnd(), Interest.READ, 10); // can come back
            assertEquals(List.of(new Event(10, true, false, false, false)), pollOnce(p, r, 0));
        }
    }

    @Test
    void closingTheWriteEndHangsUpTheReadEnd() throws Exception {
        try (KqueuePoller p = open(); Pipe pipe = Pipe.open(true)) {
            Recorder r = new Recorder();
            p.register(pipe.readEnd(), Interest.READ, 5);
            assertEquals(0, p.poll(0, r));
            pipe.writeEnd().close();
            assertEquals(1, p.poll(5 * SECOND, r));
            Event e = r.take().get(0);
            assertEquals(5, e.token());
            assertTrue(e.hangup(), "EV_EOF on the read filter: " + e);
            assertTrue(e.readable(), "kqueue reports EOF through the read filter: " + e);
            assertFalse(e.writable());
            assertFalse(e.error());
        }
    }

    @Test
    void closingTheReadEndIsAnErrorOnTheWriteEnd() throws Exception {
        try (KqueuePoller p = open(); Pipe pipe = Pipe.open(true)) {
            Recorder r = new Recorder();
            // kqueue reports EV_EOF on a registered filter only (epoll's test uses NONE here).
            p.register(pipe.writeEnd(), Interest.WRITE | Interest.ONESHOT, 6);
            assertEquals(List.of(new Event(6, false, true, false, false)), pollOnce(p, r, 0));
            pipe.readEnd().close();
            p.modify(pipe.writeEnd(), Interest.WRITE | Interest.ONESHOT, 6);
            assertEquals(1, p.poll(5 * SECOND, r));
            Event e = r.take().get(0);
            assertEquals(6, e.token());
            assertTrue(e.error(), "EV_EOF on the write filter of a pipe with no reader: " + e);
        }
    }

    @Test
    void noneReportsNothingEvenAHangup() throws Exception {
        try (KqueuePoller p = open(); Pipe pipe = Pipe.open(true)) {
            Recorder r = new Recorder();
            p.register(pipe.readEnd(), Interest.NONE, 6);
            pipe.writeEnd().close();
            assertEquals(0, p.poll(TimeUnit.MILLISECONDS.toNanos(20), r),
                    "kqueue: no filter, no EV_EOF (epoll would report EPOLLHUP)");
            p.modify(pipe.readEnd(), Interest.READ, 7);
            assertEquals(List.of(new Event(7, true, false, false, true)), pollOnce(p, r, 0));
        }
    }

    @Test
    void loopbackTcpSocketIsReadableAfterSend() throws Exception {
        try (KqueuePoller p = open();
                Fd listener = Sockets.socket(Domain.INET, SocketType.STREAM);
                Fd client = Sockets.socket(Domain.INET, SocketType.STREAM)) {
            Recorder r = new Recorder();
            Sockets.bind(listener, Ipv4SockAddr.loopback(0));
            Sockets.listen(listener);
            SockAddr local = Sockets.getsockname(listener);

            p.register(listener, Interest.READ, 100);
            assertEquals(0, p.poll(0, r), "no connection pending");
            assertTrue(Sockets.connect(client, local));
            assertEquals(List.of(new Event(100, true, false, false, false)), pollOnce(p, r, 5 * SECOND),
                    "a pending connection makes the listener readable");

            try (Accepted a = Sockets.accept(listener)) {
                p.register(a.fd(), Interest.READ, 200);
                p.register(client, Interest.WRITE, 300);
                assertEquals(List.of(new Event(300, false, true, false, false)), pollOnce(p, r, 0));
                p.modify(client, Interest.READ, 300);
                assertEquals(0, p.poll(0, r), "nothing sent yet");

                assertEquals(5, Sockets.send(client, ascii("hello"), EnumSet.noneOf(MsgFlag.class)));
                assertEquals(List.of(new Event(200, true, false, false, false)), pollOnce(p, r, 5 * SECOND));
                ByteBuffer in = ByteBuffer.allocate(5);
                assertEquals(5, Sockets.recv(a.fd(), in, EnumSet.of(MsgFlag.WAITALL)));
                assertEquals(0, p.poll(0, r));

                // The peer shuts down its sending side: kqueue's read filter says EV_EOF.
                Sockets.shutdown(client, dev.ringio.net.ShutdownHow.WRITE);
                assertEquals(List.of(new Event(200, true, false, false, true)), pollOnce(p, r, 5 * SECOND));

                p.deregister(a.fd());
                p.deregister(client);
            }
            p.deregister(listener);
        }
    }

    @Test
    void manyReadyDescriptorsAcrossSmallBatches() throws Exception {
        int n = 5;
        try (KqueuePoller p = KqueuePoller.openEmulated(layout(), 2)) {
            assertEquals(2, p.maxEvents());
            List<Pipe> pipes = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    Pipe pipe = Pipe.open(true);
                    pipes.add(pipe);
                    p.register(pipe.readEnd(), Interest.READ | Interest.ONESHOT, 1000 + i);
                    write(pipe.writeEnd(), "x");
                }
                Recorder r = new Recorder();
                int total = 0;
                for (int k = 0; k < 10 && total < n; k++) {
                    int got = p.poll(SECOND, r);
                    assertTrue(got <= 2, "at most maxEvents per poll: " + got);
                    total += got;
                }
                assertEquals(n, total);
                assertEquals(n, r.take().stream().mapToLong(Event::token).distinct().count());
                for (Pipe pipe : pipes) {
                    p.deregister(pipe.readEnd());
                }
            } finally {
                pipes.forEach(Pipe::close);
            }
        }
    }

    // ---- timeouts and wakeup ---------------------------------------------------------------------

    @Test
    void timeoutZeroReturnsZeroWhenNothingIsReady() throws Exception {
        try (KqueuePoller p = open(); Pipe pipe = Pipe.open(true)) {
            Recorder r = new Recorder();
            assertEquals(0, p.poll(0, r), "nothing registered");
            p.register(pipe.readEnd(), Interest.READ, 1);
            long t0 = System.nanoTime();
            assertEquals(0, p.poll(0, r));
            assertTrue(System.nanoTime() - t0 < SECOND, "poll(0) does not wait");
            assertEquals(List.of(), r.take());
        }
    }

    @Test
    void aPositiveTimeoutWaitsAboutThatLong() throws Exception {
        try (KqueuePoller p = open()) {
            long t0 = System.nanoTime();
            assertEquals(0, p.poll(TimeUnit.MILLISECONDS.toNanos(50), new Recorder()));
            long waited = System.nanoTime() - t0;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(45), "waited " + waited + " ns");
            t0 = System.nanoTime();
            assertEquals(0, p.poll(1_500_000_000L, new Recorder()), "seconds and nanoseconds of the timespec");
            waited = System.nanoTime() - t0;
            assertTrue(waited >= 1_450_000_000L, "waited " + waited + " ns");
        }
    }

    @Test
    void wakeupFromAnotherThreadEndsAnInfinitePoll() throws Exception {
        try (KqueuePoller p = open()) {
            CountDownLatch polling = new CountDownLatch(1);
            Thread waker = Thread.ofPlatform().start(() -> {
                try {
                    polling.await();
                    Thread.sleep(100); // let the owner enter kevent
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                p.wakeup();
            });
            Recorder r = new Recorder();
            polling.countDown();
            long t0 = System.nanoTime();
            assertEquals(0, p.poll(-1, r), "the wakeup is not an event");
            long took = System.nanoTime() - t0;
            assertTrue(took < 5 * SECOND, "poll(-1) took " + took + " ns after a wakeup");
            waker.join();
            assertEquals(List.of(), r.take());
            assertEquals(0, p.poll(0, r), "the wakeup was drained");
        }
    }

    @Test
    void aWakeupBeforePollMakesTheNextPollReturnAndCollapses() throws Exception {
        try (KqueuePoller p = open()) {
            Recorder r = new Recorder();
            p.wakeup();
            p.wakeup();
            p.wakeup();
            assertPromptAfterWakeup(p, r, "returns at once");
            assertEquals(0, p.poll(0, r));
            p.wakeup(); // and works again after a drain
            assertPromptAfterWakeup(p, r, "after a drain");
        }
    }

    @Test
    void manyWakersNeverLeaveThePollerAsleep() throws Exception {
        try (KqueuePoller p = open()) {
            Recorder r = new Recorder();
            for (int round = 0; round < 200; round++) {
                Thread[] ts = new Thread[4];
                for (int i = 0; i < ts.length; i++) {
                    ts[i] = Thread.ofPlatform().start(p::wakeup);
                }
                assertPromptAfterWakeup(p, r, "round " + round);
                for (Thread t : ts) {
                    t.join();
                }
                p.wakeup();
                assertPromptAfterWakeup(p, r, "round " + round + ", after the join");
            }
        }
    }

    private static void assertPromptAfterWakeup(KqueuePoller p, Recorder r, String what) throws NativeIoException {
        long t0 = System.nanoTime();
        assertEquals(0, p.poll(20 * SECOND, r), what);
        long took = System.nanoTime() - t0;
        assertTrue(took < 10 * SECOND, what + ": a wakeup was lost, poll took " + took + " ns");
    }

    // ---- errors ----------------------------------------------------------------------------------

    @Test
    void registeringTwiceIsEexistNamingTheOp() throws Exception {
        try (KqueuePoller p = open(); Pipe pipe = Pipe.open(true)) {
            p.register(pipe.readEnd(), Interest.READ, 1);
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> p.register(pipe.readEnd(), Interest.READ, 2));
            assertEquals(Errno.EEXIST.value(), e.errno());
            assertEquals("kevent register fd " + pipe.readEnd().value(), e.op());
            assertTrue(e.getMessage().startsWith("kevent register fd " + pipe.readEnd().value() + ": EEXIST"),
                    e.getMessage());
            NativeIoException none = assertThrows(NativeIoException.class,
                    () -> p.register(pipe.readEnd(), Interest.NONE, 2));
            assertEquals(Errno.EEXIST.value(), none.errno());
        }
    }

    @Test
    void registeringAClosedFdIsEbadf() throws Exception {
        try (KqueuePoller p = open()) {
            Pipe pipe = Pipe.open(true);
            pipe.close();
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> p.register(pipe.readEnd(), Interest.READ, 1));
            assertEquals(Errno.EBADF.value(), e.errno(), e.getMessage());
            assertTrue(e.getMessage().startsWith("kevent register"), e.getMessage());
            assertThrows(NativeIoException.class, () -> p.modify(pipe.readEnd(), Interest.READ, 1));
            assertThrows(NativeIoException.class, () -> p.deregister(pipe.readEnd()));
        }
    }

    @Test
    void aKernelRefusalIsReportedAndLeavesNothingRegistered() throws Exception {
        // An Fd whose number is not open (adopted with an explicit kind, so Java does not check):
        // the kqueue's EBADF comes back through the EV_RECEIPT answer.
        try (KqueuePoller p = open()) {
            Fd ghost = Fd.adopt(1 << 20, Fd.Kind.PIPE);
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> p.register(ghost, Interest.READ | Interest.WRITE, 1));
            assertEquals(Errno.EBADF.value(), e.errno(), e.getMessage());
            assertEquals("kevent register fd " + (1 << 20), e.op());
            NativeIoException m = assertThrows(NativeIoException.class, () -> p.modify(ghost, Interest.READ, 1));
            assertEquals(Errno.ENOENT.value(), m.errno(), "not registered after the failure");
        }
    }

    @Test
    void registeringARegularFileIsEperm() throws Exception {
        Path file = dir.resolve("plain.txt");
        Files.writeString(file, "always ready");
        try (KqueuePoller p = open(); Fd fd = Fd.adopt(rawOpen(file))) {
            assertEquals(Fd.Kind.FILE, fd.kind());
            NativeIoException e = assertThrows(NativeIoException.class, () -> p.register(fd, Interest.READ, 1));
            assertEquals(Errno.EPERM.value(), e.errno(), "refused like epoll: " + e.getMessage());
            assertEquals("kevent register fd " + fd.value(), e.op());
        }
    }

    @Test
    void badArgumentsFailBeforeTheKernel() throws Exception {
        try (KqueuePoller p = open(); Pipe pipe = Pipe.open(true)) {
            assertThrows(IllegalArgumentException.class, () -> p.register(pipe.readEnd(), 1 << 8, 1));
            assertThrows(IllegalArgumentException.class,
                    () -> p.register(pipe.readEnd(), Interest.READ, Poller.RESERVED_TOKEN));
            assertThrows(NullPointerException.class, () -> p.register(null, Interest.READ, 1));
            assertThrows(IllegalArgumentException.class, () -> p.poll(-2, new Recorder()));
            assertThrows(NullPointerException.class, () -> p.poll(0, null));
            assertThrows(IllegalArgumentException.class, () -> KqueuePoller.openEmulated(layout(), 0));
            assertThrows(NullPointerException.class, () -> KqueuePoller.openEmulated(null));
            p.register(pipe.readEnd(), Interest.READ, 1); // none of the above reached the kernel
        }
    }

    @Test
    void aClosedPollerFailsWithEbadfAndIgnoresWakeups() throws Exception {
        KqueuePoller p = open();
        p.close();
        p.close(); // idempotent
        p.wakeup(); // no-op
        NativeIoException e = assertThrows(NativeIoException.class, () -> p.poll(0, new Recorder()));
        assertEquals(Errno.EBADF.value(), e.errno());
        assertEquals("kevent", e.op());
        try (Pipe pipe = Pipe.open(true)) {
            NativeIoException r = assertThrows(NativeIoException.class,
                    () -> p.register(pipe.readEnd(), Interest.READ, 1));
            assertEquals(Errno.EBADF.value(), r.errno());
        }
    }

    @Test
    void descriptorsAreCloseOnExec() throws Exception {
        var before = LeakCheck.snapshot();
        try (KqueuePoller p = open()) {
            // The kqueue (an epoll descriptor in the emulation) and the wakeup pipe's two ends.
            List<String> links = new ArrayList<>();
            for (var entry : LeakCheck.snapshot().entrySet()) {
                String link = entry.getValue();
                if (link.equals(before.get(entry.getKey()))) {
                    continue;
                }
                links.add(link);
                assertEquals(1, Shim.get().fcntl(entry.getKey(), 1, 0) & 1, "FD_CLOEXEC on " + link);
            }
            assertTrue(links.contains("anon_inode:[eventpoll]"), links.toString());
            assertEquals(2, links.stream().filter(l -> l.startsWith("pipe:")).count(), links.toString());
            assertEquals(LeakCheck.snapshot().containsKey(p.kqueueFd()), true);
        }
        assertEquals(java.util.Map.of(), LeakCheck.newFds(before, LeakCheck.snapshot()), "close releases all three");
    }

    @Test
    void openOnLinuxSaysKqueueDoesNotExistHere() {
        assertEquals(java.util.Optional.of("kqueue: not a BSD/macOS kernel (" + System.getProperty("os.name") + ")"),
                KqueuePoller.unavailabilityReason());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, KqueuePoller::open);
        assertTrue(e.getMessage().startsWith("kqueue: not a BSD/macOS kernel"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, dev.ringio.sys.Kqueue::libc,
                "glibc has no kqueue/kevent");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static List<Event> pollOnce(KqueuePoller p, Recorder r, long timeoutNanos) throws NativeIoException {
        int n = p.poll(timeoutNanos, r);
        List<Event> got = r.take();
        assertEquals(n, got.size());
        return got;
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    static void write(Fd fd, String s) throws NativeIoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocateFrom(s, StandardCharsets.US_ASCII);
            assertEquals(s.length(), NativeIoException.check("write", Shim.get().write(fd.value(), m.address(), s.length())));
        }
    }

    static long read(Fd fd, int max) throws NativeIoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(max);
            return NativeIoException.check("read", Shim.get().read(fd.value(), m.address(), max));
        }
    }

    private static int rawOpen(Path path) throws NativeIoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path.toString());
            MemorySegment how = a.allocate(24, 8);
            how.set(JAVA_LONG, 0, (long) (OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC));
            return (int) NativeIoException.check("openat2 " + path,
                    Shim.get().openat2(AtFlags.AT_FDCWD, p.address(), how.address(), 24));
        }
    }
}
