package dev.ringio.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load generator of the network workloads: bench/c's {@code netload}, a separate process (one
 * epoll thread, closed loop, one request in flight per connection), so the server under test
 * never shares a JVM, a heap or a JIT with its load.
 */
final class NetLoad {

    private final CProgram program = CProgram.locate("netload");

    /**
     * The load generator, for a workload that cannot measure anything without it (ringio
     * included).
     *
     * @throws IllegalStateException if netload is not built: a failure of bench/c, ringio's own
     *                               tooling, so the workload fails rather than reporting rows
     */
    static NetLoad required() {
        NetLoad load = new NetLoad();
        if (!load.available()) {
            throw new IllegalStateException(load.missingReason());
        }
        return load;
    }

    /** netload's own warm-up at the start of each run (the server was just started, its JIT partly warm). */
    static double warmupSeconds(Plan plan) {
        return plan.quick() ? 0.2 : 0.5;
    }

    /** Starts a server under test; the load closes it after the run. */
    @FunctionalInterface
    interface ServerStarter {
        RunningServer start() throws Exception;
    }

    boolean available() {
        return program.available();
    }

    String missingReason() {
        return program.missingReason();
    }

    /** Starts a server, runs {@link #echo(int, int, int, double, double)} against it, closes it. */
    Sample echo(ServerStarter starter, int connections, int messageSize, double warmupSeconds, double seconds)
            throws Exception {
        try (RunningServer server = starter.start()) {
            return echo(server.port(), connections, messageSize, warmupSeconds, seconds);
        }
    }

    /** Starts a server, runs {@link #connections(int, int, int, double, double)} against it, closes it. */
    Sample connections(ServerStarter starter, int clients, int messageSize, double warmupSeconds, double seconds)
            throws Exception {
        try (RunningServer server = starter.start()) {
            return connections(server.port(), clients, messageSize, warmupSeconds, seconds);
        }
    }

    /** Echo round trips against {@code port}: req/s with p50/p99. */
    Sample echo(int port, int connections, int messageSize, double warmupSeconds, double seconds) throws Exception {
        Map<String, String> m = program.run(List.of("echo", Integer.toString(port), Integer.toString(connections),
                Integer.toString(messageSize), fmt(warmupSeconds), fmt(seconds)), timeout(warmupSeconds, seconds));
        return requests(m);
    }

    /**
     * Connection rate against {@code port}: each of {@code clients} connects, sends one
     * {@code messageSize} request, checks its echo, closes (abortively: netload's connect mode) and
     * connects again. req/s is connections per second; p50/p99 run from the connect to the echo.
     */
    Sample connections(int port, int clients, int messageSize, double warmupSeconds, double seconds) throws Exception {
        Map<String, String> m = program.run(List.of("connect", Integer.toString(port), Integer.toString(clients),
                Integer.toString(messageSize), fmt(warmupSeconds), fmt(seconds)), timeout(warmupSeconds, seconds));
        return requests(m);
    }

    /** A proxy between netload's clients and netload's own backend. */
    @FunctionalInterface
    interface ProxyStarter {
        RunningServer start(int backendPort) throws Exception;
    }

    /** Request/response through a proxy: req/s with p50/p99. */
    Sample proxyRequests(ProxyStarter proxy, int connections, int messageSize, double warmupSeconds, double seconds)
            throws Exception {
        return throughProxy(proxy, List.of("proxy-rr", Integer.toString(connections), Integer.toString(messageSize),
                fmt(warmupSeconds), fmt(seconds)), warmupSeconds, seconds, true);
    }

    /** Bulk one-way transfer through a proxy: MB/s (10^6 bytes). */
    Sample proxyBulk(ProxyStarter proxy, int connections, double warmupSeconds, double seconds) throws Exception {
        return throughProxy(proxy, List.of("proxy-bulk", Integer.toString(connections), fmt(warmupSeconds),
                fmt(seconds)), warmupSeconds, seconds, false);
    }

    private Sample throughProxy(ProxyStarter proxy, List<String> args, double warmupSeconds, double seconds,
                                boolean requests) throws Exception {
        try (CProgram.Session s = program.session(args)) {
            int backend = (int) program.number(s.readLine(), "backend_port");
            try (RunningServer server = proxy.start(backend)) {
                s.writeLine("go " + server.port());
                Map<String, String> m = s.result(timeout(warmupSeconds, seconds));
                return requests ? requests(m) : Sample.of(program.number(m, "mb_per_sec"));
            }
        }
    }

    private Sample requests(Map<String, String> m) throws CProgram.CFailure {
        return new Sample(program.number(m, "req_per_sec"), program.number(m, "p50_us"), program.number(m, "p99_us"));
    }

    /** Warm-up, the run, and room for 1,000 connects and the no-progress watchdog (10 s). */
    private static long timeout(double warmupSeconds, double seconds) {
        return (long) Math.ceil(warmupSeconds + seconds) + 30;
    }

    private static String fmt(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
