package dev.ringio.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.ringio.EngineConfig;
import dev.ringio.net.Ipv4SockAddr;

/**
 * The {@code echo} workload: TCP echo on loopback at 1, 100 and 1,000 connections with 64 B and
 * 4 KiB messages, the load from {@code netload} in its own process (one request in flight per
 * connection). Servers, each restarted for every round on 127.0.0.1:
 *
 * <ul>
 *   <li>ringio, on io_uring and on epoll: <b>multishot</b> ({@link EchoServer}: multishot accept
 *       and receive into a provided buffer ring), <b>futures</b> ({@link RingioFutureEchoServer}:
 *       one-shot recv/send futures), <b>blocking on virtual threads</b>
 *       ({@link VirtualThreadEchoServer}: BlockingIo, a virtual thread per connection);</li>
 *   <li><b>NIO Selector</b> (the baseline; one thread), <b>JDK sockets on virtual threads</b>,
 *       <b>Netty 4.2 epoll</b> and <b>Netty 4.2 io_uring</b> (one event loop each, like ringio's
 *       one loop).</li>
 * </ul>
 * With {@code --quick}: 100 connections of 64 B, and the rows its targets compare (io_uring
 * multishot and blocking on virtual threads, NIO, JDK virtual threads, Netty io_uring) plus epoll
 * multishot.
 */
final class EchoWorkload implements Workload {

    static final int[] CONNECTIONS = {1, 100, 1000};
    static final int[] SIZES = {64, 4096};
    static final int FUTURE_SERVER_CHUNKS = 1024 + 64;

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String summary() {
        return "TCP echo vs NIO, JDK virtual threads, Netty epoll/io_uring";
    }

    @Override
    public List<BenchTable> run(Plan plan, Progress progress) throws Exception {
        NetLoad load = NetLoad.required();
        double warmup = NetLoad.warmupSeconds(plan);
        // The futures server holds one pool chunk per connection (a one-shot recv is always in
        // flight): the pool must have a chunk for each of the 1,000 connections, or the rest would
        // wait for one and the load generator would measure the lucky few.
        EngineConfig config = EngineConfig.builder().queueDepth(256)
                .fixedBuffers(FUTURE_SERVER_CHUNKS, RingioFutureEchoServer.BUFFER_SIZE).build();
        try (EngineSet engines = new EngineSet(config)) {
            List<BenchCase> cases = new ArrayList<>();
            for (int conns : CONNECTIONS) {
                for (int size : SIZES) {
                    if (plan.quick() && !(conns == 100 && size == 64)) {
                        continue;
                    }
                    cases.add(echoCase(engines, load, conns, size, warmup, plan.quick()));
                }
            }
            Predicate<BenchCase> many = bc -> !bc.key.startsWith("1-");
            BenchTable table = new BenchTable("echo", "TCP echo on loopback (load from a separate process, "
                    + "one request in flight per connection)", "req/s", "NIO Selector", true, cases, List.of(
                            new Target("echo at 100+ connections ≥ 1.3 × NIO Selector (io_uring multishot)", 1.3, many,
                                    "uring-multishot", "nio"),
                            new Target("echo at 100+ connections ≥ 1.0 × Netty io_uring (io_uring multishot)", 1.0,
                                    many, "uring-multishot", "netty-io_uring"),
                            new Target("virtual-thread blocking echo ≥ 1.2 × JDK sockets on virtual threads", 1.2,
                                    bc -> true, "uring-blocking-vt", "jdk-vt")))
                    .note("p50/p99: round-trip latency seen by the load generator, median over the rounds")
                    .note("2 vCPUs: the load generator shares them with the server");
            table.measure(plan, progress);
            return List.of(table);
        }
    }

    private static BenchCase echoCase(EngineSet engines, NetLoad load, int conns, int size, double warmup,
                                      boolean quick) {
        List<Contender> row = new ArrayList<>();
        for (EngineSet.Slot slot : engines.slots()) {
            boolean uring = slot.name().equals("uring");
            row.add(engines.contender(slot, "multishot", "multishot",
                    s -> load.echo(() -> EchoServer.start(slot.engine(), Ipv4SockAddr.loopback(0),
                            EchoServer.DEFAULT_BACKLOG, EchoServer.DEFAULT_RING_ENTRIES, EchoServer.DEFAULT_BUFFER_SIZE,
                            line -> { }), conns, size, warmup, s)));
            // --quick: the rows the targets compare, and epoll's multishot.
            if (!quick) {
                row.add(engines.contender(slot, "futures", "futures",
                        s -> load.echo(() -> RingioFutureEchoServer.start(slot.engine()), conns, size, warmup, s)));
            }
            if (!quick || uring) {
                row.add(engines.contender(slot, "blocking-vt", "blocking, virtual threads",
                        s -> load.echo(() -> VirtualThreadEchoServer.start(slot.engine(), Ipv4SockAddr.loopback(0),
                                EchoServer.DEFAULT_BACKLOG, line -> { }), conns, size, warmup, s)));
            }
        }
        row.add(Contender.peer("nio", "NIO Selector", s -> load.echo(NioEchoServer::start, conns, size, warmup, s)));
        row.add(Contender.peer("jdk-vt", "JDK sockets, virtual threads",
                s -> load.echo(JdkVirtualThreadEchoServer::start, conns, size, warmup, s)));
        for (NettyEchoServer.Transport t : NettyEchoServer.Transport.values()) {
            if (quick && t == NettyEchoServer.Transport.EPOLL) {
                continue;
            }
            String key = "netty-" + (t == NettyEchoServer.Transport.EPOLL ? "epoll" : "io_uring");
            String label = "Netty " + (t == NettyEchoServer.Transport.EPOLL ? "epoll" : "io_uring");
            String missing = t.unavailableReason();
            row.add(missing == null
                    ? Contender.peer(key, label, s -> load.echo(() -> NettyEchoServer.start(t), conns, size, warmup, s))
                    : Contender.unavailable(Contender.Role.PEER, key, label, label + ": " + missing));
        }
        String sizeLabel = size >= 1024 ? (size / 1024) + " KiB" : size + " B";
        String connLabel = conns + (conns == 1 ? " connection" : " connections");
        return new BenchCase(conns + "-" + size, connLabel + ", " + sizeLabel, conns + "c " + sizeLabel, "nio", row);
    }
}
