package dev.ringio.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ringio bench [--quick] [--only W[,W...]] [--out DIR] [--json FILE]} and
 * {@code ringio bench --jmh ...}.
 *
 * <p>Every workload measures ringio and its rivals interleaved, round by round, in one run, so
 * that the ratios compare figures taken side by side on a noisy machine (BENCHMARKING.md). Each
 * table is printed as soon as its workload ends; {@code --out} also writes the JSON, the tables in
 * Markdown and a PNG chart per table. The exit status is 1 only when ringio itself failed.
 */
final class BenchCommand {

    /** The workloads, in the order a full run takes them. */
    static final List<Workload> WORKLOADS = List.of(
            new NoopWorkload(),
            new FileReadWorkload(),
            new DirectIoWorkload(),
            new CopyWorkload(),
            new EchoWorkload(),
            new ProxyWorkload(),
            new GroupWorkload(),
            new NioWorkload());

    /** {@code ringio bench --help}. */
    static String usage() {
        return "usage: ringio bench [--quick] [--only W[,W...]] [--out DIR] [--json FILE]\n"
                + "       ringio bench --jmh [JMH options]\n"
                + "  ringio side by side with java.nio, Netty, C and fio, interleaved round by round: a table\n"
                + "  per workload (ratios to the java.nio baseline and to the best peer, the issue's targets)\n"
                + "  --quick: fewer cases and rounds (< 3 min); --only W: these workloads (also `bench W`);\n"
                + "  --out DIR: results.json, tables.md and PNG charts; --json FILE: the results as JSON\n"
                + "  --jmh: the rest of the arguments go to JMH (e.g. --jmh -f 1 -wi 3 -i 5; --jmh -h)\n"
                + "  workloads:\n"
                + String.join("\n", WORKLOADS.stream().map(w -> String.format("    %-12s%s", w.name(), w.summary()))
                        .toList()) + "\n"
                + Main.exitStatuses("every workload ran (a missed target is reported, not an error)",
                        "ringio failed in a workload") + ",\n  or --out/--json could not be written";
    }

    private BenchCommand() {
    }

    static List<String> names() {
        return WORKLOADS.stream().map(Workload::name).toList();
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>();
        Path outDir = null;
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
                case "--only", "--out", "--json" -> {
                    if (i + 1 == args.length) {
                        err.println("ringio bench: " + a + " needs a value");
                        return Main.EXIT_USAGE;
                    }
                    String v = args[++i];
                    if (a.equals("--out")) {
                        outDir = Path.of(v);
                    } else if (a.equals("--json")) {
                        json = Path.of(v);
                    } else {
                        for (String w : v.split(",")) {
                            if (!names().contains(w)) {
                                err.println("ringio bench: unknown workload '" + w + "' (there are: "
                                        + String.join(", ", names()) + ")");
                                return Main.EXIT_USAGE;
                            }
                            only.add(w);
                        }
                    }
                }
                case "-h", "--help" -> {
                    out.println(usage());
                    return Main.EXIT_OK;
                }
                default -> {
                    if (!a.startsWith("-") && names().contains(a)) {
                        only.add(a); // `ringio bench noop` is `ringio bench --only noop`
                        continue;
                    }
                    err.println("ringio bench: unknown option '" + a + "'");
                    Main.usage(err);
                    return Main.EXIT_USAGE;
                }
            }
        }
        Plan plan = quick ? Plan.QUICK : Plan.FULL;
        List<Workload> chosen = WORKLOADS.stream().filter(w -> only.isEmpty() || only.contains(w.name())).toList();
        Progress progress = new Progress(err);

        out.printf(Locale.ROOT, "ringio bench (%s: %d interleaved rounds of %s s): %s%n", plan.name(), plan.rounds(),
                Stats.seconds(plan.roundSeconds()), String.join(", ", chosen.stream().map(Workload::name).toList()));
        out.println(machineLine());

        Json.Obj report = new Json.Obj()
                .put("plan", plan.name())
                .put("rounds", plan.rounds())
                .put("roundSeconds", plan.roundSeconds())
                .put("machine", machineJson());
        Json.Obj results = new Json.Obj();
        report.put("workloads", results);
        List<BenchTable> all = new ArrayList<>();

        int status = Main.EXIT_OK;
        long benchStart = System.nanoTime();
        List<String> times = new ArrayList<>();
        for (Workload w : chosen) {
            List<BenchTable> tables;
            long start = System.nanoTime();
            try {
                tables = w.run(plan, progress);
            } catch (Exception | LinkageError e) {
                String msg = InfoCommand.describe(e);
                err.println("ringio bench " + w.name() + ": FAILED: " + msg);
                out.println();
                out.println("== " + w.name() + ": FAILED: " + msg + " ==");
                results.put(w.name(), new Json.Obj().put("error", msg).put("seconds", secondsSince(start)));
                times.add(w.name() + " " + tenths(secondsSince(start)) + " s (failed)");
                status = Main.EXIT_FAILURE;
                continue;
            }
            double took = secondsSince(start);
            times.add(w.name() + " " + tenths(took) + " s");
            List<Object> tj = new ArrayList<>();
            for (BenchTable t : tables) {
                t.print(out);
                tj.add(t.json());
                all.add(t);
                if (t.ringioFailed()) {
                    status = Main.EXIT_FAILURE;
                }
            }
            results.put(w.name(), new Json.Obj().put("tables", tj).put("seconds", took));
            out.printf(Locale.ROOT, "(%s: %s s)%n", w.name(), tenths(took));
        }
        double total = secondsSince(benchStart);
        report.put("seconds", total);
        out.println();
        out.printf(Locale.ROOT, "time per workload: %s; total %s s%n", String.join(", ", times), tenths(total));
        if (json != null && !write(json, report.toString() + "\n", err)) {
            status = status == Main.EXIT_OK ? Main.EXIT_USAGE : status;
        }
        if (outDir != null && !writeFolder(outDir, report, all, err)) {
            status = status == Main.EXIT_OK ? Main.EXIT_USAGE : status;
        }
        if (status == Main.EXIT_FAILURE) {
            err.println("ringio bench: ringio FAILED in at least one workload (see above)");
        }
        return status;
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Seconds to one decimal: "51.3". */
    private static String tenths(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds);
    }

    /** results.json, tables.md and one PNG per table; charts that cannot be drawn are reported, not fatal. */
    private static boolean writeFolder(Path dir, Json.Obj report, List<BenchTable> tables, PrintStream err) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            err.println("ringio bench: cannot create " + dir + ": " + e.getMessage());
            return false;
        }
        StringBuilder md = new StringBuilder("# ringio bench results\n\n").append(machineLine()).append("\n");
        for (BenchTable t : tables) {
            md.append("\n## ").append(t.title).append("\n\n![").append(t.key).append("](").append(t.key)
                    .append(".png)\n\n").append(t.markdown());
        }
        boolean ok = write(dir.resolve("results.json"), report.toString() + "\n", err)
                & write(dir.resolve("tables.md"), md.toString(), err);
        for (BenchTable t : tables) {
            try {
                Charts.write(t, dir.resolve(t.key + ".png"));
            } catch (Exception | LinkageError e) {
                err.println("ringio bench: chart " + t.key + ".png not drawn: " + InfoCommand.describe(e));
            }
        }
        err.println("[bench] results, tables and charts written to " + dir);
        return ok;
    }

    private static boolean write(Path file, String text, PrintStream err) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            err.println("ringio bench: cannot write " + file + ": " + e.getMessage());
            return false;
        }
    }

    static String machineLine() {
        return String.format(Locale.ROOT, "machine: %s, %d CPUs, %s; kernel %s; Java %s; binding %s",
                cpuModel(), Runtime.getRuntime().availableProcessors(), memory(), InfoCommand.kernelRelease(),
                Runtime.version(), InfoCommand.binding());
    }

    private static Json.Obj machineJson() {
        return new Json.Obj()
                .put("cpu", cpuModel())
                .put("cpus", Runtime.getRuntime().availableProcessors())
                .put("memory", memory())
                .put("kernel", InfoCommand.kernelRelease())
                .put("java", Runtime.version().toString())
                .put("binding", InfoCommand.binding());
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "unknown CPU";
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D+", ""));
                    return Math.round(kb / 1024.0 / 1024.0) + " GiB";
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "? GiB";
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
