package dev.ringio.nio;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousChannel;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.WritePendingException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import dev.ringio.testing.LeakCheck;

import static dev.ringio.nio.NioTesting.Recorder;
import static dev.ringio.nio.NioTesting.WAIT_SECONDS;
import static dev.ringio.nio.NioTesting.bytes;
import static dev.ringio.nio.NioTesting.failureOf;
import static dev.ringio.nio.NioTesting.get;
import static dev.ringio.nio.NioTesting.randomBytes;
import static dev.ringio.nio.NioTesting.stillPending;
import static dev.ringio.nio.NioTesting.string;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AsynchronousSocketChannel, AsynchronousServerSocketChannel and AsynchronousChannelGroup
 * behaviour as their Javadoc documents it, written against the interfaces only: run on the JDK's
 * own provider it proves each test states the JDK's real behaviour, run on ringio's that ringio
 * keeps it.
 *
 * <p>Every test runs in a group of its own (two threads named after the test) and checks after
 * it that the group terminates and no descriptor is left open.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
abstract class AsyncSocketChannelContract {

    private static final AtomicInteger GROUPS = new AtomicInteger();
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** The provider under test. */
    protected abstract AsynchronousChannelProvider provider();

    /**
     * Why this provider's channels leak their descriptors when closed after their group's
     * {@code shutdown()} (the JDK's do: observed on JDK 25, the socket stays open), or null when
     * they do not. The leak check after such a test then only reports, it does not fail.
     */
    protected String closingAChannelOfAShutdownGroupLeaks() {
        return null;
    }

    private String leakExemption;

    @BeforeAll
    static void openLazyDescriptors() throws Exception {
        LeakCheck.warmUp();
        MessageDigest.getInstance("SHA-256");
    }

    protected AsynchronousChannelGroup group;
    protected String threadPrefix;
    private Map<Integer, String> fdsBefore;
    private final List<AsynchronousChannel> channels = new ArrayList<>();
    private final List<AsynchronousChannelGroup> groups = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();

    @BeforeEach
    void openGroup() throws IOException {
        fdsBefore = LeakCheck.snapshot();
        threadPrefix = "nio-contract-" + GROUPS.incrementAndGet() + "-";
        group = openGroup(threadPrefix, 2);
    }

    @AfterEach
    void closeEverything(TestInfo test) throws Exception {
        for (AsynchronousChannel c : channels) {
            c.close();
        }
        for (AsynchronousChannelGroup g : groups) {
            g.shutdownNow();
            assertTrue(g.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS), "group did not terminate");
            assertTrue(g.isTerminated());
        }
        for (ExecutorService e : executors) {
            e.shutdownNow();
            assertTrue(e.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        if (leakExemption == null) {
            LeakCheck.assertNoNewFds(fdsBefore, LeakCheck.DEFAULT_WAIT, test.getDisplayName());
        } else {
            System.err.println(test.getDisplayName() + ": descriptors left open, as expected (" + leakExemption + "): "
                    + LeakCheck.newFds(fdsBefore, LeakCheck.snapshot()));
        }
    }

    // ---- fixtures ---------------------------------------------------------------------------------

    protected AsynchronousChannelGroup openGroup(String prefix, int threads) throws IOException {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        AsynchronousChannelGroup g = provider().openAsynchronousChannelGroup(threads, factory);
        groups.add(g);
        return g;
    }

    protected <C extends AsynchronousChannel> C track(C channel) {
        channels.add(channel);
        return channel;
    }

    protected AsynchronousServerSocketChannel server() throws IOException {
        return track(provider().openAsynchronousServerSocketChannel(group)).bind(new InetSocketAddress(LOOPBACK, 0));
    }

    protected AsynchronousSocketChannel client() throws IOException {
        return track(provider().openAsynchronousSocketChannel(group));
    }

    /** A connected pair: [0] the client, [1] the server's end. */
    protected AsynchronousSocketChannel[] connectedPair() throws Exception {
        AsynchronousServerSocketChannel server = server();
        Future<AsynchronousSocketChannel> accepted = server.accept();
        AsynchronousSocketChannel client = client();
        assertNull(get(client.connect(server.getLocalAddress())));
        AsynchronousSocketChannel serverSide = track(get(accepted));
        return new AsynchronousSocketChannel[] {client, serverSide};
    }

    private static void writeFully(AsynchronousSocketChannel ch, ByteBuffer src) throws Exception {
        while (src.hasRemaining()) {
            int n = get(ch.write(src));
            assertTrue(n >= 0);
        }
    }

    private static byte[] readExactly(AsynchronousSocketChannel ch, int n) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(n);
        while (dst.hasRemaining()) {
            int r = get(ch.read(dst));
            assertTrue(r > 0, "unexpected end of stream after " + dst.position() + " bytes");
        }
        return dst.array();
    }

    /** Writes until a write stays outstanding (the peer does not read); that write's future. */
    private static Future<Integer> fillUntilAWriteBlocks(AsynchronousSocketChannel ch) throws Exception {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        for (int i = 0; i < 1000; i++) {
            Future<Integer> w = ch.write(chunk.clear());
            if (stillPending(w, 200)) {
                return w;
            }
            get(w);
        }
        throw new AssertionError("writes never blocked");
    }

    // ---- echo round trips -------------------------------------------------------------------------

    @Test
    void echoRoundTripInTheFutureForm() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        writeFully(pair[0], bytes("hello, ringio"));
        byte[] got = readExactly(pair[1], 13);
        writeFully(pair[1], ByteBuffer.wrap(got));
        assertEquals("hello, ringio", new String(readExactly(pair[0], 13), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void echoRoundTripInTheHandlerFormRunsHandlersOnGroupThreadsWithTheAttachment() throws Exception {
        AsynchronousServerSocketChannel server = server();
        Recorder<AsynchronousSocketChannel, String> accept = new Recorder<>();
        server.accept("accept-att", accept);
        AsynchronousSocketChannel client = client();
        Recorder<Void, Integer> connect = new Recorder<>();
        client.connect(server.getLocalAddress(), 42, connect);
        assertNull(connect.value());
        assertEquals(42, connect.attachment);
        AsynchronousSocketChannel serverSide = track(accept.value());
        assertEquals("accept-att", accept.attachment);

        // The server echoes with handlers: read, then write back what it read.
        CompletableFuture<Void> echoed = new CompletableFuture<>();
        ByteBuffer buf = ByteBuffer.allocate(64);
        serverSide.read(buf, 10, TimeUnit.SECONDS, buf, new CompletionHandler<Integer, ByteBuffer>() {
            @Override
            public void completed(Integer n, ByteBuffer b) {
                b.flip();
                serverSide.write(b, 10, TimeUnit.SECONDS, null, new CompletionHandler<Integer, Object>() {
                    @Override
                    public void completed(Integer w, Object att) {
                        echoed.complete(null);
                    }

                    @Override
                    public void failed(Throwable exc, Object att) {
                        echoed.completeExceptionally(exc);
                    }
                });
            }

            @Override
            public void failed(Throwable exc, ByteBuffer b) {
                echoed.completeExceptionally(exc);
            }
        });
        Recorder<Integer, String> write = new Recorder<>();
        client.write(bytes("ping"), 10, TimeUnit.SECONDS, "w", write);
        assertEquals(4, write.value());
        assertEquals("w", write.attachment);
        get(echoed);
        ByteBuffer reply = ByteBuffer.allocate(4);
        Recorder<Integer, ByteBuffer> read = new Recorder<>();
        client.read(reply, 10, TimeUnit.SECONDS, reply, read);
        assertEquals(4, read.value());
        assertSame(reply, read.attachment);
        assertEquals("ping", string(reply.flip()));

        for (Recorder<?, ?> r : List.of(accept, connect, write, read)) {
            assertTrue(r.thread.getName().startsWith(threadPrefix),
                    "handler ran on " + r.thread.getName() + ", not a thread of the group");
        }
    }

    @Test
    void handlersOfAFixedThreadPoolGroupRunOnlyOnTheThreadsItsFactoryMade() throws Exception {
        Set<Thread> made = ConcurrentHashMap.newKeySet();
        AtomicInteger n = new AtomicInteger();
        AsynchronousChannelGroup g = provider().openAsynchronousChannelGroup(2, r -> {
            Thread t = new Thread(r, threadPrefix + "made-" + n.incrementAndGet());
            t.setDaemon(true);
            made.add(t);
            return t;
        });
        groups.add(g);
        AsynchronousServerSocketChannel s = track(provider().openAsynchronousServerSocketChannel(g))
                .bind(new InetSocketAddress(LOOPBACK, 0));
        int connections = 4;
        List<NioTesting.HandlerEchoServer> servers = new ArrayList<>();
        List<NioTesting.HandlerPingClient> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Recorder<AsynchronousSocketChannel, Void> accept = new Recorder<>();
            s.accept(null, accept);
            AsynchronousSocketChannel c = track(provider().openAsynchronousSocketChannel(g));
            Recorder<Void, Void> connect = new Recorder<>();
            c.connect(s.getLocalAddress(), null, connect);
            connect.value();
            servers.add(new NioTesting.HandlerEchoServer(track(accept.value())).start());
            clients.add(new NioTesting.HandlerPingClient(c, 50).start());
            assertTrue(made.contains(accept.thread), "accept handler on " + accept.thread);
            assertTrue(made.contains(connect.thread), "connect handler on " + connect.thread);
        }
        for (int i = 0; i < connections; i++) {
            get(clients.get(i).done);
            assertTrue(made.containsAll(clients.get(i).threads), "client handlers on " + clients.get(i).threads);
            assertTrue(made.containsAll(servers.get(i).threads), "server handlers on " + servers.get(i).threads);
        }
    }

    @Test
    void readsThatCompleteAtOnceOverAndOverNestTheirHandlersNoDeeperThanTheBound() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        int total = 1000;
        writeFully(pair[0], ByteBuffer.wrap(randomBytes(total, 3)));
        // Each handler reads one more byte; the bytes are all there, so every read can complete at
        // once and its handler may run nested inside the handler that started it, up to the
        // bound (sun.nio.ch.maxCompletionHandlersOnStack, 16 by default: the JDK invokes at most
        // 16 handlers directly on top of the one its event loop ran); beyond it the handler is
        // dispatched. 1000 nested calls could overflow the stack; they must not happen.
        ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]); // nesting is per thread
        AtomicInteger deepest = new AtomicInteger();
        AtomicInteger got = new AtomicInteger();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ByteBuffer one = ByteBuffer.allocate(1);
        pair[1].read(one, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void att) {
                deepest.accumulateAndGet(++depth.get()[0], Math::max);
                try {
                    if (n <= 0) {
                        done.completeExceptionally(new AssertionError("read " + n + " after " + got.get() + " bytes"));
                    } else if (got.addAndGet(n) == total) {
                        done.complete(null);
                    } else {
                        pair[1].read(one.clear(), null, this);
                    }
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                } finally {
                    depth.get()[0]--;
                }
            }

            @Override
            public void failed(Throwable exc, Void att) {
                done.completeExceptionally(exc);
            }
        });
        get(done);
        assertTrue(deepest.get() <= 17, "handlers nested " + deepest.get() + " deep");
        assertTrue(deepest.get() >= 2, "a read that completes at once in a handler runs its handler directly");
    }

    @Test
    void aLargeTransferArrivesWholeAndInOrder() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        byte[] data = randomBytes(8 << 20, 7);
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                ByteBuffer dst = ByteBuffer.allocateDirect(64 << 10);
                long total = 0;
                for (;;) {
                    int n = get(pair[1].read(dst.clear()));
                    if (n < 0) {
                        break;
                    }
                    dst.flip();
                    md.update(dst);
                    total += n;
                }
                assertEquals(data.length, total);
                return md.digest();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) {
            // Heap slices of varying size, so the writes are partial at different places.
            ByteBuffer slice = src.slice(src.position(), Math.min(src.remaining(), 100_000 + src.position() % 50_000));
            int n = get(pair[0].write(slice));
            src.position(src.position() + n);
        }
        pair[0].shutdownOutput();
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), get(received));
    }

    @Test
    void manyConcurrentConnectionsEachGetTheirOwnEcho() throws Exception {
        AsynchronousServerSocketChannel server = server();
        int clients = 16;
        // An accept loop in the handler form; each connection echoes one message and closes.
        server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
            @Override
            public void completed(AsynchronousSocketChannel ch, Void att) {
                synchronized (AsyncSocketChannelContract.this) {
                    track(ch);
                }
                server.accept(null, this);
                ByteBuffer b = ByteBuffer.allocate(32);
                ch.read(b, b, new CompletionHandler<Integer, ByteBuffer>() {
                    @Override
                    public void completed(Integer n, ByteBuffer bb) {
                        ch.write(bb.flip(), null, new CompletionHandler<Integer, Object>() {
                            @Override
                            public void completed(Integer w, Object a) {
                            }

                            @Override
                            public void failed(Throwable exc, Object a) {
                            }
                        });
                    }

                    @Override
                    public void failed(Throwable exc, ByteBuffer bb) {
                    }
                });
            }

            @Override
            public void failed(Throwable exc, Void att) {
                // AsynchronousCloseException when the test closes the server
            }
        });
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String msg = "client-" + i;
            AsynchronousSocketChannel c;
            synchronized (this) {
                c = client();
            }
            replies.add(CompletableFuture.supplyAsync(() -> {
                try {
                    get(c.connect(server.getLocalAddress()));
                    writeFully(c, bytes(msg));
                    return new String(readExactly(c, msg.length()), java.nio.charset.StandardCharsets.UTF_8);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (int i = 0; i < clients; i++) {
            assertEquals("client-" + i, get(replies.get(i)));
        }
    }

    // ---- scatter / gather, end of stream, half close ------------------------------------------------

    @Test
    void gatheringWriteAndScatteringReadHonourOffsetAndLength() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        ByteBuffer[] srcs = {bytes("skipped"), bytes("abc"), ByteBuffer.allocateDirect(3).put(bytes("def")).flip(),
                bytes("ghij"), bytes("skipped too")};
        Recorder<Long, Void> write = new Recorder<>();
        pair[0].write(srcs, 1, 3, 10, TimeUnit.SECONDS, null, write);
        assertEquals(10L, write.value());
        assertFalse(srcs[1].hasRemaining());
        assertEquals(7, srcs[0].remaining(), "a buffer outside offset/length is untouched");

        ByteBuffer[] dsts = {ByteBuffer.allocate(1), ByteBuffer.allocate(4), ByteBuffer.allocateDirect(6)};
        long total = 0;
        while (total < 10) {
            Recorder<Long, Void> read = new Recorder<>();
            pair[1].read(dsts, 1, 2, 10, TimeUnit.SECONDS, null, read);
            long n = read.value();
            assertTrue(n > 0);
            total += n;
        }
        assertEquals(0, dsts[0].position(), "a buffer outside offset/length is untouched");
        assertEquals("abcd", string(dsts[1].flip()));
        assertEquals("efghij", string(dsts[2].flip()));
    }

    @Test
    void endOfStreamReadsAsMinusOneInBothReadForms() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        pair[0].close();
        assertEquals(-1, get(pair[1].read(ByteBuffer.allocate(8))));
        Recorder<Long, Void> scatter = new Recorder<>();
        pair[1].read(new ByteBuffer[] {ByteBuffer.allocate(8)}, 0, 1, 5, TimeUnit.SECONDS, null, scatter);
        assertEquals(-1L, scatter.value());
    }

    @Test
    void shutdownOutputEndsThePeersStreamAndFailsLaterWrites() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        assertSame(pair[0], pair[0].shutdownOutput());
        assertEquals(-1, get(pair[1].read(ByteBuffer.allocate(8))));
        assertInstanceOf(ClosedChannelException.class, failureOf(pair[0].write(bytes("x"))));
        // The other direction still works.
        writeFully(pair[1], bytes("back"));
        assertArrayEquals("back".getBytes(), readExactly(pair[0], 4));
    }

    @Test
    void aReadAfterShutdownInputReturnsMinusOne() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        assertSame(pair[0], pair[0].shutdownInput());
        assertEquals(-1, get(pair[0].read(ByteBuffer.allocate(8))));
    }

    @Test
    void aReadWithNoRoomCompletesWithZero() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        assertEquals(0, get(pair[0].read(ByteBuffer.allocate(0))));
        assertEquals(0, get(pair[0].write(ByteBuffer.allocate(0))));
    }

    @Test
    void aReadOnlyBufferIsRefusedForReading() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        assertThrows(IllegalArgumentException.class, () -> pair[0].read(ByteBuffer.allocate(4).asReadOnlyBuffer()));
    }

    /**
     * A buffer of a confined arena (whose memory only its owner thread may touch, and the
     * operation completes on another): read and write do not throw; the operation fails, the
     * Future form with an IOException caused by the IllegalStateException, a handler with the
     * IllegalStateException itself (as the JDK delivers a failure that is no IOException); nothing
     * is read or written, and the channel stays usable in both directions.
     */
    @Test
    void aBufferOfAConfinedArenaFailsTheOperationAndLeavesTheChannelUsable() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        writeFully(pair[1], bytes("hello"));
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            ByteBuffer b = arena.allocate(16).asByteBuffer();
            ByteBuffer full = arena.allocate(4).asByteBuffer();
            for (Throwable t : List.of(failureOf(pair[0].read(b)), failureOf(pair[0].write(full)))) {
                assertInstanceOf(IOException.class, t);
                assertInstanceOf(IllegalStateException.class, t.getCause(), t.toString());
            }
            Recorder<Integer, String> read = new Recorder<>();
            pair[0].read(b, 10, TimeUnit.SECONDS, "r", read);
            assertInstanceOf(IllegalStateException.class, read.failure());
            Recorder<Integer, String> write = new Recorder<>();
            pair[0].write(full, 10, TimeUnit.SECONDS, "w", write);
            assertInstanceOf(IllegalStateException.class, write.failure());
            Recorder<Long, String> scatter = new Recorder<>();
            pair[0].read(new ByteBuffer[] {b}, 0, 1, 10, TimeUnit.SECONDS, "s", scatter);
            assertInstanceOf(IllegalStateException.class, scatter.failure());
            Recorder<Long, String> gather = new Recorder<>();
            pair[0].write(new ByteBuffer[] {full}, 0, 1, 10, TimeUnit.SECONDS, "g", gather);
            assertInstanceOf(IllegalStateException.class, gather.failure());
            assertEquals(0, b.position());
            assertEquals(0, full.position());
        }
        assertEquals("hello", new String(readExactly(pair[0], 5), java.nio.charset.StandardCharsets.UTF_8));
        writeFully(pair[0], bytes("back"));
        assertEquals("back", new String(readExactly(pair[1], 4), java.nio.charset.StandardCharsets.UTF_8));
    }

    // ---- timeouts -----------------------------------------------------------------------------------

    @Test
    void aReadTimesOutAgainstASilentPeerAndFurtherReadsAreRefused() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        Recorder<Integer, String> read = new Recorder<>();
        pair[0].read(ByteBuffer.allocate(16), 200, TimeUnit.MILLISECONDS, "att", read);
        assertInstanceOf(InterruptedByTimeoutException.class, read.failure());
        assertEquals("att", read.attachment);
        assertTrue(read.thread.getName().startsWith(threadPrefix), read.thread.getName());
        // "further attempts to read from the channel will cause an unspecific runtime exception"
        assertThrows(RuntimeException.class, () -> pair[0].read(ByteBuffer.allocate(16)));
        // Writing is unaffected.
        writeFully(pair[0], bytes("still"));
        assertArrayEquals("still".getBytes(), readExactly(pair[1], 5));
    }

    @Test
    void aReadWithATimeoutThatDataBeatsCompletesNormally() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        Recorder<Integer, Void> read = new Recorder<>();
        pair[0].read(ByteBuffer.allocate(16), 10, TimeUnit.SECONDS, null, read);
        writeFully(pair[1], bytes("quick"));
        assertEquals(5, read.value());
        assertEquals(0, get(pair[0].read(ByteBuffer.allocate(0))), "reads still allowed");
    }

    @Test
    void aWriteTimesOutWhenThePeerDoesNotReadAndFurtherWritesAreRefused() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        pair[0].setOption(StandardSocketOptions.SO_SNDBUF, 8192);
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        Throwable failure = null;
        for (int i = 0; i < 1000 && failure == null; i++) {
            Recorder<Integer, Void> write = new Recorder<>();
            pair[0].write(chunk.clear(), 300, TimeUnit.MILLISECONDS, null, write);
            try {
                write.value();
            } catch (java.util.concurrent.ExecutionException e) {
                failure = e.getCause();
            }
        }
        assertInstanceOf(InterruptedByTimeoutException.class, failure);
        assertThrows(RuntimeException.class, () -> pair[0].write(bytes("x")));
    }

    // ---- pending-operation rules ---------------------------------------------------------------------

    @Test
    void aSecondReadWhileOneIsOutstandingThrowsReadPendingException() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        Future<Integer> first = pair[0].read(ByteBuffer.allocate(8));
        assertThrows(ReadPendingException.class, () -> pair[0].read(ByteBuffer.allocate(8)));
        writeFully(pair[1], bytes("ok"));
        assertEquals(2, get(first));
        Future<Integer> next = pair[0].read(ByteBuffer.allocate(8)); // allowed again
        writeFully(pair[1], bytes("ok"));
        assertEquals(2, get(next));
    }

    @Test
    void aSecondWriteWhileOneIsOutstandingThrowsWritePendingException() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        Future<Integer> blocked = fillUntilAWriteBlocks(pair[0]);
        assertThrows(WritePendingException.class, () -> pair[0].write(bytes("x")));
        // Drain the peer until the outstanding write completes. One read is kept outstanding and
        // replaced when it completes: a read issued only after checking isDone() could wait forever
        // for bytes the write, completing meanwhile with its last ones, will never send.
        ByteBuffer sink = ByteBuffer.allocate(1 << 20);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Future<Integer> drain = pair[1].read(sink.clear());
        while (!blocked.isDone()) {
            if (drain.isDone()) {
                get(drain);
                drain = pair[1].read(sink.clear());
            }
            assertTrue(System.nanoTime() < deadline, "the outstanding write did not complete within 20 s of draining");
            Thread.sleep(1);
        }
        assertTrue(get(blocked) > 0);
    }

    @Test
    void aSecondAcceptWhileOneIsOutstandingThrowsAcceptPendingException() throws Exception {
        AsynchronousServerSocketChannel server = server();
        Future<AsynchronousSocketChannel> first = server.accept();
        assertThrows(AcceptPendingException.class, server::accept);
        AsynchronousSocketChannel c = client();
        get(c.connect(server.getLocalAddress()));
        track(get(first));
    }

    @Test
    void connectingAConnectedChannelThrowsAlreadyConnectedException() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        assertThrows(AlreadyConnectedException.class, () -> pair[0].connect(pair[1].getLocalAddress()));
    }

    @Test
    void readingOrWritingAnUnconnectedChannelThrowsNotYetConnectedException() throws Exception {
        AsynchronousSocketChannel c = client();
        assertThrows(NotYetConnectedException.class, () -> c.read(ByteBuffer.allocate(1)));
        assertThrows(NotYetConnectedException.class, () -> c.write(bytes("x")));
        assertThrows(NotYetConnectedException.class, c::shutdownInput);
    }

    @Test
    void acceptingOnAnUnboundListenerThrowsNotYetBoundException() throws Exception {
        AsynchronousServerSocketChannel s = track(provider().openAsynchronousServerSocketChannel(group));
        assertThrows(NotYetBoundException.class, s::accept);
    }

    // ---- connect failures and addresses -------------------------------------------------------------

    @Test
    void aRefusedConnectFailsWithConnectException() throws Exception {
        AsynchronousServerSocketChannel server = server();
        SocketAddress gone = server.getLocalAddress();
        server.close();
        AsynchronousSocketChannel c = client();
        assertInstanceOf(ConnectException.class, failureOf(c.connect(gone)));
        AsynchronousSocketChannel c2 = client();
        Recorder<Void, Void> r = new Recorder<>();
        c2.connect(gone, null, r);
        assertInstanceOf(ConnectException.class, r.failure());
    }

    @Test
    void unresolvedAndForeignAddressesAreRefused() throws Exception {
        AsynchronousSocketChannel c = client();
        assertThrows(UnresolvedAddressException.class,
                () -> c.connect(InetSocketAddress.createUnresolved("no.such.host.invalid", 80)));
        SocketAddress foreign = new SocketAddress() {
        };
        assertThrows(UnsupportedAddressTypeException.class, () -> c.connect(foreign));
        assertThrows(UnsupportedAddressTypeException.class, () -> c.bind(foreign));
    }

    @Test
    void addressesAfterBindAndConnect() throws Exception {
        AsynchronousServerSocketChannel server = server();
        InetSocketAddress serverAddress = (InetSocketAddress) server.getLocalAddress();
        assertEquals(LOOPBACK, serverAddress.getAddress());
        assertNotEquals(0, serverAddress.getPort());

        AsynchronousSocketChannel c = client();
        assertNull(c.getLocalAddress(), "not bound yet");
        assertNull(c.getRemoteAddress(), "not connected yet");
        c.bind(new InetSocketAddress(LOOPBACK, 0));
        InetSocketAddress local = (InetSocketAddress) c.getLocalAddress();
        assertNotEquals(0, local.getPort());
        assertThrows(AlreadyBoundException.class, () -> c.bind(null));
        Future<AsynchronousSocketChannel> accepted = server.accept();
        get(c.connect(serverAddress));
        assertEquals(serverAddress, c.getRemoteAddress());
        AsynchronousSocketChannel s = track(get(accepted));
        assertEquals(local, s.getRemoteAddress());
        assertEquals(serverAddress, s.getLocalAddress());
    }

    @Test
    void aListenerBoundToNullGetsAnEphemeralPortOnTheWildcardAddress() throws Exception {
        AsynchronousServerSocketChannel s = track(provider().openAsynchronousServerSocketChannel(group));
        assertNull(s.getLocalAddress());
        s.bind(null);
        InetSocketAddress a = (InetSocketAddress) s.getLocalAddress();
        assertTrue(a.getAddress().isAnyLocalAddress(), a.toString());
        assertNotEquals(0, a.getPort());
        assertThrows(AlreadyBoundException.class, () -> s.bind(null));
        // A client reaches it on the loopback address.
        Future<AsynchronousSocketChannel> accepted = s.accept();
        AsynchronousSocketChannel c = client();
        get(c.connect(new InetSocketAddress(LOOPBACK, a.getPort())));
        track(get(accepted));
    }

    // ---- options ------------------------------------------------------------------------------------

    @Test
    void standardOptionsCanBeSetAndRead() throws Exception {
        AsynchronousSocketChannel c = client();
        assertTrue(c.supportedOptions().containsAll(List.of(StandardSocketOptions.SO_SNDBUF,
                StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_KEEPALIVE,
                StandardSocketOptions.TCP_NODELAY)), c.supportedOptions().toString());
        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY));
        c.setOption(StandardSocketOptions.TCP_NODELAY, false);
        assertFalse(c.getOption(StandardSocketOptions.TCP_NODELAY));
        c.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        assertTrue(c.getOption(StandardSocketOptions.SO_KEEPALIVE));
        c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        assertTrue(c.getOption(StandardSocketOptions.SO_REUSEADDR));
        c.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
        assertTrue(c.getOption(StandardSocketOptions.SO_RCVBUF) >= 65536 / 2); // the kernel may adjust it
        assertTrue(c.getOption(StandardSocketOptions.SO_SNDBUF) > 0);
        assertThrows(IllegalArgumentException.class, () -> c.setOption(StandardSocketOptions.SO_RCVBUF, -1));
        assertThrows(UnsupportedOperationException.class, () -> c.setOption(StandardSocketOptions.SO_BROADCAST, true));
        assertThrows(UnsupportedOperationException.class, () -> c.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));

        AsynchronousServerSocketChannel s = track(provider().openAsynchronousServerSocketChannel(group));
        assertTrue(s.supportedOptions().containsAll(List.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR)));
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        assertTrue(s.getOption(StandardSocketOptions.SO_REUSEADDR));
        assertThrows(UnsupportedOperationException.class, () -> s.getOption(StandardSocketOptions.TCP_NODELAY));
    }

    // ---- close --------------------------------------------------------------------------------------

    @Test
    void closingFailsAnOutstandingReadWithAsynchronousCloseException() throws Exception {
        // Two pairs: closing one end would otherwise end the peer's read with end of stream.
        AsynchronousSocketChannel[] pair = connectedPair();
        AsynchronousSocketChannel[] pair2 = connectedPair();
        Future<Integer> future = pair[0].read(ByteBuffer.allocate(8));
        Recorder<Integer, String> handler = new Recorder<>();
        pair2[0].read(ByteBuffer.allocate(8), 0, TimeUnit.SECONDS, "h", handler);
        assertTrue(stillPending(future, 50));
        pair[0].close();
        pair2[0].close();
        assertInstanceOf(AsynchronousCloseException.class, failureOf(future));
        assertInstanceOf(AsynchronousCloseException.class, handler.failure());
        assertEquals("h", handler.attachment);
        assertTrue(handler.thread.getName().startsWith(threadPrefix), handler.thread.getName());
    }

    @Test
    void closingAListenerFailsAnOutstandingAcceptWithAsynchronousCloseException() throws Exception {
        AsynchronousServerSocketChannel server = server();
        Future<AsynchronousSocketChannel> future = server.accept();
        assertTrue(stillPending(future, 50));
        server.close();
        assertInstanceOf(AsynchronousCloseException.class, failureOf(future));

        AsynchronousServerSocketChannel server2 = server();
        Recorder<AsynchronousSocketChannel, Void> handler = new Recorder<>();
        server2.accept(null, handler);
        server2.close();
        assertInstanceOf(AsynchronousCloseException.class, handler.failure());
    }

    @Test
    void operationsOnAClosedChannelFailWithClosedChannelException() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        pair[0].close();
        pair[0].close(); // idempotent
        assertFalse(pair[0].isOpen());
        assertInstanceOf(ClosedChannelException.class, failureOf(pair[0].read(ByteBuffer.allocate(1))));
        assertInstanceOf(ClosedChannelException.class, failureOf(pair[0].write(bytes("x"))));
        Recorder<Integer, Void> r = new Recorder<>();
        pair[0].read(ByteBuffer.allocate(1), 1, TimeUnit.SECONDS, null, r);
        assertInstanceOf(ClosedChannelException.class, r.failure());
        assertInstanceOf(ClosedChannelException.class, failureOf(pair[0].connect(pair[1].getLocalAddress())));
        assertThrows(ClosedChannelException.class, pair[0]::getLocalAddress);
        assertThrows(ClosedChannelException.class, pair[0]::getRemoteAddress);
        assertThrows(ClosedChannelException.class, () -> pair[0].getOption(StandardSocketOptions.TCP_NODELAY));
        assertThrows(ClosedChannelException.class, pair[0]::shutdownOutput);

        AsynchronousServerSocketChannel s = server();
        s.close();
        assertFalse(s.isOpen());
        assertInstanceOf(ClosedChannelException.class, failureOf(s.accept()));
        assertThrows(ClosedChannelException.class, s::getLocalAddress);
    }

    @Test
    void cancellingAReadFutureCancelsIt() throws Exception {
        AsynchronousSocketChannel[] pair = connectedPair();
        Future<Integer> read = pair[0].read(ByteBuffer.allocate(8));
        assertTrue(read.cancel(true));
        assertTrue(read.isCancelled());
        assertTrue(read.isDone());
    }

    // ---- groups -------------------------------------------------------------------------------------

    @Test
    void aShutdownGroupRefusesNewChannelsAndTerminatesOnceItsChannelsAreClosed() throws Exception {
        AsynchronousChannelGroup g = openGroup(threadPrefix + "own-", 1);
        AsynchronousSocketChannel c = provider().openAsynchronousSocketChannel(g);
        AsynchronousServerSocketChannel s = provider().openAsynchronousServerSocketChannel(g);
        g.shutdown();
        assertTrue(g.isShutdown());
        assertThrows(ShutdownChannelGroupException.class, () -> provider().openAsynchronousSocketChannel(g));
        assertThrows(ShutdownChannelGroupException.class, () -> provider().openAsynchronousServerSocketChannel(g));
        assertFalse(g.isTerminated(), "channels are still open");
        assertFalse(g.awaitTermination(100, TimeUnit.MILLISECONDS));
        assertTrue(c.isOpen());
        leakExemption = closingAChannelOfAShutdownGroupLeaks();
        c.close();
        s.close();
        assertTrue(g.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(g.isTerminated());
    }

    @Test
    void shutdownNowClosesEveryChannelOfTheGroup() throws Exception {
        AsynchronousChannelGroup g = openGroup(threadPrefix + "now-", 1);
        AsynchronousServerSocketChannel s = provider().openAsynchronousServerSocketChannel(g)
                .bind(new InetSocketAddress(LOOPBACK, 0));
        AsynchronousSocketChannel c = provider().openAsynchronousSocketChannel(g);
        // The peer of c lives in the test's own group, so the shutdown does not end c's stream.
        AsynchronousServerSocketChannel outside = server();
        Future<AsynchronousSocketChannel> accepted = outside.accept();
        get(c.connect(outside.getLocalAddress()));
        track(get(accepted));
        Future<AsynchronousSocketChannel> pendingAccept = s.accept();
        Future<Integer> outstanding = c.read(ByteBuffer.allocate(4));
        g.shutdownNow();
        assertTrue(g.isShutdown());
        assertTrue(g.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(g.isTerminated());
        assertFalse(s.isOpen());
        assertFalse(c.isOpen());
        assertInstanceOf(AsynchronousCloseException.class, failureOf(outstanding));
        assertInstanceOf(AsynchronousCloseException.class, failureOf(pendingAccept));
    }

    @Test
    void anIdleGroupTerminatesOnShutdown() throws Exception {
        AsynchronousChannelGroup g = openGroup(threadPrefix + "idle-", 1);
        assertFalse(g.isShutdown());
        g.shutdown();
        assertTrue(g.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(g.isTerminated());
    }

    @Test
    void aGroupOnAnExecutorServiceRunsHandlersOnItsThreads() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadPrefix + "pool-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executors.add(pool);
        AsynchronousChannelGroup g = provider().openAsynchronousChannelGroup(pool, 0);
        groups.add(g);
        AsynchronousServerSocketChannel s = track(provider().openAsynchronousServerSocketChannel(g))
                .bind(new InetSocketAddress(LOOPBACK, 0));
        Recorder<AsynchronousSocketChannel, Void> accept = new Recorder<>();
        s.accept(null, accept);
        AsynchronousSocketChannel c = track(provider().openAsynchronousSocketChannel(g));
        Recorder<Void, Void> connect = new Recorder<>();
        c.connect(s.getLocalAddress(), null, connect);
        connect.value();
        track(accept.value());
        assertTrue(connect.thread.getName().startsWith(threadPrefix + "pool-"), connect.thread.getName());
        assertTrue(accept.thread.getName().startsWith(threadPrefix + "pool-"), accept.thread.getName());
        g.shutdownNow();
        assertTrue(g.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(pool.isShutdown(), "termination shuts the group's executor down");
    }

    @Test
    void aGroupOfNoThreadsIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> provider().openAsynchronousChannelGroup(0, Thread::new));
    }

    @Test
    void anAcceptedChannelBelongsToTheListenersGroup() throws Exception {
        AsynchronousServerSocketChannel server = server();
        Future<AsynchronousSocketChannel> accepted = server.accept();
        AsynchronousSocketChannel c = client();
        get(c.connect(server.getLocalAddress()));
        AsynchronousSocketChannel a = track(get(accepted));
        assertSame(provider(), a.provider());
        Recorder<Integer, Void> read = new Recorder<>();
        a.read(ByteBuffer.allocate(4), 5, TimeUnit.SECONDS, null, read);
        writeFully(c, bytes("grp"));
        assertEquals(3, read.value());
        assertTrue(read.thread.getName().startsWith(threadPrefix), read.thread.getName());
    }

    /**
     * Opening and closing channels ignores the interrupt status (neither is an interruptible
     * blocking operation): the channels open, work, close, and the status stays set.
     */
    @Test
    void channelsOpenAndCloseFromAnInterruptedThread() throws Exception {
        AsynchronousServerSocketChannel s;
        AsynchronousSocketChannel c;
        try {
            Thread.currentThread().interrupt();
            s = server();
            c = client();
            assertTrue(Thread.currentThread().isInterrupted(), "opening kept the interrupt status");
            assertTrue(s.isOpen());
            assertTrue(c.isOpen());
        } finally {
            Thread.interrupted();
        }
        Future<AsynchronousSocketChannel> accepted = s.accept();
        assertNull(get(c.connect(s.getLocalAddress())));
        AsynchronousSocketChannel a = track(get(accepted));
        writeFully(c, bytes("intr"));
        assertArrayEquals("intr".getBytes(), readExactly(a, 4));
        Map<Integer, String> beforeClose = LeakCheck.snapshot();
        try {
            Thread.currentThread().interrupt();
            a.close();
            c.close();
            s.close();
            assertTrue(Thread.currentThread().isInterrupted(), "closing kept the interrupt status");
        } finally {
            Thread.interrupted();
        }
        assertFalse(a.isOpen());
        assertFalse(c.isOpen());
        assertFalse(s.isOpen());
        Map<Integer, String> afterClose = LeakCheck.snapshot();
        long closedSockets = beforeClose.entrySet().stream()
                .filter(e -> e.getValue().startsWith("socket:") && !e.getValue().equals(afterClose.get(e.getKey())))
                .count();
        assertTrue(closedSockets >= 3, "each close returned with its socket closed: " + beforeClose + " -> " + afterClose);
    }

    @Test
    void theDefaultGroupIsUsedWithoutAGroup() throws Exception {
        AsynchronousServerSocketChannel s = track(provider().openAsynchronousServerSocketChannel(null))
                .bind(new InetSocketAddress(LOOPBACK, 0));
        AsynchronousSocketChannel c = track(provider().openAsynchronousSocketChannel(null));
        Future<AsynchronousSocketChannel> accepted = s.accept();
        Recorder<Void, Void> connect = new Recorder<>();
        c.connect(s.getLocalAddress(), null, connect);
        connect.value();
        AsynchronousSocketChannel a = track(get(accepted));
        writeFully(a, bytes("dflt"));
        assertArrayEquals("dflt".getBytes(), readExactly(c, 4));
    }
}
