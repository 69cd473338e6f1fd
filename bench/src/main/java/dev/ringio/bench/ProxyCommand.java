package dev.ringio.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.net.SockAddr;

/**
 * {@code ringio proxy LOCAL REMOTE}: the Gerbil tutorial's TCP proxy on {@link TcpProxy}. Runs
 * until SIGINT or SIGTERM (also at end of input on stdin with {@code --stop-on-eof}), then drains,
 * prints its counters and exits 0.
 */
final class ProxyCommand {

    static final String USAGE = "usage: ringio proxy LOCAL REMOTE [--backlog N] [--stop-on-eof]\n"
            + "  LOCAL, REMOTE: HOST:PORT, e.g. 127.0.0.1:8080, [::1]:8080\n"
            + "  runs until SIGINT or SIGTERM, then drains and exits 0;\n"
            + "  --stop-on-eof: also stop at end of input on stdin (Ctrl-D)";

    private ProxyCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        List<String> positional = new ArrayList<>();
        int backlog = TcpProxy.DEFAULT_BACKLOG;
        boolean stopOnEof = false;
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

    /** The engine the network commands use: a deeper queue than the default, for many connections. */
    static EngineConfig engineConfig(String threadName) {
        return EngineConfig.builder().queueDepth(1024).threadName(threadName).build();
    }
}
