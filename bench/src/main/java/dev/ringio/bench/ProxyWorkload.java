package dev.ringio.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.ringio.net.Ipv4SockAddr;

/**
 * The {@code proxy} workload: {@code ringio proxy} ({@link TcpProxy}: splice through a pipe per
 * direction, zero-copy) on io_uring and on epoll, against a one-thread java.nio Selector proxy
 * ({@link NioProxy}, the baseline). {@code netload} is both the clients and the backend, in its
 * own process: bulk one-way transfer (MB/s) and many small requests (req/s, p50/p99).
 */
final class ProxyWorkload implements Workload {

    static final int BULK_CONNECTIONS = 4;
    static final int REQUEST_CONNECTIONS = 100;
    static final int REQUEST_SIZE = 64;

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public String summary() {
        return "TCP proxy, bulk and small requests, vs an NIO proxy";
    }

    @Override
    public List<BenchTable> run(Plan plan, Progress progress) throws Exception {
        NetLoad load = NetLoad.required();
        double warmup = NetLoad.warmupSeconds(plan);
        try (EngineSet engines = new EngineSet(InfoCommand.engineConfig())) {
            List<Contender> bulk = new ArrayList<>();
            List<Contender> requests = new ArrayList<>();
            for (EngineSet.Slot slot : engines.slots()) {
                // Per-connection log lines off: the load generator resets its connections at the end.
                NetLoad.ProxyStarter ringio = backend -> TcpProxy.start(slot.engine(), Ipv4SockAddr.loopback(0),
                        Ipv4SockAddr.loopback(backend), EchoServer.DEFAULT_BACKLOG, line -> { });
                bulk.add(engines.contender(slot, "proxy", "proxy (splice)",
                        s -> load.proxyBulk(ringio, BULK_CONNECTIONS, warmup, s)));
                requests.add(engines.contender(slot, "proxy", "proxy (splice)",
                        s -> load.proxyRequests(ringio, REQUEST_CONNECTIONS, REQUEST_SIZE, warmup, s)));
            }
            NetLoad.ProxyStarter nio = backend -> NioProxy.start(new InetSocketAddress("127.0.0.1", backend));
            bulk.add(Contender.peer("nio", "NIO proxy", s -> load.proxyBulk(nio, BULK_CONNECTIONS, warmup, s)));
            requests.add(Contender.peer("nio", "NIO proxy",
                    s -> load.proxyRequests(nio, REQUEST_CONNECTIONS, REQUEST_SIZE, warmup, s)));
            BenchTable bulkTable = new BenchTable("proxy-bulk", "TCP proxy, bulk one-way transfer", "MB/s",
                    "NIO proxy", false,
                    List.of(new BenchCase("bulk", BULK_CONNECTIONS + " connections, one way",
                            BULK_CONNECTIONS + " conns", "nio", bulk)),
                    List.of(new Target("proxy bulk ≥ 1.5 × NIO proxy (io_uring)", 1.5, bc -> true, "uring-proxy", "nio")))
                    .note("MB = 10^6 bytes of payload delivered to the backend");
            BenchTable rrTable = new BenchTable("proxy-requests", "TCP proxy, small requests", "req/s", "NIO proxy",
                    true, List.of(new BenchCase("requests", REQUEST_CONNECTIONS + " connections, " + REQUEST_SIZE
                            + " B request and echo", REQUEST_CONNECTIONS + "c " + REQUEST_SIZE + " B", "nio", requests)),
                    List.of());
            bulkTable.measure(plan, progress);
            rrTable.measure(plan, progress);
            return List.of(bulkTable, rrTable);
        }
    }
}
