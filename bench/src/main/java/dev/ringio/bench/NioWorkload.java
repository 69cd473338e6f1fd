package dev.ringio.bench;

import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.ArrayList;
import java.util.List;

import dev.ringio.EngineConfig;
import dev.ringio.nio.RingioAsynchronousChannelProvider;

/**
 * The {@code nio} workload: one application, {@link Nio2Server} (written once against
 * {@code AsynchronousServerSocketChannel}/{@code AsynchronousSocketChannel} with
 * CompletionHandlers, in a fixed thread pool group of {@value #THREADS}), run on the JDK's own
 * {@link AsynchronousChannelProvider} and on ringio's over io_uring and over epoll, each with heap
 * and with direct buffers, in the same run. Two tables:
 *
 * <ul>
 *   <li><b>nio-echo</b>: small-message echo, 100 connections of 64 B from {@code netload} (a
 *       separate process), req/s;</li>
 *   <li><b>nio-bulk</b>: bulk transfer, 4 connections each asking for 8 MiB responses one at a
 *       time ({@link BulkClient}, blocking JDK sockets in this JVM), MB/s.</li>
 * </ul>
 * With {@code --quick} (which must stay within about 3 minutes for every workload): the echo
 * table only, heap buffers only.
 */
final class NioWorkload implements Workload {

    static final int THREADS = 2;
    static final int ECHO_CONNECTIONS = 100;
    static final int ECHO_SIZE = 64;
    static final int BULK_CONNECTIONS = 4;

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public String summary() {
        return "one AsynchronousSocketChannel app on the JDK's provider vs ringio's (echo, 8 MiB bulk)";
    }

    @Override
    public List<BenchTable> run(Plan plan, Progress progress) throws Exception {
        NetLoad load = NetLoad.required();
        double warmup = NetLoad.warmupSeconds(plan);
        AsynchronousChannelProvider jdk = AsynchronousChannelProvider.provider();
        try (EngineSet engines = new EngineSet(EngineConfig.builder().fixedBuffers(1, 4096)
                .registerFixedBuffers(false).build())) {
            List<BenchTable> tables = new ArrayList<>();
            tables.add(table("nio-echo", "echo (load from a separate process, one request in flight per connection)",
                    ECHO_CONNECTIONS + " connections, " + ECHO_SIZE + " B", "req/s", true,
                    row(jdk, engines, plan, (provider, direct) -> s -> load.echo(
                            () -> Nio2Server.start(provider, THREADS, direct, Nio2Server.Mode.ECHO),
                            ECHO_CONNECTIONS, ECHO_SIZE, warmup, s)), plan, progress));
            if (plan.quick()) {
                return tables;
            }
            tables.add(table("nio-bulk", "bulk transfer (each connection reads one response at a time)",
                    BULK_CONNECTIONS + " connections, " + (Nio2Server.BULK_RESPONSE >> 20) + " MiB responses", "MB/s",
                    false,
                    row(jdk, engines, plan, (provider, direct) -> s -> {
                        try (RunningServer server = Nio2Server.start(provider, THREADS, direct, Nio2Server.Mode.BULK)) {
                            return BulkClient.run(server.port(), BULK_CONNECTIONS, Nio2Server.BULK_RESPONSE, warmup, s);
                        }
                    }), plan, progress));
            return tables;
        }
    }

    /** A trial of the server on one provider with heap or direct buffers. */
    @FunctionalInterface
    private interface TrialOn {
        Contender.Trial on(AsynchronousChannelProvider provider, boolean direct);
    }

    /** The rows: each provider with heap buffers, then with direct ones (--quick: heap only). */
    private static List<Contender> row(AsynchronousChannelProvider jdk, EngineSet engines, Plan plan, TrialOn trial) {
        List<Contender> row = new ArrayList<>();
        for (boolean direct : plan.quick() ? new boolean[] {false} : new boolean[] {false, true}) {
            String buffers = direct ? "direct" : "heap";
            row.add(Contender.peer("jdk-" + buffers, "JDK provider, " + buffers + " buffers", trial.on(jdk, direct)));
            for (EngineSet.Slot slot : engines.slots()) {
                AsynchronousChannelProvider ringio = slot.available()
                        ? new RingioAsynchronousChannelProvider(slot.engine()) : null;
                row.add(engines.contender(slot, buffers, buffers + " buffers",
                        ringio == null ? null : trial.on(ringio, direct)));
            }
        }
        return row;
    }

    private static BenchTable table(String key, String title, String caseLabel, String metric, boolean latency,
            List<Contender> row, Plan plan, Progress progress) {
        List<BenchCase> cases = List.of(new BenchCase(key, caseLabel, key.substring(4), "jdk-heap", row));
        List<Target> targets = new ArrayList<>();
        for (String buffers : plan.quick() ? List.of("heap") : List.of("heap", "direct")) {
            for (String engine : List.of("uring", "epoll")) {
                targets.add(new Target("ringio's provider on " + (engine.equals("uring") ? "io_uring" : "epoll") + ", "
                        + buffers + " buffers ≥ 1.2 × the JDK's provider", 1.2, bc -> true, engine + "-" + buffers,
                        "jdk-" + buffers));
            }
        }
        BenchTable table = new BenchTable(key, "AsynchronousSocketChannel server with CompletionHandlers, " + title,
                metric, "JDK provider, heap", latency, cases, targets)
                .note("one application (Nio2Server), a withFixedThreadPool(" + THREADS + ") group; on ringio's"
                        + " provider that group is an engine group of " + THREADS + " and handlers run on its loops")
                .note("2 vCPUs: the load shares them with the server");
        table.measure(plan, progress);
        return table;
    }
}
