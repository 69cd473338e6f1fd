package dev.ringio.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import dev.ringio.EngineConfig;
import dev.ringio.EngineGroup;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.net.SockAddr;

/**
 * {@code ringio proxy LOCAL REMOTE}: the Gerbil tutorial's TCP proxy on {@link TcpProxy}. Runs
 * until SIGINT or SIGTERM (also at end of input on stdin with {@code --stop-on-eof}), then drains,
 * prints its counters and exits 0.
 */
final class ProxyCommand {

    static final String USAGE = "usage: ringio proxy LOCAL REMOTE [--backlog N] [--loops N] [--stop-on-eof]\n"
            + "  LOCAL, REMOTE: HOST:PORT, e.g. 127.0.0.1:8080, [::1]:8080\n"
            + "  --loops N: N engines, each with its own loop thread and its own SO_REUSEPORT\n"
            + "  listener on LOCAL (the kernel spreads connections over them); default 1\n"
            + "  runs until SIGINT or SIGTERM, then drains and exits 0;\n"
            + "  --stop-on-eof: also stop at end of input on stdin (Ctrl-D)\n"
            + Main.exitStatuses("stopped (SIGINT, SIGTERM or end of input) and drained",
                    "no engine, or cannot listen on LOCAL");

    private ProxyCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        List<String> positional = new ArrayList<>();
        int backlog = TcpProxy.DEFAULT_BACKLOG;
        boolean stopOnEof = false;
        int loops = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--stop-on-eof" -> stopOnEof = true;
                case "--no-stdin" -> {
                    // the default now; accepted for scripts written for the old default
                }
                case "--backlog" -> {
                    if (i + 1 == args.length) {
                        err.println("ringio proxy: --backlog needs a number\n" + USAGE);
                        return Main.EXIT_USAGE;
                    }
                    try {
                        backlog = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        backlog = -1;
                    }
                    if (backlog < 0) {
                        err.println("ringio proxy: bad backlog '" + args[i] + "'\n" + USAGE);
                        return Main.EXIT_USAGE;
                    }
                }
                case "--loops" -> {
                    loops = i + 1 < args.length ? EchoCommand.parseLoops(args[i + 1]) : -1;
                    if (loops < 1) {
                        err.println("ringio proxy: --loops takes a number from 1 to " + EchoCommand.MAX_LOOPS + "\n"
                                + USAGE);
                        return Main.EXIT_USAGE;
                    }
                    i++;
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return Main.EXIT_OK;
                }
                default -> positional.add(args[i]);
            }
        }
        if (positional.size() != 2) {
            err.println("ringio proxy: expected LOCAL and REMOTE addresses\n" + USAGE);
            return Main.EXIT_USAGE;
        }
        SockAddr local;
        SockAddr remote;
        try {
            local = SockAddr.parse(positional.get(0));
            remote = SockAddr.parse(positional.get(1));
        } catch (IllegalArgumentException e) {
            err.println("ringio proxy: " + e.getMessage() + "\n" + USAGE);
            return Main.EXIT_USAGE;
        }
        ServerLifetime lifetime = new ServerLifetime(stopOnEof);
        if (loops > 1) {
            try {
                return runGroup(loops, local, remote, backlog, lifetime, stopOnEof, out, err);
            } finally {
                lifetime.cleanedUp();
            }
        }
        try (IoEngine engine = IoEngines.open(engineConfig("ringio-proxy"))) {
            TcpProxy proxy;
            try {
                proxy = TcpProxy.start(engine, local, remote, backlog, err::println);
            } catch (IOException e) {
                err.println("ringio proxy: cannot listen on " + local + ": " + Failures.describe(e));
                return Main.EXIT_FAILURE;
            }
            out.println("ringio proxy: listening on " + proxy.localAddress() + ", forwarding to " + remote + " ("
                    + engine.name() + ", splice; " + (stopOnEof ? "Ctrl-C, SIGTERM or end of input stops" : "Ctrl-C or SIGTERM stops")
                    + ")");
            String why = lifetime.awaitStop();
            proxy.close();
            out.println("ringio proxy: " + why + "; accepted " + proxy.accepted() + ", failed " + proxy.failed()
                    + ", bytes to remote " + proxy.bytesToRemote() + ", to clients " + proxy.bytesToClient());
            return Main.EXIT_OK;
        } catch (IOException e) {
            err.println("ringio proxy: cannot open an engine: " + Failures.describe(e));
            return Main.EXIT_FAILURE;
        } finally {
            lifetime.cleanedUp();
        }
    }

    /**
     * {@code --loops N}: an engine group of N, one {@link TcpProxy} per engine on its own
     * {@code SO_REUSEPORT} listener, all on {@code local}; each loop serves the connections the
     * kernel hands its listener, both sides of each on that loop.
     */
    private static int runGroup(int loops, SockAddr local, SockAddr remote, int backlog, ServerLifetime lifetime,
                                boolean stopOnEof, PrintStream out, PrintStream err) throws InterruptedException {
        try (EngineGroup group = IoEngines.group(loops, engineConfig("ringio-proxy"))) {
            List<TcpProxy> proxies = new ArrayList<>();
            try {
                List<Fd> listeners = group.listenReusePort(local, backlog);
                for (int i = 0; i < listeners.size(); i++) {
                    try {
                        proxies.add(TcpProxy.startOn(group.engines().get(i), listeners.get(i), remote, err::println));
                    } catch (IOException | RuntimeException e) {
                        listeners.subList(i + 1, listeners.size()).forEach(Fd::close);
                        throw e;
                    }
                }
            } catch (IOException e) {
                proxies.forEach(TcpProxy::close);
                err.println("ringio proxy: cannot listen on " + local + ": " + Failures.describe(e));
                return Main.EXIT_FAILURE;
            }
            out.println("ringio proxy: listening on " + proxies.getFirst().localAddress() + ", forwarding to " + remote
                    + " (" + loops + " x " + group.name() + " loops, an SO_REUSEPORT listener each, splice; "
                    + (stopOnEof ? "Ctrl-C, SIGTERM or end of input stops" : "Ctrl-C or SIGTERM stops") + ")");
            String why = lifetime.awaitStop();
            proxies.forEach(TcpProxy::close);
            long accepted = 0;
            long failed = 0;
            long toRemote = 0;
            long toClients = 0;
            StringBuilder perLoop = new StringBuilder();
            for (TcpProxy p : proxies) {
                accepted += p.accepted();
                failed += p.failed();
                toRemote += p.bytesToRemote();
                toClients += p.bytesToClient();
                perLoop.append(perLoop.isEmpty() ? "" : " ").append(p.accepted());
            }
            out.println("ringio proxy: " + why + "; accepted " + accepted + " (per loop: " + perLoop + "), failed "
                    + failed + ", bytes to remote " + toRemote + ", to clients " + toClients);
            return Main.EXIT_OK;
        } catch (IOException e) {
            err.println("ringio proxy: cannot open an engine group: " + Failures.describe(e));
            return Main.EXIT_FAILURE;
        }
    }

    /** The engine the network commands use: a deeper queue than the default, for many connections. */
    static EngineConfig engineConfig(String threadName) {
        return EngineConfig.builder().queueDepth(1024).threadName(threadName).build();
    }
}
