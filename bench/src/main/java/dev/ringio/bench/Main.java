package dev.ringio.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code ringio} command-line tool: {@code ringio bench}, {@code info}, {@code proxy},
 * {@code echo} and {@code soak} (the {@code ./ringio} script at the repository root builds this jar and runs it).
 *
 * <p>Exit status: 0 on success, 1 when ringio itself fails, 2 for a usage error or a command that
 * this release does not have yet. {@code ringio <command> --help} (or {@code -h}) prints that
 * command's usage and what its exit statuses mean, and exits 0.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    /** Every command, in the order the usage lists them; each answers {@code --help} and {@code -h}. */
    static final List<String> COMMANDS = List.of("bench", "info", "proxy", "echo", "soak", "cp", "cat");

    /** The last line of every command's {@code --help}: what its exit statuses mean. */
    static String exitStatuses(String ok, String failure) {
        return "exit status: 0 " + ok + "; 1 " + failure + ";\n  2 usage error (unknown option, bad or missing argument)";
    }

    /** {@code ringio cp|cat --help}: they are listed, so they answer, but this release does not have them. */
    private static String notYetUsage(String command) {
        return "usage: ringio " + command + " (not yet available in this release)\n"
                + "exit status: 0 for --help; 2 for any other use";
    }

    private Main() {
    }

    public static void main(String[] args) {
        // Always UTF-8: the tables use "–", "≥" and "×", and stdout.encoding follows the locale
        // (ASCII on a bare CI machine), which would print them as '?'.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status;
        try {
            status = run(args, out, err);
        } catch (Throwable t) {
            err.println("ringio: unexpected failure:");
            t.printStackTrace(err);
            status = EXIT_FAILURE;
        }
        out.flush();
        err.flush();
        // System.exit, not return: an engine's loop thread must not keep the JVM alive.
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            usage(err);
            return EXIT_USAGE;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (command) {
            case "bench" -> BenchCommand.run(rest, out, err);
            case "info" -> InfoCommand.run(rest, out, err);
            case "proxy" -> ProxyCommand.run(rest, out, err);
            case "echo" -> EchoCommand.run(rest, out, err);
            case "soak" -> SoakCommand.run(rest, out, err);
            case "cp", "cat" -> {
                if (rest.length == 1 && (rest[0].equals("--help") || rest[0].equals("-h"))) {
                    out.println(notYetUsage(command));
                    yield EXIT_OK;
                }
                err.println("ringio " + command + ": not yet available in this release");
                yield EXIT_USAGE;
            }
            case "help", "-h", "--help" -> {
                usage(out);
                yield EXIT_OK;
            }
            default -> {
                err.println("ringio: unknown command '" + command + "'");
                usage(err);
                yield EXIT_USAGE;
            }
        };
    }

    private static String workloads() {
        // The first line takes the text block's indentation; the others bring their own.
        return String.join("\n    ", BenchCommand.WORKLOADS.stream()
                .map(w -> String.format("%-12s%s", w.name(), w.summary())).toList());
    }

    static void usage(PrintStream s) {
        s.println("""
                usage: ringio <command> [options]

                commands:
                  bench [--quick] [--only W[,W...]] [--out DIR] [--json FILE]
                                  ringio side by side with java.nio, Netty, C and fio: a table per
                                  workload (ratios to the baseline and the best peer, targets);
                                  --quick: fewer cases and rounds (< 3 min); --out: results.json,
                                  tables.md and PNG charts. Workloads (W):
                    %s
                  bench --jmh [JMH options]
                                  run the JMH benchmarks in this jar (e.g. --jmh -f 1 -wi 3 -i 5)
                  info            engine availability, binding, kernel, and the engine's set-up
                  proxy LOCAL REMOTE [--backlog N] [--loops N] [--stop-on-eof]
                                  TCP proxy (splice, zero-copy): listens on LOCAL (e.g. 127.0.0.1:8080)
                                  and forwards every client to REMOTE
                  echo PORT|HOST:PORT [--threads virtual] [--loops N] [--stop-on-eof]
                                  TCP echo server (multishot accept and receive, buffer ring)
                                  --loops N: N engines (an engine group), each with its own loop
                                  thread and SO_REUSEPORT listener; the kernel spreads connections
                                  proxy and echo run until SIGINT (Ctrl-C) or SIGTERM, then drain and
                                  exit 0; --stop-on-eof: also at end of input on stdin (Ctrl-D)
                  soak [--ops N] [--threads N] [--engine uring|epoll] [--seed S]
                                  N mixed ops (default 10^6) from N threads (default 4) with random
                                  cancels and close(fd)s; reports lost, duplicated and hung futures
                                  and leaked fds and chunks (all must be 0; exit 1 otherwise)
                  cp, cat         not yet available in this release

                ringio <command> --help: that command's usage and exit statuses.
                exit status: 0 success; 1 ringio failed (see each command's --help);
                  2 usage error, or a command this release does not have yet

                system properties (for ./ringio, put them in RINGIO_JAVA_OPTS):
                  -Dringio.binding=ffm|jnr   native binding (default ffm)
                  -Dringio.engine=uring      force an engine; fail if it cannot start
                  -Dringio.bench.c=DIR       bench/c's programs (default <jar dir>/c)""".formatted(workloads()));
    }
}
