package dev.ringio.blocking;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.net.SocketOptions;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The java.nio-shaped adapters over {@link BlockingIo} ({@link RingioFileChannel}, {@link
 * RingioSocket}, {@link RingioServerSocket}) on the io_uring engine, and the ten-thousand virtual
 * threads check: 10,000 virtual threads blocked in I/O at once on this 2-core machine, with JFR's
 * {@code jdk.VirtualThreadPinned} event recording any carrier pinned while they park.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(KernelFeatures.NeedsIoUring.class)
class ChannelAdaptersTest {

    private IoEngine engine;
    private BlockingIo io;

    @BeforeAll
    void open() throws Exception {
        engine = IoEngines.open("io_uring", EngineConfig.builder().queueDepth(1024).build());
        io = new BlockingIo(engine);
    }

    @AfterAll
    void close() {
        engine.close();
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---- files ------------------------------------------------------------------------------------

    @Test
    void fileChannelReadsWritesSeeksTruncatesForces(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("f");
        try (RingioFileChannel ch = RingioFileChannel.open(io, p, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertEquals(11, ch.write(text("hello world")));
            assertEquals(11, ch.position());
            assertEquals(11, ch.size());
            assertEquals(6, ch.write(new ByteBuffer[] {text("!!!"), text("???")}));
            ch.force(true);
            ch.force(false);
            ch.position(6);
            ByteBuffer b = ByteBuffer.allocate(5);
            assertEquals(5, ch.read(b));
            assertEquals("world", new String(b.array(), StandardCharsets.UTF_8));
            ByteBuffer[] two = {ByteBuffer.allocate(3), ByteBuffer.allocate(10)};
            assertEquals(6, ch.read(two));
            assertEquals(-1, ch.read(ByteBuffer.allocate(1)), "end of file");
            ch.truncate(5);
            assertEquals(5, ch.size());
            assertEquals(5, ch.position(), "truncate pulls the position back");
            ch.truncate(100);
            assertEquals(5, ch.size(), "truncate never grows a file");
            assertThrows(IllegalArgumentException.class, () -> ch.position(-1));
        }
        assertEquals("hello", Files.readString(p));
    }

    @Test
    void fileChannelStreamsAppendAndOpenModes(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("s");
        try (RingioFileChannel ch = RingioFileChannel.open(io, p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             OutputStream out = ch.outputStream()) {
            out.write("streamed".getBytes(StandardCharsets.UTF_8));
            assertThrows(NonReadableChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
        }
        try (RingioFileChannel ch = RingioFileChannel.open(io, p, StandardOpenOption.APPEND)) {
            ch.write(text("+more"));
            assertEquals(13, ch.position(), "append: the position is the end");
        }
        try (RingioFileChannel ch = RingioFileChannel.open(io, p); InputStream in = ch.inputStream()) {
            assertArrayEquals("streamed+more".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
            assertThrows(NonWritableChannelException.class, () -> ch.write(text("x")));
        }
        assertThrows(java.nio.file.NoSuchFileException.class, () -> java.nio.file.Files.size(dir.resolve("none")));
        dev.ringio.NativeIoException missing = assertThrows(dev.ringio.NativeIoException.class,
                () -> RingioFileChannel.open(io, dir.resolve("none")));
        assertTrue(missing.is(dev.ringio.Errno.ENOENT), missing.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RingioFileChannel.open(io, p, StandardOpenOption.READ, StandardOpenOption.APPEND));
        RingioFileChannel closed = RingioFileChannel.open(io, p);
        closed.close();
        closed.close(); // idempotent
        assertFalse(closed.isOpen());
        assertThrows(ClosedChannelException.class, () -> closed.read(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, closed::size);
    }

    // ---- sockets ------------------------------------------------------------------------------------

    @Test
    void socketsEchoWithStreamsOptionsAndHalfClose() throws Exception {
        try (RingioServerSocket server = RingioServerSocket.open(io, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16)) {
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                try (RingioSocket s = server.accept(); InputStream in = s.inputStream(); OutputStream out = s.outputStream()) {
                    in.transferTo(out);     // until the client's half-close
                    s.shutdownOutput();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            try (RingioSocket c = RingioSocket.connect(io, server.localAddress(), Duration.ofSeconds(5))) {
                c.setOption(SocketOptions.TCP_NODELAY, true);
                assertTrue(c.getOption(SocketOptions.TCP_NODELAY));
                assertEquals(server.localAddress(), c.remoteAddress());
                assertEquals(InetAddress.getLoopbackAddress(), c.localAddress().getAddress());
                byte[] data = new byte[200_000];
                new java.util.Random(3).nextBytes(data);
                CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                    try {
                        return c.inputStream().readAllBytes();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, r -> Thread.ofVirtual().start(r));
                c.write(new ByteBuffer[] {ByteBuffer.wrap(data, 0, 1000), ByteBuffer.wrap(data, 1000, data.length - 1000)});
                c.shutdownOutput();
                assertArrayEquals(data, back.get(20, TimeUnit.SECONDS));
            }
            echo.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void socketReadTimeoutInterruptAndAsyncClose() throws Exception {
        try (RingioServerSocket server = RingioServerSocket.open(io, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16)) {
            try (RingioSocket c = RingioSocket.connect(io, server.localAddress()); RingioSocket s = server.accept()) {
                c.readTimeout(Duration.ofMillis(30));
                assertThrows(SocketTimeoutException.class, () -> c.read(ByteBuffer.allocate(4)));
                assertTrue(c.isOpen(), "a timeout leaves the socket open");
                s.write(text("ok"));
                c.readTimeout(null);
                assertEquals(2, c.read(ByteBuffer.allocate(4)));
                s.write(text("abcde"));
                ByteBuffer[] two = {ByteBuffer.allocate(2), ByteBuffer.allocate(8)};
                long got = 0;
                while (got < 5) {
                    got += c.read(two); // scattering read
                }
                assertEquals("ab", new String(two[0].array(), StandardCharsets.UTF_8));
                assertEquals("cde", new String(two[1].array(), 0, 3, StandardCharsets.UTF_8));

                // interrupt: the channel closes, ClosedByInterruptException, status kept
                CompletableFuture<Throwable> seen = new CompletableFuture<>();
                Thread t = Thread.ofVirtual().start(() -> {
                    try {
                        s.read(ByteBuffer.allocate(4));
                        seen.complete(null);
                    } catch (Throwable x) {
                        seen.complete(x);
                    }
                });
                BlockingIoContract.awaitParked(t);
                t.interrupt();
                assertInstanceOf(ClosedByInterruptException.class, seen.get(10, TimeUnit.SECONDS));
                assertFalse(s.isOpen());
            }
            // asynchronous close of a blocked accept
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    server.accept().close();
                    seen.complete(null);
                } catch (Throwable x) {
                    seen.complete(x);
                }
            });
            BlockingIoContract.awaitParked(t);
            server.close();
            assertInstanceOf(AsynchronousCloseException.class, seen.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void connectTimesOutAgainstAFullAcceptQueueAndShutdownInputEndsReads() throws Exception {
        try (RingioServerSocket server = RingioServerSocket.open(io, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)) {
            server.setOption(SocketOptions.REUSEADDR, true);
            List<RingioSocket> queued = new ArrayList<>();
            try {
                // backlog 0: the kernel completes a connection or two, then drops SYNs, so the
                // next connect keeps retransmitting and the timeout ends it
                SocketTimeoutException seen = null;
                for (int i = 0; i < 8 && seen == null; i++) {
                    try {
                        queued.add(RingioSocket.connect(io, server.localAddress(), Duration.ofMillis(300)));
                    } catch (SocketTimeoutException e) {
                        seen = e;
                    }
                }
                assertTrue(seen != null, "a connect beyond the full accept queue timed out");
                assertTrue(seen.getMessage().contains("connect"), seen.getMessage());
                // the queued ones are fine: accept one, half-close its reading side
                RingioSocket s = server.accept();
                s.shutdownInput();
                assertEquals(-1, s.read(ByteBuffer.allocate(4)), "after shutdownInput a read is end of stream");
                s.close();
            } finally {
                for (RingioSocket q : queued) {
                    q.close();
                }
            }
        }
    }

    @Test
    void connectRefusedAndUnresolved() throws Exception {
        dev.ringio.NativeIoException e = assertThrows(dev.ringio.NativeIoException.class,
                () -> RingioSocket.connect(io, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)));
        assertTrue(e.is(dev.ringio.Errno.ECONNREFUSED), e.getMessage());
        assertThrows(java.nio.channels.UnresolvedAddressException.class,
                () -> RingioSocket.connect(io, InetSocketAddress.createUnresolved("nowhere.invalid", 80)));
    }

    // ---- ten thousand virtual threads -------------------------------------------------------------

    @Test
    void tenThousandVirtualThreadsBlockInIoAtOnceWithoutPinning() throws Exception {
        int pairs = 1000;
        int readersPerPair = 10; // 10,000 virtual threads parked in recv at the same time
        List<RingioSocket[]> conns = new ArrayList<>();
        List<String> pinned = new ArrayList<>();
        // An in-memory recording, dumped to a file read and deleted here: no JFR file stays open
        // after the test (a RecordingStream's disk chunk once outlived the class's descriptor check).
        try (Recording rec = new Recording();
             RingioServerSocket server = RingioServerSocket.open(io, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024)) {
            rec.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            rec.setToDisk(false);
            rec.start();
            for (int i = 0; i < pairs; i++) {
                RingioSocket c = RingioSocket.connect(io, server.localAddress());
                conns.add(new RingioSocket[] {c, server.accept()});
            }
            CountDownLatch parked = new CountDownLatch(pairs * readersPerPair);
            AtomicInteger bytes = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (RingioSocket[] conn : conns) {
                for (int r = 0; r < readersPerPair; r++) {
                    threads.add(Thread.ofVirtual().start(() -> {
                        parked.countDown();
                        try {
                            ByteBuffer one = ByteBuffer.allocate(1);
                            int n = conn[1].read(one);
                            bytes.addAndGet(n);
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    }));
                }
            }
            assertTrue(parked.await(60, TimeUnit.SECONDS));
            Thread.sleep(200); // let them reach the kernel and park
            long waiting = threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count();
            assertTrue(waiting > pairs * readersPerPair * 9L / 10, waiting + " of 10,000 parked at once");
            for (RingioSocket[] conn : conns) {
                conn[0].write(ByteBuffer.wrap(new byte[readersPerPair]));
            }
            for (Thread t : threads) {
                t.join(60_000);
                assertFalse(t.isAlive());
            }
            assertEquals(pairs * readersPerPair, bytes.get());
            java.nio.file.Path dump = java.nio.file.Files.createTempFile("ringio-pinning-", ".jfr");
            try {
                rec.dump(dump); // an in-memory recording is dumped while it runs, then stopped
                rec.stop();
                for (RecordedEvent ev : RecordingFile.readAllEvents(dump)) {
                    if (ev.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                        pinned.add(String.valueOf(ev.getStackTrace()));
                    }
                }
            } finally {
                java.nio.file.Files.deleteIfExists(dump);
            }
            assertTrue(pinned.isEmpty(), pinned.size() + " pinning events, first: " + (pinned.isEmpty() ? "" : pinned.get(0)));
        } finally {
            for (RingioSocket[] conn : conns) {
                conn[0].close();
                conn[1].close();
            }
            for (RingioSocket[] conn : conns) {
                conn[0].fd().whenReleased().get(10, TimeUnit.SECONDS);
                conn[1].fd().whenReleased().get(10, TimeUnit.SECONDS);
            }
        }
    }
}
