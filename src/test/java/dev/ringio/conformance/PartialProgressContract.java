package dev.ringio.conformance;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.PartialProgress;
import dev.ringio.ShortReadException;
import dev.ringio.TransferCancelledException;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.ShutdownHow;
import dev.ringio.os.Pipe;
import dev.ringio.sys.Shim;
import dev.ringio.testing.FutureAssertions;

import static dev.ringio.testing.FutureAssertions.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A looping transfer ({@code readExactly}, {@code sendAll}, a write of everything, {@code writev})
 * that is cancelled, fails, or is cut short by the engine's close after moving some bytes says
 * how many ({@link PartialProgress}): the count is exactly what moved (a socket's peer receives
 * exactly that many bytes, a read's bytes are in the chunk), and a buffer's position has moved
 * past them.
 */
public abstract class PartialProgressContract extends ContractBase {

    private static final int BIG = 8 << 20; // far more than a socket's buffers hold
    private static final int POLLIN = 1;

    /**
     * The exception {@code f} failed with, as the engine gave it: {@code get} and {@code join}
     * throw a fresh CancellationException with the future's own as its cause.
     */
    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X failure(CompletableFuture<?> f, Class<X> type) {
        FutureAssertions.failureOf(f); // waits, and fails the test if f succeeds or hangs
        Throwable t = f.handle((v, x) -> x).join();
        return org.junit.jupiter.api.Assertions.assertInstanceOf(type, t, () -> "expected " + type.getSimpleName() + " but got " + t);
    }

    /** Waits until nothing is left to read in {@code fd} (the engine's read took it all). */
    private static void awaitDrained(Fd fd) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Shim.get().poll1(fd.value(), POLLIN, 0) != 0) {
            assertTrue(System.nanoTime() - deadline < 0, "the read did not take the bytes");
            Thread.sleep(1);
        }
    }

    @Test
    void readExactlyCancelledAfter400BytesSays400AndTheBytesAreInTheChunk() throws Exception {
        Pipe p = pipe();
        Chunk c = chunk();
        byte[] data = pattern(400, 7);
        await(engine.write(p.writeEnd(), ByteBuffer.wrap(data), -1));
        CompletableFuture<Void> r = engine.readExactly(p.readEnd(), c, 1000, -1);
        awaitDrained(p.readEnd());
        await(engine.noop());
        assertFalse(r.isDone(), "readExactly of 1000 completed with 400 bytes: " + r);
        assertTrue(r.cancel(true));
        TransferCancelledException e = failure(r, TransferCancelledException.class);
        assertEquals(400, e.bytesTransferred(), e.getMessage());
        assertEquals(400, PartialProgress.of(assertThrows(java.util.concurrent.CancellationException.class, r::join)));
        assertEquals(400, PartialProgress.of(assertThrows(java.util.concurrent.CancellationException.class, r::get)));
        assertEquals(400, PartialProgress.of(r.thenApply(v -> v).handle((v, x) -> x).join()));
        assertTrue(r.isCancelled());
        assertTrue(e.getMessage().contains("readExactly") && e.getMessage().contains("400 of 1000"), e.getMessage());
        assertArrayEquals(data, bytes(c, 400));
    }

    @Test
    void readExactlyRunningOutOfDataSaysHowManyArrived() throws Exception {
        Pipe p = pipe();
        Chunk c = chunk();
        byte[] data = pattern(400, 8);
        await(engine.write(p.writeEnd(), ByteBuffer.wrap(data), -1));
        CompletableFuture<Void> r = engine.readExactly(p.readEnd(), c, 1000, -1);
        awaitDrained(p.readEnd());
        await(engine.close(p.writeEnd()));
        ShortReadException e = failure(r, ShortReadException.class);
        assertEquals(400, e.bytesTransferred());
        assertArrayEquals(data, bytes(c, 400));
    }

    @Test
    void aLoopingTransferCancelledBeforeAnyByteSaysZero() throws Exception {
        Pipe p = pipe();
        Chunk c = chunk();
        CompletableFuture<Void> r = engine.readExactly(p.readEnd(), c, 10, -1);
        await(engine.noop());
        assertTrue(r.cancel(true));
        assertEquals(0, failure(r, TransferCancelledException.class).bytesTransferred());
    }

    /** The three ways to write a whole buffer to a socket, each returning its buffers' total position. */
    private enum Writer {
        SEND_ALL, WRITE_HEAP, WRITEV;

        ByteBuffer[] buffers(byte[] data) {
            return switch (this) {
                case SEND_ALL -> new ByteBuffer[] {ByteBuffer.allocateDirect(data.length).put(data).flip()};
                case WRITE_HEAP -> new ByteBuffer[] {ByteBuffer.wrap(data)};
                case WRITEV -> new ByteBuffer[] {ByteBuffer.wrap(data, 0, data.length / 3).slice(),
                        ByteBuffer.allocateDirect(data.length - data.length / 3).put(data, data.length / 3,
                                data.length - data.length / 3).flip()};
            };
        }

        CompletableFuture<Void> start(IoEngine e, Fd fd, ByteBuffer[] bufs) {
            return switch (this) {
                case SEND_ALL -> e.sendAll(fd, bufs[0], NO_FLAGS);
                case WRITE_HEAP -> e.write(fd, bufs[0], -1);
                case WRITEV -> e.writev(fd, bufs, -1);
            };
        }

        static long positions(ByteBuffer[] bufs) {
            long n = 0;
            for (ByteBuffer b : bufs) {
                n += b.position();
            }
            return n;
        }
    }

    /**
     * Starts {@code w} of {@link #BIG} bytes on {@code pair[0]} through {@code e}, lets it fill the
     * socket, ends it with {@code end}, and checks that the count the failure carries is exactly
     * what the peer receives and where the buffers' positions stand.
     */
    private <X extends Throwable> void endAfterPartialProgress(IoEngine e, Writer w, Class<X> type,
                                                               Function<CompletableFuture<Void>, Runnable> end)
            throws Exception {
        Fd[] pair = socketPair(STREAM);
        byte[] data = pattern(BIG, w.ordinal() + 1);
        ByteBuffer[] bufs = w.buffers(data);
        CompletableFuture<Void> f = w.start(e, pair[0], bufs);
        await(engine.awaitReadable(pair[1])); // bytes reached the peer: the transfer has made progress
        await(e.noop());
        assertFalse(f.isDone(), w + " of 8 MiB completed into a socket nobody reads: " + f);
        end.apply(f).run();
        X failure = failure(f, type);
        long n = PartialProgress.of(failure);
        assertTrue(n > 0 && n < BIG, w + ": " + failure);
        assertEquals(n, Writer.positions(bufs), w + ": the buffers' positions stand after the bytes transferred");
        await(engine.shutdown(pair[0], ShutdownHow.WRITE));
        long received = 0;
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        while (true) {
            in.clear();
            int k = await(engine.recv(pair[1], in, NO_FLAGS));
            if (k < 0) {
                break;
            }
            for (int i = 0; i < k; i++) {
                if (in.get(i) != data[(int) received + i]) {
                    throw new AssertionError(w + ": byte " + (received + i) + " differs");
                }
            }
            received += k;
        }
        assertEquals(n, received, w + ": the count is what the peer received (" + failure + ")");
    }

    @Test
    void aCancelledWriteOfEverythingSaysExactlyWhatThePeerReceived() throws Exception {
        for (Writer w : Writer.values()) {
            endAfterPartialProgress(engine, w, TransferCancelledException.class, f -> () -> assertTrue(f.cancel(true)));
        }
    }

    /** A deadline ends the write as a cancel does (docs/reliability.md, "Deadlines"), with the same count. */
    @Test
    void aWriteOfEverythingCutByADeadlineSaysExactlyWhatThePeerReceived() throws Exception {
        for (Writer w : Writer.values()) {
            endAfterPartialProgress(engine, w, dev.ringio.DeadlineExceededException.class,
                    f -> () -> f.orTimeout(20, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aWriteOfEverythingCutShortByTheEngineClosingSaysWhatThePeerReceived() throws Exception {
        for (Writer w : Writer.values()) {
            IoEngine own = openOwnEngine();
            endAfterPartialProgress(own, w, EngineClosedException.class, f -> own::close);
        }
    }

    @Test
    void aWriteOfEverythingFailingAfterSomeBytesCarriesTheCountAndTheErrno() throws Exception {
        for (Writer w : Writer.values()) {
            Fd[] pair = socketPair(STREAM);
            ByteBuffer[] bufs = w.buffers(pattern(BIG, 9));
            CompletableFuture<Void> f = w.start(engine, pair[0], bufs);
            await(engine.awaitReadable(pair[1]));
            await(engine.noop());
            assertFalse(f.isDone(), w + ": " + f);
            await(engine.close(pair[1])); // the peer goes away: the next send fails
            NativeIoException e = failure(f, NativeIoException.class);
            assertTrue(e.is(Errno.EPIPE) || e.is(Errno.ECONNRESET), w + ": " + e);
            assertTrue(e.bytesTransferred() > 0 && e.bytesTransferred() < BIG, w + ": " + e);
            assertEquals(e.bytesTransferred(), Writer.positions(bufs), w + ": " + e);
            assertTrue(e.getMessage().contains("after " + e.bytesTransferred() + " bytes"), e.getMessage());
        }
    }
}
