package dev.ringio.conformance;

import java.io.EOFException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.ringio.AtFlags;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.FileStat;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.Resolve;
import dev.ringio.Whence;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.os.Pipe;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static dev.ringio.testing.FutureAssertions.failureOf;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips that touch no descriptor: noop, sleep / sleepUntil, getrandom, execute, and what an engine says about itself. */
public abstract class BasicsContract extends ContractBase {

    // ---- noop, sleep, sleepUntil -----------------------------------------------------------------

    @Test
    void noopCompletes() {
        assertNull(await(engine.noop()));
    }

    @Test
    void sleepDoesNotCompleteBeforeTheDelay() {
        long start = System.nanoTime();
        await(engine.sleep(Duration.ofMillis(50)));
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(50), "completed after " + elapsed + " ns");
    }

    @Test
    void sleepZeroCompletes() {
        assertNull(await(engine.sleep(Duration.ZERO)));
    }

    @Test
    void sleepNegativeThrowsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> engine.sleep(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> engine.sleep(null));
    }

    @Test
    void sleepUntilDoesNotCompleteBeforeTheDeadline() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(40);
        await(engine.sleepUntil(deadline));
        long now = System.nanoTime();
        assertTrue(now - deadline >= 0, "completed " + (deadline - now) + " ns before the deadline");
    }

    @Test
    void sleepUntilAPastDeadlineCompletes() {
        await(engine.sleepUntil(System.nanoTime() - TimeUnit.SECONDS.toNanos(1)));
        await(engine.sleepUntil(Long.MIN_VALUE));
    }

    @Test
    void sleepsCompleteInDeadlineOrder() {
        long now = System.nanoTime();
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i : new int[] {3, 1, 2}) {
            all.add(engine.sleepUntil(now + TimeUnit.MILLISECONDS.toNanos(30L * i)).thenRun(() -> order.add(i)));
        }
        await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
        assertEquals(List.of(1, 2, 3), order);
    }


    // ---- getrandom -------------------------------------------------------------------------------

    @Test
    void getrandomFillsNativeAndHeapSegments() {
        MemorySegment nat = Arena.ofAuto().allocate(4096);
        assertEquals(4096, await(engine.getrandom(nat)));
        assertFalse(allZero(nat.toArray(JAVA_BYTE)), "native segment still all zero");
        byte[] arr = new byte[4096];
        assertEquals(4096, await(engine.getrandom(MemorySegment.ofArray(arr))));
        assertFalse(allZero(arr), "heap segment still all zero");
        byte[] big = new byte[1 << 20];
        assertEquals(1 << 20, await(engine.getrandom(MemorySegment.ofArray(big))));
        assertFalse(allZero(slice(big, big.length - 64, big.length)), "tail of a 1 MiB heap segment still zero");
        assertEquals(0, await(engine.getrandom(MemorySegment.ofArray(new byte[0]))));
    }

    @Test
    void getrandomBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> engine.getrandom(MemorySegment.ofArray(new byte[8]).asReadOnly()));
        assertThrows(NullPointerException.class, () -> engine.getrandom(null));
    }

    // ---- what the engine says about itself ------------------------------------------------------

    @Test
    void nameCapabilitiesAndState() {
        assertTrue(Set.of("io_uring", "epoll", "kqueue").contains(engine.name()), engine.name());
        assertNotNull(engine.capabilities());
        for (dev.ringio.Capability c : dev.ringio.Capability.values()) {
            assertEquals(engine.capabilities().contains(c), engine.supports(c), c.name());
        }
        assertThrows(UnsupportedOperationException.class, () -> engine.capabilities().add(dev.ringio.Capability.ZERO_COPY_SEND));
        assertEquals(engine.supports(dev.ringio.Capability.REGISTERED_BUFFERS), engine.fixedBuffersRegistered());
        assertFalse(engine.isClosed());
        assertFalse(engine.inLoop(), "the test thread is not the loop thread");
        assertNotNull(engine.bufferPool());
        assertTrue(engine.bufferPool().chunkCount() >= 16, engine.bufferPool().toString());
    }

    // ---- execute ----------------------------------------------------------------------------------

    @Test
    void executeRunsTasksInOrderOnTheLoop() {
        List<Integer> order = new ArrayList<>();
        List<Boolean> inLoop = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            engine.execute(() -> {
                inLoop.add(engine.inLoop());
                order.add(n);
                if (n == 999) {
                    done.complete(null);
                }
            });
        }
        await(done);
        assertEquals(IntStream.range(0, 1000).boxed().toList(), onLoop(() -> new ArrayList<>(order)));
        assertFalse(onLoop(() -> inLoop.contains(false)), "every task ran on the loop thread");
    }

    @Test
    void executeFromTheLoopRunsLaterNotReentrantly() {
        List<String> order = new ArrayList<>();
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        engine.execute(() -> {
            engine.execute(() -> {
                order.add("inner");
                result.complete(order);
            });
            order.add("outer done");
        });
        assertEquals(List.of("outer done", "inner"), await(result));
    }

    @Test
    void executeRejectsNull() {
        assertThrows(NullPointerException.class, () -> engine.execute(null));
    }

    @Test
    void futuresCompleteOnTheLoopThread() throws Exception {
        dev.ringio.os.Pipe p = pipe();
        // the stage is attached while the op cannot complete yet (nothing written), so it runs as part of the completion
        CompletableFuture<Boolean> readable = engine.awaitReadable(p.readEnd()).thenApply(v -> engine.inLoop());
        CompletableFuture<Void> sleep = engine.sleep(Duration.ofHours(1));
        await(engine.write(p.writeEnd(), java.nio.ByteBuffer.wrap(new byte[] {1}), -1));
        assertTrue(await(readable), "the completion ran on the loop thread");
        sleep.cancel(true);
    }
}
