package dev.ringio.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of a bench table: ringio in one configuration, or a rival (java.nio, Netty, C, fio).
 * It collects a {@link Sample} per round; a contender that cannot run at all carries the reason
 * instead ({@code "fio: not installed"}), and one that fails mid-run keeps its earlier rounds and
 * the failure.
 */
final class Contender {

    /** Whether a failure is ringio's (the bench exits 1) or a rival's (reported, the rest runs). */
    enum Role { RINGIO, PEER }

    /** One measured run; {@code seconds} is the plan's round length (fixed-size work may ignore it). */
    @FunctionalInterface
    interface Trial {
        Sample run(double seconds) throws Exception;
    }

    final String key;
    final String label;
    final Role role;
    /** False for a program in its own process (C, fio): it has no JIT to warm, so it runs no warm-up. */
    final boolean warmsUp;
    private final Trial trial;
    private final List<Sample> samples = new ArrayList<>();
    private String unavailable;
    private String failure;

    private Contender(String key, String label, Role role, Trial trial, String unavailable) {
        this(key, label, role, true, trial, unavailable);
    }

    private Contender(String key, String label, Role role, boolean warmsUp, Trial trial, String unavailable) {
        this.key = key;
        this.label = label;
        this.role = role;
        this.warmsUp = warmsUp;
        this.trial = trial;
        this.unavailable = unavailable;
    }

    static Contender ringio(String key, String label, Trial trial) {
        return new Contender(key, label, Role.RINGIO, trial, null);
    }

    static Contender peer(String key, String label, Trial trial) {
        return new Contender(key, label, Role.PEER, trial, null);
    }

    /**
     * A rival that is a program of its own (bench/c's C programs, fio): each trial is a new process
     * with nothing to compile, on data the workload has already brought into the page cache (or
     * O_DIRECT, which no warm-up changes), so the table runs it no warm-up.
     */
    static Contender external(String key, String label, Trial trial) {
        return new Contender(key, label, Role.PEER, false, trial, null);
    }

    /** A contender that cannot run on this machine; {@code reason} is printed in its place. */
    static Contender unavailable(Role role, String key, String label, String reason) {
        return new Contender(key, label, role, null, reason);
    }

    /**
     * A copy of this row whose rounds are {@code this}'s rounds mapped by {@code figure} (for a table
     * derived from a measured one, such as reads per CPU-second). If a round has no figure
     * (NaN), the copy has none and says {@code missing} instead; round i stays round i.
     */
    Contender derived(java.util.function.ToDoubleFunction<Sample> figure, String missing) {
        Contender d = new Contender(key, label, role, warmsUp, null, unavailable);
        d.failure = failure;
        for (Sample s : samples) {
            double v = figure.applyAsDouble(s);
            if (Double.isNaN(v)) {
                d.samples.clear();
                if (d.unavailable == null && d.failure == null) {
                    d.unavailable = missing;
                }
                return d;
            }
            d.samples.add(Sample.of(v));
        }
        return d;
    }

    boolean isRingio() {
        return role == Role.RINGIO;
    }

    /** True while it can still run: available and not failed. */
    boolean runnable() {
        return unavailable == null && failure == null;
    }

    Trial trial() {
        return trial;
    }

    void add(Sample s) {
        samples.add(s);
    }

    void fail(String why) {
        failure = why;
    }

    /** Why it has no (or fewer) figures, or null. */
    String note() {
        if (unavailable != null) {
            return unavailable;
        }
        return failure == null ? null : "failed: " + failure;
    }

    boolean failed() {
        return failure != null;
    }

    List<Sample> samples() {
        return samples;
    }

    /** The value of each round; NaN where the round has no figure. */
    double[] values() {
        return samples.stream().mapToDouble(Sample::value).toArray();
    }

    double median() {
        return Stats.median(values());
    }

    double medianP50() {
        return Stats.median(samples.stream().filter(Sample::hasLatency).mapToDouble(Sample::p50Micros).toArray());
    }

    double medianP99() {
        return Stats.median(samples.stream().filter(Sample::hasLatency).mapToDouble(Sample::p99Micros).toArray());
    }

    /** this / other, round by round, over the rounds both have (they ran minutes, not hours, apart). */
    double[] ratiosTo(Contender other) {
        int n = Math.min(samples.size(), other.samples.size());
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = samples.get(i).value() / other.samples.get(i).value();
        }
        return r;
    }
}
