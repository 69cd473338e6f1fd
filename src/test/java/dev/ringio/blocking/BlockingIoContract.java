package dev.ringio.blocking;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.AtFlags;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.Accepted;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.os.Pipe;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BlockingIo} on one engine (per concrete subclass): the blocking form of each operation
 * succeeds and fails as the engine's future does, on virtual and platform threads; a thread
 * interrupted while parked gets {@link ClosedByInterruptException} with the descriptor closed (or
 * {@link InterruptedIOException} for calls without one); a descriptor closed by another thread
 * gives {@link AsynchronousCloseException}; timeouts give {@link SocketTimeoutException} and leave
 * the socket usable. Every test checks that no descriptor leaks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class BlockingIoContract {

    protected abstract IoEngine openEngine() throws Exception;

    protected IoEngine engine;
    protected BlockingIo io;

    @BeforeAll
    void open() throws Exception {
        engine = openEngine();
        io = new BlockingIo(engine);
    }

    @AfterAll
    void close() {
        engine.close();
    }

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs {@code body} on a new virtual thread and returns what it returned or threw. */
    static <T> CompletableFuture<T> onVirtualThread(ThrowingSupplier<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(body.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    /** Waits until {@code t} is parked (WAITING or TIMED_WAITING), so an interrupt finds it blocked. */
    static void awaitParked(Thread t) throws InterruptedException {
        for (int i = 0; i < 2000; i++) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                Thread.sleep(5); // and give the op time to reach the kernel
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError(t + " never parked: " + t.getState());
    }

    static Throwable failureOf(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("still blocked after 20 s", e);
        }
        throw new AssertionError("expected a failure, got " + f.join());
    }

    Fd[] tcpPair() throws Exception {
        Fd listener = io.socket(Domain.INET, Set.of(SocketType.STREAM), Protocol.DEFAULT);
        try {
            io.bind(listener, Ipv4SockAddr.loopback(0));
            io.listen(listener, 4);
            Fd client = io.socket(Domain.INET, Set.of(SocketType.STREAM), Protocol.DEFAULT);
            CompletableFuture<Accepted> accepted = onVirtualThread(() -> io.accept(listener));
            io.connect(client, Sockets.getsockname(listener));
            return new Fd[] {client, accepted.get(20, TimeUnit.SECONDS).fd()};
        } finally {
            io.close(listener);
        }
    }

    void closeAll(Fd... fds) throws IOException {
        for (Fd f : fds) {
            io.close(f);
        }
    }

    // ---- success paths ----------------------------------------------------------------------------

    /**
     * Memory of a confined arena: the engine refuses it, but a blocking call accepts it from its
     * owner thread (as the JDK's blocking channels do) by copying on that thread; from another
     * thread it fails with WrongThreadException; once closed it is refused before the kernel.
     */
    @Test
    void confinedArenaMemoryWorksFromItsOwnerThreadOnly(@TempDir Path tmp) throws Exception {
        Fd[] s = tcpPair();
        Path p = tmp.resolve("confined");
        Fd f = io.open(p, OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0600);
        try (Arena arena = Arena.ofConfined()) {
            ByteBuffer out = arena.allocate(5).asByteBuffer().put("hello".getBytes(StandardCharsets.UTF_8)).flip();
            io.sendAll(s[0], out, Set.of());
            assertFalse(out.hasRemaining());
            ByteBuffer in = arena.allocate(16).asByteBuffer();
            assertEquals(5, io.recv(s[1], in, Set.of()));
            assertEquals(5, in.position());
            assertEquals("hello", StandardCharsets.UTF_8.decode(in.flip()).toString());
            MemorySegment seg = arena.allocate(5);
            seg.copyFrom(MemorySegment.ofArray("world".getBytes(StandardCharsets.UTF_8)));
            io.write(f, seg, 0);
            ByteBuffer a = arena.allocate(2).asByteBuffer();
            ByteBuffer b = ByteBuffer.allocate(3);
            assertEquals(5, io.readv(f, new ByteBuffer[] {a, b}, 0));
            assertEquals("wo", StandardCharsets.UTF_8.decode(a.flip()).toString());
            assertEquals("rld", StandardCharsets.UTF_8.decode(b.flip()).toString());
            MemorySegment back = arena.allocate(5);
            assertEquals(5, io.read(f, back, 0));
            assertEquals("world", new String(back.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            Throwable wrong = failureOf(onVirtualThread(() -> io.read(f, back, 0)));
            assertInstanceOf(WrongThreadException.class, wrong);
        }
        Arena gone = Arena.ofConfined();
        MemorySegment dead = gone.allocate(4);
        gone.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> io.write(f, dead, 0));
        assertTrue(e.getMessage().startsWith("write:"), e.getMessage());
        assertEquals(5, Files.size(p));
        closeAll(s[0], s[1], f);
    }


    @Test
    void fileOperationsBlockAndReturnTheirResults(@TempDir Path dir) throws Exception {
        onVirtualThread(() -> {
            io.noop();
            io.sleep(Duration.ofMillis(1));
            io.sleepUntil(System.nanoTime() + 1_000_000);
            io.mkdirat(null, dir.resolve("d").toString(), 0755);
            Fd d = io.openat2(null, dir.toString(), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, 0, Set.of());
            Fd f = io.open(dir.resolve("f"), OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
            try {
                io.write(f, text("hello, blocking"), 0);
                io.writev(f, new ByteBuffer[] {text("!"), text("?")}, 15);
                assertEquals(1, io.writevSingle(f, new ByteBuffer[] {text("#")}, 17));
                io.write(f, Arena.ofAuto().allocateFrom("$", StandardCharsets.UTF_8).asSlice(0, 1), 18);
                io.fsync(f);
                io.fdatasync(f);
                io.fallocate(f, 0, 0, 4096);
                io.ftruncate(f, 19);
                assertEquals(19, io.fstat(f).size());
                assertEquals(19, io.statx(d, "f", 0, AtFlags.STATX_BASIC_STATS).size());
                ByteBuffer b = ByteBuffer.allocate(19);
                assertEquals(19, io.read(f, b, 0));
                assertEquals("hello, blocking!?#$", new String(b.array(), StandardCharsets.UTF_8));
                MemorySegment seg = Arena.ofAuto().allocate(5);
                assertEquals(5, io.read(f, seg, 0));
                ByteBuffer[] two = {ByteBuffer.allocate(5), ByteBuffer.allocate(2)};
                assertEquals(7, io.readv(f, two, 0));
                assertEquals(3, io.readv(f, new MemorySegment[] {Arena.ofAuto().allocate(3)}, 0));
                assertEquals(-1, io.read(f, ByteBuffer.allocate(4), 19), "end of file");
                Chunk c = engine.bufferPool().alloc();
                try {
                    assertEquals(5, io.readUpTo(f, c, 5, 0));
                    io.readExactly(f, c, 19, 0);
                    assertEquals(19, io.read(f, c, 64, 0));
                    assertEquals(-1, io.read(f, c, 64, 19));
                    io.write(f, c, 19, 19);
                    assertEquals(38, io.fstat(f).size());
                } finally {
                    engine.bufferPool().free(c);
                }
                io.symlinkat("f", d, "link");
                io.renameat(d, "link", d, "link2", 0);
                assertEquals(Set.of("d", "f", "link2"), Set.copyOf(io.readDir(d)));
                io.unlinkat(d, "link2", false);
                io.unlinkat(d, "d", true);
                assertEquals(8, io.getrandom(Arena.ofAuto().allocate(8)));
                assertTrue(io.awaitReadable(f) != 0);
                assertTrue(io.awaitWritable(f) != 0);
            } finally {
                io.close(f);
                io.close(d);
            }
            return null;
        }).get(30, TimeUnit.SECONDS);
    }

    // ---- try first: answers the kernel has at once come back without the loop -------------------------

    /** Runs {@code body} on a virtual thread while the engine's loop thread is held busy. */
    <T> T whileLoopIsHeld(ThrowingSupplier<T> body) throws Exception {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        engine.execute(() -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(held.await(10, TimeUnit.SECONDS));
            // Only the calling thread can answer while the loop is held: the op must not need it.
            return onVirtualThread(body).get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aPageCachedFileReadIsAnsweredOnTheCallingThreadWithTheRightBytes(@TempDir Path dir) throws Exception {
        byte[] data = new byte[3 * 4096];
        new java.util.Random(5).nextBytes(data);
        Path file = dir.resolve("cached");
        Files.write(file, data); // written through the page cache: every page is cached
        Fd f = io.open(file, OpenFlags.O_RDONLY, 0);
        Chunk c = engine.bufferPool().alloc();
        try {
            int n = whileLoopIsHeld(() -> io.read(f, c, 4096, 4096 + 100));
            assertEquals(4096, n);
            byte[] got = new byte[4096];
            MemorySegment.copy(c.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, got, 0, 4096);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 4196, 4196 + 4096), got);
            assertEquals(100, whileLoopIsHeld(() -> io.read(f, c, 4096, data.length - 100)), "short read at the end");
            assertEquals(-1, whileLoopIsHeld(() -> io.read(f, c, 4096, data.length)), "end of file");
        } finally {
            engine.bufferPool().free(c);
            io.close(f);
        }
    }

    @Test
    void queuedSocketDataIsReceivedAndSentOnTheCallingThread() throws Exception {
        Fd[] p = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
        Chunk c = engine.bufferPool().alloc();
        try {
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            for (int i = 0; i < 64; i++) {
                out.put((byte) (i * 7));
            }
            out.flip();
            whileLoopIsHeld(() -> {
                io.sendAll(p[0], out, Set.of());
                return null;
            });
            assertEquals(64, out.position(), "sendAll advanced the buffer");
            ByteBuffer in = ByteBuffer.allocateDirect(40);
            assertEquals(40, whileLoopIsHeld(() -> io.recv(p[1], in, Set.of())));
            assertEquals(40, in.position(), "recv advanced the buffer");
            assertEquals(24, whileLoopIsHeld(() -> io.recv(p[1], c, 64, Set.of())));
            for (int i = 0; i < 40; i++) {
                assertEquals((byte) (i * 7), in.get(i));
            }
            for (int i = 0; i < 24; i++) {
                assertEquals((byte) ((40 + i) * 7), c.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, i));
            }
            c.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 42);
            assertEquals(1, whileLoopIsHeld(() -> io.send(p[1], c, 1, Set.of())));
            ByteBuffer one = ByteBuffer.allocateDirect(1);
            assertEquals(1, io.recv(p[0], one, Set.of()));
            assertEquals(42, one.get(0));
            // Nothing queued: the call parks on the engine and a later send wakes it.
            CompletableFuture<Integer> waiting = onVirtualThread(() -> io.recv(p[0], ByteBuffer.allocateDirect(8), Set.of()));
            Thread.sleep(50);
            assertFalse(waiting.isDone());
            io.sendAll(p[1], ByteBuffer.allocateDirect(3), Set.of());
            assertEquals(3, waiting.get(10, TimeUnit.SECONDS));
            io.shutdown(p[1], ShutdownHow.WRITE);
            assertEquals(-1, whileLoopIsHeld(() -> io.recv(p[0], ByteBuffer.allocateDirect(8), Set.of())), "end of stream");
        } finally {
            engine.bufferPool().free(c);
            io.close(p[0]);
            io.close(p[1]);
        }
    }

    @Test
    void zeroLengthReadsOnAnIdleSocketReturnZeroAtOnce() throws Exception {
        Fd[] p = tcpPair();
        try (RingioSocket channel = new RingioSocket(io, p[1])) {
            int[] counts = onVirtualThread(() -> {
                Chunk c = engine.bufferPool().alloc();
                try {
                    return new int[] {io.read(p[1], c, 0, -1), io.recv(p[1], c, 0, Set.of()),
                            io.recv(p[1], ByteBuffer.allocateDirect(0), Set.of()),
                            io.read(p[1], ByteBuffer.allocate(0), -1), (int) io.readv(p[1], new ByteBuffer[0], -1),
                            channel.read(ByteBuffer.allocate(0)), (int) channel.read(new ByteBuffer[] {ByteBuffer.allocate(0)})};
                } finally {
                    engine.bufferPool().free(c);
                }
            }).get(20, TimeUnit.SECONDS);
            assertArrayEquals(new int[7], counts, Arrays.toString(counts));
        } finally {
            closeAll(p[0]);
            if (p[1].isOpen()) {
                io.close(p[1]);
            }
        }
    }

    @Test
    void anInterruptedCallerTakesTheEnginePathEvenWhenDataIsReady() throws Exception {
        Fd[] p = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
        try {
            io.sendAll(p[0], text("ready"), Set.of());
            Throwable t = failureOf(onVirtualThread(() -> {
                Thread.currentThread().interrupt();
                return io.recv(p[1], ByteBuffer.allocateDirect(8), Set.of());
            }));
            assertInstanceOf(ClosedByInterruptException.class, t);
            assertFalse(p[1].isOpen(), "closed by the interrupt");
        } finally {
            io.close(p[0]);
            if (p[1].isOpen()) {
                io.close(p[1]);
            }
        }
    }

    @Test
    void tryFirstFailuresNameTheOpAndErrno() throws Exception {
        Fd[] p = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
        try {
            io.close(p[1]);
            NativeIoException e = assertInstanceOf(NativeIoException.class,
                    failureOf(onVirtualThread(() -> io.send(p[0], ByteBuffer.allocateDirect(4), Set.of()))));
            assertEquals("send", e.op());
            assertTrue(e.is(Errno.EPIPE), e.toString());
        } finally {
            io.close(p[0]);
        }
    }

    @Test
    void socketOperationsBlockAndReturnTheirResults() throws Exception {
        onVirtualThread(() -> {
            assertFalse(io.getaddrinfo("localhost", "80", dev.ringio.net.Hints.ANY).isEmpty());
            Fd[] p = tcpPair();
            try {
                io.sendAll(p[0], text("abc"), Set.of());
                assertEquals(2, io.send(p[0], text("de"), Set.of()));
                ByteBuffer got = ByteBuffer.allocate(5);
                while (got.hasRemaining()) {
                    io.recv(p[1], got, Set.of());
                }
                assertArrayEquals("abcde".getBytes(), got.array());
                Chunk c = engine.bufferPool().alloc();
                try {
                    c.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 'z');
                    assertEquals(1, io.send(p[1], c, 1, Set.of()));
                    assertEquals(1, io.recv(p[0], c, 8, Set.of()));
                } finally {
                    engine.bufferPool().free(c);
                }
                if (engine.supports(dev.ringio.Capability.ZERO_COPY_SEND)) {
                    assertEquals(2, io.sendZeroCopy(p[0], text("zc"), Set.of()));
                    assertEquals(2, io.recv(p[1], ByteBuffer.allocate(8), Set.of()));
                } else {
                    assertThrows(UnsupportedOperationException.class, () -> io.sendZeroCopy(p[0], text("zc"), Set.of()));
                }
                io.shutdown(p[0], ShutdownHow.WRITE);
                assertEquals(-1, io.recv(p[1], ByteBuffer.allocate(4), Set.of()), "end of stream");
            } finally {
                closeAll(p);
            }
            Fd[] u = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
            try (Pipe pipe = Pipe.open()) {
                assertEquals(3, io.sendMsg(u[0], new ByteBuffer[] {text("fds")}, List.of(pipe.readEnd()), null));
                ReceivedMessage m = io.recvMsgWithFds(u[1], 2, new ByteBuffer[] {ByteBuffer.allocate(8)});
                assertEquals(3, m.bytes());
                assertEquals(1, m.fds().size());
                m.fds().forEach(Fd::close);
                io.sendMsg(u[0], new ByteBuffer[] {text("x")}, List.of(), null);
                assertEquals(1, io.recvMsg(u[1], new ByteBuffer[] {ByteBuffer.allocate(8)}).bytes());
                io.sendAll(u[0], text("spliced"), Set.of());
                assertEquals(7, io.splice(u[1], pipe.writeEnd(), 64));
            } finally {
                closeAll(u);
            }
            Fd udp1 = io.socket(Domain.INET, Set.of(SocketType.DGRAM), Protocol.DEFAULT);
            Fd udp2 = io.socket(Domain.INET, Set.of(SocketType.DGRAM), Protocol.DEFAULT);
            try {
                io.bind(udp2, Ipv4SockAddr.loopback(0));
                assertEquals(4, io.sendTo(udp1, text("dgrm"), Set.of(), Sockets.getsockname(udp2)));
                ReceivedMessage m = io.recvFrom(udp2, ByteBuffer.allocate(16), Set.of(MsgFlag.TRUNC));
                assertEquals(4, m.bytes());
            } finally {
                closeAll(udp1, udp2);
            }
            return null;
        }).get(30, TimeUnit.SECONDS);
    }

    @Test
    void platformThreadsBlockToo() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Thread writer = new Thread(() -> {
                try {
                    Thread.sleep(20);
                    io.write(pipe.writeEnd(), text("platform"), -1);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            ByteBuffer b = ByteBuffer.allocate(8);
            assertEquals(8, io.read(pipe.readEnd(), b, -1));
            writer.join();
        }
    }

    // ---- failures ---------------------------------------------------------------------------------

    @Test
    void kernelFailuresAreNativeIoExceptionsNamingTheOp(@TempDir Path dir) throws Exception {
        NativeIoException e = assertThrows(NativeIoException.class, () -> io.open(dir.resolve("missing"), OpenFlags.O_RDONLY, 0));
        assertTrue(e.is(Errno.ENOENT) && e.op().startsWith("openat2"), e.getMessage());
        Fd s = io.socket(Domain.INET, Set.of(SocketType.STREAM), Protocol.DEFAULT);
        try {
            NativeIoException refused = assertThrows(NativeIoException.class, () -> io.connect(s, Ipv4SockAddr.loopback(1)));
            assertTrue(refused.is(Errno.ECONNREFUSED), refused.getMessage());
            assertEquals("connect", refused.op());
        } finally {
            io.close(s);
        }
        try (Pipe pipe = Pipe.open()) {
            pipe.readEnd().close();
            NativeIoException badf = assertThrows(NativeIoException.class, () -> io.read(pipe.readEnd(), ByteBuffer.allocate(1), -1));
            assertTrue(badf.is(Errno.EBADF), badf.getMessage());
        }
    }

    @Test
    void aBlockingCallOnTheLoopThreadIsRefused() throws Exception {
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        engine.execute(() -> {
            try {
                io.sleep(Duration.ofMillis(1));
                seen.complete(null);
            } catch (Throwable t) {
                seen.complete(t);
            }
        });
        Throwable t = seen.get(10, TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().contains("loop thread"), t.getMessage());
    }

    // ---- interrupt --------------------------------------------------------------------------------

    /** Parks a virtual thread in {@code body}, interrupts it, and returns what it threw. */
    private Throwable interruptWhileParked(ThrowingSupplier<?> body) throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<Object> f = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().unstarted(() -> {
            try {
                f.complete(body.get());
            } catch (Throwable x) {
                f.complete(new Object[] {x, Thread.currentThread().isInterrupted()});
            }
        });
        thread.set(t);
        t.start();
        awaitParked(t);
        t.interrupt();
        Object r = f.get(20, TimeUnit.SECONDS);
        if (!(r instanceof Object[] pair)) {
            throw new AssertionError("not interrupted out of the call: returned " + r);
        }
        assertTrue((Boolean) pair[1], "the interrupt status stays set");
        return (Throwable) pair[0];
    }

    @Test
    void interruptDuringRecvClosesTheSocket() throws Exception {
        Fd[] p = tcpPair();
        try {
            Throwable t = interruptWhileParked(() -> io.recv(p[1], ByteBuffer.allocate(8), Set.of()));
            assertInstanceOf(ClosedByInterruptException.class, t);
            assertTrue(p[1].whenReleased().isDone() || waitReleased(p[1]), "the descriptor was closed");
        } finally {
            closeAll(p);
        }
    }

    /** Reads {@code fd} to its end of stream; how many bytes came. */
    private long drain(Fd fd) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256 * 1024);
        long total = 0;
        for (int n; (n = io.recv(fd, b.clear(), Set.of())) > 0; ) {
            total += n;
        }
        return total;
    }

    /**
     * A blocking sendAll into a socket whose peer does not read, interrupted after part of the
     * bytes went: as a JDK SocketChannel's write, ClosedByInterruptException with the buffer's
     * position past exactly the bytes sent; and, as java.io reports it, the count in
     * {@code bytesTransferred} of the InterruptedIOException that is its cause. The peer receives
     * exactly that many. (Before, the cause's count was 0.)
     */
    @Test
    void anInterruptedSendAllReportsTheBytesItMovedAsJavaIoDoes() throws Exception {
        Fd[] p = tcpPair();
        try {
            ByteBuffer big = ByteBuffer.allocateDirect(16 << 20);
            Throwable t = interruptWhileParked(() -> {
                io.sendAll(p[0], big, Set.of());
                return null;
            });
            assertInstanceOf(ClosedByInterruptException.class, t);
            InterruptedIOException cause = assertInstanceOf(InterruptedIOException.class, t.getCause());
            assertTrue(big.position() > 0 && big.hasRemaining(), big.toString());
            assertEquals(big.position(), cause.bytesTransferred, cause.getMessage());
            assertTrue(waitReleased(p[0]));
            assertEquals(big.position(), drain(p[1]));
        } finally {
            closeAll(p);
        }
    }

    /**
     * A blocking sendAll that times out after part of the bytes went: SocketTimeoutException (an
     * InterruptedIOException) whose {@code bytesTransferred} is the count, as java.io reports a
     * timed-out transfer; the socket stays open and its peer receives exactly that many.
     */
    @Test
    void aTimedOutSendAllReportsTheBytesItMovedInBytesTransferred() throws Exception {
        Fd[] p = tcpPair();
        try {
            ByteBuffer big = ByteBuffer.allocateDirect(16 << 20);
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> io.await("sendAll", p[0], engine.sendAll(p[0], big, Set.of()), TimeUnit.MILLISECONDS.toNanos(300)));
            assertTrue(big.position() > 0 && big.hasRemaining(), big.toString());
            assertEquals(big.position(), e.bytesTransferred, e.getMessage());
            assertTrue(p[0].isOpen());
            io.shutdown(p[0], ShutdownHow.WRITE);
            assertEquals(big.position(), drain(p[1]));
        } finally {
            closeAll(p);
        }
    }

    @Test
    void interruptDuringAcceptClosesTheListener() throws Exception {
        Fd l = io.socket(Domain.INET, Set.of(SocketType.STREAM), Protocol.DEFAULT);
        io.bind(l, Ipv4SockAddr.loopback(0));
        io.listen(l, 4);
        Throwable t = interruptWhileParked(() -> io.accept(l));
        assertInstanceOf(ClosedByInterruptException.class, t);
        assertTrue(waitReleased(l));
    }

    @Test
    void interruptDuringAPipeReadAndAChunkReadCloseTheReadEnd() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Throwable t = interruptWhileParked(() -> io.read(pipe.readEnd(), ByteBuffer.allocate(8), -1));
            assertInstanceOf(ClosedByInterruptException.class, t);
            assertTrue(waitReleased(pipe.readEnd()));
        }
        try (Pipe pipe = Pipe.open()) {
            Chunk c = engine.bufferPool().alloc();
            try {
                Throwable t = interruptWhileParked(() -> io.read(pipe.readEnd(), c, 8, -1));
                assertInstanceOf(ClosedByInterruptException.class, t);
                assertTrue(waitReleased(pipe.readEnd()));
                assertEquals(0, c.retainCount(), "the fast path let go of the chunk");
            } finally {
                engine.bufferPool().free(c);
            }
        }
    }

    @Test
    void interruptDuringAwaitReadableAndSleep() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            assertInstanceOf(ClosedByInterruptException.class, interruptWhileParked(() -> io.awaitReadable(pipe.readEnd())));
        }
        Throwable t = interruptWhileParked(() -> {
            io.sleep(Duration.ofHours(1));
            return null;
        });
        assertInstanceOf(InterruptedIOException.class, t);
        assertFalse(t instanceof ClosedByInterruptException, "sleep has no descriptor to close");
    }

    // ---- asynchronous close -----------------------------------------------------------------------

    private Throwable closeWhileParked(Fd fd, ThrowingSupplier<?> body) throws Exception {
        CompletableFuture<Object> f = parkedCall(body);
        io.close(fd);
        return failureOf(f);
    }

    /**
     * Runs {@code body} on a virtual thread and returns once that thread is parked in it. Not a
     * fixed sleep: under load the call may not have begun after one, and a close before the call
     * begins is a use after close (EBADF, as a JDK channel's ClosedChannelException), not an
     * asynchronous close.
     */
    private static CompletableFuture<Object> parkedCall(ThrowingSupplier<?> body) throws InterruptedException {
        CompletableFuture<Object> f = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                f.complete(body.get());
            } catch (Throwable x) {
                f.completeExceptionally(x);
            }
        });
        awaitParked(t);
        return f;
    }

    @Test
    void asyncCloseDuringRecvAcceptReadAndChunkRead() throws Exception {
        Fd[] p = tcpPair();
        try {
            assertInstanceOf(AsynchronousCloseException.class,
                    closeWhileParked(p[1], () -> io.recv(p[1], ByteBuffer.allocate(8), Set.of())));
        } finally {
            closeAll(p);
        }
        Fd l = io.socket(Domain.INET, Set.of(SocketType.STREAM), Protocol.DEFAULT);
        io.bind(l, Ipv4SockAddr.loopback(0));
        io.listen(l, 4);
        assertInstanceOf(AsynchronousCloseException.class, closeWhileParked(l, () -> io.accept(l)));
        try (Pipe pipe = Pipe.open()) {
            assertInstanceOf(AsynchronousCloseException.class,
                    closeWhileParked(pipe.readEnd(), () -> io.read(pipe.readEnd(), ByteBuffer.allocate(8), -1)));
        }
        try (Pipe pipe = Pipe.open()) {
            Chunk c = engine.bufferPool().alloc();
            try {
                assertInstanceOf(AsynchronousCloseException.class,
                        closeWhileParked(pipe.readEnd(), () -> io.read(pipe.readEnd(), c, 8, -1)));
            } finally {
                engine.bufferPool().free(c);
            }
        }
    }

    // ---- interrupt and asynchronous close of every operation that can block -------------------------

    /** A call blocked on {@code target}, and what to close afterwards. */
    record Blocked(Fd target, ThrowingSupplier<?> call, List<Fd> others, List<Chunk> chunks) {
    }

    static java.util.stream.Stream<String> blockingOps() {
        return java.util.stream.Stream.of("recv", "recvChunk", "recvFrom", "recvMsg", "recvMsgWithFds", "accept",
                "read", "readSegment", "readv", "readvSegments", "readUpTo", "readExactly", "readChunkFastPath",
                "awaitReadable", "write", "writeSegment", "writev", "writevSingle", "writeChunkFastPath",
                "awaitWritable", "send", "sendChunk", "sendAll", "sendMsg", "splice");
    }

    /** A pipe whose write end is full (64 KiB buffer shrunk to one page, then filled). */
    private Pipe fullPipe() throws Exception {
        Pipe p = Pipe.open();
        dev.ringio.sys.Shim.get().fcntl(p.writeEnd().value(), 1031 /* F_SETPIPE_SZ */, 4096);
        io.write(p.writeEnd(), ByteBuffer.allocate(4096), -1);
        return p;
    }

    /** A connected socket pair whose p[0] cannot send any more (the peer does not read). */
    private Fd[] fullSocket() throws Exception {
        Fd[] p = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        while (true) {
            try {
                chunk.clear();
                io.send(p[0], chunk, Set.of(MsgFlag.DONTWAIT));
            } catch (NativeIoException e) {
                if (e.is(Errno.EAGAIN)) {
                    return p;
                }
                throw e;
            }
        }
    }

    private Blocked blocked(String op) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(64);
        switch (op) {
            case "recv", "recvChunk", "recvFrom", "recvMsg", "recvMsgWithFds", "splice" -> {
                Fd[] p = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
                Chunk c = engine.bufferPool().alloc();
                Pipe pipe = Pipe.open();
                ThrowingSupplier<?> call = switch (op) {
                    case "recv" -> () -> io.recv(p[1], buf, Set.of());
                    case "recvChunk" -> () -> io.recv(p[1], c, 64, Set.of());
                    case "recvFrom" -> () -> io.recvFrom(p[1], buf, Set.of());
                    case "recvMsg" -> () -> io.recvMsg(p[1], new ByteBuffer[] {buf});
                    case "recvMsgWithFds" -> () -> io.recvMsgWithFds(p[1], 2, new ByteBuffer[] {buf});
                    default -> () -> io.splice(p[1], pipe.writeEnd(), 64);
                };
                return new Blocked(p[1], call, List.of(p[0], p[1], pipe.readEnd(), pipe.writeEnd()), List.of(c));
            }
            case "accept" -> {
                Fd l = io.socket(Domain.INET, Set.of(SocketType.STREAM), Protocol.DEFAULT);
                io.bind(l, Ipv4SockAddr.loopback(0));
                io.listen(l, 4);
                return new Blocked(l, () -> io.accept(l), List.of(l), List.of());
            }
            case "read", "readSegment", "readv", "readvSegments", "readUpTo", "readExactly", "readChunkFastPath",
                 "awaitReadable" -> {
                Pipe p = Pipe.open();
                Fd r = p.readEnd();
                Chunk c = engine.bufferPool().alloc();
                MemorySegment seg = Arena.ofAuto().allocate(64);
                ThrowingSupplier<?> call = switch (op) {
                    case "read" -> () -> io.read(r, buf, -1);
                    case "readSegment" -> () -> io.read(r, seg, -1);
                    case "readv" -> () -> io.readv(r, new ByteBuffer[] {buf}, -1);
                    case "readvSegments" -> () -> io.readv(r, new MemorySegment[] {seg}, -1);
                    case "readUpTo" -> () -> io.readUpTo(r, c, 64, -1);
                    case "readExactly" -> () -> {
                        io.readExactly(r, c, 64, -1);
                        return null;
                    };
                    case "readChunkFastPath" -> () -> io.read(r, c, 64, -1);
                    default -> () -> io.awaitReadable(r);
                };
                return new Blocked(r, call, List.of(p.readEnd(), p.writeEnd()), List.of(c));
            }
            case "write", "writeSegment", "writev", "writevSingle", "writeChunkFastPath", "awaitWritable" -> {
                Pipe p = fullPipe();
                Fd w = p.writeEnd();
                Chunk c = engine.bufferPool().alloc();
                ThrowingSupplier<?> call = switch (op) {
                    case "write" -> () -> {
                        io.write(w, ByteBuffer.allocate(64), -1);
                        return null;
                    };
                    case "writeSegment" -> () -> {
                        io.write(w, Arena.ofAuto().allocate(64), -1);
                        return null;
                    };
                    case "writev" -> () -> {
                        io.writev(w, new ByteBuffer[] {ByteBuffer.allocate(64)}, -1);
                        return null;
                    };
                    case "writevSingle" -> () -> io.writevSingle(w, new ByteBuffer[] {ByteBuffer.allocate(64)}, -1);
                    case "writeChunkFastPath" -> () -> {
                        io.write(w, c, 64, -1);
                        return null;
                    };
                    default -> () -> io.awaitWritable(w);
                };
                return new Blocked(w, call, List.of(p.readEnd(), p.writeEnd()), List.of(c));
            }
            default -> {
                Fd[] p = fullSocket();
                Chunk c = engine.bufferPool().alloc();
                ThrowingSupplier<?> call = switch (op) {
                    case "send" -> () -> io.send(p[0], ByteBuffer.allocate(64), Set.of());
                    case "sendChunk" -> () -> io.send(p[0], c, 64, Set.of());
                    case "sendAll" -> () -> {
                        io.sendAll(p[0], ByteBuffer.allocate(1 << 20), Set.of());
                        return null;
                    };
                    default -> () -> io.sendMsg(p[0], new ByteBuffer[] {ByteBuffer.allocate(64)}, List.of(), null);
                };
                return new Blocked(p[0], call, List.of(p[0], p[1]), List.of(c));
            }
        }
    }

    private void cleanUp(Blocked b) throws Exception {
        for (Fd f : b.others()) {
            io.close(f);
        }
        for (Chunk c : b.chunks()) {
            assertEquals(0, c.retainCount(), "the blocked operation let go of its chunk");
            engine.bufferPool().free(c);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("blockingOps")
    void interruptWhileBlockedClosesTheDescriptor(String op) throws Exception {
        Blocked b = blocked(op);
        try {
            Throwable t = interruptWhileParked(b.call());
            assertInstanceOf(ClosedByInterruptException.class, t, op);
            assertTrue(waitReleased(b.target()), op + ": the descriptor was closed");
        } finally {
            cleanUp(b);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("blockingOps")
    void closeByAnotherThreadWhileBlockedIsAsynchronousClose(String op) throws Exception {
        Blocked b = blocked(op);
        try {
            assertInstanceOf(AsynchronousCloseException.class, closeWhileParked(b.target(), b.call()), op);
        } finally {
            cleanUp(b);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("blockingOps")
    void fdCloseByAnotherThreadWhileBlockedIsAsynchronousClose(String op) throws Exception {
        Blocked b = blocked(op);
        try {
            CompletableFuture<Object> f = parkedCall(b.call());
            b.target().close(); // Fd.close(), not through the engine: a JDK channel's close wakes it too
            assertInstanceOf(AsynchronousCloseException.class, failureOf(f), op);
            assertTrue(waitReleased(b.target()), op + ": the descriptor was closed");
        } finally {
            cleanUp(b);
        }
    }

    // ---- a close racing a blocked call ------------------------------------------------------------

    /** Iterations of each race; the hangs and wrong exceptions they guard against showed a few times in 20,000. */
    static final int CLOSE_RACE_ITERATIONS = 20_000;

    /**
     * What a call racing a close of its descriptor may end with: an asynchronous close, or, when
     * the close came before the call took hold of the descriptor, the engine's EBADF. Never
     * ECANCELED (the close's cancellation is an asynchronous close), never a hang.
     */
    private static void assertClosedOutcome(Throwable t, String what) {
        if (t instanceof AsynchronousCloseException) {
            return;
        }
        assertInstanceOf(NativeIoException.class, t, what);
        assertTrue(((NativeIoException) t).is(Errno.EBADF), what + ": " + t);
    }

    /**
     * A recv on one thread and a close of its socket on another, started together 20,000 times,
     * alternating {@link BlockingIo#close} (through the engine) and {@link Fd#close()}, and the
     * future path (ByteBuffer recv) and the allocation-free chunk read: each call returns (an
     * asynchronous close, or EBADF if the close came first), each close returns, and the socket
     * is closed. Once both parked forever a few times in 20,000, and a close landing before the
     * caller parked gave ECANCELED; {@code Fd.close()} left a parked caller parked for good.
     */
    @Test
    void aCloseRacingABlockedReadEndsBothAndIsAnAsynchronousClose() throws Exception {
        Chunk c = engine.bufferPool().alloc();
        try {
            java.util.concurrent.CyclicBarrier each = new java.util.concurrent.CyclicBarrier(2);
            Fd[][] pair = new Fd[1][];
            Thread[] reader = new Thread[1];
            List<Throwable> errors = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Thread closer = Thread.ofPlatform().name("race-closer").unstarted(() -> {
                try {
                    for (int i = 0; i < CLOSE_RACE_ITERATIONS; i++) {
                        each.await(20, TimeUnit.SECONDS); // the pair is ready
                        each.await(20, TimeUnit.SECONDS); // go
                        Fd target = pair[0][1];
                        if (i % 4 == 3) {
                            // now and then let the reader get as far as parking (bounded: no timing assumption)
                            for (int spin = 0; spin < 200 && reader[0].getState() != Thread.State.WAITING; spin++) {
                                Thread.yield();
                            }
                        }
                        if (i % 2 == 0) {
                            io.close(target);
                            assertTrue(target.isReleased(), "iteration " + i + ": close(fd) returned, descriptor open");
                        } else {
                            target.close();
                        }
                        each.await(20, TimeUnit.SECONDS); // both done
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            });
            reader[0] = Thread.currentThread();
            closer.start();
            ByteBuffer buf = ByteBuffer.allocateDirect(16);
            for (int i = 0; i < CLOSE_RACE_ITERATIONS && errors.isEmpty(); i++) {
                Fd[] p = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
                pair[0] = p;
                each.await(20, TimeUnit.SECONDS);
                each.await(20, TimeUnit.SECONDS);
                String what = "iteration " + i + ": " + (i % 4 < 2 ? "recv" : "chunk read") + " racing "
                        + (i % 2 == 0 ? "close(fd)" : "Fd.close()");
                try {
                    int n = i % 4 < 2 ? io.recv(p[1], buf.clear(), Set.of()) : io.read(p[1], c, 16, -1);
                    throw new AssertionError(what + ": returned " + n + " from a socket nobody wrote to");
                } catch (IOException e) {
                    assertClosedOutcome(e, what);
                }
                each.await(20, TimeUnit.SECONDS);
                assertTrue(waitReleased(p[1]), what);
                p[0].close();
            }
            closer.join(TimeUnit.SECONDS.toMillis(20));
            if (!errors.isEmpty()) {
                throw new AssertionError(errors.get(0));
            }
            assertFalse(closer.isAlive());
            assertEquals(0, c.retainCount());
        } finally {
            engine.bufferPool().free(c);
        }
    }

    // ---- timeouts ---------------------------------------------------------------------------------

    @Test
    void recvTimesOutAndTheSocketStaysUsable() throws Exception {
        Fd[] p = tcpPair();
        try {
            assertThrows(SocketTimeoutException.class,
                    () -> io.recv(p[1], ByteBuffer.allocate(8), Set.of(), Duration.ofMillis(30)));
            assertTrue(p[1].isOpen());
            io.sendAll(p[0], text("late"), Set.of());
            assertEquals(4, io.recv(p[1], ByteBuffer.allocate(8), Set.of(), Duration.ofSeconds(10)));
        } finally {
            closeAll(p);
        }
    }

    static boolean waitReleased(Fd fd) throws Exception {
        fd.whenReleased().get(10, TimeUnit.SECONDS);
        return true;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void write(Path p, String s) throws IOException {
        Files.writeString(p, s);
    }
}
