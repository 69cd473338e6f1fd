package dev.ringio.conformance;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.OpenFlags;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.os.Pipe;

import static dev.ringio.testing.FutureAssertions.TIMEOUT;
import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static dev.ringio.testing.FutureAssertions.unwrap;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Memory handed to the kernel (see {@code dev.ringio.engine.Bounce}): memory that is not alive is
 * refused before anything reaches the kernel; memory of a confined arena is refused (as the JDK's
 * asynchronous channels do); a shared arena closed while a read or write is in flight never lets the
 * kernel touch freed memory, and every future completes; heap and shared-arena memory still moves
 * the right bytes, through bounce memory, whatever its size.
 */
public abstract class MemoryContract extends ContractBase {

    /** A segment of a shared arena that is already closed. */
    private static MemorySegment closedSegment(int size) {
        Arena a = Arena.ofShared();
        MemorySegment s = a.allocate(size);
        a.close();
        return s;
    }

    private static void assertRefused(String op, Supplier<CompletableFuture<?>> call) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call::get,
                op + " accepted memory that is not alive");
        assertTrue(e.getMessage().startsWith(op + ":"), () -> "message does not name " + op + ": " + e.getMessage());
    }

    @Test
    void memoryOfAClosedArenaIsRefusedBeforeAnyFileOrPipeOpReachesTheKernel() throws Exception {
        Path p = file("f", new byte[0]);
        Fd f = open(p, RW);
        Pipe pipe = pipe();
        await(engine.write(pipe.writeEnd(), text("queued"), -1));
        MemorySegment dead = closedSegment(16);
        ByteBuffer deadBuf = dead.asByteBuffer();
        ByteBuffer live = ByteBuffer.allocate(4);
        assertRefused("read", () -> engine.read(pipe.readEnd(), dead, -1));
        assertRefused("read", () -> engine.read(pipe.readEnd(), deadBuf, -1));
        assertRefused("readv", () -> engine.readv(pipe.readEnd(), new ByteBuffer[] {live, deadBuf}, -1));
        assertRefused("readv", () -> engine.readv(pipe.readEnd(), new MemorySegment[] {MemorySegment.ofArray(new byte[4]), dead}, -1));
        assertRefused("write", () -> engine.write(f, dead, 0));
        assertRefused("write", () -> engine.write(f, deadBuf, 0));
        assertRefused("writev", () -> engine.writev(f, new ByteBuffer[] {text("x"), deadBuf}, 0));
        assertRefused("writevSingle", () -> engine.writevSingle(f, new ByteBuffer[] {deadBuf}, 0));
        assertRefused("getrandom", () -> engine.getrandom(dead));
        // Nothing reached the kernel: the file is empty, the pipe still holds what was queued,
        // and the heap buffer of the refused readv is untouched.
        assertEquals(0, Files.size(p));
        assertEquals(4, live.remaining());
        ByteBuffer got = ByteBuffer.allocate(16);
        assertEquals(6, await(engine.read(pipe.readEnd(), got, -1)));
        assertEquals("queued", string(got, 6));
    }

    @Test
    void memoryOfAClosedArenaIsRefusedBeforeAnySocketOpReachesTheKernel() throws Exception {
        Fd[] s = socketPair(STREAM);
        await(engine.send(s[1], text("queued"), NO_FLAGS));
        ByteBuffer deadBuf = closedSegment(16).asByteBuffer();
        assertRefused("send", () -> engine.send(s[0], deadBuf, NO_FLAGS));
        assertRefused("sendAll", () -> engine.sendAll(s[0], deadBuf, NO_FLAGS));
        assertRefused("recv", () -> engine.recv(s[0], deadBuf, NO_FLAGS));
        assertRefused("recvFrom", () -> engine.recvFrom(s[0], deadBuf, NO_FLAGS));
        assertRefused("sendMsg", () -> engine.sendMsg(s[0], new ByteBuffer[] {text("x"), deadBuf}, List.of(), null));
        assertRefused("recvMsg", () -> engine.recvMsg(s[0], new ByteBuffer[] {deadBuf}));
        assertRefused("recvMsgWithFds", () -> engine.recvMsgWithFds(s[0], 1, new ByteBuffer[] {deadBuf}));
        // Every engine checks its arguments the same way, whether or not it can send zero-copy.
        assertRefused("sendZeroCopy", () -> engine.sendZeroCopy(s[0], deadBuf, NO_FLAGS));
        // Nothing was sent (the peer's first bytes are the marker) and nothing was received (still queued).
        await(engine.send(s[0], text("marker"), NO_FLAGS));
        assertEquals("marker", recvString(s[1], 16));
        assertEquals("queued", recvString(s[0], 16));
    }

    @Test
    void memoryOfAConfinedArenaIsRefusedAsTheJdksAsynchronousChannelsDo() throws Exception {
        Pipe pipe = pipe();
        try (Arena confined = Arena.ofConfined()) {
            MemorySegment seg = confined.allocate(8);
            IllegalStateException r = assertThrows(IllegalStateException.class, () -> engine.read(pipe.readEnd(), seg, -1));
            assertTrue(r.getMessage().startsWith("read:") && r.getMessage().contains("confined"), r.getMessage());
            IllegalStateException w = assertThrows(IllegalStateException.class,
                    () -> engine.write(pipe.writeEnd(), seg.asByteBuffer(), -1));
            assertTrue(w.getMessage().startsWith("write:") && w.getMessage().contains("confined"), w.getMessage());
        }
    }

    /**
     * sendZeroCopy checks its arguments as every other send does, on every engine, before it says
     * whether the engine can send zero-copy: nulls, memory that is not alive or of a confined
     * arena, a closed descriptor. (The readiness engine once failed every call with
     * UnsupportedOperationException before looking at them.)
     */
    @Test
    void sendZeroCopyChecksItsArgumentsTheSameOnEveryEngine() throws Exception {
        Fd[] s = socketPair(STREAM);
        assertThrows(NullPointerException.class, () -> engine.sendZeroCopy(null, text("x"), NO_FLAGS));
        assertThrows(NullPointerException.class, () -> engine.sendZeroCopy(s[0], null, NO_FLAGS));
        assertThrows(NullPointerException.class, () -> engine.sendZeroCopy(s[0], text("x"), null));
        try (Arena confined = Arena.ofConfined()) {
            ByteBuffer b = confined.allocate(8).asByteBuffer();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.sendZeroCopy(s[0], b, NO_FLAGS));
            assertTrue(e.getMessage().startsWith("sendZeroCopy:") && e.getMessage().contains("confined"), e.getMessage());
        }
        assertRefused("sendZeroCopy", () -> engine.sendZeroCopy(s[0], closedSegment(8).asByteBuffer(), NO_FLAGS));
        Fd closed = socketPair(STREAM)[0];
        await(engine.close(closed));
        failure(engine.sendZeroCopy(closed, text("x"), NO_FLAGS), Errno.EBADF, "sendZeroCopy");
        // Valid arguments (SocketContract sends them over TCP): nothing went out on any refusal.
        await(engine.send(s[0], text("marker"), NO_FLAGS));
        assertEquals("marker", recvString(s[1], 16));
    }

    @Test
    void aSharedArenaClosedDuringAReadNeverReceivesTheBytesAndTheFutureCompletes() throws Exception {
        Pipe pipe = pipe();
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(64);
        CompletableFuture<Integer> read = engine.read(pipe.readEnd(), seg, -1);
        arena.close(); // while the read waits for data: the kernel holds ringio's memory, not this
        await(engine.write(pipe.writeEnd(), text("after close"), -1));
        Throwable t = failureOr(read);
        assertInstanceOf(IllegalStateException.class, t, "the copy into the closed arena must fail: " + t);
        assertTrue(t.getMessage().startsWith("read:"), t.getMessage());
        // The bytes were consumed into ringio's memory; the pipe works on.
        await(engine.write(pipe.writeEnd(), text("next"), -1));
        ByteBuffer b = ByteBuffer.allocate(16);
        assertEquals(4, await(engine.read(pipe.readEnd(), b, -1)));
    }

    @Test
    void aSharedArenaClosedDuringARecvMsgNeverReceivesTheBytesAndTheFutureCompletes() throws Exception {
        Fd[] s = socketPair(STREAM);
        Arena arena = Arena.ofShared();
        ByteBuffer buf = arena.allocate(64).asByteBuffer();
        CompletableFuture<ReceivedMessage> recv = engine.recvMsg(s[0], new ByteBuffer[] {buf});
        arena.close();
        await(engine.send(s[1], text("after close"), NO_FLAGS));
        Throwable t = failureOr(recv);
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().startsWith("recvMsg:"), t.getMessage());
    }

    /** The failure of {@code f}; fails the test if it succeeded or did not complete in time. */
    private static Throwable failureOr(CompletableFuture<?> f) {
        try {
            Object v = f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return fail("expected a failure, got " + v);
        } catch (Exception e) {
            return unwrap(e);
        }
    }

    @Test
    void heapAndSharedArenaMemoryMoveTheRightBytesWhateverTheirSize() throws Exception {
        // Larger than one bounce piece, odd-sized: writes loop in pieces; reads return up to a piece.
        int size = 3 * 256 * 1024 + 12345;
        byte[] data = pattern(size, 7);
        Path p = file("big", new byte[0]);
        Fd f = open(p, RW);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = arena.allocate(size);
            MemorySegment.copy(data, 0, shared, JAVA_BYTE, 0, size);
            await(engine.write(f, shared, 0));
            await(engine.write(f, ByteBuffer.wrap(data), size));
            await(engine.writev(f, new ByteBuffer[] {ByteBuffer.wrap(data, 0, 1000), shared.asSlice(1000).asByteBuffer()}, 2L * size));
        }
        byte[] onDisk = Files.readAllBytes(p);
        assertEquals(3L * size, onDisk.length);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(data, java.util.Arrays.copyOfRange(onDisk, k * size, (k + 1) * size), "copy " + k);
        }
        // Read back into heap memory, shared-arena memory and a mix, looping on short counts.
        byte[] heap = new byte[size];
        readFully(off -> engine.read(f, MemorySegment.ofArray(heap).asSlice(off), off), size);
        assertArrayEquals(data, heap);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = arena.allocate(size);
            readFully(off -> engine.read(f, shared.asSlice(off), size + off), size);
            assertArrayEquals(data, shared.toArray(JAVA_BYTE));
            ByteBuffer a = ByteBuffer.allocate(1000);
            ByteBuffer b = shared.asSlice(0, size - 1000).asByteBuffer();
            shared.fill((byte) 0);
            long off = 2L * size;
            while (a.hasRemaining() || b.hasRemaining()) {
                long n = await(engine.readv(f, new ByteBuffer[] {a, b}, off));
                assertTrue(n > 0, "readv hit the end early");
                off += n;
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 1000), a.array());
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, size), java.util.Arrays.copyOfRange(shared.toArray(JAVA_BYTE), 0, size - 1000));
        }
    }

    private interface ReadAt {
        CompletableFuture<Integer> at(long off);
    }

    private static void readFully(ReadAt read, int size) {
        long off = 0;
        while (off < size) {
            int n = await(read.at(off));
            assertTrue(n > 0, "end of file at " + off + " of " + size);
            off += n;
        }
    }

    /**
     * 10,000 rounds of closing shared arenas before and during reads and writes on a pipe, and of
     * confined arenas before and during (refused up front): no crash, every future completes, and
     * the pipe carries exactly the bytes that were written.
     */
    @Test
    void tenThousandRoundsOfClosingArenasAroundReadsAndWritesCrashNothing() throws Exception {
        Pipe pipe = pipe();
        Fd r = pipe.readEnd();
        Fd w = pipe.writeEnd();
        int rounds = 10_000;
        List<CompletableFuture<?>> all = new ArrayList<>();
        long[] outcomes = new long[4]; // read ok, read ISE, write ok, write ISE
        Thread closer;
        for (int i = 0; i < rounds; i++) {
            // Before: closed shared and confined arenas are refused synchronously.
            for (Arena before : new Arena[] {Arena.ofShared(), Arena.ofConfined()}) {
                MemorySegment gone = before.allocate(8);
                before.close();
                assertThrows(IllegalStateException.class, () -> engine.read(r, gone, -1));
                assertThrows(IllegalStateException.class, () -> engine.write(w, gone, -1));
            }
            try (Arena confined = Arena.ofConfined()) {
                MemorySegment c = confined.allocate(8);
                assertThrows(IllegalStateException.class, () -> engine.read(r, c, -1));
            }
            // During: a read in flight and a write submitted, then the arena closed from another
            // thread while the loop may be copying; then one byte makes the read complete.
            Arena during = Arena.ofShared();
            MemorySegment rs = during.allocate(1);
            MemorySegment ws = during.allocate(1);
            ws.set(JAVA_BYTE, 0, (byte) 'w');
            CompletableFuture<Integer> read = engine.read(r, rs, -1);
            CompletableFuture<Void> write = engine.write(w, ws, -1);
            CountDownLatch go = new CountDownLatch(1);
            closer = Thread.ofPlatform().start(() -> {
                go.countDown();
                during.close();
            });
            go.await();
            closer.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(closer.isAlive());
            all.add(read);
            all.add(write);
            Throwable rt = outcome(read);
            Throwable wt = outcome(write);
            if (rt == null) {
                outcomes[0]++;
            } else {
                assertInstanceOf(IllegalStateException.class, rt);
                outcomes[1]++;
            }
            if (wt == null) {
                outcomes[2]++;
            } else {
                fail("a write copies in before submission, so its arena closing later cannot fail it: " + wt);
            }
        }
        for (CompletableFuture<?> f : all) {
            assertTrue(f.isDone());
        }
        assertEquals(rounds, outcomes[0] + outcomes[1]);
        assertEquals(rounds, outcomes[2]);
        // Every write's byte went through the pipe and each read took exactly one: nothing is left over.
        await(engine.write(w, text("z"), -1));
        ByteBuffer last = ByteBuffer.allocate(4);
        assertEquals(1, await(engine.read(r, last, -1)));
        assertEquals("z", string(last, 1));
    }

    /** Waits for {@code f}: null if it succeeded, else its failure. */
    private static Throwable outcome(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return unwrap(e);
        } catch (java.util.concurrent.TimeoutException e) {
            return fail("future not complete after " + TIMEOUT + ": " + f);
        }
    }

    @Test
    void anAutomaticArenaAndADirectBufferAreUsedInPlaceAndStayCorrect() throws Exception {
        Pipe pipe = pipe();
        MemorySegment auto = Arena.ofAuto().allocate(5);
        CompletableFuture<Integer> read = engine.read(pipe.readEnd(), auto, -1);
        await(engine.write(pipe.writeEnd(), ByteBuffer.allocateDirect(5).put("hello".getBytes()).flip(), -1));
        assertEquals(5, await(read));
        assertEquals("hello", new String(auto.toArray(JAVA_BYTE)));
    }

    /**
     * A segment longer than one kernel operation can move (over 2 GiB) is accepted on every engine
     * and cut to what one read asks for (Linux's MAX_RW_COUNT): the read returns what there is, as
     * a short read. (The readiness engine refused such a segment with an IllegalArgumentException
     * while io_uring cut it.) The segment is a global-arena view of a small real allocation,
     * longer than the memory behind it; the kernel only writes the bytes the file and the pipe have.
     */
    @Test
    void aSegmentOverTwoGiBIsCutToOneOperationNotRefused() throws Exception {
        MemorySegment backing = Arena.ofAuto().allocate(4096);
        MemorySegment huge = MemorySegment.ofAddress(backing.address()).reinterpret(3L << 30);
        Path p = dir.resolve("ten.txt");
        Files.write(p, "ten bytes!".getBytes());
        Fd fd = open(p, OpenFlags.O_RDONLY);
        assertEquals(10, await(engine.read(fd, huge, 0)));
        assertEquals("ten bytes!", new String(backing.asSlice(0, 10).toArray(JAVA_BYTE)));
        Pipe pipe = pipe();
        await(engine.write(pipe.writeEnd(), text("piped"), -1));
        assertEquals(5, await(engine.read(pipe.readEnd(), huge, -1)));
        assertEquals("piped", new String(backing.asSlice(0, 5).toArray(JAVA_BYTE)));
        assertEquals(10L, await(engine.readv(fd, new MemorySegment[] {huge}, 0)));
        java.lang.ref.Reference.reachabilityFence(backing);
    }
}
