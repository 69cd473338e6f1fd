package dev.ringio.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.RawCompletion;
import dev.ringio.bench.BenchCommand.Plan;

/**
 * The {@code noop} workload: NOP throughput of ringio's low-level API, its future API, and the C
 * baseline ({@code nop_bench}), at batches 1 and 32, interleaved round by round.
 *
 * <ul>
 *   <li><b>C liburing</b>: {@code nop_bench B SECONDS} in a subprocess (prep B NOPs,
 *       submit_and_wait(B), reap).</li>
 *   <li><b>low-level</b>: on the loop thread, B {@link IoEngine#submitNoop} in flight; the callback
 *       counts and, when the whole batch is back, submits the next B from inside the callback. No
 *       allocation, no thread hand-off.</li>
 *   <li><b>future</b>: one caller thread submits B {@link IoEngine#noop()} futures, waits for all of
 *       them, repeats: the cost a typical user pays (hand-off to the loop, completion, wake-up).</li>
 * </ul>
 */
final class NoopWorkload {

    static final int[] BATCHES = {1, 32};

    /** The targets, judged at batch {@link #TARGET_BATCH}. */
    static final double LOW_LEVEL_TARGET = 0.6;
    static final double FUTURE_TARGET = 0.3;
    static final int TARGET_BATCH = 32;

    /** How long to wait for in-flight NOPs after a run's time is up before calling it a hang. */
    private static final long COMPLETION_TIMEOUT_SECONDS = 10;

    enum Variant {
        C("C liburing", "c"),
        LOW_LEVEL("low-level", "low-level"),
        FUTURE("future", "future");

        final String label;
        final String key;

        Variant(String label, String key) {
            this.label = label;
            this.key = key;
        }
    }

    /** One variant at one batch: the ops/s of each round, or why there are none. */
    static final class Series {
        final Variant variant;
        final int batch;
        final double[] samples;
        int count;
        String note; // e.g. "C: not built"; null when every round ran

        Series(Variant variant, int batch, int rounds) {
            this.variant = variant;
            this.batch = batch;
            this.samples = new double[rounds];
        }

        void add(double opsPerSec) {
            samples[count++] = opsPerSec;
        }

        double[] values() {
            return Arrays.copyOf(samples, count);
        }
    }

    /** What the workload reports: its JSON, and whether ringio (not the C baseline) failed. */
    record Outcome(Json.Obj json, boolean ringioFailed) {
    }

    /** A failure of ringio itself: the bench exits with status 1. */
    static final class RingioFailure extends Exception {
        private static final long serialVersionUID = 1L;

        RingioFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private NoopWorkload() {
    }

    static Outcome run(Plan plan, PrintStream out, PrintStream err) {
        CBaseline c = CBaseline.locate();
        if (!c.available()) {
            err.println("[noop] C baseline: " + c.missingReason());
        }
        IoEngine engine;
        try {
            engine = IoEngines.open(InfoCommand.engineConfig());
        } catch (Exception | LinkageError e) {
            String msg = "cannot open an engine: " + InfoCommand.describe(e);
            err.println("ringio bench noop: FAILED: " + msg);
            return new Outcome(new Json.Obj().put("error", msg), true);
        }

        String engineName = engine.name();
        List<Series> all = new ArrayList<>();
        try (engine) {
            for (int batch : BATCHES) {
                Series cs = new Series(Variant.C, batch, plan.rounds());
                Series ls = new Series(Variant.LOW_LEVEL, batch, plan.rounds());
                Series fs = new Series(Variant.FUTURE, batch, plan.rounds());
                all.add(cs);
                all.add(ls);
                all.add(fs);
                if (!c.available()) {
                    cs.note = "C: not built";
                }

                err.printf(Locale.ROOT, "[noop] batch %d warm-up (%s s per variant)%n", batch,
                        seconds(plan.warmupSeconds()));
                runC(c, cs, plan.warmupSeconds(), err);
                lowLevel(engine, batch, plan.warmupSeconds());
                future(engine, batch, plan.warmupSeconds());

                for (int r = 1; r <= plan.rounds(); r++) {
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                            "[noop] batch %d round %d/%d:", batch, r, plan.rounds()));
                    if (cs.note == null) {
                        Double v = runC(c, cs, plan.roundSeconds(), err);
                        if (v != null) {
                            cs.add(v);
                        }
                    }
                    line.append(" C ").append(cs.note == null ? perSec(cs.samples[cs.count - 1]) : "-");
                    double low = lowLevel(engine, batch, plan.roundSeconds());
                    ls.add(low);
                    line.append(", low-level ").append(perSec(low));
                    double fut = future(engine, batch, plan.roundSeconds());
                    fs.add(fut);
                    line.append(", future ").append(perSec(fut));
                    err.println(line);
                }
            }
        } catch (RingioFailure e) {
            String msg = e.getMessage() + (e.getCause() == null ? "" : ": " + InfoCommand.describe(e.getCause()));
            err.println("ringio bench noop: FAILED: " + msg);
            return new Outcome(new Json.Obj().put("engine", engineName).put("error", msg), true);
        }

        printTable(plan, engineName, all, out);
        return new Outcome(json(engineName, all), false);
    }

    // ---- the three variants ------------------------------------------------------------------------

    /**
     * Runs the C baseline once; its ops/s, or null after recording in {@code series.note} why it
     * could not (the C program failing is not a failure of ringio).
     */
    private static Double runC(CBaseline c, Series series, double seconds, PrintStream err) {
        if (series.note != null) {
            return null;
        }
        try {
            return c.run(series.batch, seconds);
        } catch (CBaseline.CFailure e) {
            err.println("[noop] C baseline failed: " + e.getMessage());
            series.note = "C: failed";
            return null;
        }
    }

    /** Low-level API: B NOPs in flight from the loop thread, resubmitted from the completion callback. */
    static double lowLevel(IoEngine engine, int batch, double seconds) throws RingioFailure {
        LowLevelRun run = new LowLevelRun(engine, batch);
        try {
            engine.execute(run);
        } catch (RuntimeException e) {
            throw new RingioFailure("low-level noop, batch " + batch + ": execute", e);
        }
        sleep(seconds);
        run.stop = true;
        try {
            run.done.get(COMPLETION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new RingioFailure("low-level noop, batch " + batch + ": NOPs still in flight "
                    + COMPLETION_TIMEOUT_SECONDS + " s after the run ended (about " + run.inFlight
                    + " of the last batch outstanding)", null); // a racy read, for the message only
        } catch (ExecutionException e) {
            throw new RingioFailure("low-level noop, batch " + batch, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingioFailure("low-level noop, batch " + batch + ": interrupted", e);
        }
        if (run.firstError != 0) {
            throw new RingioFailure("low-level noop, batch " + batch + ": a NOP completed with " + run.firstError
                    + " (-errno)", null);
        }
        return run.completed * 1e9 / (run.endNanos - run.startNanos);
    }

    /**
     * The low-level loop. Every field but {@link #stop} and {@link #done} is touched only on the
     * loop thread; the caller reads them after {@code done} completes (which orders them).
     */
    private static final class LowLevelRun implements Runnable, RawCompletion {
        private final IoEngine engine;
        private final int batch;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile boolean stop;
        int inFlight;
        long completed;
        long startNanos;
        long endNanos;
        int firstError;

        LowLevelRun(IoEngine engine, int batch) {
            this.engine = engine;
            this.batch = batch;
        }

        @Override
        public void run() { // on the loop thread
            startNanos = System.nanoTime();
            submitBatch();
        }

        private void submitBatch() {
            inFlight = batch;
            try {
                for (int i = 0; i < batch; i++) {
                    engine.submitNoop(this);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public void onComplete(int result) { // on the loop thread
            if (result < 0 && firstError == 0) {
                firstError = result;
            }
            completed++;
            if (--inFlight == 0 && !done.isDone()) {
                if (stop || firstError != 0) {
                    endNanos = System.nanoTime();
                    done.complete(null);
                } else {
                    submitBatch();
                }
            }
        }
    }

    /** Future API from one caller thread: B noop() futures, wait for all, repeat. */
    static double future(IoEngine engine, int batch, double seconds) throws RingioFailure {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[batch];
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long ops = 0;
        long now;
        try {
            do {
                for (int i = 0; i < batch; i++) {
                    futures[i] = engine.noop();
                }
                for (int i = 0; i < batch; i++) {
                    // get with a timeout rather than join: a lost completion ends the bench, not hangs it.
                    futures[i].get(COMPLETION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    futures[i] = null;
                }
                ops += batch;
                now = System.nanoTime();
            } while (now < deadline);
        } catch (TimeoutException e) {
            throw new RingioFailure("future noop, batch " + batch + ": a noop() future did not complete within "
                    + COMPLETION_TIMEOUT_SECONDS + " s", null);
        } catch (ExecutionException e) {
            throw new RingioFailure("future noop, batch " + batch, e.getCause());
        } catch (RuntimeException e) {
            throw new RingioFailure("future noop, batch " + batch, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingioFailure("future noop, batch " + batch + ": interrupted", e);
        }
        return ops * 1e9 / (now - start);
    }

    private static void sleep(double seconds) throws RingioFailure {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingioFailure("interrupted", e);
        }
    }

    // ---- reporting ---------------------------------------------------------------------------------

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /** variant / C for each round where both ran (the C run and this one were minutes, not hours, apart). */
    static double[] ratios(Series variant, Series c) {
        int n = Math.min(variant.count, c.count);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = variant.samples[i] / c.samples[i];
        }
        return r;
    }

    private static Series find(List<Series> all, Variant v, int batch) {
        for (Series s : all) {
            if (s.variant == v && s.batch == batch) {
                return s;
            }
        }
        throw new IllegalStateException(v + " " + batch);
    }

    private static void printTable(Plan plan, String engineName, List<Series> all, PrintStream out) {
        out.printf(Locale.ROOT, "engine %s, binding %s, kernel %s, Java %s, %d CPUs%n", engineName,
                InfoCommand.binding(), InfoCommand.kernelRelease(), Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "NOP throughput (ops/s, median of %d interleaved rounds of %s s; "
                + "ratio = variant / C in the same round, median (min–max))%n", plan.rounds(),
                seconds(plan.roundSeconds()));
        String fmt = "%-6s %-12s %-10s %-18s %s";
        out.println(String.format(Locale.ROOT, fmt, "batch", "variant", "ops/s", "spread", "ratio to C"));
        for (int batch : BATCHES) {
            Series c = find(all, Variant.C, batch);
            for (Variant v : Variant.values()) {
                Series s = find(all, v, batch);
                double[] vals = s.values();
                String ops;
                String spread;
                String ratio;
                if (vals.length == 0) {
                    ops = s.note == null ? "-" : s.note;
                    spread = "";
                    ratio = "";
                } else {
                    double med = median(vals);
                    ops = amount(med);
                    spread = range(min(vals), max(vals));
                    if (v == Variant.C) {
                        ratio = s.note == null ? "1.00" : "1.00 (" + s.note + " after " + s.count + " rounds)";
                    } else {
                        double[] r = ratios(s, c);
                        ratio = r.length == 0 ? "-" : String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", median(r),
                                min(r), max(r));
                    }
                }
                out.println(String.format(Locale.ROOT, fmt, batch, v.label, ops, spread, ratio).stripTrailing());
            }
        }
        out.println(targetLine(all));
    }

    private static String targetLine(List<Series> all) {
        return "Targets (issue), at batch " + TARGET_BATCH + ": "
                + judge(all, Variant.LOW_LEVEL, LOW_LEVEL_TARGET) + "; "
                + judge(all, Variant.FUTURE, FUTURE_TARGET);
    }

    private static String judge(List<Series> all, Variant v, double target) {
        String what = String.format(Locale.ROOT, "%s ≥ %.1f × C", v.label, target);
        Series c = find(all, Variant.C, TARGET_BATCH);
        double[] r = ratios(find(all, v, TARGET_BATCH), c);
        if (r.length == 0) {
            return what + ": not judged (" + (c.note == null ? "no C figure" : c.note) + ")";
        }
        double m = median(r);
        return what + String.format(Locale.ROOT, ": %s (%.2f)", m >= target ? "met" : "missed", m);
    }

    private static Json.Obj json(String engineName, List<Series> all) {
        Json.Obj o = new Json.Obj().put("engine", engineName);
        List<Object> rows = new ArrayList<>();
        for (Series s : all) {
            double[] vals = s.values();
            for (int i = 0; i < vals.length; i++) {
                vals[i] = Math.rint(vals[i]);
            }
            Json.Obj row = new Json.Obj()
                    .put("batch", s.batch)
                    .put("variant", s.variant.key)
                    .put("opsPerSec", Json.array(vals))
                    .put("median", vals.length == 0 ? null : Math.rint(median(vals)))
                    .put("min", vals.length == 0 ? null : min(vals))
                    .put("max", vals.length == 0 ? null : max(vals));
            if (s.variant != Variant.C) {
                double[] r = ratios(s, find(all, Variant.C, s.batch));
                row.put("ratioToC", r.length == 0 ? null : median(r))
                        .put("ratioToCMin", r.length == 0 ? null : min(r))
                        .put("ratioToCMax", r.length == 0 ? null : max(r));
            }
            row.put("note", s.note);
            rows.add(row);
        }
        o.put("results", rows);
        List<Object> targets = new ArrayList<>();
        for (Variant v : new Variant[] {Variant.LOW_LEVEL, Variant.FUTURE}) {
            double target = v == Variant.LOW_LEVEL ? LOW_LEVEL_TARGET : FUTURE_TARGET;
            double[] r = ratios(find(all, v, TARGET_BATCH), find(all, Variant.C, TARGET_BATCH));
            targets.add(new Json.Obj()
                    .put("variant", v.key)
                    .put("batch", TARGET_BATCH)
                    .put("minRatioToC", target)
                    .put("ratioToC", r.length == 0 ? null : median(r))
                    .put("met", r.length == 0 ? null : median(r) >= target));
        }
        o.put("targets", targets);
        return o;
    }

    /** "3.41 M", "512.3 k". */
    static String amount(double v) {
        return scaled(v, unitOf(v)) + unitSuffix(v);
    }

    /** "3.38–3.47 M", in the unit of the larger end. */
    static String range(double lo, double hi) {
        double u = unitOf(hi);
        return scaled(lo, u) + "–" + scaled(hi, u) + unitSuffix(hi);
    }

    static String perSec(double v) {
        return amount(v) + "/s";
    }

    private static double unitOf(double v) {
        return v >= 1e6 ? 1e6 : v >= 1e3 ? 1e3 : 1;
    }

    private static String unitSuffix(double v) {
        return v >= 1e6 ? " M" : v >= 1e3 ? " k" : "";
    }

    private static String scaled(double v, double unit) {
        return String.format(Locale.ROOT, unit == 1e6 ? "%.2f" : unit == 1e3 ? "%.1f" : "%.0f", v / unit);
    }

    static String seconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}
