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
 * {@link EpollPoller} against the real kernel: pipes, a loopback TCP connection, a regular file,
 * wakeups from another thread, and the epoll constants and packed {@code struct epoll_event}
 * layout checked against the shim. Runs under whichever binding {@code -Dringio.binding} selects.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class EpollPollerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;

    /** What one poll delivered. */
    record Event(long token, boolean readable, boolean writable, boolean error, boolean hangup) {
    }

    /** Records every event; {@link #take()} returns and clears them. */
    static final class Recorder implements EventSink {
        final List<Event> events = new ArrayList<>();

        @Override
        public void accept(long token, boolean readable, boolean writable, boolean error, boolean hangup) {
            events.add(new Event(token, readable, writable, error, hangup));
        }

        List<Event> take() {
            List<Event> l = List.copyOf(events);
            events.clear();
            return l;
        }
    }

    // ---- readiness -------------------------------------------------------------------------------

    @Test
    void pipeBecomesReadableAfterAWrite() throws Exception {
        try (EpollPoller p = EpollPoller.open(); Pipe pipe = Pipe.open(true)) {
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
        try (EpollPoller p = EpollPoller.open(); Pipe pipe = Pipe.open(true)) {
            Recorder r = new Recorder();
            p.register(pipe.writeEnd(), Interest.WRITE, 7);
            assertEquals(1, p.poll(0, r));
            assertEquals(List.of(new Event(7, false, true, false, false)), r.take());
        }
    }

    @Test
    void readAndWriteInterestOnOneDescriptor() throws Exception {
        try (EpollPoller p = EpollPoller.open()) {
            Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM, SocketType.NONBLOCK));
            try {
                Recorder r = new Recorder();
                p.register(pair[0], Interest.READ | Interest.WRITE, -5);
                assertEquals(List.of(new Event(-5, false, true, false, false)), pollOnce(p, r, 0));
                Sockets.send(pair[1], ascii("hi"), EnumSet.noneOf(MsgFlag.class));
                assertEquals(List.of(new Event(-5, true, true, false, false)), pollOnce(p, r, 5 * SECOND));
            } finally {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    @Test
    void oneshotFiresOnceUntilModifyRearmsIt() throws Exception {
        try (EpollPoller p = EpollPoller.open(); Pipe pipe = Pipe.open(true)) {
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
        }
    }

    @Test
    void modifyChangesInterest() throws Exception {
        try (EpollPoller p = EpollPoller.open()) {
            Recorder r = new Recorder();
            Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM, SocketType.NONBLOCK));
            try {
                p.register(pair[0], Interest.READ, 10);
                assertEquals(0, p.poll(0, r), "not readable, WRITE not asked");
                p.modify(pair[0], Interest.WRITE, 11);
                assertEquals(List.of(new Event(11, false, true, false, false)), pollOnce(p, r, 0));
                p.modify(pair[0], Interest.NONE, 12);
                assertEquals(0, p.poll(0, r), "NONE: nothing but errors and hangups");
            } finally {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    @Test
    void deregisterStopsEvents() throws Exception {
        try (EpollPoller p = EpollPoller.open(); Pipe pipe = Pipe.open(true)) {
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
            assertEquals("epoll_ctl DEL fd " + pipe.readEnd().value(), e.op());
            NativeIoException m = assertThrows(NativeIoException.class,
                    () -> p.modify(pipe.readEnd(), Interest.READ, 9));
            assertEquals(Errno.ENOENT.value(), m.errno(), m.getMessage());
            assertTrue(m.getMessage().startsWith("epoll_ctl MOD fd "), m.getMessage());

            p.register(pipe.readEnd(), Interest.READ, 10); // can come back
            assertEquals(List.of(new Event(10, true, false, false, false)), pollOnce(p, r, 0));
        }
    }

    @Test
    void closingTheWriteEndHangsUpTheReadEnd() throws Exception {
        try (EpollPoller p = EpollPoller.open(); Pipe pipe = Pipe.open(true)) {
            Recorder r = new Recorder();
            p.register(pipe.readEnd(), Interest.READ, 5);
            assertEquals(0, p.poll(0, r));
            pipe.writeEnd().close();
            assertEquals(1, p.poll(5 * SECOND, r));
            Event e = r.take().get(0);
            assertEquals(5, e.token());
            assertTrue(e.hangup(), "EPOLLHUP on the read end: " + e);
            assertFalse(e.writable());
        }
    }

    @Test
    void closingTheReadEndIsAnErrorOnTheWriteEnd() throws Exception {
        try (EpollPoller p = EpollPoller.open(); Pipe pipe = Pipe.open(true)) {
            Recorder r = new Recorder();
            p.register(pipe.writeEnd(), Interest.NONE, 6);
            assertEquals(0, p.poll(0, r), "NONE: writable is not reported");
            pipe.readEnd().close();
            assertEquals(1, p.poll(5 * SECOND, r));
            Event e = r.take().get(0);
            assertEquals(6, e.token());
            assertTrue(e.error(), "EPOLLERR on the write end of a pipe with no reader, unasked: " + e);
        }
    }

    @Test
    void loopbackTcpSocketIsReadableAfterSend() throws Exception {
        try (EpollPoller p = EpollPoller.open();
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

                p.deregister(a.fd());
                p.deregister(client);
            }
            p.deregister(listener);
        }
    }

    @Test
    void manyReadyDescriptorsAcrossSmallBatches() throws Exception {
        int n = 5;
        try (EpollPoller p = EpollPoller.open(2)) {
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
            } finally {
                pipes.forEach(Pipe::close);
            }
        }
    }

    // ---- timeouts and wakeup ---------------------------------------------------------------------

    @Test
    void timeoutZeroReturnsZeroWhenNothingIsReady() throws Exception {
        try (EpollPoller p = EpollPoller.open(); Pipe pipe = Pipe.open(true)) {
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
        try (EpollPoller p = EpollPoller.open()) {
            long t0 = System.nanoTime();
            assertEquals(0, p.poll(TimeUnit.MILLISECONDS.toNanos(50), new Recorder()));
            long waited = System.nanoTime() - t0;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(45), "waited " + waited + " ns");
        }
    }

    @Test
    void timeoutsRoundUpToMilliseconds() {
        assertEquals(-1, EpollPoller.timeoutMillis(-1));
        assertEquals(0, EpollPoller.timeoutMillis(0));
        assertEquals(1, EpollPoller.timeoutMillis(1), "a 1 ns timeout must not become a busy poll");
        assertEquals(1, EpollPoller.timeoutMillis(1_000_000));
        assertEquals(2, EpollPoller.timeoutMillis(1_000_001));
        assertEquals(Integer.MAX_VALUE, EpollPoller.timeoutMillis(Long.MAX_VALUE));
    }

    @Test
    void wakeupFromAnotherThreadEndsAnInfinitePoll() throws Exception {
        try (EpollPoller p = EpollPoller.open()) {
            CountDownLatch polling = new CountDownLatch(1);
            Thread waker = Thread.ofPlatform().start(() -> {
                try {
                    polling.await();
                    Thread.sleep(100); // let the owner enter epoll_wait
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
        try (EpollPoller p = EpollPoller.open()) {
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
        try (EpollPoller p = EpollPoller.open()) {
            Recorder r = new Recorder();
            for (int round = 0; round < 200; round++) {
                Thread[] ts = new Thread[4];
                for (int i = 0; i < ts.length; i++) {
                    ts[i] = Thread.ofPlatform().start(p::wakeup);
                }
                // Finite timeouts: a lost wakeup shows as a slow poll instead of hanging the build
                // (JUnit's @Timeout cannot interrupt a thread inside epoll_wait).
                assertPromptAfterWakeup(p, r, "round " + round);
                for (Thread t : ts) {
                    t.join();
                }
                // Whatever raced the drain: one more wakeup always ends the next poll.
                p.wakeup();
                assertPromptAfterWakeup(p, r, "round " + round + ", after the join");
            }
        }
    }

    private static void assertPromptAfterWakeup(EpollPoller p, Recorder r, String what) throws NativeIoException {
        long t0 = System.nanoTime();
        assertEquals(0, p.poll(20 * SECOND, r), what);
        long took = System.nanoTime() - t0;
        assertTrue(took < 10 * SECOND, what + ": a wakeup was lost, poll took " + took + " ns");
    }

    // ---- errors ----------------------------------------------------------------------------------

    @Test
    void registeringTwiceIsEexistNamingTheOp() throws Exception {
        try (EpollPoller p = EpollPoller.open(); Pipe pipe = Pipe.open(true)) {
            p.register(pipe.readEnd(), Interest.READ, 1);
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> p.register(pipe.readEnd(), Interest.READ, 2));
            assertEquals(Errno.EEXIST.value(), e.errno());
            assertEquals("epoll_ctl ADD fd " + pipe.readEnd().value(), e.op());
            assertTrue(e.getMessage().startsWith("epoll_ctl ADD fd " + pipe.readEnd().value() + ": EEXIST"),
                    e.getMessage());
        }
    }

    @Test
    void registeringAClosedFdIsEbadf() throws Exception {
        try (EpollPoller p = EpollPoller.open()) {
            Pipe pipe = Pipe.open(true);
            pipe.close();
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> p.register(pipe.readEnd(), Interest.READ, 1));
            assertEquals(Errno.EBADF.value(), e.errno(), e.getMessage());
            assertTrue(e.getMessage().startsWith("epoll_ctl ADD"), e.getMessage());
            assertThrows(NativeIoException.class, () -> p.modify(pipe.readEnd(), Interest.READ, 1));
            assertThrows(NativeIoException.class, () -> p.deregister(pipe.readEnd()));
        }
    }

    @Test
    void registeringARegularFileIsEperm() throws Exception {
        Path file = dir.resolve("plain.txt");
        Files.writeString(file, "always ready");
        try (EpollPoller p = EpollPoller.open(); Fd fd = Fd.adopt(rawOpen(file))) {
            assertEquals(Fd.Kind.FILE, fd.kind());
            NativeIoException e = assertThrows(NativeIoException.class, () -> p.register(fd, Interest.READ, 1));
            assertEquals(Errno.EPERM.value(), e.errno(), "epoll refuses regular files: " + e.getMessage());
            assertEquals("epoll_ctl ADD fd " + fd.value(), e.op());
        }
    }

    @Test
    void badArgumentsFailBeforeTheKernel() throws Exception {
        try (EpollPoller p = EpollPoller.open(); Pipe pipe = Pipe.open(true)) {
            assertThrows(IllegalArgumentException.class, () -> p.register(pipe.readEnd(), 1 << 8, 1));
            assertThrows(IllegalArgumentException.class,
                    () -> p.register(pipe.readEnd(), Interest.READ, Poller.RESERVED_TOKEN));
            assertThrows(NullPointerException.class, () -> p.register(null, Interest.READ, 1));
            assertThrows(IllegalArgumentException.class, () -> p.poll(-2, new Recorder()));
            assertThrows(NullPointerException.class, () -> p.poll(0, null));
            assertThrows(IllegalArgumentException.class, () -> EpollPoller.open(0));
            p.register(pipe.readEnd(), Interest.READ, 1); // none of the above reached the kernel
        }
    }

    @Test
    void aClosedPollerFailsWithEbadfAndIgnoresWakeups() throws Exception {
        EpollPoller p = EpollPoller.open();
        p.close();
        p.close(); // idempotent
        p.wakeup(); // no-op
        NativeIoException e = assertThrows(NativeIoException.class, () -> p.poll(0, new Recorder()));
        assertEquals(Errno.EBADF.value(), e.errno());
        assertEquals("epoll_wait", e.op());
        try (Pipe pipe = Pipe.open(true)) {
            NativeIoException r = assertThrows(NativeIoException.class,
                    () -> p.register(pipe.readEnd(), Interest.READ, 1));
            assertEquals(Errno.EBADF.value(), r.errno());
        }
    }

    @Test
    void descriptorsAreCloseOnExecAndOfTheRightKind() throws Exception {
        var before = LeakCheck.snapshot();
        try (EpollPoller p = EpollPoller.open()) {
            // Only the epoll fd and the eventfd are new; both must carry FD_CLOEXEC (F_GETFD = 1).
            List<String> links = new ArrayList<>();
            for (var entry : LeakCheck.snapshot().entrySet()) {
                String link = entry.getValue();
                if (link.equals(before.get(entry.getKey()))) {
                    continue; // open before the poller
                }
                if (link.equals("anon_inode:[eventpoll]") || link.equals("anon_inode:[eventfd]")) {
                    links.add(link);
                    assertEquals(1, Shim.get().fcntl(entry.getKey(), 1, 0) & 1, "FD_CLOEXEC on " + link);
                }
            }
            assertTrue(links.contains("anon_inode:[eventpoll]"), links.toString());
            assertTrue(links.contains("anon_inode:[eventfd]"), links.toString());
        }
    }

    // ---- constants and layout --------------------------------------------------------------------

    @Test
    void constantsAndThePackedEpollEventLayoutMatchTheShim() {
        assertEquals(List.of(), Epoll.mismatches());
        assertEquals(12, Epoll.constValue("sizeof(epoll_event)"), "packed on x86_64");
        assertEquals(0, Epoll.constValue("offsetof(epoll_event.events)"));
        assertEquals(4, Epoll.constValue("offsetof(epoll_event.data)"), "the token is unaligned");
        assertEquals(0x001, Epoll.constValue("EPOLLIN"));
        assertEquals(0x004, Epoll.constValue("EPOLLOUT"));
        assertEquals(0x008, Epoll.constValue("EPOLLERR"));
        assertEquals(0x010, Epoll.constValue("EPOLLHUP"));
        assertEquals(0x2000, Epoll.constValue("EPOLLRDHUP"));
        assertEquals(1L << 31, Epoll.constValue("EPOLLET"), "unsigned, not sign-extended");
        assertEquals(1L << 30, Epoll.constValue("EPOLLONESHOT"));
        assertEquals(1, Epoll.constValue("EPOLL_CTL_ADD"));
        assertEquals(2, Epoll.constValue("EPOLL_CTL_DEL"));
        assertEquals(3, Epoll.constValue("EPOLL_CTL_MOD"));
        assertEquals(02000000, Epoll.constValue("EPOLL_CLOEXEC"));
        assertEquals(Long.MIN_VALUE, Epoll.constValue("EPOLLNOPE"), "unknown names");
        assertEquals(Long.MIN_VALUE, Epoll.constValue(""));
        assertEquals(Long.MIN_VALUE, Shim.get().pollConst(0), "NULL name");
    }

    @Test
    void epollWaitWritesPackedEventsWithTheUnalignedToken() throws Exception {
        // Straight through the shim, reading the array with the layout the poller assumes.
        Shim shim = Shim.get();
        long token = 0x0123_4567_89AB_CDEFL;
        try (Pipe pipe = Pipe.open(true); Arena a = Arena.ofConfined()) {
            int epfd = (int) NativeIoException.check("epoll_create1", shim.epollCreate(Epoll.EPOLL_CLOEXEC));
            try (Fd ep = Fd.adopt(epfd, Fd.Kind.EPOLL)) {
                assertEquals(0, shim.epollCtl(epfd, Epoll.EPOLL_CTL_ADD, pipe.writeEnd().value(), Epoll.EPOLLOUT, token));
                assertEquals(0, shim.epollCtl(epfd, Epoll.EPOLL_CTL_ADD, pipe.readEnd().value(), Epoll.EPOLLIN, -1L));
                write(pipe.writeEnd(), "x");
                MemorySegment events = a.allocate(4L * Epoll.EVENT_SIZE + 8);
                events.fill((byte) 0x5A);
                int n = shim.epollWait(epfd, events.address(), 4, 1000);
                assertEquals(2, n);
                List<Long> tokens = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long base = (long) i * Epoll.EVENT_SIZE;
                    int ev = events.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, base);
                    long t = events.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, base + Epoll.EVENT_DATA);
                    tokens.add(t);
                    assertEquals(t == token ? Epoll.EPOLLOUT : Epoll.EPOLLIN, ev, "events of token " + t);
                }
                assertTrue(tokens.contains(token) && tokens.contains(-1L), tokens.toString());
                assertEquals((byte) 0x5A, events.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2L * Epoll.EVENT_SIZE),
                        "nothing written past the 2 events (12 bytes each)");
                assertEquals(-Errno.EBADF.value(), shim.epollWait(1 << 24, events.address(), 4, 0));
                assertEquals(-Errno.EINVAL.value(), shim.epollWait(epfd, events.address(), 0, 0), "max 0");
                assertEquals(-Errno.EINVAL.value(), shim.epollCtl(epfd, 99, pipe.readEnd().value(), 0, 0), "bad op");
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static List<Event> pollOnce(EpollPoller p, Recorder r, long timeoutNanos) throws NativeIoException {
        int n = p.poll(timeoutNanos, r);
        List<Event> got = r.take();
        assertEquals(n, got.size());
        return got;
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(Fd fd, String s) throws NativeIoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocateFrom(s, StandardCharsets.US_ASCII);
            assertEquals(s.length(), NativeIoException.check("write", Shim.get().write(fd.value(), m.address(), s.length())));
        }
    }

    private static long read(Fd fd, int max) throws NativeIoException {
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
