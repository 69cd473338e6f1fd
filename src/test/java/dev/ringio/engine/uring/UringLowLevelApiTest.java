package dev.ringio.engine.uring;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.EngineConfig;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.RawCompletion;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.os.Pipe;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.engine.uring.Engines.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.*;

/** The allocation-free API: submitNoop / submitRead / submitWrite with a {@link RawCompletion}. */
@ExtendWith(LeakCheck.class)
class UringLowLevelApiTest {

    private static UringEngine engine;
    private static FixedBufferPool pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws Exception {
        engine = UringEngine.open(EngineConfig.builder().queueDepth(64).fixedBuffers(8, 8192).build());
        pool = engine.bufferPool();
    }

    @AfterAll
    static void close() throws Exception {
        LeakCheck.assertPoolFull(pool);
        assertEquals(0, engine.staleCompletions());
        assertEquals(0, engine.callbackErrors());
        closeWithin(engine);
    }

    // ---- submitNoop ------------------------------------------------------------------------------

    /** Chains 32-noop batches from the completions, on the loop thread, until 100,000 have completed. */
    @Test
    void noopBatchesChainedOnTheLoop() throws Exception {
        final int total = 100_000;
        final int batch = 32;
        CompletableFuture<int[]> done = new CompletableFuture<>();
        // Loop thread only: every field is touched by completions, which run on the loop.
        final class Chain implements RawCompletion {
            int submitted;
            int completed;
            int nonZero;
            int offLoop;

            @Override
            public void onComplete(int result) {
                completed++;
                if (result != 0) {
                    nonZero++;
                }
                if (!engine.inLoop()) {
                    offLoop++;
                }
                if (completed == submitted) {
                    if (submitted == total) {
                        done.complete(new int[] {completed, nonZero, offLoop});
                    } else {
                        submitBatch();
                    }
                } else if (completed > submitted) {
                    done.completeExceptionally(new AssertionError("more completions than submissions"));
                }
            }

            void submitBatch() {
                int n = Math.min(batch, total - submitted);
                submitted += n;
                for (int i = 0; i < n; i++) {
                    engine.submitNoop(this);
                }
            }
        }
        Chain chain = new Chain();
        engine.execute(chain::submitBatch);
        int[] r = await(done);
        assertEquals(total, r[0]);
        assertEquals(0, r[1], "a NOP completed with a non-zero result");
        assertEquals(0, r[2], "a raw completion ran off the loop thread");
        assertEquals(0, slotsInUse(engine));
    }

    /** The same chain on a 2-entry SQ: each batch of 32 overflows the SQ from inside a completion. */
    @Test
    void noopBatchesChainedOnATinyRing() throws Exception {
        UringEngine tiny = UringEngine.open(EngineConfig.builder().queueDepth(2).build());
        try {
            final int total = 20_000;
            CompletableFuture<Integer> done = new CompletableFuture<>();
            final class Chain implements RawCompletion {
                int submitted;
                int completed;

                @Override
                public void onComplete(int result) {
                    if (result != 0) {
                        done.completeExceptionally(new AssertionError("NOP result " + result));
                    }
                    if (++completed == submitted) {
                        if (submitted == total) {
                            done.complete(completed);
                        } else {
                            submitBatch();
                        }
                    }
                }

                void submitBatch() {
                    int n = Math.min(32, total - submitted);
                    submitted += n;
                    for (int i = 0; i < n; i++) {
                        tiny.submitNoop(this);
                    }
                }
            }
            Chain chain = new Chain();
            tiny.execute(chain::submitBatch);
            assertEquals(total, await(done));
            assertEquals(0, slotsInUse(tiny));
            assertEquals(0, tiny.staleCompletions());
        } finally {
            closeWithin(tiny);
        }
    }

    @Test
    void submitNoopFromAnotherThreadCompletesOnTheLoop() throws Exception {
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        AtomicInteger result = new AtomicInteger(-1);
        engine.submitNoop(r -> {
            result.set(r);
            onLoop.complete(engine.inLoop());
        });
        assertTrue(await(onLoop));
        assertEquals(0, result.get());
    }

    @Test
    void submitNoopRejectsNull() {
        assertThrows(NullPointerException.class, () -> engine.submitNoop(null));
    }

    // ---- submitRead / submitWrite on a file --------------------------------------------------------

    @Test
    void writeThenReadAFileThroughChunks() throws Exception {
        Path file = dir.resolve("raw.bin");
        Fd fd = await(engine.open(file, OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0600));
        Chunk out = pool.alloc();
        Chunk in = pool.alloc();
        try {
            byte[] pattern = new byte[5000];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = (byte) (i * 31 + 7);
            }
            MemorySegment.copy(MemorySegment.ofArray(pattern), 0, out.segment(), 0, pattern.length);

            CompletableFuture<Integer> wrote = new CompletableFuture<>();
            engine.submitWrite(fd, out, pattern.length, 100, wrote::complete);
            assertEquals(pattern.length, await(wrote));
            byte[] onDisk = Files.readAllBytes(file);
            assertEquals(100 + pattern.length, onDisk.length);
            assertArrayEquals(pattern, Arrays.copyOfRange(onDisk, 100, onDisk.length));

            CompletableFuture<Integer> read = new CompletableFuture<>();
            engine.submitRead(fd, in, 6000, 100, read::complete);
            assertEquals(pattern.length, await(read), "a read past the end returns what there is");
            assertArrayEquals(pattern, in.segment().asSlice(0, pattern.length).toArray(JAVA_BYTE));

            CompletableFuture<Integer> eof = new CompletableFuture<>();
            engine.submitRead(fd, in, 10, 100 + pattern.length, eof::complete);
            assertEquals(0, await(eof), "0 at end of file");

            CompletableFuture<Integer> none = new CompletableFuture<>();
            engine.submitRead(fd, in, 0, 0, none::complete);
            assertEquals(0, await(none), "a zero-length read is allowed");

            assertEquals(0, fd.users());
            assertEquals(0, out.retainCount());
            assertEquals(0, in.retainCount());
        } finally {
            pool.free(out);
            pool.free(in);
            await(engine.close(fd));
        }
        assertTrue(fd.isReleased());
    }

    @Test
    void readOnACurrentPositionAdvancesIt() throws Exception {
        Path file = dir.resolve("pos.txt");
        Files.writeString(file, "abcdef");
        Fd fd = await(engine.open(file, OpenFlags.O_RDONLY, 0));
        Chunk c = pool.alloc();
        try {
            CompletableFuture<Integer> first = new CompletableFuture<>();
            engine.submitRead(fd, c, 2, -1, first::complete);
            assertEquals(2, await(first));
            CompletableFuture<Integer> second = new CompletableFuture<>();
            engine.submitRead(fd, c, 2, -1, second::complete);
            assertEquals(2, await(second));
            assertEquals("cd", new String(c.segment().asSlice(0, 2).toArray(JAVA_BYTE)));
        } finally {
            pool.free(c);
            fd.close();
        }
    }

    /**
     * The chunk and the fd belong to the op from submit to completion: inside that window the
     * chunk cannot be freed and a close of the fd is deferred. Submitting inside an execute() task
     * makes the window certain: the completion cannot run before the task returns.
     */
    @Test
    void chunkAndFdAreHeldUntilTheCompletionRuns() throws Exception {
        Path file = dir.resolve("held.bin");
        Fd fd = await(engine.open(file, OpenFlags.O_RDWR | OpenFlags.O_CREAT, 0600));
        Chunk c = pool.alloc();
        CompletableFuture<Integer> wrote = new CompletableFuture<>();
        AtomicReference<int[]> inCallback = new AtomicReference<>();
        IllegalStateException refused = onLoop(engine, () -> {
            engine.submitWrite(fd, c, 4096, 0, r -> {
                inCallback.set(new int[] {c.retainCount(), fd.users()});
                wrote.complete(r);
            });
            assertEquals(1, c.retainCount());
            assertEquals(1, fd.users());
            return assertThrows(IllegalStateException.class, () -> pool.free(c));
        });
        assertTrue(refused.getMessage().contains("retained"), refused.getMessage());
        assertEquals(4096, await(wrote));
        assertArrayEquals(new int[] {0, 0}, inCallback.get(), "released before the completion is called");
        pool.free(c); // works now
        assertFalse(c.isLive());
        fd.close();
        assertTrue(fd.isReleased());
    }

    @Test
    void pendingPipeReadHoldsChunkAndDefersFdClose() throws Exception {
        Pipe p = Pipe.open();
        Chunk c = pool.alloc();
        CompletableFuture<Integer> read = new CompletableFuture<>();
        engine.submitRead(p.readEnd(), c, 100, -1, read::complete);
        assertEquals(1, c.retainCount());
        assertEquals(1, p.readEnd().users());
        IllegalStateException ex = assertThrows(IllegalStateException.class, () -> pool.free(c));
        assertTrue(ex.getMessage().contains("retained"), ex.getMessage());
        p.readEnd().close(); // deferred: the read holds it
        assertFalse(p.readEnd().isReleased());
        assertFalse(read.isDone());

        byte[] hello = "hello".getBytes();
        Chunk w = pool.alloc();
        MemorySegment.copy(MemorySegment.ofArray(hello), 0, w.segment(), 0, hello.length);
        CompletableFuture<Integer> wrote = new CompletableFuture<>();
        engine.submitWrite(p.writeEnd(), w, hello.length, -1, wrote::complete);
        assertEquals(hello.length, await(wrote));
        assertEquals(hello.length, await(read));
        assertArrayEquals(hello, c.segment().asSlice(0, hello.length).toArray(JAVA_BYTE));
        assertTrue(p.readEnd().isReleased(), "the completed read released the last hold: closed now");
        assertEquals(0, c.retainCount());
        pool.free(c);
        pool.free(w);
        p.close();
        assertTrue(p.writeEnd().isReleased());
    }

    // ---- bad inputs -------------------------------------------------------------------------------

    @Test
    void badArgumentsFailFastAndTakeNothing() throws Exception {
        try (Pipe p = Pipe.open()) {
            Fd fd = p.readEnd();
            Chunk c = pool.alloc();
            try {
                RawCompletion never = r -> fail("no completion for a refused submission");
                IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                        () -> engine.submitRead(fd, c, -1, 0, never));
                assertTrue(neg.getMessage().contains("read"), neg.getMessage());
                assertThrows(IllegalArgumentException.class, () -> engine.submitWrite(fd, c, -5, 0, never));
                IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                        () -> engine.submitRead(fd, c, c.size() + 1, 0, never));
                assertTrue(big.getMessage().contains(String.valueOf(c.size())), big.getMessage());
                assertThrows(IllegalArgumentException.class, () -> engine.submitWrite(fd, c, c.size() + 1, 0, never));
                IllegalArgumentException off = assertThrows(IllegalArgumentException.class,
                        () -> engine.submitRead(fd, c, 1, -2, never));
                assertTrue(off.getMessage().contains("-2"), off.getMessage());
                assertThrows(IllegalArgumentException.class, () -> engine.submitWrite(fd, c, 1, Long.MIN_VALUE, never));
                assertThrows(NullPointerException.class, () -> engine.submitRead(null, c, 1, 0, never));
                assertThrows(NullPointerException.class, () -> engine.submitRead(fd, null, 1, 0, never));
                assertThrows(NullPointerException.class, () -> engine.submitRead(fd, c, 1, 0, null));
                assertEquals(0, fd.users());
                assertEquals(0, c.retainCount());
            } finally {
                pool.free(c);
            }
        }
    }

    @Test
    void argumentsAreCheckedBeforeTheFd() throws Exception {
        Pipe p = Pipe.open();
        p.close();
        Chunk c = pool.alloc();
        try {
            // A closed fd and a bad length: the argument error comes first, before anything is taken.
            assertThrows(IllegalArgumentException.class, () -> engine.submitRead(p.readEnd(), c, -1, 0, r -> { }));
        } finally {
            pool.free(c);
        }
    }

    @Test
    void closedFdFailsWithEbadfNamingTheOp() throws Exception {
        Pipe p = Pipe.open();
        p.close();
        Chunk c = pool.alloc();
        try {
            NativeIoException r = assertThrows(NativeIoException.class,
                    () -> engine.submitRead(p.readEnd(), c, 1, -1, x -> fail("no completion")));
            assertTrue(r.is(Errno.EBADF), r.getMessage());
            assertEquals("read", r.op());
            NativeIoException w = assertThrows(NativeIoException.class,
                    () -> engine.submitWrite(p.writeEnd(), c, 1, -1, x -> fail("no completion")));
            assertTrue(w.is(Errno.EBADF), w.getMessage());
            assertEquals("write", w.op());
            assertEquals(0, c.retainCount(), "nothing retained by a refused submission");
        } finally {
            pool.free(c);
        }
    }

    @Test
    void freedChunkFailsWithIllegalStateAndReleasesTheFd() throws Exception {
        try (Pipe p = Pipe.open()) {
            Chunk c = pool.alloc();
            pool.free(c);
            IllegalStateException r = assertThrows(IllegalStateException.class,
                    () -> engine.submitRead(p.readEnd(), c, 1, -1, x -> fail("no completion")));
            assertTrue(r.getMessage().contains("freed"), r.getMessage());
            assertThrows(IllegalStateException.class,
                    () -> engine.submitWrite(p.writeEnd(), c, 1, -1, x -> fail("no completion")));
            assertEquals(0, p.readEnd().users(), "the fd acquired before the chunk check is released");
            assertEquals(0, p.writeEnd().users());
        }
    }

    @Test
    void kernelErrorsArriveAsNegativeErrno() throws Exception {
        Path file = dir.resolve("ro.txt");
        Files.writeString(file, "read only");
        Fd fd = await(engine.open(file, OpenFlags.O_RDONLY, 0));
        Chunk c = pool.alloc();
        try {
            CompletableFuture<Integer> r = new CompletableFuture<>();
            engine.submitWrite(fd, c, 4, 0, r::complete);
            assertEquals(-Errno.EBADF.value(), await(r), "write on an O_RDONLY fd");
            Fd dirFd = await(engine.open(dir, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, 0));
            try {
                CompletableFuture<Integer> s = new CompletableFuture<>();
                engine.submitRead(dirFd, c, 4, 0, s::complete);
                assertEquals(-Errno.EISDIR.value(), await(s), "a read of a directory");
                assertEquals(0, dirFd.users());
            } finally {
                dirFd.close();
            }
            assertEquals(0, c.retainCount());
            assertEquals(0, fd.users());
        } finally {
            pool.free(c);
            fd.close();
        }
    }

    @Test
    void chunkOfAnUnregisteredPoolUsesPlainReadWrite() throws Exception {
        try (FixedBufferPool other = FixedBufferPool.allocate(1, 4096); Pipe p = Pipe.open()) {
            Chunk w = other.alloc();
            Chunk r = pool.alloc();
            try {
                w.segment().set(JAVA_BYTE, 0, (byte) 42);
                CompletableFuture<Integer> wrote = new CompletableFuture<>();
                engine.submitWrite(p.writeEnd(), w, 1, -1, wrote::complete);
                assertEquals(1, await(wrote));
                CompletableFuture<Integer> read = new CompletableFuture<>();
                engine.submitRead(p.readEnd(), r, 1, -1, read::complete);
                assertEquals(1, await(read));
                assertEquals(42, r.segment().get(JAVA_BYTE, 0));
            } finally {
                other.free(w);
                pool.free(r);
            }
        }
    }

    @Test
    void rawOpsPendingAtCloseCompleteWithEcanceledAndReleaseWhatTheyHeld() throws Exception {
        FixedBufferPool own = FixedBufferPool.allocate(2, 4096);
        UringEngine e = UringEngine.open(EngineConfig.builder().queueDepth(8).bufferPool(own).build());
        Pipe p = Pipe.open();
        Chunk c = own.alloc();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        e.submitRead(p.readEnd(), c, 16, -1, r -> {
            result.set(r);
            calls.incrementAndGet();
        });
        eventually("the read is in the kernel", () -> {
            try {
                return slotsInUse(e) == 1;
            } catch (Exception x) {
                throw new AssertionError(x);
            }
        });
        closeWithin(e);
        assertEquals(1, calls.get());
        assertEquals(-Errno.ECANCELED.value(), result.get());
        assertEquals(0, c.retainCount());
        assertEquals(0, p.readEnd().users());
        own.free(c);
        own.close();
        p.close();
        assertTrue(p.readEnd().isReleased());
    }
}
