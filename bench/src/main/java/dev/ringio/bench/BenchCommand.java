package dev.ringio.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ringio bench [WORKLOAD] [--quick] [--only WORKLOAD] [--json FILE]} and {@code ringio bench --jmh ...}.
 *
 * <p>Workloads run their variants interleaved (C, low-level, future, C, ...) in one process so
 * that the ratios compare figures taken side by side on a noisy machine (docs: BENCHMARKING.md).
 */
final class BenchCommand {

    /** The workloads this release has, in the order a full run takes them. */
    static final List<String> WORKLOADS = List.of("noop");

    /**
     * How long to measure.
     *
     * @param rounds        interleaved rounds per variant
     * @param roundSeconds  measured seconds per round
     * @param warmupSeconds one warm-up run per variant before the rounds
     */
    record Plan(String name, int rounds, double roundSeconds, double warmupSeconds) {
        // The future path needs ~1.5 s of JIT warm-up here before it reaches its steady state.
        static final Plan QUICK = new Plan("quick", 3, 1.0, 2.0);
        static final Plan FULL = new Plan("full", 5, 3.0, 3.0);
    }

    private BenchCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        boolean quick = false;
        String only = null;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--jmh" -> {
                    if (i != 0) {
                        err.println("ringio bench: --jmh must come first; the arguments after it go to JMH");
                        return Main.EXIT_USAGE;
                    }
                    return runJmh(Arrays.copyOfRange(args, 1, args.length), err);
                }
                case "--quick" -> quick = true;
                case "--only" -> {
                    if (i + 1 == args.length) {
                        err.println("ringio bench: --only needs a workload (" + String.join(", ", WORKLOADS) + ")");
                        return Main.EXIT_USAGE;
                    }
                    only = args[++i];
                    if (!WORKLOADS.contains(only)) {
                        err.println("ringio bench: unknown workload '" + only + "' (this release has: "
                                + String.join(", ", WORKLOADS) + ")");
                        return Main.EXIT_USAGE;
                    }
                }
                case "--json" -> {
                    if (i + 1 == args.length) {
                        err.println("ringio bench: --json needs a file name");
                        return Main.EXIT_USAGE;
                    }
                    json = Path.of(args[++i]);
                }
                case "-h", "--help" -> {
                    Main.usage(out);
                    return Main.EXIT_OK;
                }
                default -> {
                    if (!a.startsWith("-") && WORKLOADS.contains(a) && only == null) {
                        only = a; // `ringio bench noop` is `ringio bench --only noop`
                        continue;
                    }
                    err.println("ringio bench: unknown option '" + a + "'");
                    Main.usage(err);
                    return Main.EXIT_USAGE;
                }
            }
        }
        Plan plan = quick ? Plan.QUICK : Plan.FULL;
        List<String> workloads = only == null ? WORKLOADS : List.of(only);

        Json.Obj report = new Json.Obj()
                .put("plan", plan.name())
                .put("rounds", plan.rounds())
                .put("roundSeconds", plan.roundSeconds())
                .put("warmupSeconds", plan.warmupSeconds())
                .put("kernel", InfoCommand.kernelRelease())
                .put("java", Runtime.version().toString())
                .put("binding", InfoCommand.binding())
                .put("cpus", Runtime.getRuntime().availableProcessors());
        Json.Obj results = new Json.Obj();
        report.put("workloads", results);

        int status = Main.EXIT_OK;
        for (String w : workloads) {
            // Only "noop" so far; the switch is where the next workloads go.
            NoopWorkload.Outcome outcome = switch (w) {
                case "noop" -> NoopWorkload.run(plan, out, err);
                default -> throw new AssertionError(w);
            };
            results.put(w, outcome.json());
            if (outcome.ringioFailed()) {
                status = Main.EXIT_FAILURE;
            }
        }
        if (json != null) {
            try {
                Files.writeString(json, report.toString() + "\n", StandardCharsets.UTF_8);
                err.println("[bench] results written to " + json);
            } catch (IOException e) {
                err.println("ringio bench: cannot write " + json + ": " + e.getMessage());
                // Not a failure of ringio; the table is on stdout. Still tell the caller.
                if (status == Main.EXIT_OK) {
                    status = Main.EXIT_USAGE;
                }
            }
        }
        return status;
    }

    /** Hands the arguments to JMH, which finds the benchmarks through META-INF/BenchmarkList in this jar. */
    private static int runJmh(String[] jmhArgs, PrintStream err) throws Exception {
        try {
            org.openjdk.jmh.Main.main(jmhArgs);
        } catch (ExceptionInInitializerError e) {
            if (e.getCause() instanceof UnsupportedOperationException) {
                // JMH's harness calls sun.misc.Unsafe, which --sun-misc-unsafe-memory-access=deny refuses.
                err.println("ringio bench --jmh: JMH needs sun.misc.Unsafe; run the JVM with "
                        + "--sun-misc-unsafe-memory-access=allow (./ringio does so for bench --jmh)");
                return Main.EXIT_USAGE;
            }
            throw e;
        }
        return Main.EXIT_OK;
    }
}
