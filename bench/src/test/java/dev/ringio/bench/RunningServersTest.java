package dev.ringio.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.net.Ipv4SockAddr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every {@link RunningServer} of the network benchmarks against plain java.net clients over
 * loopback: the echo servers with 50 concurrent clients each echoing 200 messages (64 B and 4 KiB,
 * every byte checked), the proxies with the same request/response traffic plus a 32 MiB transfer
 * each way ending in a half-close. After each server closes, no socket or pipe it opened may be
 * left, and the ringio engines' fixed-buffer pools must be full again.
 */
class RunningServersTest {

    private static final int CLIENTS = 50;
    private static final int MESSAGES = 200;
    private static final int[] SIZES = {64, 4096};
    private static final int BULK = 32 << 20;

    private static IoEngine uring;
    private static IoEngine epoll;

    @BeforeAll
    static void openEngines() throws Exception {
        KernelSkips.assumeIoUring();
        OpenFds.warmUpJdkNetworking();
        uring = IoEngines.open("uring", ProxyCommand.engineConfig("servers-test-uring"));
        epoll = IoEngines.open("epoll", ProxyCommand.engineConfig("servers-test-epoll"));
    }

    @AfterAll
    static void closeEngines() {
        if (uring != null) {
            uring.close();
        }
        if (epoll != null) {
            epoll.close();
        }
    }

    enum Echo {
        NIO, JDK_VIRTUAL_THREADS, NETTY_EPOLL, NETTY_IO_URING, RINGIO_FUTURES_URING, RINGIO_FUTURES_EPOLL,
        RINGIO_MULTISHOT_URING, RINGIO_VIRTUAL_THREADS_URING;

        RunningServer start() throws Exception {
            return switch (this) {
                case NIO -> NioEchoServer.start();
                case JDK_VIRTUAL_THREADS -> JdkVirtualThreadEchoServer.start();
                case NETTY_EPOLL -> netty(NettyEchoServer.Transport.EPOLL);
                case NETTY_IO_URING -> netty(NettyEchoServer.Transport.IO_URING);
                case RINGIO_FUTURES_URING -> RingioFutureEchoServer.start(uring);
                case RINGIO_FUTURES_EPOLL -> RingioFutureEchoServer.start(epoll);
                case RINGIO_MULTISHOT_URING -> EchoServer.start(uring, Ipv4SockAddr.loopback(0),
                        EchoServer.DEFAULT_BACKLOG, EchoServer.DEFAULT_RING_ENTRIES, EchoServer.DEFAULT_BUFFER_SIZE,
                        System.err::println);
                case RINGIO_VIRTUAL_THREADS_URING -> VirtualThreadEchoServer.start(uring, Ipv4SockAddr.loopback(0),
                        1024, System.err::println);
            };
        }

        private static RunningServer netty(NettyEchoServer.Transport t) throws InterruptedException {
            String why = t.unavailableReason();
            assumeTrue(why == null, () -> "Netty " + t + " unavailable: " + why);
            return NettyEchoServer.start(t);
        }
    }

    enum Proxy {
        NIO, RINGIO_SPLICE_URING, RINGIO_SPLICE_EPOLL;

        RunningServer start(int backendPort) throws Exception {
            return switch (this) {
                case NIO -> NioProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), backendPort));
                case RINGIO_SPLICE_URING -> TcpProxy.start(uring, Ipv4SockAddr.loopback(0),
                        Ipv4SockAddr.loopback(backendPort), 1024, System.err::println);
                case RINGIO_SPLICE_EPOLL -> TcpProxy.start(epoll, Ipv4SockAddr.loopback(0),
                        Ipv4SockAddr.loopback(backendPort), 1024, System.err::println);
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Echo.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void echoServerEchoesEveryByteToConcurrentClients(Echo kind) throws Exception {
        Map<Integer, String> before = OpenFds.socketsAndPipes();
        RunningServer server = kind.start();
        try {
            assertTrue(server.port() > 0, "listening on a real port");
            echoClients(server.port(), new byte[0]);
        } finally {
            server.close();
        }
        assertEquals(Map.of(), OpenFds.leakedSince(before, 5_000), kind + ": sockets or pipes left open");
        assertPoolsFull(kind.toString());
    }

    /**
     * One client streams 16 MiB and starts reading only after half a second, so the server's
     * sends come up short or wait for room (the partial-write and backpressure paths); every byte
     * must come back in order.
     */
    @ParameterizedTest
    @EnumSource(Echo.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void echoServerSurvivesASlowReader(Echo kind) throws Exception {
        Map<Integer, String> before = OpenFds.socketsAndPipes();
        byte[] data = new byte[16 << 20];
        new SplittableRandom(5).nextBytes(data);
        RunningServer server = kind.start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(30_000);
            Future<?> writer;
            try (ExecutorService one = Executors.newVirtualThreadPerTaskExecutor()) {
                writer = one.submit(() -> {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                    return null;
                });
                Thread.sleep(500);
                byte[] got = s.getInputStream().readAllBytes();
                writer.get(30, TimeUnit.SECONDS);
                assertEquals(data.length, got.length, "bytes echoed");
                assertTrue(Arrays.equals(data, got), "echoed stream");
            }
        } finally {
            server.close();
        }
        assertEquals(Map.of(), OpenFds.leakedSince(before, 5_000), kind + ": sockets or pipes left open");
        assertPoolsFull(kind.toString());
    }

    @ParameterizedTest
    @EnumSource(Proxy.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void proxyCarriesRequestsAndBulkBothWaysWithHalfClose(Proxy kind) throws Exception {
        Map<Integer, String> before = OpenFds.socketsAndPipes();
        try (Backend backend = Backend.start()) {
            RunningServer proxy = kind.start(backend.port());
            try {
                echoClients(proxy.port(), new byte[] {'E'});
                upload(proxy.port());
                download(proxy.port());
                // The client is done before the proxy has necessarily forwarded its last bytes
                // ("done" after the download): let the backend finish before the proxy closes.
                backend.awaitIdle();
            } finally {
                proxy.close();
            }
            assertEquals(List.of(), List.copyOf(backend.failures), "backend failures");
        }
        assertEquals(Map.of(), OpenFds.leakedSince(before, 5_000), kind + ": sockets or pipes left open");
        assertPoolsFull(kind.toString());
    }

    private static void assertPoolsFull(String what) {
        for (IoEngine e : new IoEngine[] {uring, epoll}) {
            assertEquals(e.bufferPool().chunkCount(), e.bufferPool().freeCount(),
                    what + ": free chunks in " + e.name() + "'s pool after close");
        }
    }

    // ---- clients ---------------------------------------------------------------------------------

    /**
     * {@value #CLIENTS} clients, all connected before any sends: each writes {@code preamble}, then
     * {@value #MESSAGES} messages alternating 64 B and 4 KiB of its own random bytes, reading each
     * echo back and comparing it; then half-closes and expects end of stream.
     */
    private static void echoClients(int port, byte[] preamble) throws Exception {
        CountDownLatch connected = new CountDownLatch(CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                long seed = c;
                results.add(clients.submit(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                        s.setTcpNoDelay(true);
                        s.setSoTimeout(30_000);
                        connected.countDown();
                        go.await();
                        SplittableRandom random = new SplittableRandom(seed);
                        OutputStream out = s.getOutputStream();
                        InputStream in = s.getInputStream();
                        out.write(preamble);
                        for (int m = 0; m < MESSAGES; m++) {
                            byte[] msg = new byte[SIZES[m % SIZES.length]];
                            random.nextBytes(msg);
                            out.write(msg);
                            byte[] echo = in.readNBytes(msg.length);
                            assertArrayEquals(msg, echo, "echo of message " + m + " on client " + seed);
                        }
                        s.shutdownOutput();
                        assertEquals(-1, in.read(), "end of stream after the echoes, client " + seed);
                    }
                    return null;
                }));
            }
            assertTrue(connected.await(30, TimeUnit.SECONDS), "every client connected");
            go.countDown();
            for (Future<?> f : results) {
                f.get(90, TimeUnit.SECONDS);
            }
        }
    }

    /** 32 MiB to the backend, then a half-close; the backend answers with the SHA-256 of what it got. */
    private static void upload(int port) throws Exception {
        byte[] data = bulk(7);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write('S');
            out.write(data);
            s.shutdownOutput();
            byte[] digest = s.getInputStream().readAllBytes();
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), digest,
                    "the backend's digest of the upload (it answers only after seeing end of stream)");
        }
    }

    /** The backend sends 32 MiB and half-closes; the client reads to end of stream, then answers. */
    private static void download(int port) throws Exception {
        byte[] expected = bulk(11);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write('G');
            byte[] got = s.getInputStream().readAllBytes();
            assertEquals(expected.length, got.length, "bytes downloaded before end of stream");
            assertTrue(Arrays.equals(expected, got), "downloaded bytes");
            // The other direction is still open: the backend waits for this before it closes.
            s.getOutputStream().write("done".getBytes());
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read());
        }
    }

    private static byte[] bulk(long seed) {
        byte[] b = new byte[BULK];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    // ---- the proxies' backend --------------------------------------------------------------------

    /**
     * A small java.net backend; the first byte of a connection picks the mode: 'E' echoes until end
     * of stream; 'S' reads to end of stream and answers the SHA-256 of it; 'G' sends {@link #bulk}(11),
     * half-closes, and expects "done" and end of stream.
     */
    private static final class Backend implements AutoCloseable {
        final ServerSocket server;
        final Set<Socket> open = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

        private Backend(ServerSocket server) {
            this.server = server;
        }

        static Backend start() throws IOException {
            ServerSocket ss = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            Backend b = new Backend(ss);
            b.threads.submit(b::acceptLoop);
            return b;
        }

        int port() {
            return server.getLocalPort();
        }

        /** Waits (up to 30 s) until every connection's handler has finished. */
        void awaitIdle() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(Set.of(), Set.copyOf(open), "backend connections still open");
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    threads.submit(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                s.setSoTimeout(60_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                int mode = in.read();
                switch (mode) {
                    case 'E' -> in.transferTo(out);
                    case 'S' -> {
                        MessageDigest sha = MessageDigest.getInstance("SHA-256");
                        byte[] buf = new byte[64 * 1024];
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            sha.update(buf, 0, n);
                        }
                        out.write(sha.digest());
                    }
                    case 'G' -> {
                        out.write(bulk(11));
                        s.shutdownOutput();
                        byte[] rest = in.readAllBytes();
                        if (!"done".equals(new String(rest))) {
                            failures.add("after the download: got " + rest.length + " bytes, not \"done\"");
                        }
                    }
                    default -> failures.add("unknown mode " + mode);
                }
            } catch (Exception e) {
                failures.add(e.toString());
            } finally {
                open.remove(s);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                s.close();
            }
            threads.close(); // waits for every handler
        }
    }
}
