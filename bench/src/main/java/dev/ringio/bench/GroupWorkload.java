package dev.ringio.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.ringio.EngineAvailability;
import dev.ringio.EngineGroup;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;

/**
 * The {@code group} workload: what a second loop buys. Two tables:
 *
 * <ul>
 *   <li><b>group-nop</b>: future NOP round trips (batch 1: submit one {@code noop()}, wait for it,
 *       repeat) from 2 submitting threads at once, on 1 loop (both threads on one engine) and on
 *       2 loops (an engine group of 2, one thread per engine), io_uring and epoll;</li>
 *   <li><b>group-echo</b>: TCP echo, 100 connections of 64 B messages from {@code netload}
 *       (a separate process), against ringio with 2 loops ({@link GroupEchoServer}: as
 *       {@code ringio echo --loops 2}), Netty io_uring and Netty epoll with 2 event loops, and the
 *       NIO selector server with 2 selector threads;</li>
 *   <li><b>group-accept</b>: the connection rate of a 2-loop echo server, {@value #CONNECT_CLIENTS}
 *       clients from {@code netload} each connecting, echoing one {@value #ECHO_SIZE} B message,
 *       closing and connecting again, against the two ways a group spreads connections
 *       ({@link GroupEchoServer}): a {@code SO_REUSEPORT} listener per loop, and one listener on one
 *       loop handing each accepted connection to the loops in turn; io_uring and epoll.</li>
 * </ul>
 * With {@code --quick} (which must stay within about 3 minutes for every workload): no NOP table
 * (the {@code noop} workload measures the single-loop future NOPs), the echo table with the rows
 * its targets compare (ringio io_uring, NIO, Netty io_uring), and the accept table on io_uring.
 */
final class GroupWorkload implements Workload {

    static final int LOOPS = 2;
    static final int SUBMITTERS = 2;
    static final int ECHO_CONNECTIONS = 100;
    static final int ECHO_SIZE = 64;
    static final int CONNECT_CLIENTS = 32;

    @Override
    public String name() {
        return "group";
    }

    @Override
    public String summary() {
        return "engine groups: NOP from 2 threads on 1 and 2 loops; echo with 2 loops vs Netty, NIO";
    }

    @Override
    public List<BenchTable> run(Plan plan, Progress progress) throws Exception {
        List<BenchTable> tables = new ArrayList<>();
        if (!plan.quick()) {
            tables.add(nopTable(plan, progress));
        }
        NetLoad load = NetLoad.required();
        tables.add(echoTable(load, plan, progress));
        tables.add(acceptTable(load, plan, progress));
        return tables;
    }

    private static BenchTable nopTable(Plan plan, Progress progress) {
        List<EngineGroup> opened = new ArrayList<>();
        try {
            List<BenchCase> cases = new ArrayList<>();
            List<List<Contender>> rows = List.of(new ArrayList<>(), new ArrayList<>());
            for (String engine : List.of("uring", "epoll")) {
                String label = engine.equals("uring") ? "io_uring" : "epoll";
                EngineGroup group;
                String missing = null;
                try {
                    group = IoEngines.group(engine, LOOPS, InfoCommand.engineConfig());
                    opened.add(group);
                } catch (Exception | LinkageError e) {
                    group = null;
                    missing = label + " engine group: " + InfoCommand.describe(e);
                }
                for (int loops = 1; loops <= LOOPS; loops++) {
                    String key = engine + "-future";
                    String rowLabel = "ringio " + label + ", future";
                    if (group == null) {
                        rows.get(loops - 1).add(Contender.unavailable(Contender.Role.RINGIO, key, rowLabel, missing));
                        continue;
                    }
                    List<IoEngine> engines = group.engines().subList(0, loops);
                    rows.get(loops - 1).add(Contender.ringio(key, rowLabel, s -> Sample.of(nops(engines, s))));
                }
            }
            for (int loops = 1; loops <= LOOPS; loops++) {
                String l = loops + (loops == 1 ? " loop" : " loops");
                cases.add(new BenchCase("loops-" + loops, l + ", " + SUBMITTERS + " submitting threads", l,
                        "uring-future", rows.get(loops - 1)));
            }
            BenchTable table = new BenchTable("group-nop", "future NOP round trips (batch 1) from " + SUBMITTERS
                    + " threads, on 1 loop and on an engine group of " + LOOPS, "ops/s", "io_uring future", false, cases, List.of(
                            new Target("epoll engine future NOP ≥ 0.5 × the io_uring engine's", 0.5, bc -> true,
                                    "epoll-future", "uring-future")))
                    .note("each thread: noop(), wait, repeat; with " + LOOPS + " loops thread i uses engine i")
                    .note("2 vCPUs: the submitting threads share them with the loops");
            table.measure(plan, progress);
            return table;
        } finally {
            opened.forEach(EngineGroup::close);
        }
    }

    /** NOP round trips from {@link #SUBMITTERS} threads, thread i on {@code engines[i % n]}; total ops/s. */
    private static double nops(List<IoEngine> engines, double seconds) throws Exception {
        List<CompletableFuture<Double>> each = new ArrayList<>();
        for (int i = 0; i < SUBMITTERS; i++) {
            IoEngine engine = engines.get(i % engines.size());
            CompletableFuture<Double> rate = new CompletableFuture<>();
            Thread.ofPlatform().daemon(true).name("group-nop-" + i).start(() -> {
                try {
                    rate.complete(NoopWorkload.future(engine, 1, seconds));
                } catch (Throwable t) {
                    rate.completeExceptionally(t);
                }
            });
            each.add(rate);
        }
        double total = 0;
        for (CompletableFuture<Double> r : each) {
            try {
                total += r.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : e;
            }
        }
        return total;
    }

    private static BenchTable echoTable(NetLoad load, Plan plan, Progress progress) {
        double warmup = NetLoad.warmupSeconds(plan);
        // --quick: only the rows the targets compare (ringio io_uring, NIO, Netty io_uring).
        List<Contender> row = new ArrayList<>();
        for (String engine : engines(plan)) {
            row.add(groupRow(engine, engine + "-loops-" + LOOPS, LOOPS + " loops (multishot)",
                    s -> load.echo(() -> GroupEchoServer.start(engine, LOOPS), ECHO_CONNECTIONS, ECHO_SIZE, warmup, s)));
        }
        row.add(Contender.peer("nio-" + LOOPS, "NIO Selector, " + LOOPS + " selector threads",
                s -> load.echo(() -> NioEchoServer.startSelectors(LOOPS), ECHO_CONNECTIONS, ECHO_SIZE, warmup, s)));
        for (NettyEchoServer.Transport t : NettyEchoServer.Transport.values()) {
            if (plan.quick() && t == NettyEchoServer.Transport.EPOLL) {
                continue;
            }
            String name = t == NettyEchoServer.Transport.EPOLL ? "epoll" : "io_uring";
            String key = "netty-" + name + "-" + LOOPS;
            String label = "Netty " + name + ", " + LOOPS + " event loops";
            String missing = t.unavailableReason();
            row.add(missing == null
                    ? Contender.peer(key, label, s -> load.echo(() -> NettyEchoServer.start(t, LOOPS),
                            ECHO_CONNECTIONS, ECHO_SIZE, warmup, s))
                    : Contender.unavailable(Contender.Role.PEER, key, label, label + ": " + missing));
        }
        BenchCase c = new BenchCase("echo-" + ECHO_CONNECTIONS + "-" + ECHO_SIZE,
                ECHO_CONNECTIONS + " connections, " + ECHO_SIZE + " B", ECHO_CONNECTIONS + "c " + ECHO_SIZE + " B",
                "nio-" + LOOPS, row);
        BenchTable table = new BenchTable("group-echo", "TCP echo with " + LOOPS + " loops on loopback (load from a "
                + "separate process, one request in flight per connection)", "req/s",
                "NIO, " + LOOPS + " selectors", true, List.of(c), List.of(
                        new Target("echo, 2 loops ≥ 1.2 × NIO with 2 selectors (io_uring)", 1.2, bc -> true,
                                "uring-loops-" + LOOPS, "nio-" + LOOPS),
                        new Target("echo, 2 loops ≥ 1.0 × Netty io_uring with 2 loops (io_uring)", 1.0, bc -> true,
                                "uring-loops-" + LOOPS, "netty-io_uring-" + LOOPS)))
                .note("ringio: one SO_REUSEPORT listener per loop, as ringio echo --loops 2; NIO likewise per selector;"
                        + " Netty: one listener, connections handed to its loops in turn")
                .note("2 vCPUs: the load generator shares them with the server's 2 loops");
        table.measure(plan, progress);
        return table;
    }

    /** The engine kinds the network tables cover: io_uring and epoll (--quick: io_uring only). */
    private static List<String> engines(Plan plan) {
        return plan.quick() ? List.of("uring") : List.of("uring", "epoll");
    }

    private static String label(String engine) {
        return engine.equals("uring") ? "io_uring" : "epoll";
    }

    /** A ringio row on a group of {@code engine} ("uring", "epoll"), or one saying why that engine cannot start. */
    private static Contender groupRow(String engine, String key, String label, Contender.Trial trial) {
        String rowLabel = "ringio " + label(engine) + ", " + label;
        EngineAvailability gate = IoEngines.availability(engine);
        return gate.isAvailable() ? Contender.ringio(key, rowLabel, trial)
                : Contender.unavailable(Contender.Role.RINGIO, key, rowLabel, label(engine) + " engine: " + gate.reason());
    }

    /** A case per engine kind (--quick: io_uring), SO_REUSEPORT listeners against a hand-off. */
    private static BenchTable acceptTable(NetLoad load, Plan plan, Progress progress) {
        double warmup = NetLoad.warmupSeconds(plan);
        List<BenchCase> cases = new ArrayList<>();
        for (String engine : engines(plan)) {
            List<Contender> row = List.of(
                    groupRow(engine, "reuseport", "a SO_REUSEPORT listener per loop",
                            s -> load.connections(() -> GroupEchoServer.start(engine, LOOPS),
                                    CONNECT_CLIENTS, ECHO_SIZE, warmup, s)),
                    groupRow(engine, "handoff", "1 listener, hand-off to the loops",
                            s -> load.connections(() -> GroupEchoServer.startHandOff(engine, LOOPS),
                                    CONNECT_CLIENTS, ECHO_SIZE, warmup, s)));
            cases.add(new BenchCase(engine + "-accept", label(engine) + ", " + LOOPS + " loops, " + CONNECT_CLIENTS
                    + " clients", label(engine), "reuseport", row));
        }
        BenchTable table = new BenchTable("group-accept", "connection rate of a " + LOOPS + "-loop echo server: "
                + "connect, one " + ECHO_SIZE + " B echo, close, again (load from a separate process)",
                "conn/s", "SO_REUSEPORT", true, cases, List.of())
                .note("hand-off: the first loop's multishot accept places each connection with EngineGroup.owner "
                        + "(the loops in turn) and hands it to the other loop's server through IoEngine.execute")
                .note("the clients close abortively (a RST, no TIME_WAIT to exhaust the ports); p50/p99 run from "
                        + "the connect to the echo")
                .note("2 vCPUs: the load generator shares them with the server's 2 loops");
        table.measure(plan, progress);
        return table;
    }
}
