package dev.ringio.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code group} and {@code nio} workloads run end to end in a tiny form (one round of 1 s):
 * every table is there with its rows, ringio's rows measured (a figure, no failure), and the
 * printed tables carry their targets. Nothing about the figures' size is asserted. The group's
 * connection-rate servers are also run on their own, checked for serving on every loop and for leaks.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GroupAndNioWorkloadsTest {

    /**
     * One round; not "quick", so every row runs. A round of 1 s, not less: netload fails a run in
     * whose measured window no request completed, which a loaded machine can make happen in 0.1 s.
     */
    private static final Plan TINY = new Plan("tiny", 1, 1.0, 0.2, 0.2);

    private static List<BenchTable> run(Workload w) throws Exception {
        NetLoad load = new NetLoad();
        assumeTrue(load.available(), "netload is not built: " + load.missingReason());
        KernelSkips.assumeIoUring();
        return w.run(TINY, new Progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    private static void assertRows(BenchTable table, String caseKey, List<String> contenderKeys) {
        BenchCase bc = table.cases.stream().filter(c -> c.key.equals(caseKey)).findFirst().orElse(null);
        assertNotNull(bc, table.key + ": no case " + caseKey);
        assertEquals(contenderKeys, bc.contenders.stream().map(c -> c.key).toList(), table.key + " rows");
        for (Contender c : bc.contenders) {
            if (c.isRingio()) {
                assertTrue(c.note() == null, table.key + ": " + c.label + ": " + c.note());
                assertEquals(1, c.samples().size(), table.key + ": " + c.label + " measured once");
                assertTrue(c.samples().getFirst().value() > 0, table.key + ": " + c.label + " did some work");
            }
        }
        assertFalse(table.ringioFailed());
    }

    private static String printed(List<BenchTable> tables) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        tables.forEach(t -> t.print(out));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theGroupWorkloadPrintsItsNopEchoAndAcceptTables() throws Exception {
        List<BenchTable> tables = run(new GroupWorkload());
        assertEquals(List.of("group-nop", "group-echo", "group-accept"), tables.stream().map(t -> t.key).toList());
        assertRows(tables.get(2), "uring-accept", List.of("reuseport", "handoff"));
        assertRows(tables.get(2), "epoll-accept", List.of("reuseport", "handoff"));
        assertRows(tables.get(0), "loops-1", List.of("uring-future", "epoll-future"));
        assertRows(tables.get(0), "loops-2", List.of("uring-future", "epoll-future"));
        assertRows(tables.get(1), "echo-100-64",
                List.of("uring-loops-2", "epoll-loops-2", "nio-2", "netty-epoll-2", "netty-io_uring-2"));
        String out = printed(tables);
        assertTrue(out.contains("epoll engine future NOP ≥ 0.5 × the io_uring engine's"), out);
        assertTrue(out.contains("echo, 2 loops ≥ 1.2 × NIO with 2 selectors"), out);
        assertTrue(out.contains("echo, 2 loops ≥ 1.0 × Netty io_uring with 2 loops"), out);
    }

    /**
     * The connection-rate case's two servers under netload's connect mode: connections complete on
     * both, each loop of the group serves some of them (the hand-off really hands off), and once
     * the server is closed no socket or pipe is left open.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"uring, reuseport", "uring, handoff", "epoll, reuseport", "epoll, handoff"})
    void bothWaysOfSpreadingConnectionsServeEveryLoopAndLeakNothing(String engine, String strategy) throws Exception {
        NetLoad load = new NetLoad();
        assumeTrue(load.available(), "netload is not built: " + load.missingReason());
        if (engine.equals("uring")) {
            KernelSkips.assumeIoUring();
        }
        Map<Integer, String> before = OpenFds.socketsAndPipes();
        Sample rate;
        List<Long> accepted;
        try (GroupEchoServer server = strategy.equals("handoff")
                ? GroupEchoServer.startHandOff(engine, GroupWorkload.LOOPS)
                : GroupEchoServer.start(engine, GroupWorkload.LOOPS)) {
            rate = load.connections(server.port(), GroupWorkload.CONNECT_CLIENTS, GroupWorkload.ECHO_SIZE, 0.1, 1.0);
            accepted = server.servers().stream().map(EchoServer::accepted).toList();
        }
        assertTrue(rate.value() > 0, "connections/s " + rate.value());
        assertEquals(GroupWorkload.LOOPS, accepted.size());
        for (long n : accepted) {
            // SO_REUSEPORT hashes each connection's ports: with hundreds of connections, both get some.
            assertTrue(n > 0, "connections accepted per loop: " + accepted);
        }
        Map<Integer, String> leaked = OpenFds.leakedSince(before, 10_000);
        assertTrue(leaked.isEmpty(), "left open: " + leaked);
    }

    @Test
    void theNioWorkloadPrintsItsEchoAndBulkTables() throws Exception {
        List<BenchTable> tables = run(new NioWorkload());
        assertEquals(List.of("nio-echo", "nio-bulk"), tables.stream().map(t -> t.key).toList());
        List<String> rows = List.of("jdk-heap", "uring-heap", "epoll-heap", "jdk-direct", "uring-direct", "epoll-direct");
        assertRows(tables.get(0), "nio-echo", rows);
        assertRows(tables.get(1), "nio-bulk", rows);
        String out = printed(tables);
        assertTrue(out.contains("ringio's provider on io_uring, heap buffers ≥ 1.2 × the JDK's provider"), out);
        assertTrue(out.contains("ringio's provider on epoll, direct buffers ≥ 1.2 × the JDK's provider"), out);
    }
}
