package dev.ringio.conformance;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.net.Accepted;
import dev.ringio.net.Domain;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.os.Pipe;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.testing.FutureAssertions.await;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every area contract shares: the engine under test, a temporary directory, helpers that
 * track what a test opens, and the checks after each test (see {@link EngineContract}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ContractBase {

    /** The enclosing concrete contract (the nested class returns its outer instance). */
    protected abstract EngineContract contract();

    protected IoEngine engine;
    protected Path dir;

    private final List<Fd> fds = new ArrayList<>();
    private final List<Chunk> chunks = new ArrayList<>();
    private final List<FixedBufferPool> foreignPools = new ArrayList<>();
    private final List<IoEngine> ownEngines = new ArrayList<>();
    private Map<Integer, String> fdsBefore;

    protected static final Set<SocketType> STREAM = EnumSet.of(SocketType.STREAM);
    protected static final Set<SocketType> DGRAM = EnumSet.of(SocketType.DGRAM);
    protected static final Set<MsgFlag> NO_FLAGS = Set.of();

    protected static final int RO = OpenFlags.O_RDONLY;
    protected static final int RW = OpenFlags.O_RDWR;
    protected static final int WO = OpenFlags.O_WRONLY;

    @BeforeEach
    void setUpContract(@TempDir Path tmp) {
        engine = contract().engine();
        dir = tmp;
        fdsBefore = LeakCheck.snapshot();
    }

    /**
     * After each test: the engine's pool is full, every descriptor the test opened is released
     * once closed, engines the test opened are closed, the engine-specific checks pass, and no
     * descriptor is open that was not before the test. Leftovers are cleaned up even when a check
     * fails, so one failing test does not fail the next ones.
     */
    @AfterEach
    void checkNothingHeld(TestInfo test) throws Exception {
        List<String> problems = new ArrayList<>();
        // Chunks the test allocated and did not free are freed here; one the engine still
        // retains cannot be, and leaves the pool short.
        for (Chunk c : chunks) {
            if (c.isLive() && c.retainCount() == 0) {
                c.pool().free(c);
            }
        }
        chunks.clear();
        try {
            LeakCheck.assertPoolFull(engine.bufferPool());
        } catch (AssertionError e) {
            problems.add(e.getMessage());
        }
        for (Fd fd : fds) {
            CompletableFuture<Void> released = engine.close(fd);
            try {
                released.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                problems.add(fd + " not released 5 s after close (users=" + fd.users() + "): " + e);
            }
        }
        fds.clear();
        for (FixedBufferPool p : foreignPools) {
            p.close();
        }
        foreignPools.clear();
        for (IoEngine e : ownEngines) {
            if (!e.isClosed()) {
                contract().checkAfterEachTest(e, problems);
            }
            e.close();
        }
        ownEngines.clear();
        contract().checkAfterEachTest(engine, problems);
        try {
            LeakCheck.assertNoNewFds(fdsBefore, LeakCheck.DEFAULT_WAIT, test.getDisplayName());
        } catch (AssertionError e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    // ---- what a test opens ----------------------------------------------------------------------

    /** An engine of the kind under test, of this test's own (closed after the test if it does not). */
    protected IoEngine openOwnEngine() throws Exception {
        IoEngine e = contract().openEngine();
        ownEngines.add(e);
        return e;
    }

    protected Fd track(Fd fd) {
        fds.add(fd);
        return fd;
    }

    protected Fd open(Path p, int flags) {
        return track(await(engine.open(p, flags, 0)));
    }

    protected Fd openDir(Path p) {
        return open(p, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
    }

    protected Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    protected Chunk chunk() {
        Chunk c = engine.bufferPool().alloc();
        assertNotNull(c, "engine pool exhausted");
        chunks.add(c);
        return c;
    }

    protected void free(Chunk c) {
        c.pool().free(c);
    }

    protected FixedBufferPool foreignPool(int count, int size) {
        FixedBufferPool p = FixedBufferPool.allocate(count, size);
        foreignPools.add(p);
        return p;
    }

    protected Pipe pipe() throws NativeIoException {
        Pipe p = Pipe.open();
        track(p.readEnd());
        track(p.writeEnd());
        return p;
    }

    // ---- sockets ------------------------------------------------------------------------------------

    /** A listening stream socket bound to {@code address} (port 0: the kernel picks one), opened by the engine. */
    protected Fd listener(SockAddr address) {
        Fd fd = track(await(engine.socket(address.domain(), STREAM, Protocol.DEFAULT)));
        await(engine.bind(fd, address));
        await(engine.listen(fd, 64));
        return fd;
    }

    protected static SockAddr localAddress(Fd fd) {
        try {
            return Sockets.getsockname(fd);
        } catch (NativeIoException e) {
            throw new AssertionError(e);
        }
    }

    /** A connected stream pair {client, server side}, made with the engine's socket/bind/listen/accept/connect. */
    protected Fd[] connectedPair(SockAddr bindAddress) {
        Fd listener = listener(bindAddress);
        SockAddr target = localAddress(listener);
        CompletableFuture<Accepted> accepted = engine.accept(listener);
        Fd client = track(await(engine.socket(target.domain(), STREAM, Protocol.DEFAULT)));
        await(engine.connect(client, target));
        Accepted a = await(accepted);
        track(a.fd());
        assertNotNull(a.peer());
        await(engine.close(listener));
        return new Fd[] {client, a.fd()};
    }

    /** A connected unix stream socketpair (not made by the engine), tracked. */
    protected Fd[] socketPair(Set<SocketType> type) throws NativeIoException {
        Fd[] p = Sockets.socketpair(Domain.UNIX, type);
        track(p[0]);
        track(p[1]);
        return p;
    }

    protected static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    protected static String string(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.duplicate().flip().get(out);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** One recv of up to {@code max} bytes as a string; null at end of stream. */
    protected String recvString(Fd fd, int max) {
        ByteBuffer b = ByteBuffer.allocate(max);
        int n = await(engine.recv(fd, b, NO_FLAGS));
        return n < 0 ? null : new String(b.array(), 0, n, StandardCharsets.UTF_8);
    }

    // ---- data -----------------------------------------------------------------------------------------

    protected static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        int x = seed * 0x9E3779B1 + 1;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = (byte) x;
        }
        return b;
    }

    protected static void put(Chunk c, byte[] data) {
        MemorySegment.copy(data, 0, c.segment(), JAVA_BYTE, 0, data.length);
    }

    protected static byte[] bytes(Chunk c, int n) {
        return c.segment().asSlice(0, n).toArray(JAVA_BYTE);
    }

    protected static byte[] bytes(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        b.duplicate().position(from).limit(to).get(out);
        return out;
    }

    protected static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }

    protected static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    // ---- descriptors ------------------------------------------------------------------------------

    protected static int fdFlags(Fd fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd.value()))) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring("flags:".length()).trim(), 8);
            }
        }
        throw new AssertionError("no flags line in /proc/self/fdinfo/" + fd.value());
    }

    protected static void assertCloexec(Fd fd) throws IOException {
        int flags = fdFlags(fd);
        assertTrue((flags & OpenFlags.O_CLOEXEC) != 0,
                () -> fd + " lacks O_CLOEXEC: flags 0" + Integer.toOctalString(flags));
    }

    /** A closed descriptor's number no longer refers to {@code p} (it may be free or reused). */
    protected static void assertNotOpenOn(Fd fd, Path p) throws IOException {
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.value()));
            assertNotEquals(p.toRealPath().toString(), target.toString(), fd + " still open on " + p);
        } catch (NoSuchFileException expected) {
            // closed and not reused
        }
    }

    /** Runs {@code task} on the engine's loop thread and returns its result. */
    protected <T> T onLoop(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> r = new CompletableFuture<>();
        engine.execute(() -> {
            try {
                r.complete(task.call());
            } catch (Throwable t) {
                r.completeExceptionally(t);
            }
        });
        return await(r);
    }

    // ---- threads ----------------------------------------------------------------------------------

    @FunctionalInterface
    protected interface Worker {
        void run(int thread) throws Exception;
    }

    /** Runs {@code w} on {@code threads} platform threads released together; fails with every worker's failure. */
    protected static void runConcurrently(int threads, Worker w) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(Thread.ofPlatform().name("contract-worker-" + t).start(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                    w.run(id);
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread t : ts) {
            t.join(TimeUnit.SECONDS.toMillis(50));
            assertFalse(t.isAlive(), t.getName() + " did not finish");
        }
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError(errors.size() + " worker(s) failed: " + errors.get(0), errors.get(0));
            errors.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    protected static void assertOp(String op, NativeIoException e) {
        assertEquals(op, e.op(), () -> "op of " + e.getMessage());
    }
}
