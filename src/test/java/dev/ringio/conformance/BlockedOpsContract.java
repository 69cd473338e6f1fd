package dev.ringio.conformance;

import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.os.Pipe;
import dev.ringio.testing.KernelWaits;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static dev.ringio.testing.FutureAssertions.failureOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operations that wait for another party inside the kernel (an open of a FIFO with no peer, a
 * splice into a full pipe): cancelling them, closing their descriptor or the engine completes
 * their futures with the failure any cancelled op gets on that engine (never a kernel-internal
 * errno such as ERESTARTSYS 512), {@code engine.close()} returns, a stuck open starves no other
 * file operation, and a descriptor an abandoned open gets later is closed, not leaked.
 *
 * <p>Engines differ in where such an op waits (io_uring's io-wq worker, the readiness engine's
 * pool thread, or nowhere: io_uring opens a FIFO without O_CREAT at once), so the tests wait for
 * the kernel state where it arises and accept a result that won its cancel.
 */
public abstract class BlockedOpsContract extends ContractBase {

    /** Long enough for a kernel worker to reach the wait; a test proceeds anyway after it. */
    private static final Duration REACH_WAIT = Duration.ofSeconds(2);
    private static final Duration GONE = Duration.ofSeconds(20);

    /** A writer for {@code fifo} that never blocks (O_RDWR), opened and closed: the FIFO's stuck readers' opens return. */
    private static void peerComes(Path fifo) throws Exception {
        try (FileChannel ch = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertTrue(ch.isOpen());
        }
    }

    /**
     * The descriptor {@code f} won its cancel with (closed here), or null if it failed with
     * {@code expected}; any other outcome fails the test.
     */
    private static Fd closedIfWon(CompletableFuture<Fd> f, Class<? extends Throwable> expected) throws Exception {
        Throwable t;
        try {
            Fd fd = f.get(20, TimeUnit.SECONDS);
            fd.close();
            return fd;
        } catch (CancellationException e) {
            t = e;
        } catch (java.util.concurrent.ExecutionException e) {
            t = e.getCause();
        }
        assertInstanceOf(expected, t, "a pending open ended");
        return null;
    }

    /** Threads of the process waiting in a FIFO's open now (engines keep their own waits elsewhere). */
    private static int fifoWaiters() {
        return KernelWaits.threadsIn(KernelWaits.FIFO_OPEN);
    }

    @Test
    void aCancelledOpenOfAFifoWithNoWriterCompletesAndItsLateDescriptorIsClosed() throws Exception {
        Path fifo = KernelWaits.mkfifo(dir.resolve("fifo"));
        int before = fifoWaiters();
        CompletableFuture<Fd> open = engine.open(fifo, RO, 0);
        KernelWaits.awaitThreadsIn(before + 1, REACH_WAIT, KernelWaits.FIFO_OPEN);
        open.cancel(true);
        closedIfWon(open, CancellationException.class);
        peerComes(fifo); // an abandoned open(2) returns now: its descriptor must be closed
        KernelWaits.awaitNoDescriptorOn(fifo, GONE);
    }

    @Test
    void aCancelledOpenWithOCreatOfAFifoFailsAsCancelledNotWithAKernelInternalErrno() throws Exception {
        Path fifo = KernelWaits.mkfifo(dir.resolve("fifo"));
        int before = fifoWaiters();
        // O_CREAT: io_uring cannot try it without blocking, so an io-wq worker waits in open(2),
        // and the cancel's signal once made it report ERESTARTSYS (512).
        CompletableFuture<Fd> open = engine.open(fifo, RO | OpenFlags.O_CREAT, 0600);
        assertTrue(KernelWaits.awaitThreadsIn(before + 1, GONE, KernelWaits.FIFO_OPEN), "the open waits for a writer");
        assertFalse(open.isDone(), open.toString());
        assertTrue(open.cancel(true));
        Throwable t = failureOf(open);
        assertInstanceOf(CancellationException.class, t);
        assertTrue(open.isCancelled());
        peerComes(fifo);
        KernelWaits.awaitNoDescriptorOn(fifo, GONE);
    }

    @Test
    void otherFileOperationsCompleteWhileTwelveOpensOfAFifoAreStuck() throws Exception {
        Path fifo = KernelWaits.mkfifo(dir.resolve("fifo"));
        byte[] data = pattern(3000, 4);
        Path regular = file("regular.bin", data);
        int before = fifoWaiters();
        List<CompletableFuture<Fd>> stuck = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            stuck.add(engine.open(fifo, RO, 0));
        }
        // Where opens of a FIFO wait (the readiness engine), let all twelve get there first.
        KernelWaits.awaitThreadsIn(before + 12, REACH_WAIT, KernelWaits.FIFO_OPEN);

        Fd fd = open(regular, RO);
        MemorySegment got = MemorySegment.ofArray(new byte[3000]);
        assertEquals(3000, await(engine.read(fd, got, 0)));
        assertArrayEquals(data, got.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        assertEquals(3000, await(engine.statx(null, regular.toString(), 0, dev.ringio.AtFlags.STATX_BASIC_STATS)).size());
        Fd created = track(await(engine.open(dir.resolve("created"), WO | OpenFlags.O_CREAT, 0600)));
        await(engine.write(created, MemorySegment.ofArray(data), 0));
        await(engine.fsync(created));

        for (CompletableFuture<Fd> f : stuck) {
            f.cancel(true);
        }
        for (CompletableFuture<Fd> f : stuck) {
            closedIfWon(f, CancellationException.class);
        }
        peerComes(fifo);
        KernelWaits.awaitNoDescriptorOn(fifo, GONE);
    }

    @Test
    void engineCloseReturnsWhileAnOpenWaitsInTheKernelAndTheLateDescriptorIsClosed() throws Exception {
        Path fifo = KernelWaits.mkfifo(dir.resolve("fifo"));
        IoEngine own = openOwnEngine();
        int before = fifoWaiters();
        CompletableFuture<Fd> plain = own.open(fifo, RO, 0);
        CompletableFuture<Fd> creating = own.open(fifo, RO | OpenFlags.O_CREAT, 0600);
        KernelWaits.awaitThreadsIn(before + 1, REACH_WAIT, KernelWaits.FIFO_OPEN);
        closeWithin(own);
        closedIfWon(plain, EngineClosedException.class);
        closedIfWon(creating, EngineClosedException.class);
        peerComes(fifo);
        KernelWaits.awaitNoDescriptorOn(fifo, GONE);
    }

    // ---- close(fd) of a descriptor a call waits on without bound --------------------------------------

    /** Where a thread sleeps reading a terminal with no input (drivers/tty/n_tty.c). */
    private static final String[] TTY_READ = {"wait_woken", "n_tty_read"};

    /**
     * close(fd) of a pseudo-terminal master whose read waits for input: the close and the read
     * complete (ECANCELED), whether the engine can stop the call (io_uring signals its worker) or
     * must abandon it (the readiness engine runs it on a thread Java cannot take out of read(2));
     * then the descriptor is closed once the call returns, not before, and not leaked. The echo of
     * a byte written into the master (a fresh pty echoes its input) ends an abandoned read.
     */
    @Test
    void closeOfATerminalWhoseReadWaitsForInputCompletesTheCloseAndTheRead() throws Exception {
        Fd master = await(engine.open(Path.of("/dev/ptmx"), RW | OpenFlags.O_NOCTTY, 0));
        int raw = master.value();
        int before = KernelWaits.threadsIn(TTY_READ);
        CompletableFuture<Integer> read = engine.read(master, MemorySegment.ofArray(new byte[16]), -1);
        KernelWaits.awaitThreadsIn(before + 1, REACH_WAIT, TTY_READ);
        await(engine.noop());
        assertFalse(read.isDone(), "a read of a terminal with no input completed: " + read);

        CompletableFuture<Void> closed = engine.close(master);
        closed.get(20, TimeUnit.SECONDS); // before: pending until someone typed
        failure(read, Errno.ECANCELED);
        if (!master.isReleased()) {
            // An abandoned read still holds the descriptor, so its number still names this
            // terminal: a byte written into it comes back as the read's input and ends the call.
            assertTrue(master.users() > 0, "an unreleased descriptor nobody holds: " + master);
            try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
                MemorySegment x = a.allocate(1);
                x.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 'x');
                assertEquals(1, dev.ringio.sys.Shim.get().write(raw, x.address(), 1));
            }
        }
        master.whenReleased().get(20, TimeUnit.SECONDS);
    }

    /**
     * close(fd) of a directory descriptor under which an open of a FIFO waits for a peer: the
     * close completes, the open fails with ECANCELED, and the descriptor the abandoned open gets
     * when the peer comes is closed; the directory's descriptor is closed once no call holds it.
     */
    @Test
    void closeOfADirectoryUnderWhichAnOpenOfAFifoWaitsCompletesTheCloseAndTheOpen() throws Exception {
        Path fifo = KernelWaits.mkfifo(dir.resolve("fifo"));
        Fd d = await(engine.open(dir, RO | OpenFlags.O_DIRECTORY, 0));
        int before = fifoWaiters();
        CompletableFuture<Fd> open = engine.openat2(d, "fifo", RO | OpenFlags.O_CREAT, 0600, java.util.Set.of());
        assertTrue(KernelWaits.awaitThreadsIn(before + 1, GONE, KernelWaits.FIFO_OPEN), "the open waits for a writer");
        assertFalse(open.isDone(), open.toString());

        CompletableFuture<Void> closed = engine.close(d);
        closed.get(20, TimeUnit.SECONDS); // before (epoll): pending until a writer came
        Fd won = closedIfWon(open, NativeIoException.class);
        if (won == null) {
            failure(open, Errno.ECANCELED);
        }
        peerComes(fifo);
        KernelWaits.awaitNoDescriptorOn(fifo, GONE);
        d.whenReleased().get(20, TimeUnit.SECONDS);
    }

    // ---- a splice into a full pipe ------------------------------------------------------------------

    /** Kernel functions a thread sleeps in while writing into a full pipe. */
    private static final String[] PIPE_FULL = {"pipe_wait_writable", "wait_for_space", "anon_pipe_write", "pipe_write"};

    /** A pipe whose buffer is full, and a source pipe with bytes to splice into it. */
    private record FullPipe(Pipe full, Pipe source) {
    }

    private FullPipe fullPipe(IoEngine e) throws Exception {
        Pipe full = pipe();
        int capacity = full.capacity();
        await(e.write(full.writeEnd(), MemorySegment.ofArray(new byte[capacity]), -1));
        Pipe source = pipe();
        await(e.write(source.writeEnd(), MemorySegment.ofArray(new byte[] {1, 2, 3}), -1));
        return new FullPipe(full, source);
    }

    /** A splice from the source into the full pipe, waiting (where a kernel thread waits for it, that far). */
    private static CompletableFuture<Integer> stuckSplice(IoEngine e, FullPipe p) throws InterruptedException {
        int before = KernelWaits.threadsIn(PIPE_FULL);
        CompletableFuture<Integer> f = e.splice(p.source().readEnd(), p.full().writeEnd(), 3);
        KernelWaits.awaitThreadsIn(before + 1, REACH_WAIT, PIPE_FULL);
        await(e.noop());
        assertFalse(f.isDone(), "a splice into a full pipe completed: " + f);
        return f;
    }

    @Test
    void aCancelledSpliceIntoAFullPipeFailsAsCancelled() throws Exception {
        FullPipe p = fullPipe(engine);
        CompletableFuture<Integer> f = stuckSplice(engine, p);
        assertTrue(f.cancel(true));
        assertInstanceOf(CancellationException.class, failureOf(f));
        assertTrue(f.isCancelled());
    }

    @Test
    void aSpliceIntoAFullPipeWhosePipeIsClosedFailsWithEcanceled() throws Exception {
        FullPipe p = fullPipe(engine);
        CompletableFuture<Integer> f = stuckSplice(engine, p);
        CompletableFuture<Void> closed = engine.close(p.full().writeEnd());
        NativeIoException e = failure(f, Errno.ECANCELED);
        assertEquals("splice", e.op());
        await(closed);
    }

    @Test
    void aSpliceIntoAFullPipeFailsWithEngineClosedWhenTheEngineCloses() throws Exception {
        IoEngine own = openOwnEngine();
        FullPipe p = fullPipe(own);
        CompletableFuture<Integer> f = stuckSplice(own, p);
        closeWithin(own);
        EngineClosedException e = failure(f, EngineClosedException.class);
        assertTrue(e.getMessage().contains("splice"), e.getMessage());
    }

    /** Closes {@code e} on another thread; fails if close() has not returned within 30 s. */
    static void closeWithin(IoEngine e) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofPlatform().daemon(true).name("closer").start(() -> {
            try {
                e.close();
            } catch (Throwable x) {
                failure[0] = x;
            }
        });
        t.join(30_000);
        assertFalse(t.isAlive(), "engine.close() has not returned after 30 s");
        assertNotNull(e);
        if (failure[0] != null) {
            throw new AssertionError("close failed", failure[0]);
        }
        assertTrue(e.isClosed());
    }
}
