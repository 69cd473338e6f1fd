package dev.ringio.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.RawCompletion;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.os.Pipe;

import static dev.ringio.testing.FutureAssertions.await;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The allocation-free API: submitNoop / submitRead / submitWrite with a {@link RawCompletion}. */
public abstract class LowLevelContract extends ContractBase {

    @Test
    void submitNoopFromAnotherThreadCompletesOnTheLoop() {
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        AtomicInteger result = new AtomicInteger(-1);
        engine.submitNoop(r -> {
            result.set(r);
            onLoop.complete(engine.inLoop());
        });
        assertTrue(await(onLoop), "the completion runs on the loop thread");
        assertEquals(0, result.get());
    }

    @Test
    void submitNoopFromTheLoopCompletesLater() {
        CompletableFuture<Integer> r = new CompletableFuture<>();
        AtomicInteger order = new AtomicInteger();
        int submittedAt = onLoop(() -> {
            engine.submitNoop(x -> {
                order.compareAndSet(1, 2);
                r.complete(x);
            });
            return order.getAndSet(1);
        });
        assertEquals(0, submittedAt);
        assertEquals(0, await(r));
        assertEquals(2, order.get(), "the completion ran after the submitting task returned");
    }

    @Test
    void submitNoopRejectsNull() {
        assertThrows(NullPointerException.class, () -> engine.submitNoop(null));
    }

    @Test
    void writeThenReadAFileThroughChunks() throws Exception {
        Path file = dir.resolve("raw.bin");
        Fd fd = open(file, OpenFlags.O_RDWR | OpenFlags.O_CREAT);
        Chunk out = chunk();
        Chunk in = chunk();
        byte[] data = pattern(3000, 1);
        put(out, data);

        CompletableFuture<Integer> wrote = new CompletableFuture<>();
        engine.submitWrite(fd, out, data.length, 100, wrote::complete);
        assertEquals(data.length, await(wrote));
        byte[] onDisk = Files.readAllBytes(file);
        assertEquals(100 + data.length, onDisk.length);
        assertArrayEquals(data, Arrays.copyOfRange(onDisk, 100, onDisk.length));

        CompletableFuture<Integer> read = new CompletableFuture<>();
        engine.submitRead(fd, in, 4000, 100, read::complete);
        assertEquals(data.length, await(read), "a read past the end returns what there is");
        assertArrayEquals(data, bytes(in, data.length));

        CompletableFuture<Integer> eof = new CompletableFuture<>();
        engine.submitRead(fd, in, 10, 100 + data.length, eof::complete);
        assertEquals(0, await(eof), "0 at end of file");

        CompletableFuture<Integer> none = new CompletableFuture<>();
        engine.submitRead(fd, in, 0, 0, none::complete);
        assertEquals(0, await(none), "a zero-length read is allowed");

        assertEquals(0, fd.users());
        assertEquals(0, out.retainCount());
        assertEquals(0, in.retainCount());
    }

    @Test
    void readAndWriteAtTheCurrentPositionAdvanceIt() throws Exception {
        Path file = dir.resolve("pos.txt");
        Files.writeString(file, "abcdef");
        Fd fd = open(file, OpenFlags.O_RDWR);
        Chunk c = chunk();
        CompletableFuture<Integer> first = new CompletableFuture<>();
        engine.submitRead(fd, c, 2, -1, first::complete);
        assertEquals(2, await(first));
        CompletableFuture<Integer> second = new CompletableFuture<>();
        engine.submitRead(fd, c, 2, -1, second::complete);
        assertEquals(2, await(second));
        assertEquals("cd", new String(bytes(c, 2)));
        put(c, "XY".getBytes());
        CompletableFuture<Integer> w = new CompletableFuture<>();
        engine.submitWrite(fd, c, 2, -1, w::complete);
        assertEquals(2, await(w));
        assertEquals("abcdXY", Files.readString(file));
    }

    /**
     * The chunk and the fd belong to the op from submit to completion: inside that window the
     * chunk cannot be freed and a close of the fd is deferred. Submitting inside an execute() task
     * makes the window certain: the completion cannot run before the task returns.
     */
    @Test
    void chunkAndFdAreHeldUntilTheCompletionRuns() throws Exception {
        Fd fd = open(dir.resolve("held.bin"), OpenFlags.O_RDWR | OpenFlags.O_CREAT);
        Chunk c = chunk();
        CompletableFuture<Integer> wrote = new CompletableFuture<>();
        AtomicReference<int[]> inCallback = new AtomicReference<>();
        IllegalStateException refused = onLoop(() -> {
            engine.submitWrite(fd, c, 4096, 0, r -> {
                inCallback.set(new int[] {c.retainCount(), fd.users()});
                wrote.complete(r);
            });
            assertEquals(1, c.retainCount());
            assertEquals(1, fd.users());
            return assertThrows(IllegalStateException.class, () -> free(c));
        });
        assertTrue(refused.getMessage().contains("retained"), refused.getMessage());
        assertEquals(4096, await(wrote));
        assertArrayEquals(new int[] {0, 0}, inCallback.get(), "released before the completion is called");
        free(c); // works now
        assertFalse(c.isLive());
    }

    @Test
    void pendingPipeReadHoldsChunkAndDefersFdClose() throws Exception {
        Pipe p = pipe();
        Chunk c = chunk();
        CompletableFuture<Integer> read = new CompletableFuture<>();
        engine.submitRead(p.readEnd(), c, 100, -1, read::complete);
        assertEquals(1, c.retainCount());
        assertEquals(1, p.readEnd().users());
        IllegalStateException ex = assertThrows(IllegalStateException.class, () -> free(c));
        assertTrue(ex.getMessage().contains("retained"), ex.getMessage());
        p.readEnd().close(); // deferred: the read holds it
        assertFalse(p.readEnd().isReleased());
        assertFalse(read.isDone());

        Chunk w = chunk();
        put(w, "hello".getBytes());
        CompletableFuture<Integer> wrote = new CompletableFuture<>();
        engine.submitWrite(p.writeEnd(), w, 5, -1, wrote::complete);
        assertEquals(5, await(wrote));
        assertEquals(5, await(read));
        assertArrayEquals("hello".getBytes(), bytes(c, 5));
        assertTrue(p.readEnd().isReleased(), "the completed read released the last hold: closed now");
        assertEquals(0, c.retainCount());
    }

    @Test
    void badArgumentsFailFastAndTakeNothing() throws Exception {
        Pipe p = pipe();
        Fd fd = p.readEnd();
        Chunk c = chunk();
        RawCompletion never = r -> fail("no completion for a refused submission");
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> engine.submitRead(fd, c, -1, 0, never));
        assertTrue(neg.getMessage().contains("read"), neg.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.submitWrite(fd, c, -5, 0, never));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> engine.submitRead(fd, c, c.size() + 1, 0, never));
        assertTrue(big.getMessage().contains(String.valueOf(c.size())), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.submitWrite(fd, c, c.size() + 1, 0, never));
        IllegalArgumentException off = assertThrows(IllegalArgumentException.class, () -> engine.submitRead(fd, c, 1, -2, never));
        assertTrue(off.getMessage().contains("-2"), off.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.submitWrite(fd, c, 1, Long.MIN_VALUE, never));
        assertThrows(NullPointerException.class, () -> engine.submitRead(null, c, 1, 0, never));
        assertThrows(NullPointerException.class, () -> engine.submitRead(fd, null, 1, 0, never));
        assertThrows(NullPointerException.class, () -> engine.submitRead(fd, c, 1, 0, null));
        assertThrows(NullPointerException.class, () -> engine.submitWrite(fd, c, 1, 0, null));
        assertEquals(0, fd.users());
        assertEquals(0, c.retainCount());
    }

    @Test
    void argumentsAreCheckedBeforeTheFd() throws Exception {
        Pipe p = Pipe.open();
        p.close();
        Chunk c = chunk();
        // A closed fd and a bad length: the argument error comes first, before anything is taken.
        assertThrows(IllegalArgumentException.class, () -> engine.submitRead(p.readEnd(), c, -1, 0, r -> { }));
        assertEquals(0, c.retainCount());
    }

    @Test
    void closedFdFailsWithEbadfNamingTheOp() throws Exception {
        Pipe p = Pipe.open();
        p.close();
        Chunk c = chunk();
        NativeIoException r = assertThrows(NativeIoException.class,
                () -> engine.submitRead(p.readEnd(), c, 1, -1, x -> fail("no completion")));
        assertEquals("EBADF", r.errnoName());
        assertOp("read", r);
        NativeIoException w = assertThrows(NativeIoException.class,
                () -> engine.submitWrite(p.writeEnd(), c, 1, -1, x -> fail("no completion")));
        assertEquals("EBADF", w.errnoName());
        assertOp("write", w);
        assertEquals(0, c.retainCount(), "nothing retained by a refused submission");
    }

    @Test
    void freedChunkFailsWithIllegalStateAndReleasesTheFd() throws Exception {
        Pipe p = pipe();
        Chunk c = chunk();
        free(c);
        IllegalStateException r = assertThrows(IllegalStateException.class,
                () -> engine.submitRead(p.readEnd(), c, 1, -1, x -> fail("no completion")));
        assertTrue(r.getMessage().contains("freed"), r.getMessage());
        assertThrows(IllegalStateException.class, () -> engine.submitWrite(p.writeEnd(), c, 1, -1, x -> fail("no completion")));
        assertEquals(0, p.readEnd().users(), "the fd acquired before the chunk check is released");
        assertEquals(0, p.writeEnd().users());
    }

    @Test
    void kernelErrorsArriveAsNegativeErrno() throws Exception {
        Path file = dir.resolve("ro.txt");
        Files.writeString(file, "read only");
        Fd fd = open(file, OpenFlags.O_RDONLY);
        Chunk c = chunk();
        CompletableFuture<Integer> r = new CompletableFuture<>();
        engine.submitWrite(fd, c, 4, 0, r::complete);
        assertEquals(-Errno.EBADF.value(), await(r), "write on an O_RDONLY fd");
        Fd dirFd = openDir(dir);
        CompletableFuture<Integer> s = new CompletableFuture<>();
        engine.submitRead(dirFd, c, 4, 0, s::complete);
        assertEquals(-Errno.EISDIR.value(), await(s), "a read of a directory");
        Pipe p = pipe();
        await(engine.close(p.readEnd()));
        CompletableFuture<Integer> e = new CompletableFuture<>();
        engine.submitWrite(p.writeEnd(), c, 4, -1, e::complete);
        assertEquals(-Errno.EPIPE.value(), await(e), "a write to a pipe without a reader");
        assertEquals(0, dirFd.users());
        assertEquals(0, c.retainCount());
        assertEquals(0, fd.users());
    }

    @Test
    void chunkOfAnotherPoolWorks() throws Exception {
        FixedBufferPool other = foreignPool(1, 4096);
        Pipe p = pipe();
        Chunk w = other.alloc();
        Chunk r = chunk();
        w.segment().set(JAVA_BYTE, 0, (byte) 42);
        CompletableFuture<Integer> wrote = new CompletableFuture<>();
        engine.submitWrite(p.writeEnd(), w, 1, -1, wrote::complete);
        assertEquals(1, await(wrote));
        CompletableFuture<Integer> read = new CompletableFuture<>();
        engine.submitRead(p.readEnd(), r, 1, -1, read::complete);
        assertEquals(1, await(read));
        assertEquals(42, r.segment().get(JAVA_BYTE, 0));
        other.free(w);
    }
}
