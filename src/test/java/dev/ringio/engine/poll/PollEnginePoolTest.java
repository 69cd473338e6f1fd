package dev.ringio.engine.poll;

import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.EngineClosedException;
import dev.ringio.EngineConfig;
import dev.ringio.Fd;
import dev.ringio.Errno;
import dev.ringio.OpenFlags;
import dev.ringio.engine.BouncePool;
import dev.ringio.sys.Shim;
import dev.ringio.testing.KernelWaits;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static dev.ringio.testing.FutureAssertions.failureOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readiness engine's pool threads with calls that wait for another party (an open of a FIFO
 * with no writer): on the smallest pool ({@code ioWorkers(1, 1)}), stuck opens leave file I/O and
 * other opens to run, cancel and {@code close()} complete them at once (abandoned), and the
 * descriptor such an open gets later is closed by its thread.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PollEnginePoolTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static PollEngine smallest() throws Exception {
        return PollEngine.openEpoll(EngineConfig.builder().fixedBuffers(4, 4096).ioWorkers(1, 1).build());
    }

    private static void peerComes(Path fifo) throws Exception {
        try (FileChannel ch = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertTrue(ch.isOpen());
        }
    }

    @Test
    void twelveOpensStuckOnAFifoStarveNeitherFileIoNorOtherOpensAndCancelAbandonsThem(@TempDir Path dir) throws Exception {
        Path fifo = KernelWaits.mkfifo(dir.resolve("fifo"));
        Path file = dir.resolve("data");
        byte[] data = new byte[5000];
        new java.util.Random(3).nextBytes(data);
        Files.write(file, data);
        try (PollEngine e = smallest()) {
            int before = KernelWaits.threadsIn(KernelWaits.FIFO_OPEN);
            List<CompletableFuture<Fd>> stuck = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                stuck.add(e.open(fifo, OpenFlags.O_RDONLY, 0));
            }
            assertTrue(KernelWaits.awaitThreadsIn(before + 12, WAIT, KernelWaits.FIFO_OPEN),
                    "twelve pool threads wait in open(2)");

            Fd fd = await(e.open(file, OpenFlags.O_RDWR, 0));
            MemorySegment got = MemorySegment.ofArray(new byte[5000]);
            assertEquals(5000, await(e.read(fd, got, 0)));
            assertArrayEquals(data, got.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            await(e.write(fd, MemorySegment.ofArray(data), 5000));
            await(e.fsync(fd));
            assertEquals(10_000, await(e.fstat(fd)).size());
            await(e.close(fd));

            for (CompletableFuture<Fd> f : stuck) {
                assertFalse(f.isDone(), f.toString());
                assertTrue(f.cancel(true));
            }
            for (CompletableFuture<Fd> f : stuck) {
                assertInstanceOf(CancellationException.class, failureOf(f)); // at once: the threads are still in open(2)
                assertTrue(f.isCancelled());
            }
            assertEquals(before + 12, KernelWaits.threadsIn(KernelWaits.FIFO_OPEN), "the abandoned calls still wait");
        }
        peerComes(fifo);
        KernelWaits.awaitNoDescriptorOn(fifo, WAIT);
    }

    @Test
    void closeReturnsWhileAPoolThreadIsStuckInOpenAndTheThreadClosesWhatItGetsLater(@TempDir Path dir) throws Exception {
        Path fifo = KernelWaits.mkfifo(dir.resolve("fifo"));
        PollEngine e = smallest();
        int before = KernelWaits.threadsIn(KernelWaits.FIFO_OPEN);
        CompletableFuture<Fd> stuck = e.open(fifo, OpenFlags.O_RDONLY, 0);
        assertTrue(KernelWaits.awaitThreadsIn(before + 1, WAIT, KernelWaits.FIFO_OPEN));
        Thread closer = Thread.ofPlatform().daemon(true).start(e::close);
        closer.join(WAIT.toMillis());
        assertFalse(closer.isAlive(), "close() returned while a pool thread is in open(2)");
        EngineClosedException c = failure(stuck, EngineClosedException.class);
        assertTrue(c.getMessage().contains("openat2"), c.getMessage());
        assertEquals(before + 1, KernelWaits.threadsIn(KernelWaits.FIFO_OPEN), "the abandoned call still waits");
        peerComes(fifo);
        KernelWaits.awaitNoDescriptorOn(fifo, WAIT);
    }

    @Test
    void anOpenThatWinsItsRaceWithTheCancelIsDeliveredOrClosedNeverLeaked(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[1]);
        try (PollEngine e = smallest()) {
            for (int i = 0; i < 200; i++) {
                CompletableFuture<Fd> f = e.open(file, OpenFlags.O_RDONLY, 0);
                f.cancel(true);
                try {
                    Fd fd = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    fd.close();
                } catch (CancellationException cancelled) {
                    // the cancel won: a descriptor the call got is closed by its thread
                }
            }
        }
        KernelWaits.awaitNoDescriptorOn(file, WAIT);
    }

    /** Where a thread sleeps reading a terminal with no input (drivers/tty/n_tty.c). */
    private static final String[] TTY_READ = {"wait_woken", "n_tty_read"};

    /**
     * A read of a terminal into heap memory goes through bounce memory; cancelled while its pool
     * thread is in read(2), the call is abandoned, and the bounce memory must stay out of the pool
     * until the call returns (the kernel may still write into it), then go back. Before the fix it
     * went back at the cancel.
     */
    @Test
    void anAbandonedReadIntoHeapMemoryKeepsItsBounceMemoryUntilTheCallReturns() throws Exception {
        abandonedReadKeepsBounceMemory(true);
    }

    /** The same when close(fd) abandons the read. */
    @Test
    void aReadAbandonedByCloseOfItsDescriptorKeepsItsBounceMemoryUntilTheCallReturns() throws Exception {
        abandonedReadKeepsBounceMemory(false);
    }

    private static void abandonedReadKeepsBounceMemory(boolean byCancel) throws Exception {
        try (PollEngine e = smallest()) {
            Fd master = await(e.open(Path.of("/dev/ptmx"), OpenFlags.O_RDWR | OpenFlags.O_NOCTTY, 0));
            int raw = master.value();
            int before = KernelWaits.threadsIn(TTY_READ);
            long leasedBefore = BouncePool.SHARED.leased();
            CompletableFuture<Integer> read = e.read(master, MemorySegment.ofArray(new byte[16]), -1);
            assertEquals(leasedBefore + 1, BouncePool.SHARED.leased(), "the read took bounce memory");
            assertTrue(KernelWaits.awaitThreadsIn(before + 1, WAIT, TTY_READ), "a pool thread waits in read(2)");

            if (byCancel) {
                assertTrue(read.cancel(true));
                assertInstanceOf(CancellationException.class, failureOf(read));
            } else {
                e.close(master).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                failure(read, Errno.ECANCELED);
            }
            assertEquals(before + 1, KernelWaits.threadsIn(TTY_READ), "the abandoned call still waits");
            assertEquals(leasedBefore + 1, BouncePool.SHARED.leased(),
                    "the bounce memory went back to the pool while read(2) may still write into it");

            // The abandoned call still holds the descriptor: a byte written into the master comes
            // back as its echo, the read returns, and its thread lets go of what the op held.
            try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
                MemorySegment x = a.allocate(1);
                x.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 'x');
                assertEquals(1, Shim.get().write(raw, x.address(), 1));
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (BouncePool.SHARED.leased() != leasedBefore && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(leasedBefore, BouncePool.SHARED.leased(), "the bounce memory back once the call returned");
            if (byCancel) {
                await(e.close(master));
            }
            master.whenReleased().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
