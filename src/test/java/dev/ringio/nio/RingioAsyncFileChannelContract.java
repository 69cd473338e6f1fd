package dev.ringio.nio;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.nio.NioTesting.get;
import static dev.ringio.nio.NioTesting.stillPending;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The file-channel suite on {@link RingioAsynchronousFileChannel} over one engine (per concrete
 * subclass, {@link #engineName()}), plus its OFD-lock behaviour.
 */
@ExtendWith(LeakCheck.class)
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
abstract class RingioAsyncFileChannelContract extends AsyncFileChannelContract {

    private IoEngine engine;

    /** The engine to run on, as {@link IoEngines#open(String, EngineConfig)} names it. */
    abstract String engineName();

    @BeforeAll
    void openEngine() throws Exception {
        if (!engineName().equals("io_uring")) {
            // (io_uring: the subclass is skipped when the kernel lacks it; any other refusal must fail.)
            String why = IoEngines.availability().get(engineName());
            assumeTrue("available".equals(why), engineName() + " cannot start here: " + why);
        }
        engine = IoEngines.open(engineName(), EngineConfig.defaults());
    }

    @AfterAll
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Override
    protected AsynchronousFileChannel open(Path file, Set<? extends OpenOption> options, ExecutorService executor,
            FileAttribute<?>... attrs) throws IOException {
        return RingioAsynchronousFileChannel.open(engine, file, options, executor, attrs);
    }

    /**
     * The class's threading rule: on the engine's loop thread (a handler of a fixed-thread-pool
     * group on the same engine, say) {@code size}, {@code truncate} and {@code force}, which wait for
     * that loop, are refused with IllegalStateException instead of hanging it, and {@code close}
     * does not wait there: the channel is closed and the loop goes on.
     */
    @Test
    void waitsAreRefusedOnTheLoopThreadAndCloseDoesNotWaitThere() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[] {1, 2, 3, 4});
        AsynchronousFileChannel ch = open(f, Set.of(READ, WRITE), executor);
        CompletableFuture<List<Object>> seen = new CompletableFuture<>();
        engine.execute(() -> {
            List<Object> outcomes = new ArrayList<>();
            outcomes.add(engine.inLoop());
            for (Callable<?> wait : List.<Callable<?>>of(
                    ch::size, () -> ch.truncate(1), () -> {
                        ch.force(true);
                        return null;
                    })) {
                try {
                    outcomes.add(wait.call());
                } catch (Throwable t) {
                    outcomes.add(t.getClass());
                }
            }
            try {
                ch.close();
                outcomes.add(ch.isOpen());
            } catch (Throwable t) {
                outcomes.add(t);
            }
            seen.complete(outcomes);
        });
        assertEquals(List.of(true, IllegalStateException.class, IllegalStateException.class,
                IllegalStateException.class, false), get(seen));
        assertEquals(4, Files.size(f), "truncate ran although refused");
    }

    /**
     * A buffer of a confined arena fails the read or write as the socket channels of both
     * providers fail it (AsyncSocketChannelContract): the Future with an IOException caused by
     * the IllegalStateException, a handler with the IllegalStateException; the file is untouched.
     * Not a contract test: the JDK's file channel (JDK 25) lets the IllegalStateException escape
     * on its pool thread and never completes the future or calls the handler.
     */
    @Test
    void aBufferOfAConfinedArenaFailsTheOperationAsTheSocketChannelsDo() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[] {1, 2, 3, 4});
        try (AsynchronousFileChannel ch = open(f, Set.of(READ, WRITE), executor);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.nio.ByteBuffer b = arena.allocate(4).asByteBuffer();
            for (Future<Integer> op : List.of(ch.read(b, 0), ch.write(b, 0))) {
                Throwable t = NioTesting.failureOf(op);
                assertInstanceOf(IOException.class, t);
                assertInstanceOf(IllegalStateException.class, t.getCause(), t.toString());
            }
            NioTesting.Recorder<Integer, String> read = new NioTesting.Recorder<>();
            ch.read(b, 0, "r", read);
            assertInstanceOf(IllegalStateException.class, read.failure());
            NioTesting.Recorder<Integer, String> write = new NioTesting.Recorder<>();
            ch.write(b, 0, "w", write);
            assertInstanceOf(IllegalStateException.class, write.failure());
            assertEquals(0, b.position());
        }
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Files.readAllBytes(f));
    }

    /**
     * A lock of size 0 is "to the end of the file, however far it grows" in the kernel too
     * ({@code l_len} 0): another open file description finds every offset from its position on
     * taken, up to the largest one, and nothing before it; releasing it frees all of that range.
     */
    @Test
    void aLockOfSizeZeroHoldsEveryOffsetFromItsPositionAgainstOtherChannels() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[10]);
        try (AsynchronousFileChannel first = open(f, Set.of(READ, WRITE), executor);
             AsynchronousFileChannel second = open(f, Set.of(READ, WRITE), executor)) {
            FileLock tail = first.tryLock(10, 0, false);
            assertNotNull(tail);
            assertNull(second.tryLock(1L << 40, 1, true), "an offset far beyond the end is locked");
            assertNull(second.tryLock(Long.MAX_VALUE, 0, true), "the largest offset is locked");
            assertNull(second.tryLock(9, 2, true));
            FileLock head = second.tryLock(0, 10, false);
            assertNotNull(head, "the bytes before the position are free");
            head.release();
            tail.release();
            FileLock last = second.tryLock(Long.MAX_VALUE, 0, false);
            assertNotNull(last, "the release freed the whole range, up to the largest offset");
            last.release();
            FileLock far = second.tryLock(1L << 40, 1, false);
            assertNotNull(far);
            far.release();
        }
    }

    /**
     * Not JDK behaviour (the JDK throws OverlappingFileLockException for a second channel of the
     * same JVM): OFD locks make two channels conflict like two processes; lock() waits, then gets it.
     */
    @Test
    void aSecondChannelWaitsForTheFirstOnesLock() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[10]);
        try (AsynchronousFileChannel first = open(f, Set.of(READ, WRITE), executor);
             AsynchronousFileChannel second = open(f, Set.of(READ, WRITE), executor)) {
            FileLock held = first.tryLock();
            assertNotNull(held);
            assertNull(second.tryLock(), "an OFD lock of another open file description conflicts");
            assertNull(second.tryLock(0, 5, true));
            Future<FileLock> waiting = second.lock();
            assertTrue(stillPending(waiting, 100));
            held.release();
            FileLock got = get(waiting);
            assertTrue(got.isValid());
            got.release();
            // A waiting lock() ends with AsynchronousCloseException when its channel closes.
            FileLock again = first.tryLock();
            Future<FileLock> doomed = second.lock();
            assertTrue(stillPending(doomed, 50));
            second.close();
            assertInstanceOf(java.nio.channels.AsynchronousCloseException.class, NioTesting.failureOf(doomed));
            again.release();
        }
    }
}
