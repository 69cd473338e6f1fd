package dev.ringio.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ringio.EngineConfig;
import dev.ringio.EngineGroup;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.nio.NioTesting.HandlerEchoServer;
import static dev.ringio.nio.NioTesting.HandlerPingClient;
import static dev.ringio.nio.NioTesting.Recorder;
import static dev.ringio.nio.NioTesting.WAIT_SECONDS;
import static dev.ringio.nio.NioTesting.bytes;
import static dev.ringio.nio.NioTesting.failureOf;
import static dev.ringio.nio.NioTesting.get;
import static dev.ringio.nio.NioTesting.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What ringio's channel groups do beyond the JDK's contract (which {@link AsyncSocketChannelContract}
 * checks): a fixed-thread-pool group is an engine group whose loops are the application's
 * threads, a channel's handlers all run on its engine's loop, accepted channels spread over the
 * loops, a handler blocking its loop does not wedge the group, an executor group completes a
 * ready read or write on the calling thread, and termination closes every engine with operations
 * in flight on each. On the io_uring and the epoll engine, with real loopback sockets.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RingioChannelGroupTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<AsynchronousChannelGroup> groups = new ArrayList<>();
    private IoEngine engine;

    @BeforeAll
    static void warmUp() {
        LeakCheck.warmUp();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        for (AsynchronousChannelGroup g : groups) {
            g.shutdownNow();
            assertTrue(g.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS), "group did not terminate");
        }
        if (engine != null) {
            engine.close();
        }
    }

    private RingioAsynchronousChannelProvider provider(String engineName) throws Exception {
        if (engineName.equals("io_uring")) {
            KernelFeatures.assume(KernelFeatures.ioUring(), KernelFeatures.IO_URING);
        } else {
            String why = IoEngines.availability().get(engineName);
            assumeTrue("available".equals(why), engineName + " cannot start here: " + why);
        }
        engine = IoEngines.open(engineName, EngineConfig.defaults());
        return new RingioAsynchronousChannelProvider(engine);
    }

    /** A thread factory that remembers every thread it made. */
    private static final class RecordingFactory implements ThreadFactory {
        final Set<Thread> made = ConcurrentHashMap.newKeySet();
        private final String prefix;
        private final AtomicInteger n = new AtomicInteger();

        RecordingFactory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            made.add(t);
            return t;
        }
    }

    private RingioChannelGroup fixedGroup(RingioAsynchronousChannelProvider provider, int n, ThreadFactory factory)
            throws IOException {
        RingioChannelGroup g = (RingioChannelGroup) provider.openAsynchronousChannelGroup(n, factory);
        groups.add(g);
        return g;
    }

    private <C extends AutoCloseable> C track(C c) {
        toClose.add(c);
        return c;
    }

    /** A connected pair: [0] a client in {@code clientGroup}, [1] its peer accepted by a listener in {@code serverGroup}. */
    private AsynchronousSocketChannel[] pair(RingioAsynchronousChannelProvider provider, AsynchronousChannelGroup clientGroup,
            AsynchronousChannelGroup serverGroup) throws Exception {
        try (AsynchronousServerSocketChannel s = provider.openAsynchronousServerSocketChannel(serverGroup)
                .bind(new InetSocketAddress(LOOPBACK, 0))) {
            Future<AsynchronousSocketChannel> accepted = s.accept();
            AsynchronousSocketChannel c = track(provider.openAsynchronousSocketChannel(clientGroup));
            get(c.connect(s.getLocalAddress()));
            return new AsynchronousSocketChannel[] {c, track(get(accepted))};
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll"})
    void aFixedGroupIsAnEngineGroupOnTheFactorysThreadsAndSpreadsAcceptedChannels(String engineName) throws Exception {
        RingioAsynchronousChannelProvider provider = provider(engineName);
        RecordingFactory factory = new RecordingFactory("ringio-group-test-");
        RingioChannelGroup g = fixedGroup(provider, 2, factory);
        RingioChannelGroup clients = fixedGroup(provider, 1, new RecordingFactory("ringio-group-test-clients-"));
        EngineGroup loops = g.loops();
        assertEquals(2, loops.size());
        assertEquals(engineName, loops.name());
        Set<Thread> loopThreads = new HashSet<>();
        for (IoEngine e : loops.engines()) {
            CompletableFuture<Thread> t = new CompletableFuture<>();
            e.execute(() -> t.complete(Thread.currentThread()));
            loopThreads.add(get(t));
        }
        assertEquals(factory.made, loopThreads, "the group's loop threads are the ones the factory made");

        AsynchronousServerSocketChannel s = track(provider.openAsynchronousServerSocketChannel(g))
                .bind(new InetSocketAddress(LOOPBACK, 0));
        int connections = 4;
        List<HandlerEchoServer> servers = new ArrayList<>();
        List<HandlerPingClient> pings = new ArrayList<>();
        Set<IoEngine> acceptedOn = new HashSet<>();
        for (int i = 0; i < connections; i++) {
            Recorder<AsynchronousSocketChannel, Void> accept = new Recorder<>();
            s.accept(null, accept);
            AsynchronousSocketChannel c = track(provider.openAsynchronousSocketChannel(clients));
            get(c.connect(s.getLocalAddress()));
            RingioAsynchronousSocketChannel served = (RingioAsynchronousSocketChannel) track(accept.value());
            acceptedOn.add(served.engine());
            servers.add(new HandlerEchoServer(served).start());
            pings.add(new HandlerPingClient(c, 50).start());
        }
        assertEquals(2, acceptedOn.size(), "accepted channels spread over both engines");
        Set<Thread> serving = new HashSet<>();
        for (int i = 0; i < connections; i++) {
            get(pings.get(i).done);
            Set<Thread> threads = servers.get(i).threads;
            assertEquals(1, threads.size(), "one channel's handlers all ran on its loop: " + threads);
            assertTrue(factory.made.containsAll(threads), "handlers on " + threads);
            serving.addAll(threads);
        }
        assertEquals(factory.made, serving, "the connections were served on both loops");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll"})
    void aHandlerBlockingItsLoopDoesNotStopAnotherThreadOpeningAndClosingChannelsOfTheGroup(String engineName)
            throws Exception {
        RingioAsynchronousChannelProvider provider = provider(engineName);
        RingioChannelGroup g = fixedGroup(provider, 1, new RecordingFactory("ringio-blocked-"));
        RingioChannelGroup other = fixedGroup(provider, 1, new RecordingFactory("ringio-blocked-peer-"));
        AsynchronousSocketChannel[] p = pair(provider, other, g);
        // The handler holds the group's only loop until this thread has opened, bound and closed
        // channels of the group (the shape of a handler waiting for a lock the opener holds).
        CountDownLatch openedAndClosed = new CountDownLatch(1);
        CompletableFuture<Boolean> handlerSawIt = new CompletableFuture<>();
        p[1].read(ByteBuffer.allocate(8), null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void att) {
                try {
                    handlerSawIt.complete(openedAndClosed.await(WAIT_SECONDS, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    handlerSawIt.completeExceptionally(e);
                }
            }

            @Override
            public void failed(Throwable exc, Void att) {
                handlerSawIt.completeExceptionally(exc);
            }
        });
        get(p[0].write(bytes("x")));
        for (int i = 0; i < 3; i++) {
            provider.openAsynchronousSocketChannel(g).bind(new InetSocketAddress(LOOPBACK, 0)).close();
            provider.openAsynchronousServerSocketChannel(g).bind(new InetSocketAddress(LOOPBACK, 0)).close();
        }
        openedAndClosed.countDown();
        assertTrue(get(handlerSawIt), "the opening and closing did not wait for the blocked loop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll"})
    void waitingInAHandlerForAnOperationOfItsOwnLoopIsRefusedAndTheLoopGoesOn(String engineName) throws Exception {
        RingioAsynchronousChannelProvider provider = provider(engineName);
        RingioChannelGroup g = fixedGroup(provider, 1, new RecordingFactory("ringio-self-wait-"));
        RingioChannelGroup other = fixedGroup(provider, 1, new RecordingFactory("ringio-self-wait-peer-"));
        AsynchronousSocketChannel[] p = pair(provider, other, g);
        CompletableFuture<Integer> readyGot = new CompletableFuture<>();
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        CompletableFuture<Throwable> refusedTimed = new CompletableFuture<>();
        CompletableFuture<Future<Integer>> pending = new CompletableFuture<>();
        ByteBuffer later = ByteBuffer.allocate(8);
        p[1].read(ByteBuffer.allocate(1), null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void att) {
                try {
                    // Bytes that are there: the read completes at once, and get() returns them.
                    readyGot.complete(p[1].read(ByteBuffer.allocate(8)).get());
                    // None are there: only this loop could complete the read, so get() would never return.
                    Future<Integer> f = p[1].read(later);
                    pending.complete(f);
                    refused.complete(assertThrows(IllegalStateException.class, f::get));
                    refusedTimed.complete(assertThrows(IllegalStateException.class, () -> f.get(1, TimeUnit.SECONDS)));
                } catch (Throwable t) {
                    readyGot.completeExceptionally(t);
                    pending.completeExceptionally(t);
                    refused.completeExceptionally(t);
                    refusedTimed.completeExceptionally(t);
                }
            }

            @Override
            public void failed(Throwable exc, Void att) {
                readyGot.completeExceptionally(exc);
            }
        });
        get(p[0].write(bytes("abc")));
        assertEquals(2, get(readyGot));
        assertTrue(get(refused).getMessage().contains("loop thread"), get(refused).getMessage());
        assertNotNull(get(refusedTimed));
        Future<Integer> f = get(pending);
        assertFalse(f.isDone());
        get(p[0].write(bytes("later")));
        assertEquals(5, get(f), "the loop went on and completed the read");
        assertEquals("later", string(later.flip()));
    }

    /** An executor that records which thread handed it each task. */
    private static final class RecordingExecutor extends AbstractExecutorService {
        final List<Thread> submitters = new CopyOnWriteArrayList<>();
        final Set<Thread> workers = ConcurrentHashMap.newKeySet();
        private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ringio-user-executor");
            t.setDaemon(true);
            workers.add(t);
            return t;
        });

        @Override
        public void execute(Runnable command) {
            submitters.add(Thread.currentThread());
            pool.execute(command);
        }

        @Override
        public void shutdown() {
            pool.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return pool.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return pool.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return pool.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return pool.awaitTermination(timeout, unit);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll"})
    void anExecutorGroupCompletesAReadyReadOrWriteOnTheCallingThreadAndRunsHandlersOnTheExecutor(String engineName)
            throws Exception {
        RingioAsynchronousChannelProvider provider = provider(engineName);
        RecordingExecutor executor = new RecordingExecutor();
        AsynchronousChannelGroup g = provider.openAsynchronousChannelGroup(executor, 0);
        groups.add(g);
        AsynchronousSocketChannel[] p = pair(provider, g, g);
        Thread me = Thread.currentThread();

        // One segment of 5 bytes: once a 1-byte read got the first, the other 4 are there.
        get(p[0].write(bytes("abcde")));
        assertEquals(1, get(p[1].read(ByteBuffer.allocate(1))));
        ByteBuffer rest = ByteBuffer.allocate(8);
        Future<Integer> now = p[1].read(rest);
        assertTrue(now.isDone(), "a read whose bytes are there completes within the call, without the loop");
        assertEquals(4, now.get());
        Future<Integer> written = p[1].write(bytes("xyz"));
        assertTrue(written.isDone(), "a write with room in the send buffer completes within the call");
        assertEquals(3, written.get());

        // The handler form: the handler goes to the executor, handed over by this thread (the
        // read completed here), not by a loop.
        get(p[0].write(bytes("fghij")));
        assertEquals(1, get(p[1].read(ByteBuffer.allocate(1))));
        executor.submitters.clear();
        Recorder<Integer, Void> read = new Recorder<>();
        p[1].read(ByteBuffer.allocate(8), null, read);
        assertEquals(4, read.value());
        assertTrue(executor.workers.contains(read.thread), "the handler ran on the executor: " + read.thread);
        assertEquals(List.of(me), executor.submitters, "the handler was handed over by the calling thread");

        // A read that must wait: the engine completes it, and its handler still runs on the executor.
        Recorder<Integer, Void> waiting = new Recorder<>();
        p[1].read(ByteBuffer.allocate(8), null, waiting);
        get(p[0].write(bytes("k")));
        assertEquals(1, waiting.value());
        assertTrue(executor.workers.contains(waiting.thread), "the handler ran on the executor: " + waiting.thread);
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll"})
    void onAVirtualThreadAReadyHeapReadOrWriteAlsoCompletesWithinTheCall(String engineName) throws Exception {
        RingioAsynchronousChannelProvider provider = provider(engineName);
        AsynchronousChannelGroup g = provider.openAsynchronousChannelGroup(Executors.newCachedThreadPool(), 0);
        groups.add(g);
        AsynchronousSocketChannel[] p = pair(provider, g, g);
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                Future<Integer> written = p[0].write(bytes("hello"));
                assertTrue(written.isDone(), "a write with room completes within the call");
                assertEquals(5, written.get());
                ByteBuffer first = ByteBuffer.allocate(1);
                assertEquals(1, p[1].read(first).get(WAIT_SECONDS, TimeUnit.SECONDS));
                ByteBuffer rest = ByteBuffer.allocate(8);
                Future<Integer> now = p[1].read(rest);
                assertTrue(now.isDone(), "a read whose bytes are there completes within the call");
                assertEquals(4, now.get());
                result.complete(string(first.flip()) + string(rest.flip()));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        assertEquals("hello", get(result));
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll"})
    void shutdownNowWithOperationsInFlightOnEveryEngineFailsThemOnTheLoopsAndClosesTheEngines(String engineName)
            throws Exception {
        RingioAsynchronousChannelProvider provider = provider(engineName);
        RecordingFactory factory = new RecordingFactory("ringio-shutdown-now-");
        RingioChannelGroup g = fixedGroup(provider, 2, factory);
        RingioChannelGroup other = fixedGroup(provider, 1, new RecordingFactory("ringio-shutdown-now-peer-"));
        AsynchronousServerSocketChannel s = provider.openAsynchronousServerSocketChannel(g)
                .bind(new InetSocketAddress(LOOPBACK, 0));
        List<Recorder<Integer, Void>> reads = new ArrayList<>();
        Set<IoEngine> engines = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            Future<AsynchronousSocketChannel> accepted = s.accept();
            AsynchronousSocketChannel c = track(provider.openAsynchronousSocketChannel(other));
            get(c.connect(s.getLocalAddress()));
            RingioAsynchronousSocketChannel served = (RingioAsynchronousSocketChannel) get(accepted);
            engines.add(served.engine());
            Recorder<Integer, Void> read = new Recorder<>();
            served.read(ByteBuffer.allocate(8), 0, TimeUnit.SECONDS, null, read);
            reads.add(read);
        }
        assertEquals(2, engines.size(), "reads in flight on both engines");
        Recorder<AsynchronousSocketChannel, Void> accept = new Recorder<>();
        s.accept(null, accept);

        g.shutdownNow();
        assertTrue(g.isShutdown());
        for (Recorder<Integer, Void> read : reads) {
            assertInstanceOf(AsynchronousCloseException.class, read.failure());
            assertTrue(factory.made.contains(read.thread), "the failure's handler ran on a loop: " + read.thread);
        }
        assertInstanceOf(AsynchronousCloseException.class, accept.failure());
        assertTrue(g.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(g.isTerminated());
        assertFalse(s.isOpen());
        for (IoEngine e : g.loops().engines()) {
            assertTrue(e.isClosed(), "termination closed " + e);
        }
        for (Thread t : factory.made) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(t.isAlive(), "loop thread " + t + " ended");
        }
        assertThrows(ShutdownChannelGroupException.class, () -> provider.openAsynchronousSocketChannel(g));
        assertSame(engine, provider.engine());
        assertFalse(engine.isClosed(), "the provider's own engine is not the group's to close");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll"})
    void shutdownLetsOperationsInFlightOnEveryEngineFinishThenTerminatesWhenTheChannelsClose(String engineName)
            throws Exception {
        RingioAsynchronousChannelProvider provider = provider(engineName);
        RecordingFactory factory = new RecordingFactory("ringio-shutdown-");
        RingioChannelGroup g = fixedGroup(provider, 2, factory);
        RingioChannelGroup other = fixedGroup(provider, 1, new RecordingFactory("ringio-shutdown-peer-"));
        List<AsynchronousSocketChannel[]> pairs = new ArrayList<>();
        List<Recorder<Integer, Void>> reads = new ArrayList<>();
        Set<IoEngine> engines = new HashSet<>();
        AsynchronousServerSocketChannel s = provider.openAsynchronousServerSocketChannel(g)
                .bind(new InetSocketAddress(LOOPBACK, 0));
        for (int i = 0; i < 2; i++) {
            Future<AsynchronousSocketChannel> accepted = s.accept();
            AsynchronousSocketChannel c = track(provider.openAsynchronousSocketChannel(other));
            get(c.connect(s.getLocalAddress()));
            AsynchronousSocketChannel[] p = {c, get(accepted)};
            pairs.add(p);
            engines.add(((RingioAsynchronousSocketChannel) p[1]).engine());
            Recorder<Integer, Void> read = new Recorder<>();
            p[1].read(ByteBuffer.allocate(8), null, read);
            reads.add(read);
        }
        assertEquals(2, engines.size(), "reads in flight on both engines");
        g.shutdown();
        assertTrue(g.isShutdown());
        assertThrows(ShutdownChannelGroupException.class, () -> provider.openAsynchronousSocketChannel(g));
        assertFalse(g.isTerminated(), "channels are still open");
        for (int i = 0; i < 2; i++) {
            get(pairs.get(i)[0].write(bytes("go")));
            assertEquals(2, reads.get(i).value(), "an operation in flight completes after shutdown()");
            assertTrue(factory.made.contains(reads.get(i).thread));
        }
        assertFalse(g.awaitTermination(0, TimeUnit.SECONDS), "channels are still open");
        for (AsynchronousSocketChannel[] p : pairs) {
            p[1].close();
        }
        assertFalse(g.awaitTermination(0, TimeUnit.SECONDS), "the listener is still open");
        s.close();
        assertTrue(g.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(g.isTerminated());
        for (IoEngine e : g.loops().engines()) {
            assertTrue(e.isClosed(), "termination closed " + e);
        }
    }
}
