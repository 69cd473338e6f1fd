package dev.ringio.bench;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.net.Ipv4SockAddr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link VirtualThreadEchoServer} ({@code ringio echo --threads virtual}) against plain java.net
 * clients, on the io_uring and the epoll engine: 500 concurrent connections, every byte checked,
 * counters right, and every descriptor released after close.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VirtualThreadEchoServerTest {

    private static final int CONNECTIONS = 500;

    @Test
    void echoesOnIoUring() throws Exception {
        KernelSkips.assumeIoUring();
        echoes("io_uring");
    }

    @Test
    void echoesOnEpoll() throws Exception {
        echoes("epoll");
    }

    private void echoes(String engineName) throws Exception {
        OpenFds.warmUpJdkNetworking();
        Map<Integer, String> before = OpenFds.snapshot();
        try (IoEngine engine = IoEngines.open(engineName, ProxyCommand.engineConfig("vt-echo-test"))) {
            VirtualThreadEchoServer server = VirtualThreadEchoServer.start(engine, Ipv4SockAddr.loopback(0), 1024, m -> { });
            int port = server.localAddress().getPort();
            long sent = 0;
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    int seed = i;
                    results.add(clients.submit(() -> {
                        byte[] data = new byte[1 + new SplittableRandom(seed).nextInt(20_000)];
                        new SplittableRandom(seed + 1).nextBytes(data);
                        try (Socket s = new Socket("127.0.0.1", port)) {
                            OutputStream out = s.getOutputStream();
                            InputStream in = s.getInputStream();
                            Thread w = Thread.ofVirtual().start(() -> {
                                try {
                                    out.write(data);
                                    s.shutdownOutput();
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            });
                            byte[] back = new byte[data.length];
                            new DataInputStream(in).readFully(back);
                            assertEquals(-1, in.read(), "the server closes after the client's half-close");
                            w.join();
                            assertArrayEquals(data, back);
                        }
                        return data.length;
                    }));
                }
                for (Future<Integer> f : results) {
                    sent += f.get(60, TimeUnit.SECONDS);
                }
            }
            for (int i = 0; i < 200 && server.openConnections() > 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(CONNECTIONS, server.accepted());
            assertEquals(0, server.failed());
            assertEquals(sent, server.bytesEchoed());
            server.close();
        }
        Map<Integer, String> leaked = OpenFds.leakedSince(before, 5_000);
        assertTrue(leaked.isEmpty(), "descriptors left open: " + OpenFds.describe(leaked));
    }
}
