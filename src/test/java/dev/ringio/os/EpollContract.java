package dev.ringio.os;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.blocking.BlockingIo;
import dev.ringio.net.Domain;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.sys.Shim;
import dev.ringio.testing.LeakCheck;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The public {@link Epoll} with real pipes and sockets, waited on directly and through an engine
 * (one concrete subclass per engine), and {@link PollEvent} as the engines report it from
 * {@code awaitReadable}/{@code awaitWritable}.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class EpollContract {

    /** A generous bound for waits that must end: nothing here depends on timing. */
    static final int LONG_MS = 30_000;

    IoEngine engine;

    abstract IoEngine openEngine() throws Exception;

    @BeforeAll
    void openTheEngine() throws Exception {
        engine = openEngine();
    }

    @AfterAll
    void closeTheEngine() {
        engine.close();
    }

    static void write(Fd fd, int bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(bytes);
            assertEquals(bytes, Shim.get().write(fd.value(), buf.address(), bytes));
        }
    }

    static void read(Fd fd, int bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(bytes);
            assertEquals(bytes, Shim.get().read(fd.value(), buf.address(), bytes));
        }
    }

    @Test
    void constantsHaveTheCValues() {
        for (EpollEvent e : EpollEvent.values()) {
            assertEquals(OsTesting.c("EPOLL" + e.name()), Integer.toUnsignedLong(e.value()), e.name());
        }
        assertEquals(OsTesting.c("EPOLL_CTL_ADD"), Epoll.EPOLL_CTL_ADD);
        assertEquals(OsTesting.c("EPOLL_CTL_MOD"), Epoll.EPOLL_CTL_MOD);
        assertEquals(OsTesting.c("EPOLL_CTL_DEL"), Epoll.EPOLL_CTL_DEL);
        assertEquals(OsTesting.c("EPOLL_CLOEXEC"), Epoll.EPOLL_CLOEXEC);
        assertEquals(OsTesting.c("sizeof(epoll_event)"), Epoll.EVENT_SIZE);
        for (PollEvent e : PollEvent.values()) {
            assertEquals(OsTesting.c("POLL" + e.name()), e.value(), e.name());
        }
        assertEquals(OsTesting.c("POLLIN"), PollEvent.POLLIN);
        assertEquals(OsTesting.c("POLLOUT"), PollEvent.POLLOUT);
        assertEquals(OsTesting.c("POLLERR"), PollEvent.POLLERR);
        assertEquals(OsTesting.c("POLLHUP"), PollEvent.POLLHUP);
        assertEquals(OsTesting.c("POLLRDHUP"), PollEvent.POLLRDHUP);
        assertEquals(OsTesting.c("POLLPRI"), PollEvent.POLLPRI);
        assertEquals(OsTesting.c("POLLNVAL"), PollEvent.POLLNVAL);
        assertEquals(EnumSet.of(PollEvent.IN, PollEvent.HUP), PollEvent.of(PollEvent.POLLIN | PollEvent.POLLHUP));
        assertEquals(PollEvent.POLLIN | PollEvent.POLLRDHUP, PollEvent.bits(EnumSet.of(PollEvent.IN, PollEvent.RDHUP)));
        assertThrows(IllegalArgumentException.class, () -> PollEvent.of(PollEvent.POLLIN | 0x10000));
        assertEquals(0x10000, PollEvent.unknownBits(PollEvent.POLLIN | 0x10000));
        assertThrows(IllegalArgumentException.class, () -> EpollEvent.of(0x1 | 0x800));
        assertEquals(EnumSet.of(EpollEvent.IN, EpollEvent.ET), EpollEvent.of(0x1 | 0x80000000));
    }

    @Test
    void awaitReadableAndWritableReportPollEvents() throws Exception {
        try (Pipe p = Pipe.open()) {
            CompletableFuture<Integer> readable = engine.awaitReadable(p.readEnd());
            write(p.writeEnd(), 1);
            assertTrue(PollEvent.of(readable.get(LONG_MS, TimeUnit.MILLISECONDS)).contains(PollEvent.IN));
            assertTrue(PollEvent.of(engine.awaitWritable(p.writeEnd()).get(LONG_MS, TimeUnit.MILLISECONDS)).contains(PollEvent.OUT));
            read(p.readEnd(), 1);
            CompletableFuture<Integer> hangUp = engine.awaitReadable(p.readEnd());
            p.writeEnd().close();
            assertTrue(PollEvent.of(hangUp.get(LONG_MS, TimeUnit.MILLISECONDS)).contains(PollEvent.HUP));
        }
    }

    @Test
    void eventsCarryTheUserValueAndLevelTriggeredRepeats() throws Exception {
        try (Epoll ep = Epoll.create(); Epoll.Events events = new Epoll.Events(4); Pipe p = Pipe.open()) {
            assertEquals(Fd.Kind.EPOLL, ep.fd().kind());
            assertTrue(Fcntl.isCloseOnExec(ep.fd()));
            ep.add(p.readEnd(), EnumSet.of(EpollEvent.IN), 0x1234_5678_9abcL);
            assertEquals(0, ep.wait(events, 0));
            assertEquals(0, events.count());
            write(p.writeEnd(), 2);
            assertEquals(1, ep.wait(events, LONG_MS));
            assertEquals(0x1234_5678_9abcL, events.data(0));
            assertEquals(EnumSet.of(EpollEvent.IN), events.eventSet(0));
            assertEquals(EpollEvent.IN.value(), events.events(0));
            assertThrows(IndexOutOfBoundsException.class, () -> events.data(1));
            // Level-triggered: reported again while the data is there.
            assertEquals(1, ep.wait(events, 0));
            read(p.readEnd(), 2);
            assertEquals(0, ep.wait(events, 0));
        }
    }

    @Test
    void edgeTriggeredReportsEachChangeOnce() throws Exception {
        try (Epoll ep = Epoll.create(); Epoll.Events events = new Epoll.Events(4); Pipe p = Pipe.open()) {
            ep.add(p.readEnd(), EnumSet.of(EpollEvent.IN, EpollEvent.ET), 7);
            write(p.writeEnd(), 1);
            assertEquals(1, ep.wait(events, LONG_MS));
            assertEquals(0, ep.wait(events, 0), "the same data is not reported twice");
            write(p.writeEnd(), 1);
            assertEquals(1, ep.wait(events, LONG_MS), "new data is a new edge");
            assertEquals(7, events.data(0));
        }
    }

    @Test
    void oneShotDisablesUntilModifyRearms() throws Exception {
        try (Epoll ep = Epoll.create(); Epoll.Events events = new Epoll.Events(4); Pipe p = Pipe.open()) {
            ep.add(p.readEnd(), EnumSet.of(EpollEvent.IN, EpollEvent.ONESHOT), 1);
            write(p.writeEnd(), 1);
            assertEquals(1, ep.wait(events, LONG_MS));
            assertEquals(0, ep.wait(events, 0), "disabled after one event, data or not");
            ep.modify(p.readEnd(), EnumSet.of(EpollEvent.IN, EpollEvent.ONESHOT), 2);
            assertEquals(1, ep.wait(events, LONG_MS));
            assertEquals(2, events.data(0), "the re-arm's user value");
            ep.modify(p.readEnd(), EpollEvent.IN.value(), 3); // the raw-mask form, level-triggered again
            assertEquals(1, ep.wait(events, LONG_MS));
            assertEquals(1, ep.wait(events, 0));
        }
    }

    @Test
    void socketsReportWritableHalfCloseAndHangUp() throws Exception {
        Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
        try (Fd a = pair[0]; Fd b = pair[1]; Epoll ep = Epoll.create(); Epoll.Events events = new Epoll.Events(4)) {
            ep.add(a, EnumSet.of(EpollEvent.OUT), 10);
            assertEquals(1, ep.wait(events, LONG_MS));
            assertEquals(EnumSet.of(EpollEvent.OUT), events.eventSet(0));
            ep.modify(a, EnumSet.of(EpollEvent.IN, EpollEvent.RDHUP), 11);
            assertEquals(0, ep.wait(events, 0));
            Sockets.shutdown(b, ShutdownHow.WRITE);
            assertEquals(1, ep.wait(events, LONG_MS));
            assertTrue(events.eventSet(0).containsAll(EnumSet.of(EpollEvent.IN, EpollEvent.RDHUP)), events.eventSet(0).toString());
            b.close();
            assertEquals(1, ep.wait(events, LONG_MS));
            assertTrue(events.eventSet(0).contains(EpollEvent.HUP), events.eventSet(0).toString());
        }
    }

    @Test
    void ctlErrorsNameTheCallAndErrno(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "x");
        try (Epoll ep = Epoll.create(); Pipe p = Pipe.open(); Fd f = engine.open(file, OpenFlags.O_RDONLY, 0).join()) {
            ep.add(p.readEnd(), EnumSet.of(EpollEvent.IN), 1);
            NativeIoException exists = assertThrows(NativeIoException.class, () -> ep.add(p.readEnd(), EnumSet.of(EpollEvent.IN), 1));
            assertEquals("epoll_ctl(ADD)", exists.op());
            assertTrue(exists.is(Errno.EEXIST), exists.toString());
            NativeIoException mod = assertThrows(NativeIoException.class, () -> ep.modify(p.writeEnd(), EnumSet.of(EpollEvent.OUT), 1));
            assertEquals("epoll_ctl(MOD)", mod.op());
            assertTrue(mod.is(Errno.ENOENT), mod.toString());
            ep.delete(p.readEnd());
            NativeIoException del = assertThrows(NativeIoException.class, () -> ep.delete(p.readEnd()));
            assertEquals("epoll_ctl(DEL)", del.op());
            assertTrue(del.is(Errno.ENOENT), del.toString());
            NativeIoException regular = assertThrows(NativeIoException.class, () -> ep.add(f, EnumSet.of(EpollEvent.IN), 1));
            assertTrue(regular.is(Errno.EPERM), "epoll cannot watch a regular file: " + regular);
            NativeIoException self = assertThrows(NativeIoException.class, () -> ep.add(ep.fd(), EnumSet.of(EpollEvent.IN), 1));
            assertTrue(self.is(Errno.EINVAL), self.toString());
            // EXCLUSIVE is for ADD only.
            ep.add(p.readEnd(), EnumSet.of(EpollEvent.IN, EpollEvent.EXCLUSIVE), 1);
            NativeIoException excl = assertThrows(NativeIoException.class,
                    () -> ep.modify(p.readEnd(), EnumSet.of(EpollEvent.IN, EpollEvent.EXCLUSIVE), 1));
            assertTrue(excl.is(Errno.EINVAL), excl.toString());
            assertThrows(IllegalArgumentException.class, () -> new Epoll.Events(0));
            try (Epoll.Events events = new Epoll.Events(1)) {
                assertThrows(IllegalArgumentException.class, () -> ep.wait(events, -2));
            }
        }
    }

    @Test
    void closingTheEpollOrATargetFailsWithEbadf() throws Exception {
        Epoll ep = Epoll.create(false);
        assertFalse(Fcntl.isCloseOnExec(ep.fd()));
        Pipe p = Pipe.open();
        try (Epoll.Events events = new Epoll.Events(2)) {
            ep.add(p.readEnd(), EnumSet.of(EpollEvent.IN), 1);
            p.close();
            NativeIoException target = assertThrows(NativeIoException.class, () -> ep.delete(p.readEnd()));
            assertTrue(target.is(Errno.EBADF), target.toString());
            assertEquals(0, ep.wait(events, 0), "a closed descriptor leaves the set");
            ep.close();
            ep.close();
            NativeIoException waited = assertThrows(NativeIoException.class, () -> ep.wait(events, 0));
            assertEquals("epoll_wait", waited.op());
            assertTrue(waited.is(Errno.EBADF));
            try (Pipe q = Pipe.open()) {
                NativeIoException added = assertThrows(NativeIoException.class, () -> ep.add(q.readEnd(), EnumSet.of(EpollEvent.IN), 1));
                assertEquals("epoll_ctl(ADD)", added.op());
                assertTrue(added.is(Errno.EBADF));
            }
        }
        Epoll.Events closed = new Epoll.Events(1);
        closed.close();
        closed.close();
        try (Epoll other = Epoll.create()) {
            assertThrows(IllegalStateException.class, () -> other.wait(closed, 0));
        }
    }

    @Test
    void waitAsyncCompletesOnTheEngineWhenAnEventArrives() throws Exception {
        try (Epoll ep = Epoll.create(); Epoll.Events events = new Epoll.Events(4); Pipe p = Pipe.open(); Pipe q = Pipe.open()) {
            ep.add(p.readEnd(), EnumSet.of(EpollEvent.IN), 100);
            ep.add(q.readEnd(), EnumSet.of(EpollEvent.IN), 200);
            CompletableFuture<Integer> f = ep.waitAsync(engine, events);
            assertFalse(f.isDone());
            write(q.writeEnd(), 1);
            assertEquals(1, f.get(LONG_MS, TimeUnit.MILLISECONDS));
            assertEquals(200, events.data(0));
            write(p.writeEnd(), 1);
            assertEquals(2, ep.waitAsync(engine, events).get(LONG_MS, TimeUnit.MILLISECONDS), "both ready now");
        }
    }

    @Test
    void waitAsyncCanBeCancelled() throws Exception {
        try (Epoll ep = Epoll.create(); Epoll.Events events = new Epoll.Events(4); Pipe p = Pipe.open()) {
            ep.add(p.readEnd(), EnumSet.of(EpollEvent.IN), 1);
            CompletableFuture<Integer> f = ep.waitAsync(engine, events);
            f.cancel(true);
            assertThrows(CancellationException.class, () -> f.get(LONG_MS, TimeUnit.MILLISECONDS));
            // The engine's own wait on the epoll descriptor goes too: the events array is free again.
            write(p.writeEnd(), 1);
            assertEquals(1, ep.wait(events, LONG_MS));
        }
    }

    @Test
    void closingTheEpollEndsAPendingWaitAsync() throws Exception {
        try (Epoll.Events events = new Epoll.Events(4); Pipe p = Pipe.open()) {
            Epoll ep = Epoll.create();
            ep.add(p.readEnd(), EnumSet.of(EpollEvent.IN), 1);
            CompletableFuture<Integer> f = ep.waitAsync(engine, events);
            assertFalse(f.isDone());
            ep.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(LONG_MS, TimeUnit.MILLISECONDS));
            assertInstanceOf(java.nio.channels.AsynchronousCloseException.class, e.getCause());
            assertTrue(ep.fd().whenReleased().get(LONG_MS, TimeUnit.MILLISECONDS) == null, "the descriptor is closed, not left held");
        }
    }

    @Test
    void waitAsyncFailsWhenTheEpollIsClosed() throws Exception {
        try (Epoll.Events events = new Epoll.Events(4)) {
            Epoll ep = Epoll.create();
            ep.close();
            CompletableFuture<Integer> f = ep.waitAsync(engine, events);
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(LONG_MS, TimeUnit.MILLISECONDS));
            assertTrue(e.getCause() instanceof NativeIoException n && n.is(Errno.EBADF), e.toString());
        }
    }

    @Test
    void awaitParksAVirtualThreadUntilAnEvent() throws Exception {
        BlockingIo io = new BlockingIo(engine);
        try (Epoll ep = Epoll.create(); Epoll.Events events = new Epoll.Events(4); Pipe p = Pipe.open()) {
            ep.add(p.readEnd(), EnumSet.of(EpollEvent.IN), 5);
            AtomicReference<Object> result = new AtomicReference<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    result.set(ep.await(io, events));
                } catch (Throwable e) {
                    result.set(e);
                }
            });
            // Parked (not in epoll_wait): the virtual thread waits until the engine reports the descriptor.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LONG_MS);
            while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(Thread.State.WAITING, t.getState());
            write(p.writeEnd(), 1);
            assertTrue(t.join(java.time.Duration.ofMillis(LONG_MS)));
            assertEquals(1, result.get());
            assertEquals(5, events.data(0));
        }
    }

    /** The set form and the raw form agree. */
    @Test
    void rawMasksAreAccepted() throws Exception {
        try (Epoll ep = Epoll.create(); Epoll.Events events = new Epoll.Events(1); Pipe p = Pipe.open()) {
            ep.add(p.writeEnd(), EpollEvent.bits(Set.of(EpollEvent.OUT)), -1L);
            assertEquals(1, ep.wait(events, LONG_MS));
            assertEquals(-1L, events.data(0));
            assertEquals(1, events.capacity());
        }
    }
}
