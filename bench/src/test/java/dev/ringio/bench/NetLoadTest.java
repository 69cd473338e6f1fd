package dev.ringio.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.net.Ipv4SockAddr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NetLoad} driving the real C load generator (bench/target/c/netload, built by Maven before
 * the tests) against echo servers and proxies on loopback, and against a port nobody listens on.
 * No socket or pipe (netload's stdin/stdout included) may be left open after each.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetLoadTest {

    private static IoEngine engine;
    private final NetLoad load = new NetLoad();
    private Map<Integer, String> before;

    @BeforeAll
    static void openEngine() throws Exception {
        KernelSkips.assumeIoUring();
        OpenFds.warmUpJdkNetworking();
        engine = IoEngines.open("uring", InfoCommand.engineConfig());
    }

    @AfterAll
    static void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @BeforeEach
    void snapshot() {
        assertTrue(load.available(), load.missingReason());
        before = OpenFds.socketsAndPipes();
    }

    @AfterEach
    void nothingLeaks() throws InterruptedException {
        assertEquals(Map.of(), OpenFds.leakedSince(before, 5_000), "sockets or pipes left open");
    }

    private static void assertRequests(Sample s) {
        assertTrue(s.value() > 0, "req/s " + s.value());
        assertTrue(s.hasLatency(), "has p50/p99");
        assertTrue(s.p50Micros() > 0, "p50 " + s.p50Micros());
        assertTrue(s.p50Micros() <= s.p99Micros(), "p50 " + s.p50Micros() + " <= p99 " + s.p99Micros());
    }

    @Test
    void echoAgainstNio() throws Exception {
        try (NioEchoServer server = NioEchoServer.start()) {
            assertRequests(load.echo(server.port(), 10, 64, 0.1, 0.3));
        }
    }

    @Test
    void echoAgainstRingioMultishot() throws Exception {
        try (EchoServer server = EchoServer.start(engine, Ipv4SockAddr.loopback(0))) {
            assertRequests(load.echo(server.port(), 10, 64, 0.1, 0.3));
        }
    }

    @Test
    void proxyRequestsThroughNioProxy() throws Exception {
        assertRequests(load.proxyRequests(
                backend -> NioProxy.start(new InetSocketAddress("127.0.0.1", backend)), 5, 64, 0.1, 0.3));
    }

    @Test
    void proxyRequestsThroughRingioProxy() throws Exception {
        assertRequests(load.proxyRequests(backend -> TcpProxy.start(engine, Ipv4SockAddr.loopback(0),
                Ipv4SockAddr.loopback(backend)), 5, 64, 0.1, 0.3));
    }

    @Test
    void proxyBulkThroughNioProxy() throws Exception {
        Sample s = load.proxyBulk(backend -> NioProxy.start(new InetSocketAddress("127.0.0.1", backend)), 5, 0.1, 0.3);
        assertTrue(s.value() > 0, "MB/s " + s.value());
        assertFalse(s.hasLatency(), "bulk has no latency figures");
    }

    @Test
    void echoAgainstAClosedPortFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CProgram.CFailure e = assertThrows(CProgram.CFailure.class, () -> load.echo(port, 2, 64, 0.1, 0.3));
        assertEquals("netload exited with status 1", e.getMessage());
    }

    @Test
    void aProxyThatCannotStartEndsNetload() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> load.proxyRequests(backend -> {
            assertTrue(backend > 0, "netload's backend port");
            throw new IllegalStateException("no proxy today");
        }, 2, 64, 0.1, 0.3));
        assertEquals("no proxy today", e.getMessage());
    }
}
