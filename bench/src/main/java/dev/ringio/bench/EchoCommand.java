package dev.ringio.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import dev.ringio.EngineGroup;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.blocking.BlockingIo;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.SockAddr;

/**
 * {@code ringio echo PORT} (or {@code HOST:PORT}): a TCP echo server on {@link EchoServer}. A bare
 * port listens on every IPv4 interface, as {@code nc -l PORT} does. Runs until SIGINT or SIGTERM
 * (also at end of input on stdin with {@code --stop-on-eof}), then drains, prints its counters and
 * exits 0.
 */
final class EchoCommand {

    static final String USAGE = "usage: ringio echo [--threads virtual] [--loops N] PORT|HOST:PORT [--stop-on-eof]\n"
            + "  PORT alone listens on 0.0.0.0; e.g. 9000, 127.0.0.1:9000, [::1]:9000\n"
            + "  --threads virtual: one virtual thread per connection on the blocking API\n"
            + "  (default: multishot accept and receive on the engine's loop)\n"
            + "  --loops N: N engines, each with its own loop thread and its own SO_REUSEPORT\n"
            + "  listener on the address (the kernel spreads connections over them); default 1;\n"
            + "  with --threads virtual: one listener, connections spread over the loops\n"
            + "  runs until SIGINT or SIGTERM, then drains and exits 0;\n"
            + "  --stop-on-eof: also stop at end of input on stdin (Ctrl-D)\n"
            + Main.exitStatuses("stopped (SIGINT, SIGTERM or end of input) and drained",
                    "no engine, or cannot listen on the address");

    private EchoCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        String where = null;
        boolean stopOnEof = false;
        boolean virtualThreads = false;
        int loops = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--stop-on-eof" -> stopOnEof = true;
                case "--no-stdin" -> {
                    // the default now; accepted for scripts written for the old default
                }
                case "--threads" -> {
                    if (i + 1 >= args.length || !args[i + 1].equals("virtual")) {
                        err.println("ringio echo: --threads takes 'virtual'\n" + USAGE);
                        return Main.EXIT_USAGE;
                    }
                    virtualThreads = true;
                    i++;
                }
                case "--loops" -> {
                    loops = i + 1 < args.length ? parseLoops(args[i + 1]) : -1;
                    if (loops < 1) {
                        err.println("ringio echo: --loops takes a number from 1 to " + MAX_LOOPS + "\n" + USAGE);
                        return Main.EXIT_USAGE;
                    }
                    i++;
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return Main.EXIT_OK;
                }
                default -> {
                    if (where != null) {
                        err.println("ringio echo: unexpected argument '" + a + "'\n" + USAGE);
                        return Main.EXIT_USAGE;
                    }
                    where = a;
                }
            }
        }
        if (where == null) {
            err.println("ringio echo: expected a port\n" + USAGE);
            return Main.EXIT_USAGE;
        }
        SockAddr local;
        try {
            local = parseListenAddress(where);
        } catch (IllegalArgumentException e) {
            err.println("ringio echo: " + e.getMessage() + "\n" + USAGE);
            return Main.EXIT_USAGE;
        }
        ServerLifetime lifetime = new ServerLifetime(stopOnEof);
        if (loops > 1 && virtualThreads) {
            try (EngineGroup group = IoEngines.group(loops, ProxyCommand.engineConfig("ringio-echo"))) {
                return runVirtual(BlockingIo.of(group), loops + " x " + group.name() + " loops", local, lifetime,
                        stopOnEof, out, err);
            } catch (IOException e) {
                err.println("ringio echo: cannot open an engine group: " + Failures.describe(e));
                return Main.EXIT_FAILURE;
            } finally {
                lifetime.cleanedUp();
            }
        }
        if (loops > 1) {
            try {
                return runGroup(loops, local, lifetime, stopOnEof, out, err);
            } finally {
                lifetime.cleanedUp();
            }
        }
        try (IoEngine engine = IoEngines.open(ProxyCommand.engineConfig("ringio-echo"))) {
            if (virtualThreads) {
                return runVirtual(new BlockingIo(engine), engine.name(), local, lifetime, stopOnEof, out, err);
            }
            EchoServer server;
            try {
                server = EchoServer.start(engine, local, EchoServer.DEFAULT_BACKLOG, EchoServer.DEFAULT_RING_ENTRIES,
                        EchoServer.DEFAULT_BUFFER_SIZE, err::println);
            } catch (IOException e) {
                err.println("ringio echo: cannot listen on " + local + ": " + Failures.describe(e));
                return Main.EXIT_FAILURE;
            }
            out.println("ringio echo: listening on " + server.localAddress() + " (" + engine.name()
                    + ", multishot accept and receive, " + EchoServer.DEFAULT_RING_ENTRIES + " x "
                    + EchoServer.DEFAULT_BUFFER_SIZE + " B buffer ring; "
                    + (stopOnEof ? "Ctrl-C, SIGTERM or end of input stops" : "Ctrl-C or SIGTERM stops") + ")");
            String why = lifetime.awaitStop();
            server.close();
            out.println("ringio echo: " + why + "; accepted " + server.accepted() + ", failed " + server.failed()
                    + ", bytes echoed " + server.bytesEchoed());
            return Main.EXIT_OK;
        } catch (IOException e) {
            err.println("ringio echo: cannot open an engine: " + Failures.describe(e));
            return Main.EXIT_FAILURE;
        } finally {
            lifetime.cleanedUp();
        }
    }

    /** The most loops {@code --loops} accepts. */
    static final int MAX_LOOPS = 1024;

    /** {@code --loops}' number, or -1 if it is not one in range. */
    static int parseLoops(String s) {
        try {
            int n = Integer.parseInt(s);
            return n >= 1 && n <= MAX_LOOPS ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * {@code --loops N}: an engine group of N, one {@link EchoServer} per engine on its own
     * {@code SO_REUSEPORT} listener, all on one address. Each loop accepts and serves the
     * connections the kernel hands its listener, so nothing crosses between loops.
     */
    private static int runGroup(int loops, SockAddr local, ServerLifetime lifetime, boolean stopOnEof,
                                PrintStream out, PrintStream err) throws InterruptedException {
        try (EngineGroup group = IoEngines.group(loops, ProxyCommand.engineConfig("ringio-echo"))) {
            List<EchoServer> servers = new ArrayList<>();
            try {
                List<Fd> listeners = group.listenReusePort(local, EchoServer.DEFAULT_BACKLOG);
                for (int i = 0; i < listeners.size(); i++) {
                    try {
                        servers.add(EchoServer.startOn(group.engines().get(i), listeners.get(i),
                                EchoServer.DEFAULT_RING_ENTRIES, EchoServer.DEFAULT_BUFFER_SIZE, err::println));
                    } catch (IOException | RuntimeException e) {
                        listeners.subList(i + 1, listeners.size()).forEach(Fd::close);
                        throw e;
                    }
                }
            } catch (IOException e) {
                servers.forEach(EchoServer::close);
                err.println("ringio echo: cannot listen on " + local + ": " + Failures.describe(e));
                return Main.EXIT_FAILURE;
            }
            out.println("ringio echo: listening on " + servers.getFirst().localAddress() + " (" + loops + " x "
                    + group.name() + " loops, an SO_REUSEPORT listener each, multishot accept and receive, "
                    + EchoServer.DEFAULT_RING_ENTRIES + " x " + EchoServer.DEFAULT_BUFFER_SIZE + " B buffer ring each; "
                    + (stopOnEof ? "Ctrl-C, SIGTERM or end of input stops" : "Ctrl-C or SIGTERM stops") + ")");
            String why = lifetime.awaitStop();
            servers.forEach(EchoServer::close);
            long accepted = 0;
            long failed = 0;
            long bytes = 0;
            StringBuilder perLoop = new StringBuilder();
            for (EchoServer s : servers) {
                accepted += s.accepted();
                failed += s.failed();
                bytes += s.bytesEchoed();
                perLoop.append(perLoop.isEmpty() ? "" : " ").append(s.accepted());
            }
            out.println("ringio echo: " + why + "; accepted " + accepted + " (per loop: " + perLoop + "), failed "
                    + failed + ", bytes echoed " + bytes);
            return Main.EXIT_OK;
        } catch (IOException e) {
            err.println("ringio echo: cannot open an engine group: " + Failures.describe(e));
            return Main.EXIT_FAILURE;
        }
    }

    /** {@code 9000} → 0.0.0.0:9000; anything else through {@link SockAddr#parse}. */
    private static int runVirtual(BlockingIo io, String engines, SockAddr local, ServerLifetime lifetime,
                                  boolean stopOnEof, PrintStream out, PrintStream err) throws InterruptedException {
        VirtualThreadEchoServer server;
        try {
            server = VirtualThreadEchoServer.start(io, local, EchoServer.DEFAULT_BACKLOG, err::println);
        } catch (IOException e) {
            err.println("ringio echo: cannot listen on " + local + ": " + Failures.describe(e));
            return Main.EXIT_FAILURE;
        }
        try {
            out.println("ringio echo: listening on " + server.localAddress() + " (" + engines
                    + ", a virtual thread per connection on the blocking API; "
                    + (stopOnEof ? "Ctrl-C, SIGTERM or end of input stops" : "Ctrl-C or SIGTERM stops") + ")");
            String why = lifetime.awaitStop();
            server.close();
            out.println("ringio echo: " + why + "; accepted " + server.accepted() + ", failed " + server.failed()
                    + ", bytes echoed " + server.bytesEchoed());
            return Main.EXIT_OK;
        } catch (IOException e) {
            err.println("ringio echo: " + Failures.describe(e));
            return Main.EXIT_FAILURE;
        }
    }

    static SockAddr parseListenAddress(String s) {
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            int port;
            try {
                port = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + s + " out of range 0..65535");
            }
            return Ipv4SockAddr.any(port);
        }
        return SockAddr.parse(s);
    }
}
