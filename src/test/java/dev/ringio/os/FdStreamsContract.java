package dev.ringio.os;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
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
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.testing.LeakCheck;

/**
 * {@link FdStreams} on real pipes, files and sockets (one concrete subclass per engine): bytes
 * round-trip, end of stream is -1, closing the stream closes the {@code Fd}, a close or interrupt
 * wakes a (virtual) thread blocked in a read.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class FdStreamsContract {

    static final Duration LONG = Duration.ofSeconds(30);

    IoEngine engine;
    BlockingIo io;

    abstract IoEngine openEngine() throws Exception;

    @BeforeAll
    void openTheEngine() throws Exception {
        engine = openEngine();
        io = new BlockingIo(engine);
    }

    @AfterAll
    void closeTheEngine() {
        engine.close();
    }

    @Test
    void pipeStreamsRoundTripAndEndWithMinusOne() throws Exception {
        Pipe p = Pipe.open();
        InputStream in = FdStreams.inputStream(io, p.readEnd());
        OutputStream out = FdStreams.outputStream(io, p.writeEnd());
        byte[] big = new byte[200_000]; // more than the pipe holds: the writer must wait for the reader
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        Thread writer = Thread.ofVirtual().start(() -> {
            try (out) {
                out.write(big);
                out.write('!');
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        try (in) {
            assertArrayEquals(big, in.readNBytes(big.length));
            assertEquals('!', in.read());
            assertTrue(writer.join(LONG));
            assertEquals(-1, in.read(), "end of stream once the writer closed");
            assertEquals(-1, in.read(new byte[4], 0, 4));
            assertEquals(0, in.read(new byte[4], 0, 0));
        }
        assertFalse(p.readEnd().isOpen(), "closing the stream closes the Fd");
        assertFalse(p.writeEnd().isOpen());
        assertThrows(IOException.class, in::read);
        assertThrows(IOException.class, () -> out.write(1));
    }

    @Test
    void fileStreamsUseAndAdvanceTheFileOffset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f");
        try (OutputStream out = FdStreams.outputStream(io, engine.open(file, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644).join())) {
            out.write("hello ".getBytes(StandardCharsets.US_ASCII));
            out.write("world".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals("hello world", Files.readString(file));
        Fd fd = engine.open(file, OpenFlags.O_RDONLY, 0).join();
        fd.lseek(6, dev.ringio.Whence.SET);
        try (InputStream in = FdStreams.inputStream(io, fd)) {
            assertEquals("world", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        assertFalse(fd.isOpen());
    }

    @Test
    void channelOnASocketPair() throws Exception {
        Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
        try (ByteChannel a = FdStreams.channel(io, pair[0]); ByteChannel b = FdStreams.channel(io, pair[1])) {
            assertTrue(a.isOpen());
            assertEquals(5, a.write(ByteBuffer.wrap("abcde".getBytes(StandardCharsets.US_ASCII))));
            assertEquals(0, a.write(ByteBuffer.allocate(0)));
            ByteBuffer dst = ByteBuffer.allocateDirect(16);
            int n = 0;
            while (n < 5) {
                n += b.read(dst);
            }
            dst.flip();
            assertEquals("abcde", StandardCharsets.US_ASCII.decode(dst).toString());
            assertEquals(0, b.read(ByteBuffer.allocate(0)));
            a.close();
            assertFalse(a.isOpen());
            assertFalse(pair[0].isOpen());
            assertEquals(-1, b.read(ByteBuffer.allocate(4)), "the peer closed");
            assertThrows(ClosedChannelException.class, () -> a.read(ByteBuffer.allocate(1)));
            assertThrows(ClosedChannelException.class, () -> a.write(ByteBuffer.allocate(1)));
        }
        assertFalse(pair[1].isOpen());
    }

    @Test
    void writeToAPipeWhoseReaderIsGoneIsEpipe() throws Exception {
        Pipe p = Pipe.open();
        p.readEnd().close();
        try (OutputStream out = FdStreams.outputStream(io, p.writeEnd())) {
            NativeIoException e = assertThrows(NativeIoException.class, () -> out.write(new byte[10]));
            assertTrue(e.is(Errno.EPIPE), e.toString());
        }
    }

    @Test
    void closingTheStreamWakesAVirtualThreadBlockedInRead() throws Exception {
        try (Pipe p = Pipe.open()) {
            InputStream in = FdStreams.inputStream(io, p.readEnd());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    in.read();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            awaitParked(reader);
            in.close();
            assertTrue(reader.join(LONG));
            assertInstanceOf(AsynchronousCloseException.class, failure.get());
            assertFalse(p.readEnd().isOpen());
        }
    }

    @Test
    void interruptingABlockedReadClosesTheChannel() throws Exception {
        try (Pipe p = Pipe.open()) {
            ByteChannel ch = FdStreams.channel(io, p.readEnd());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    ch.read(ByteBuffer.allocate(8));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            awaitParked(reader);
            reader.interrupt();
            assertTrue(reader.join(LONG));
            assertInstanceOf(ClosedByInterruptException.class, failure.get());
            assertFalse(ch.isOpen());
            ch.close();
        }
    }

    private static void awaitParked(Thread t) {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.WAITING, t.getState());
    }
}
