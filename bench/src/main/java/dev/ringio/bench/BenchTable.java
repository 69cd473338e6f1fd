package dev.ringio.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One comparison table: a workload's cases, each with its contenders, measured in interleaved
 * rounds (every contender once per round, the starting contender rotating from round to round so
 * that none always runs right after the same neighbour), then printed with the ratio of every row
 * to the named baseline and to the best peer, taken round by round (docs: BENCHMARKING.md).
 */
final class BenchTable {

    final String key;
    final String title;
    final String metric;
    final String baselineLabel;
    final boolean latency;
    final List<BenchCase> cases;
    final List<Target> targets;
    private final List<String> notes = new ArrayList<>();
    private boolean ringioFailed;
    private double roundSeconds = Double.NaN;
    private int rounds;

    /**
     * @param key           file-name-safe id ("file-reads"), also the chart's name
     * @param title         what is measured, one line
     * @param metric        the unit of a row's figure, per second ("reads/s", "MB/s")
     * @param baselineLabel what the "×" column divides by ("FileChannel")
     * @param latency       whether rows carry p50/p99
     */
    BenchTable(String key, String title, String metric, String baselineLabel, boolean latency,
               List<BenchCase> cases, List<Target> targets) {
        this.key = key;
        this.title = title;
        this.metric = metric;
        this.baselineLabel = baselineLabel;
        this.latency = latency;
        this.cases = List.copyOf(cases);
        this.targets = List.copyOf(targets);
    }

    /**
     * The same cases and rows as the measured {@code source}, with each round's figure replaced by
     * the work done per CPU-second ({@link Sample#perCpuSecond}): how much CPU each contender
     * spends per op, as a throughput so that higher stays better and ratios read the same way.
     * Rows whose rounds carry no CPU figure say so.
     */
    static BenchTable perCpuSecond(BenchTable source, String key, String title, String metric,
                                   List<Target> targets) {
        List<BenchCase> cases = new ArrayList<>();
        for (BenchCase bc : source.cases) {
            List<Contender> rows = new ArrayList<>();
            for (Contender c : bc.contenders) {
                rows.add(c.derived(Sample::perCpuSecond, "CPU time not measured"));
            }
            cases.add(new BenchCase(bc.key, bc.label, bc.shortLabel, bc.baselineKey(), rows));
        }
        BenchTable t = new BenchTable(key, title, metric, source.baselineLabel, false, cases, targets);
        t.rounds = source.rounds;
        t.roundSeconds = source.roundSeconds;
        t.ringioFailed = false; // the measured table already reports ringio's failures
        return t;
    }

    /** A line printed under the table (how the rows were measured, a caveat). */
    BenchTable note(String line) {
        notes.add(line);
        return this;
    }

    boolean ringioFailed() {
        return ringioFailed;
    }

    /**
     * Runs every case: a warm-up run per contender (but {@linkplain Contender#external external
     * programs}), then {@code plan.rounds()} interleaved rounds.
     */
    void measure(Plan plan, Progress progress) {
        this.rounds = plan.rounds();
        this.roundSeconds = plan.roundSeconds();
        Set<String> warmed = new HashSet<>();
        for (int ci = 0; ci < cases.size(); ci++) {
            BenchCase bc = cases.get(ci);
            progress.status(this, ci, "warm-up");
            for (Contender c : bc.contenders) {
                double w = warmed.add(c.key) ? plan.warmupSeconds() : plan.caseWarmupSeconds();
                if (c.runnable() && c.warmsUp && w > 0) {
                    attempt(c, w, false, progress);
                }
            }
            int n = bc.contenders.size();
            for (int r = 0; r < plan.rounds(); r++) {
                progress.status(this, ci, "round " + (r + 1) + "/" + plan.rounds());
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    Contender c = bc.contenders.get((i + r) % n);
                    if (!c.runnable()) {
                        continue;
                    }
                    Sample s = attempt(c, plan.roundSeconds(), true, progress);
                    if (s != null) {
                        line.append(line.isEmpty() ? "" : ", ").append(c.label).append(' ').append(Stats.amount(s.value()));
                    }
                }
                progress.roundDone(this, ci, r + 1, plan.rounds(), line.toString());
            }
        }
    }

    private Sample attempt(Contender c, double seconds, boolean record, Progress progress) {
        try {
            Sample s = c.trial().run(seconds);
            if (!(s.value() > 0) || Double.isInfinite(s.value())) {
                throw new IllegalStateException("measured " + s.value() + " " + metric);
            }
            if (record) {
                c.add(s);
            }
            return s;
        } catch (Exception | LinkageError e) {
            String why = Failures.describe(e);
            c.fail(why);
            if (c.isRingio()) {
                ringioFailed = true;
            }
            progress.failure(this, c, why, e);
            return null;
        }
    }

    // ---- text ---------------------------------------------------------------------------------------

    void print(PrintStream out) {
        out.println();
        out.println("== " + title + " ==");
        out.printf(Locale.ROOT, "%s, median of %d interleaved rounds%s; spread = min–max; ratios are taken "
                + "round by round: median (min–max)%n", metric, rounds,
                Double.isNaN(roundSeconds) ? "" : " of " + Stats.seconds(roundSeconds) + " s");
        List<String[]> rows = new ArrayList<>();
        for (BenchCase bc : cases) {
            Contender best = bc.bestPeer();
            rows.add(new String[] {bc.label, null});
            rows.add(header(best));
            for (Contender c : bc.contenders) {
                rows.add(row(bc, c));
            }
        }
        int cols = header(null).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            if (r[1] == null) {
                continue;
            }
            // A row without figures prints its note after the first two columns, unpadded.
            for (int i = 0; i < (r[1].equals("-") ? 2 : cols); i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            if (r[1] == null) {
                out.println(r[0]);
                continue;
            }
            StringBuilder sb = new StringBuilder("  ");
            boolean empty = r[1].equals("-");
            for (int i = 0; i < cols; i++) {
                sb.append(empty && i >= 2 ? r[i] : pad(r[i], width[i], i > 0 && i < cols - 2)).append("  ");
            }
            out.println(sb.toString().stripTrailing());
        }
        for (String n : notes) {
            out.println("  note: " + n);
        }
        for (Target t : targets) {
            out.println("Target: " + t.summary(cases));
        }
    }

    private String[] header(Contender bestPeer) {
        List<String> h = new ArrayList<>(List.of("", metric, "spread"));
        if (latency) {
            h.add("p50 µs");
            h.add("p99 µs");
        }
        h.add("× " + baselineLabel);
        h.add("× best peer" + (bestPeer == null ? "" : " (" + bestPeer.label + ")"));
        return h.toArray(String[]::new);
    }

    private String[] row(BenchCase bc, Contender c) {
        List<String> r = new ArrayList<>();
        r.add(c.label);
        double[] v = c.values();
        if (v.length == 0) {
            r.add("-");
            r.add(c.note() == null ? "" : c.note());
            if (latency) {
                r.add("");
                r.add("");
            }
            r.add("");
            r.add("");
            return r.toArray(String[]::new);
        }
        r.add(Stats.amount(Stats.median(v)));
        r.add(Stats.range(Stats.min(v), Stats.max(v)) + (c.note() == null ? "" : " (" + c.note() + ")"));
        if (latency) {
            r.add(Stats.micros(c.medianP50()));
            r.add(Stats.micros(c.medianP99()));
        }
        Contender base = bc.baseline();
        r.add(base == null ? "-" : Stats.ratio(c.ratiosTo(base)));
        Contender best = bc.bestPeer();
        r.add(best == null ? "-" : Stats.ratio(c.ratiosTo(best)));
        return r.toArray(String[]::new);
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }

    /** The table as Markdown, for docs/benchmarks.md. */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| case | contender | ").append(metric).append(" | spread |");
        if (latency) {
            sb.append(" p50 µs | p99 µs |");
        }
        sb.append(" × ").append(baselineLabel).append(" | × best peer |\n|");
        sb.append("---|".repeat(latency ? 8 : 6)).append('\n');
        for (BenchCase bc : cases) {
            Contender best = bc.bestPeer();
            for (Contender c : bc.contenders) {
                String[] r = row(bc, c);
                sb.append("| ").append(bc.label).append(" | ");
                sb.append(c.isRingio() ? "**" + c.label + "**" : c.label);
                for (int i = 1; i < r.length; i++) {
                    String cell = r[i];
                    if (i == r.length - 1 && best != null && c.samples().size() > 0) {
                        cell += best == c ? " (best peer)" : "";
                    }
                    sb.append(" | ").append(cell);
                }
                sb.append(" |\n");
            }
        }
        for (Target t : targets) {
            sb.append("\nTarget: ").append(t.summary(cases)).append('\n');
        }
        return sb.toString();
    }

    // ---- JSON ---------------------------------------------------------------------------------------

    Json.Obj json() {
        List<Object> cs = new ArrayList<>();
        for (BenchCase bc : cases) {
            List<Object> rows = new ArrayList<>();
            Contender base = bc.baseline();
            Contender best = bc.bestPeer();
            for (Contender c : bc.contenders) {
                double[] v = c.values();
                Json.Obj row = new Json.Obj()
                        .put("key", c.key)
                        .put("label", c.label)
                        .put("ringio", c.isRingio())
                        .put("values", Json.array(v))
                        .put("median", v.length == 0 ? null : Stats.median(v))
                        .put("min", v.length == 0 ? null : Stats.min(v))
                        .put("max", v.length == 0 ? null : Stats.max(v));
                if (latency) {
                    row.put("p50Micros", Json.array(c.samples().stream().mapToDouble(Sample::p50Micros).toArray()))
                            .put("p99Micros", Json.array(c.samples().stream().mapToDouble(Sample::p99Micros).toArray()));
                }
                row.put("ratioToBaseline", ratioJson(c, base)).put("ratioToBestPeer", ratioJson(c, best));
                row.put("note", c.note());
                rows.add(row);
            }
            cs.add(new Json.Obj().put("key", bc.key).put("label", bc.label)
                    .put("baseline", base == null ? null : base.key)
                    .put("bestPeer", best == null ? null : best.key)
                    .put("contenders", rows));
        }
        List<Object> ts = new ArrayList<>();
        for (Target t : targets) {
            ts.add(new Json.Obj().put("target", t.text()).put("min", t.min()).put("met", t.met(cases))
                    .put("summary", t.summary(cases)));
        }
        return new Json.Obj()
                .put("key", key)
                .put("title", title)
                .put("metric", metric)
                .put("rounds", rounds)
                .put("roundSeconds", roundSeconds)
                .put("baseline", baselineLabel)
                .put("notes", new ArrayList<Object>(notes))
                .put("cases", cs)
                .put("targets", ts);
    }

    private static Json.Obj ratioJson(Contender c, Contender other) {
        if (other == null) {
            return null;
        }
        double[] r = c.ratiosTo(other);
        if (r.length == 0) {
            return null;
        }
        return new Json.Obj().put("median", Stats.median(r)).put("min", Stats.min(r)).put("max", Stats.max(r));
    }
}
