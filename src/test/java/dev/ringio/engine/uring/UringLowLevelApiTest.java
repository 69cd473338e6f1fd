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
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.engine.uring.Engines.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The allocation-free API where io_uring is concerned: long NOP chains on the loop (also through a
 * full SQ) and raw ops the kernel owns at close. The API's contract is in
 * {@link dev.ringio.conformance.LowLevelContract}.
 */
@ExtendWith(LeakCheck.class)
@ExtendWith(KernelFeatures.NeedsIoUring.class)
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

    // ---- submitRead / submitWrite on a file --------------------------------------------------------

    // ---- bad inputs -------------------------------------------------------------------------------

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
