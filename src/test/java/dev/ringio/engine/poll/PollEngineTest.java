package dev.ringio.engine.poll;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.Capability;
import dev.ringio.EngineClosedException;
import dev.ringio.EngineConfig;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.net.Domain;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.os.Pipe;
import dev.ringio.sys.Shim;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is particular to the readiness engine on epoll (the common behaviour is the conformance
 * suite's): descriptors made non-blocking, file work on the pool with completions on the loop,
 * FIFO service of waiters, re-registration after a descriptor number is reused, close(fd) and
 * cancel of waiting operations, loop-thread submissions that cannot grow the stack, shutdown with
 * operations waiting, and the missing zero-copy capability.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PollEngineTest {

    private static final int O_NONBLOCK = 04000;

    private PollEngine engine;

    @BeforeEach
    void open() throws Exception {
        engine = PollEngine.openEpoll(EngineConfig.builder().fixedBuffers(4, 4096).build());
    }

    @AfterEach
    void close() {
        engine.close();
        assertTrue(engine.isClosed());
        assertEquals(0, engine.callbackErrors());
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLargeBufferRingAllocatesItsBuffersOnlyAsReceivesNeedThem() throws Exception {
        // The largest ring the limits allow: 1 GiB if it were allocated up front.
        try (dev.ringio.BufferRing ring = engine.bufferRing(dev.ringio.BufferRing.MAX_ENTRIES, 32768)) {
            PollBufferRing pollRing = (PollBufferRing) ring;
            assertEquals(0, pollRing.allocated(), "buffers allocated up front");
            assertEquals(dev.ringio.BufferRing.MAX_ENTRIES, ring.available());
            Fd[] p = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
            try {
                java.util.concurrent.LinkedBlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
                dev.ringio.Multishot m = engine.recvMultishot(p[1], ring,
                        d -> got.add(new String(d.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8)));
                engine.sendAll(p[0], text("hello"), Set.of()).get(20, TimeUnit.SECONDS);
                assertEquals("hello", got.poll(20, TimeUnit.SECONDS));
                assertEquals(1, pollRing.allocated(), "one receive at a time needs one buffer");
                m.cancel();
                m.done().handle((v, t) -> null).get(20, TimeUnit.SECONDS);
            } finally {
                engine.close(p[0]).get(20, TimeUnit.SECONDS);
                engine.close(p[1]).get(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aPageCachedFileReadIsServedOnTheLoopWhileEveryPoolThreadIsBusy(@TempDir Path dir) throws Exception {
        // One pool thread, held by an open(2) of a FIFO that blocks until a writer comes.
        try (PollEngine one = PollEngine.openEpoll(EngineConfig.builder().fixedBuffers(4, 4096).ioWorkers(1, 1).build())) {
            Path file = dir.resolve("cached");
            byte[] data = new byte[8192];
            new java.util.Random(9).nextBytes(data);
            java.nio.file.Files.write(file, data);
            Fd fd = one.open(file, OpenFlags.O_RDONLY, 0).get(10, TimeUnit.SECONDS);
            Path fifo = dir.resolve("fifo");
            assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
            CompletableFuture<Fd> stuck = one.open(fifo, OpenFlags.O_RDONLY, 0);
            dev.ringio.buffers.Chunk c = one.bufferPool().alloc();
            try {
                Thread.sleep(50);
                assertFalse(stuck.isDone(), "the pool thread is held");
                CompletableFuture<Integer> read = new CompletableFuture<>();
                one.submitRead(fd, c, 4096, 1000, read::complete);
                assertEquals(4096, read.get(10, TimeUnit.SECONDS), "answered without the pool");
                byte[] got = new byte[4096];
                java.lang.foreign.MemorySegment.copy(c.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, got, 0, 4096);
                assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, 5096), got);
                CompletableFuture<Integer> eof = new CompletableFuture<>();
                one.submitRead(fd, c, 4096, data.length, eof::complete);
                assertEquals(0, eof.get(10, TimeUnit.SECONDS), "end of file");
            } finally {
                try (var writer = new java.io.FileOutputStream(fifo.toFile())) {
                    writer.write(1); // lets the FIFO's open(2) return
                }
                one.close(stuck.get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
                one.bufferPool().free(c);
                one.close(fd).get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void describesItselfAndHasNoZeroCopySend() throws Exception {
        assertEquals("epoll", engine.name());
        assertFalse(engine.fixedBuffersRegistered());
        assertTrue(engine.capabilities().isEmpty(), engine.capabilities().toString());
        assertFalse(engine.supports(Capability.ZERO_COPY_SEND));
        Fd[] pair = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
        try {
            UnsupportedOperationException e = failure(engine.sendZeroCopy(pair[0], text("x"), Set.of()),
                    UnsupportedOperationException.class);
            assertTrue(e.getMessage().contains("sendZeroCopy") && e.getMessage().contains("epoll"), e.getMessage());
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void aPipeReadThroughTheEngineMakesItsDescriptorNonBlocking() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Shim shim = Shim.get();
            assertEquals(0, shim.fcntl(pipe.readEnd().value(), PollEngine.F_GETFL, 0) & O_NONBLOCK);
            CompletableFuture<Integer> read = engine.read(pipe.readEnd(), ByteBuffer.allocate(16), -1);
            await(engine.sleep(Duration.ofMillis(20)));
            assertFalse(read.isDone(), "an empty pipe: the read waits for readiness");
            assertTrue((shim.fcntl(pipe.readEnd().value(), PollEngine.F_GETFL, 0) & O_NONBLOCK) != 0);
            await(engine.write(pipe.writeEnd(), text("hello"), -1));
            assertEquals(5, await(read));
        }
    }

    @Test
    void fileWorkRunsOnThePoolAndCompletesOnTheLoop(@TempDir Path dir) throws Exception {
        Fd fd = await(engine.open(dir.resolve("f"), OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0600));
        try {
            AtomicReference<String> thread = new AtomicReference<>();
            AtomicReference<Boolean> inLoop = new AtomicReference<>();
            // The loop is held in a callback until the observer is attached, so the write cannot
            // complete before it (a sleep first was a race: a slow main thread attached it late).
            CountDownLatch loopHeld = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            engine.sleep(Duration.ofMillis(1)).thenRun(() -> {
                loopHeld.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(loopHeld.await(20, TimeUnit.SECONDS), "the loop ran the sleep's callback");
            CompletableFuture<Void> observed = engine.write(fd, text("data"), 0).whenComplete((v, t) -> {
                thread.set(Thread.currentThread().getName());
                inLoop.set(engine.inLoop());
            });
            release.countDown();
            await(observed);
            assertTrue(inLoop.get(), "completed on " + thread.get());
            assertEquals(4, await(engine.fstat(fd)).size());
        } finally {
            await(engine.close(fd));
        }
    }

    @Test
    void waitersOnOneDescriptorAreServedInOrder() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            List<ByteBuffer> bufs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ByteBuffer b = ByteBuffer.allocate(1);
                bufs.add(b);
                reads.add(engine.read(pipe.readEnd(), b, -1));
            }
            await(engine.sleep(Duration.ofMillis(10)));
            await(engine.write(pipe.writeEnd(), text("abcde"), -1));
            for (int i = 0; i < 5; i++) {
                assertEquals(1, await(reads.get(i)));
                assertEquals("abcde".charAt(i), (char) bufs.get(i).array()[0], "reader " + i);
            }
        }
    }

    @Test
    void aReusedDescriptorNumberIsWatchedAgain() throws Exception {
        for (int round = 0; round < 5; round++) {
            try (Pipe pipe = Pipe.open()) {
                CompletableFuture<Integer> read = engine.read(pipe.readEnd(), ByteBuffer.allocate(8), -1);
                await(engine.sleep(Duration.ofMillis(2)));
                await(engine.write(pipe.writeEnd(), text("r" + round), -1));
                assertEquals(2, await(read), "round " + round);
            }
        }
    }

    @Test
    void closeFdFailsItsWaitersWithEcanceledAndReleasesIt() throws Exception {
        Fd[] pair = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
        try {
            CompletableFuture<Integer> recv = engine.recv(pair[0], ByteBuffer.allocate(8), Set.of());
            CompletableFuture<Integer> await = engine.awaitReadable(pair[0]);
            await(engine.sleep(Duration.ofMillis(10)));
            await(engine.close(pair[0]));
            failure(recv, Errno.ECANCELED, "recv");
            failure(await, Errno.ECANCELED, "awaitReadable");
            assertTrue(pair[0].isReleased());
        } finally {
            pair[1].close();
        }
    }

    @Test
    void cancelRemovesAWaiterAndTheNextOneStillGetsTheData() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<Integer> first = engine.read(pipe.readEnd(), ByteBuffer.allocate(8), -1);
            ByteBuffer b = ByteBuffer.allocate(8);
            CompletableFuture<Integer> second = engine.read(pipe.readEnd(), b, -1);
            await(engine.sleep(Duration.ofMillis(10)));
            assertTrue(first.cancel(true));
            assertThrows(CancellationException.class, first::join);
            await(engine.write(pipe.writeEnd(), text("ok"), -1));
            assertEquals(2, await(second));
            assertEquals(0, pipe.readEnd().users(), "the cancelled read let go of the descriptor");
        }
    }

    @Test
    void aLongChainOfCallbacksOnTheLoopDoesNotGrowTheStack() throws Exception {
        int rounds = 20_000;
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(rounds);
        Runnable[] step = new Runnable[1];
        step[0] = () -> engine.noop().whenComplete((v, t) -> {
            if (t != null) {
                done.completeExceptionally(t);
            } else if (left.decrementAndGet() == 0) {
                done.complete(null);
            } else {
                step[0].run();
            }
        });
        step[0].run();
        await(done);
        assertEquals(0, left.get());
    }

    @Test
    void sleepsCompleteInDeadlineOrder() throws Exception {
        List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        long now = System.nanoTime();
        CompletableFuture<?>[] all = new CompletableFuture<?>[4];
        int[] delays = {40, 10, 30, 20};
        for (int i = 0; i < delays.length; i++) {
            int d = delays[i];
            all[i] = engine.sleepUntil(now + d * 1_000_000L).thenRun(() -> order.add(d));
        }
        await(CompletableFuture.allOf(all));
        assertEquals(List.of(10, 20, 30, 40), order);
        assertTrue(System.nanoTime() - now >= 40_000_000L);
    }

    @Test
    void closingTheEngineFailsWaitingOperations() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<Integer> read = engine.read(pipe.readEnd(), ByteBuffer.allocate(8), -1);
            CompletableFuture<Void> sleep = engine.sleep(Duration.ofHours(1));
            await(engine.sleep(Duration.ofMillis(10)));
            engine.close();
            failure(read, EngineClosedException.class);
            failure(sleep, EngineClosedException.class);
            failure(engine.noop(), EngineClosedException.class);
            assertEquals(0, pipe.readEnd().users());
        }
    }

    @Test
    void spliceWaitsForTheSideThatIsNotReady() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Fd[] pair = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
            try {
                // Nothing in the socket yet: the splice waits on the source.
                CompletableFuture<Integer> splice = engine.splice(pair[0], pipe.writeEnd(), 64);
                await(engine.sleep(Duration.ofMillis(10)));
                assertFalse(splice.isDone());
                await(engine.sendAll(pair[1], text("through"), Set.of()));
                assertEquals(7, await(splice));
                ByteBuffer got = ByteBuffer.allocate(7);
                assertEquals(7, await(engine.read(pipe.readEnd(), got, -1)));
                assertArrayEquals("through".getBytes(StandardCharsets.UTF_8), got.array());
            } finally {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    @Test
    void openingWithoutAPollerIsRefused() {
        assertThrows(NullPointerException.class, () -> PollEngine.open("x", EngineConfig.defaults(), null));
        assertThrows(NullPointerException.class, () -> PollEngine.openEpoll(null));
    }

    @Test
    void aClosedDescriptorFailsAtOnceWithEbadf() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Fd r = pipe.readEnd();
            r.close();
            NativeIoException e = failure(engine.read(r, ByteBuffer.allocate(1), -1), Errno.EBADF, "read");
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        IoEngine e = engine;
        assertFalse(e.isClosed());
    }
}
