package dev.ringio.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.net.Ipv4SockAddr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link EchoServer} against plain java.net clients (so the server is tested independently of
 * ringio's own socket code): many concurrent connections, every echoed byte checked, and no
 * descriptor left behind.
 */
class EchoServerTest {

    private static final int CONNECTIONS = 1000;
    private static final int MESSAGES = 10;
    private static final int MAX_MESSAGE = 8192;
    /** A guard against a hang, not a performance threshold. */
    private static final Duration GUARD = Duration.ofSeconds(120);

    private static IoEngine engine;

    @BeforeAll
    static void openEngine() throws IOException, InterruptedException {
        OpenFds.warmUpJdkNetworking();
        engine = IoEngines.open(ProxyCommand.engineConfig("echo-test-loop"));
    }

    @AfterAll
    static void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    /**
     * How many connections this process can hold: each costs two descriptors here (client and
     * server side), plus what the JVM and the engine already use.
     */
    private static int connectionsAllowedByFdLimit(int wanted) {
        long limit = OpenFds.maxOpenFiles();
        int open = OpenFds.snapshot().size();
        if (limit < 0) {
            return wanted;
        }
        long room = (limit - open - 256) / 2;
        return (int) Math.max(10, Math.min(wanted, room));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void thousandConcurrentConnectionsEchoEveryByte() throws Exception {
        int connections = connectionsAllowedByFdLimit(CONNECTIONS);
        System.out.println("EchoServerTest: Max open files (soft) = " + OpenFds.maxOpenFiles() + ", open now "
                + OpenFds.snapshot().size() + "; running " + connections + " concurrent connections"
                + (connections < CONNECTIONS ? " (fewer than " + CONNECTIONS + ": descriptor limit)" : ""));
        runEcho(engine, connections, "queue depth 1024");
    }

    /**
     * The same with an engine whose submission queue (16 entries) is far smaller than the number
     * of operations in flight, so the engine's overflow path carries most submissions.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void threeHundredConnectionsOnATinySubmissionQueue() throws Exception {
        EngineConfig tiny = EngineConfig.builder().queueDepth(16).threadName("echo-test-small").build();
        try (IoEngine small = IoEngines.open(tiny)) {
            runEcho(small, connectionsAllowedByFdLimit(300), "queue depth 16");
        }
    }

    private void runEcho(IoEngine engine, int connections, String label) throws Exception {
        Map<Integer, String> before = OpenFds.socketsAndPipes();
        ConcurrentLinkedQueue<String> serverLog = new ConcurrentLinkedQueue<>();
        EchoServer server = EchoServer.start(engine, Ipv4SockAddr.loopback(0), EchoServer.DEFAULT_BACKLOG,
                EchoServer.DEFAULT_RING_ENTRIES, EchoServer.DEFAULT_BUFFER_SIZE, serverLog::add);
        int port = ((Ipv4SockAddr) server.localAddress()).port();
        assertTrue(port > 0, "bound to a real port: " + server.localAddress());

        CountDownLatch allConnected = new CountDownLatch(connections);
        CountDownLatch go = new CountDownLatch(1);
        long expectedBytes = 0;
        List<byte[][]> plans = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(42);
        for (int c = 0; c < connections; c++) {
            byte[][] messages = new byte[MESSAGES][];
            for (int m = 0; m < MESSAGES; m++) {
                messages[m] = new byte[1 + random.nextInt(MAX_MESSAGE)];
                random.nextBytes(messages[m]);
                expectedBytes += messages[m].length;
            }
            plans.add(messages);
        }

        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> results = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                byte[][] messages = plans.get(c);
                boolean pipelined = (c & 1) == 1;
                results.add(clients.submit(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                        s.setSoTimeout(60_000);
                        allConnected.countDown();
                        go.await();
                        if (pipelined) {
                            pipelined(s, messages);
                        } else {
                            pingPong(s, messages);
                        }
                    }
                    return null;
                }));
            }
            assertTrue(allConnected.await(GUARD.toSeconds(), TimeUnit.SECONDS), "every client connected");
            // All connections are open at once: wait until the server has accepted every one.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.active() < connections && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(connections, server.active(), "connections open on the server at the same time");
            go.countDown();
            long guardEnd = start + GUARD.toNanos();
            for (Future<?> f : results) {
                try {
                    f.get(Math.max(1, guardEnd - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    fail("clients did not finish within " + GUARD + "; server: " + server + "; log: " + serverLog);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("EchoServerTest (%s): %d connections x %d messages, %d bytes echoed in %.2f s"
                        + " (%d receive pauses)%n",
                label, connections, MESSAGES, expectedBytes, seconds, server.receivePauses());

        // Every client saw end of stream after its echoes, so the server has finished each connection.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.active() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, server.active(), "connections left open on the server");
        assertEquals(connections, server.accepted());
        assertEquals(0, server.failed(), "failed connections; log: " + serverLog);
        assertEquals(expectedBytes, server.bytesEchoed());
        assertTrue(serverLog.isEmpty(), "server logged: " + serverLog);

        server.close();
        assertEquals(Map.of(), OpenFds.leakedSince(before, 5_000), "sockets or pipes left open");
    }

    /**
     * A client that sends 16 MiB and starts reading only a second later: the server's echo queue
     * passes its high-water mark, the connection stops receiving, and resumes once drained; every
     * byte still comes back in order.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void slowReaderPausesReceivingAndLosesNothing() throws Exception {
        Map<Integer, String> before = OpenFds.socketsAndPipes();
        ConcurrentLinkedQueue<String> serverLog = new ConcurrentLinkedQueue<>();
        byte[] data = new byte[16 << 20];
        new SplittableRandom(9).nextBytes(data);
        try (EchoServer server = EchoServer.start(engine, Ipv4SockAddr.loopback(0), 16, 64, 16 * 1024, serverLog::add);
             Socket s = new Socket("127.0.0.1", ((Ipv4SockAddr) server.localAddress()).port())) {
            s.setSoTimeout(60_000);
            AtomicReference<Throwable> writeFailure = new AtomicReference<>();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (Throwable t) {
                    writeFailure.set(t);
                }
            });
            Thread.sleep(1000);
            byte[] got = s.getInputStream().readAllBytes();
            writer.join();
            assertEquals(null, writeFailure.get());
            assertEquals(data.length, got.length, "bytes echoed");
            assertArrayEquals(data, got, "echoed stream");
            assertTrue(server.receivePauses() > 0, "the receive paused at least once: " + server);
            assertEquals(0, server.failed(), "log: " + serverLog);
        }
        assertEquals(Map.of(), OpenFds.leakedSince(before, 5_000), "sockets or pipes left open");
    }

    /** Closing the engine first (it ends every operation) and the server afterwards leaks nothing. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closingTheServerAfterItsEngine() throws Exception {
        Map<Integer, String> before = OpenFds.socketsAndPipes();
        ConcurrentLinkedQueue<String> serverLog = new ConcurrentLinkedQueue<>();
        IoEngine own = IoEngines.open(ProxyCommand.engineConfig("echo-test-own"));
        EchoServer server = EchoServer.start(own, Ipv4SockAddr.loopback(0), 16, 16, 4096, serverLog::add);
        try (Socket s = new Socket("127.0.0.1", ((Ipv4SockAddr) server.localAddress()).port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(7);
            assertEquals(7, s.getInputStream().read(), "echo before the close");
            own.close();
            server.close();
            assertEquals(0, server.active());
            int r;
            try {
                r = s.getInputStream().read();
            } catch (java.net.SocketException reset) {
                r = -1;
            }
            assertEquals(-1, r, "the server's side was closed");
        }
        assertEquals(0, server.failed(), "an engine shutdown is not a connection failure: " + serverLog);
        assertTrue(serverLog.isEmpty(), "server logged: " + serverLog);
        assertEquals(Map.of(), OpenFds.leakedSince(before, 5_000), "sockets or pipes left open");
    }

    /** One message, then its echo, ten times; then half-close and expect the server's end of stream. */
    private static void pingPong(Socket s, byte[][] messages) throws IOException {
        OutputStream out = s.getOutputStream();
        DataInputStream in = new DataInputStream(s.getInputStream());
        for (byte[] m : messages) {
            out.write(m);
            out.flush();
            byte[] echo = new byte[m.length];
            in.readFully(echo);
            assertArrayEquals(m, echo, "echo of a " + m.length + "-byte message");
        }
        s.shutdownOutput();
        assertEquals(-1, in.read(), "end of stream after the half-close");
    }

    /** All messages from a writer thread while this one reads: checks that echoes keep their order. */
    private static void pipelined(Socket s, byte[][] messages) throws Exception {
        int total = Arrays.stream(messages).mapToInt(m -> m.length).sum();
        byte[] expected = new byte[total];
        int off = 0;
        for (byte[] m : messages) {
            System.arraycopy(m, 0, expected, off, m.length);
            off += m.length;
        }
        AtomicReference<Throwable> writeFailure = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (byte[] m : messages) {
                    out.write(m);
                }
                out.flush();
                s.shutdownOutput();
            } catch (Throwable t) {
                writeFailure.set(t);
            }
        });
        InputStream in = s.getInputStream();
        byte[] got = new byte[total];
        int n = 0;
        while (n < total) {
            int r = in.read(got, n, total - n);
            if (r < 0) {
                fail("end of stream after " + n + " of " + total + " bytes");
            }
            n += r;
        }
        assertEquals(-1, in.read(), "end of stream after every echo");
        writer.join();
        assertEquals(null, writeFailure.get(), "writer");
        assertArrayEquals(expected, got, "echoed stream");
    }
}
