package dev.ringio.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BenchTable#measure} with scripted contenders (no real workload): the order of the calls,
 * warm-ups kept out of the figures, failures of a peer and of ringio, then the figures, ratios and
 * choices of baseline and best peer, and the text, Markdown and JSON made of them.
 */
class BenchTableTest {

    private static final double WARMUP = 0.5;
    private static final double CASE_WARMUP = 0.25;
    private static final double ROUND = 0.0;

    /** Every trial call, in order: "tag@seconds". */
    private final List<String> calls = new ArrayList<>();

    /** A trial that records its calls, answers warm-ups with a figure never to be seen, and rounds from a script. */
    private Contender.Trial scripted(String tag, double... rounds) {
        Deque<Double> script = new ArrayDeque<>();
        for (double v : rounds) {
            script.add(v);
        }
        return seconds -> {
            calls.add(tag + "@" + seconds);
            if (seconds != ROUND) {
                return Sample.of(9_999);
            }
            Double v = script.poll();
            if (v == null) {
                throw new IllegalStateException(tag + ": called for more rounds than scripted");
            }
            if (v < 0) {
                throw new IOException("boom");
            }
            return Sample.of(v);
        };
    }

    private Contender r1A;
    private Contender r2A;
    private Contender nioA;
    private Contender flakyA;
    private Contender fioA;
    private Contender r1B;
    private Contender nioB;
    private BenchTable table;
    private String progress;

    @BeforeEach
    void measureTheTable() {
        r1A = Contender.ringio("r1", "ringio 1", scripted("r1A", 200, 220, 180));
        r2A = Contender.ringio("r2", "ringio 2", scripted("r2A", 100, 300, 250));
        nioA = Contender.peer("nio", "nio", scripted("nioA", 100, 100, 90));
        flakyA = Contender.peer("flaky", "flaky", scripted("flakyA", 95, -1)); // throws in round 2
        fioA = Contender.unavailable(Contender.Role.PEER, "fio", "fio", "fio: not installed");
        BenchCase a = new BenchCase("a", "case A", "A", "nio", List.of(r1A, r2A, nioA, flakyA, fioA));

        r1B = Contender.ringio("r1", "ringio 1", seconds -> {
            calls.add("r1B@" + seconds);
            throw new IllegalStateException("ring broke");
        });
        nioB = Contender.peer("nio", "nio", scripted("nioB", 50, 60, 70));
        BenchCase b = new BenchCase("b", "case B", "B", "nio", List.of(r1B, nioB));

        table = new BenchTable("t", "A scripted table", "ops/s", "nio", false, List.of(a, b), List.of(
                new Target("ringio 1 ≥ 1.5× nio", 1.5, c -> true, "r1", "nio"),
                new Target("best ringio ≥ 3× best peer", 3.0, c -> true, Target.BEST_RINGIO, Target.BEST_PEER)))
                .note("scripted, nothing measured");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.measure(new Plan("t", 3, ROUND, WARMUP, CASE_WARMUP),
                new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        progress = bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void roundsRotateTheStartingContenderAndSkipTheOnesThatCannotRun() {
        assertEquals(List.of(
                // case A, n = 5: a first warm-up for every runnable contender (fio is unavailable)
                "r1A@0.5", "r2A@0.5", "nioA@0.5", "flakyA@0.5",
                // round 1 starts at contender 0
                "r1A@0.0", "r2A@0.0", "nioA@0.0", "flakyA@0.0",
                // round 2 starts at contender 1; flaky fails here, fio is skipped, ringio 1 comes last
                "r2A@0.0", "nioA@0.0", "flakyA@0.0", "r1A@0.0",
                // round 3 starts at contender 2; flaky no longer runs
                "nioA@0.0", "r1A@0.0", "r2A@0.0",
                // case B: the keys were warmed in case A, so the shorter per-case warm-up; ringio 1 fails in it
                "r1B@0.25", "nioB@0.25",
                "nioB@0.0", "nioB@0.0", "nioB@0.0"), calls);
    }

    @Test
    void warmUpsAreNotRecorded() {
        assertArrayEquals(new double[] {200, 220, 180}, r1A.values());
        assertArrayEquals(new double[] {100, 300, 250}, r2A.values());
        assertArrayEquals(new double[] {100, 100, 90}, nioA.values());
        assertArrayEquals(new double[] {50, 60, 70}, nioB.values());
        assertFalse(progress.contains("9999") || progress.contains("10.0 k"), progress);
    }

    @Test
    void noWarmUpRunsWhenThePlanHasNone() {
        calls.clear();
        Contender only = Contender.peer("p", "p", scripted("p", 1, 2));
        BenchTable t = new BenchTable("z", "z", "ops/s", "p", false,
                List.of(new BenchCase("z", "z", "z", "p", List.of(only))), List.of());
        t.measure(new Plan("t", 2, ROUND, 0.0, 0.0), new Progress(new PrintStream(new ByteArrayOutputStream())));
        assertEquals(List.of("p@0.0", "p@0.0"), calls);
        assertArrayEquals(new double[] {1, 2}, only.values());
    }

    @Test
    void mediansAndRoundByRoundRatios() {
        assertEquals(200.0, r1A.median());
        assertEquals(250.0, r2A.median());
        assertEquals(100.0, nioA.median());
        assertEquals(60.0, nioB.median());
        assertArrayEquals(new double[] {2.0, 2.2, 2.0}, r1A.ratiosTo(nioA), 1e-12);
        assertArrayEquals(new double[] {0.5, 100.0 / 220, 0.5}, nioA.ratiosTo(r1A), 1e-12);
        assertArrayEquals(new double[] {1.0, 3.0, 250.0 / 90}, r2A.ratiosTo(nioA), 1e-12);
        // Only over the rounds both have: flaky has one.
        assertArrayEquals(new double[] {200.0 / 95}, r1A.ratiosTo(flakyA), 1e-12);
        assertEquals(0, r1B.ratiosTo(nioB).length);
        assertTrue(Double.isNaN(r1B.median()));
    }

    @Test
    void aFailedPeerKeepsItsEarlierRoundsAndStops() {
        assertArrayEquals(new double[] {95}, flakyA.values());
        assertTrue(flakyA.failed());
        assertFalse(flakyA.runnable());
        assertEquals("failed: IOException: boom", flakyA.note());
        assertEquals(2, calls.stream().filter(c -> c.equals("flakyA@0.0")).count());
        assertTrue(progress.contains("flaky FAILED: IOException: boom (a rival; the bench goes on)"), progress);
    }

    @Test
    void aFailedRingioContenderMarksTheTable() {
        assertTrue(table.ringioFailed());
        assertTrue(r1B.failed());
        assertEquals(0, r1B.values().length);
        assertEquals("failed: IllegalStateException: ring broke", r1B.note());
        assertTrue(progress.contains("ringio 1 FAILED: IllegalStateException: ring broke\n"), progress);
        assertEquals(1, calls.stream().filter(c -> c.startsWith("r1B")).count(), "not run again after failing");
    }

    @Test
    void onlyPeerFailuresLeaveTheTableUnmarked() {
        Contender r = Contender.ringio("r", "r", scripted("r", 10, 10));
        Contender bad = Contender.peer("bad", "bad", scripted("bad", -1));
        BenchTable t = new BenchTable("z", "z", "ops/s", "bad", false,
                List.of(new BenchCase("z", "z", "z", "bad", List.of(r, bad))), List.of());
        t.measure(new Plan("t", 2, ROUND, 0.0, 0.0), new Progress(new PrintStream(new ByteArrayOutputStream())));
        assertFalse(t.ringioFailed());
        assertTrue(bad.failed());
        assertNull(t.cases.get(0).baseline(), "a baseline without figures is no baseline");
        assertNull(t.cases.get(0).bestPeer());
    }

    @Test
    void aZeroOrInfiniteFigureIsAFailure() {
        Contender zero = Contender.peer("zero", "zero", s -> Sample.of(0));
        Contender inf = Contender.ringio("inf", "inf", s -> Sample.of(Double.POSITIVE_INFINITY));
        BenchTable t = new BenchTable("z", "z", "ops/s", "zero", false,
                List.of(new BenchCase("z", "z", "z", "zero", List.of(zero, inf))), List.of());
        t.measure(new Plan("t", 2, ROUND, 0.0, 0.0), new Progress(new PrintStream(new ByteArrayOutputStream())));
        assertEquals("failed: IllegalStateException: measured 0.0 ops/s", zero.note());
        assertEquals("failed: IllegalStateException: measured Infinity ops/s", inf.note());
        assertTrue(t.ringioFailed());
    }

    @Test
    void baselineBestPeerAndBestRingio() {
        BenchCase a = table.cases.get(0);
        BenchCase b = table.cases.get(1);
        assertSame(nioA, a.baseline());
        assertSame(nioA, a.bestPeer(), "nio's median 100 beats flaky's 95");
        assertSame(r2A, a.bestRingio(), "ringio 2's median 250 beats ringio 1's 200");
        assertSame(nioB, b.baseline());
        assertSame(nioB, b.bestPeer());
        assertNull(b.bestRingio(), "ringio 1 has no figures in case B");
        assertSame(fioA, a.find("fio"));
        assertNull(a.find("netty"));
    }

    @Test
    void progressShowsEveryRound() {
        assertTrue(progress.contains("[0:00 t 1/2] case A: round 1/3: ringio 1 200, ringio 2 100, nio 100, flaky 95\n"),
                progress);
        assertTrue(progress.contains("case A: round 2/3: ringio 2 300, nio 100, ringio 1 220\n"), progress);
        assertTrue(progress.contains("case A: round 3/3: nio 90, ringio 1 180, ringio 2 250\n"), progress);
        assertTrue(progress.contains("[0:00 t 2/2] case B: round 3/3: nio 70\n"), progress);
    }

    @Test
    void printShowsFiguresReasonsFailuresAndTargets() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = out.lines().toList();
        assertTrue(out.contains("== A scripted table =="), out);
        assertTrue(out.contains("ops/s, median of 3 interleaved rounds of 0 s;"), out);
        assertTrue(lines.contains("case A"), out);
        assertTrue(lines.contains("case B"), out);
        assertEquals(2, lines.stream().filter(l -> l.contains("× best peer (nio)")).count(), out);
        String r1Row = row(lines, "ringio 1", 0);
        assertTrue(r1Row.matches("\\s+ringio 1\\s+200\\s+180–220\\s+2\\.00 \\(2\\.00–2\\.20\\)\\s+2\\.00 \\(2\\.00–2\\.20\\)"),
                r1Row);
        assertTrue(row(lines, "nio", 0).matches("\\s+nio\\s+100\\s+90–100\\s+1\\.00 \\(1\\.00–1\\.00\\)\\s+1\\.00 \\(1\\.00–1\\.00\\)"),
                row(lines, "nio", 0));
        assertTrue(row(lines, "flaky", 0).contains("95–95 (failed: IOException: boom)"), out);
        assertTrue(row(lines, "fio", 0).matches("\\s+fio\\s+-\\s+fio: not installed"), row(lines, "fio", 0));
        assertTrue(row(lines, "ringio 1", 1).matches("\\s+ringio 1\\s+-\\s+failed: IllegalStateException: ring broke"),
                row(lines, "ringio 1", 1));
        assertTrue(lines.contains("  note: scripted, nothing measured"), out);
        assertTrue(lines.contains("Target: ringio 1 ≥ 1.5× nio: met [case A: 2.00; case B: no figures]"), out);
        assertTrue(lines.contains("Target: best ringio ≥ 3× best peer: missed "
                + "[case A: 2.78 (ringio 2 / nio) MISSED; case B: no figures]"), out);
    }

    /** The {@code nth} table row (not a header) whose first column is {@code label}. */
    private static String row(List<String> lines, String label, int nth) {
        List<String> rows = lines.stream().filter(l -> l.startsWith("  " + label + " ")).toList();
        return rows.get(nth);
    }

    @Test
    void markdownHasOneRowPerContender() {
        String md = table.markdown();
        List<String> lines = md.lines().toList();
        assertEquals("| case | contender | ops/s | spread | × nio | × best peer |", lines.get(0));
        assertEquals("|---|---|---|---|---|---|", lines.get(1));
        assertEquals(5, lines.stream().filter(l -> l.startsWith("| case A | ")).count(), md);
        assertEquals(2, lines.stream().filter(l -> l.startsWith("| case B | ")).count(), md);
        assertTrue(lines.contains("| case A | **ringio 1** | 200 | 180–220 | 2.00 (2.00–2.20) | 2.00 (2.00–2.20) |"), md);
        assertTrue(lines.contains("| case A | nio | 100 | 90–100 | 1.00 (1.00–1.00) | 1.00 (1.00–1.00) (best peer) |"), md);
        assertTrue(lines.contains("| case A | fio | - | fio: not installed |  |  |"), md);
        assertTrue(lines.contains("| case B | **ringio 1** | - | failed: IllegalStateException: ring broke |  |  |"), md);
        assertTrue(md.contains("\nTarget: ringio 1 ≥ 1.5× nio: met [case A: 2.00; case B: no figures]\n"), md);
    }

    @Test
    void jsonCarriesFiguresRatiosNotesAndVerdicts() {
        String json = table.json().toString();
        for (String expected : List.of(
                "\"key\": \"t\"",
                "\"title\": \"A scripted table\"",
                "\"metric\": \"ops/s\"",
                "\"rounds\": 3",
                "\"roundSeconds\": 0",
                "\"baseline\": \"nio\"",
                "\"notes\": [\"scripted, nothing measured\"]",
                "\"bestPeer\": \"nio\"",
                "\"values\": [200, 220, 180]",
                "\"values\": [100, 300, 250]",
                "\"values\": [95]",
                "\"values\": []",
                "\"median\": 250",
                "\"ratioToBaseline\": {\n",
                "\"note\": \"fio: not installed\"",
                "\"note\": \"failed: IOException: boom\"",
                "\"note\": \"failed: IllegalStateException: ring broke\"",
                "\"target\": \"ringio 1 ≥ 1.5× nio\"",
                "\"met\": true",
                "\"met\": false",
                "\"min\": 1.5000")) {
            assertTrue(json.contains(expected), () -> "no " + expected + " in\n" + json);
        }
        // ringio 1 over nio in case A: median 2, min 2, max 2.2.
        String r1 = json.substring(json.indexOf("\"label\": \"ringio 1\""));
        String ratio = r1.substring(r1.indexOf("\"ratioToBaseline\""), r1.indexOf("\"ratioToBestPeer\""));
        assertEquals(String.format(Locale.ROOT, "\"ratioToBaseline\": {%n"), ratio.substring(0, ratio.indexOf('{') + 2));
        assertTrue(ratio.contains("\"median\": 2,") && ratio.contains("\"min\": 2,") && ratio.contains("\"max\": 2.2000"),
                ratio);
        // fio has no figures: null median and ratios.
        String fio = json.substring(json.indexOf("\"key\": \"fio\""));
        fio = fio.substring(0, fio.indexOf("\"note\""));
        assertTrue(fio.contains("\"median\": null") && fio.contains("\"ratioToBaseline\": null")
                && fio.contains("\"ratioToBestPeer\": null"), fio);
    }

    @Test
    void latencyColumnsAndJson() {
        Contender r = Contender.ringio("r", "r", s -> null);
        Contender p = Contender.peer("p", "p", s -> null);
        for (double[] s : new double[][] {{1000, 10, 50}, {1200, 12, 80}, {900, 11, 20_000}}) {
            r.add(new Sample(s[0], s[1], s[2]));
            p.add(new Sample(s[0] / 2, s[1] * 2, s[2] * 2));
        }
        assertEquals(11.0, r.medianP50());
        assertEquals(80.0, r.medianP99());
        BenchTable t = new BenchTable("l", "latency", "req/s", "p", true,
                List.of(new BenchCase("c", "c", "c", "p", List.of(r, p))), List.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("p50 µs") && out.contains("p99 µs"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+r\\s+1\\.0 k\\s+0\\.9–1\\.2 k\\s+11\\.0\\s+80\\.0\\s+2\\.00.*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+p\\s+500\\s+450–600\\s+22\\.0\\s+160\\s+1\\.00.*")), out);
        String json = t.json().toString();
        assertTrue(json.contains("\"p50Micros\": [10, 12, 11]"), json);
        assertTrue(json.contains("\"p99Micros\": [50, 80, 20000]"), json);
        assertTrue(t.markdown().startsWith("| case | contender | req/s | spread | p50 µs | p99 µs | × p | × best peer |\n"
                + "|---|---|---|---|---|---|---|---|\n"), t.markdown());
    }

    @Test
    void aPerCpuSecondTableDividesEachRoundByTheCoresItKeptBusy() {
        Contender r = Contender.ringio("r", "r", s -> null);
        Contender p = Contender.peer("p", "p", s -> null);
        Contender blind = Contender.peer("blind", "blind", s -> null);
        Contender gone = Contender.unavailable(Contender.Role.PEER, "gone", "gone", "gone: not installed");
        double[][] rounds = {{1000, 0.5}, {1200, 1.0}, {900, 0.25}};
        for (double[] s : rounds) {
            r.add(Sample.withCpu(s[0], s[1] * 2, 2.0)); // s[1] cores over a 2 s round
            p.add(Sample.withCpu(s[0] / 2, 1.0, 1.0));
            blind.add(Sample.of(s[0]));
        }
        BenchTable source = new BenchTable("m", "measured", "ops/s", "p", false,
                List.of(new BenchCase("c", "c", "c", "p", List.of(r, p, blind, gone))), List.of());
        BenchTable cpu = BenchTable.perCpuSecond(source, "m-cpu", "per CPU-second", "ops/CPU-s",
                List.of(new Target("r ≥ 2× p per CPU-second", 2.0, c -> true, "r", "p")));
        BenchCase c = cpu.cases.get(0);
        assertArrayEquals(new double[] {2000, 1200, 3600}, c.find("r").values(), 1e-9);
        assertArrayEquals(new double[] {500, 600, 450}, c.find("p").values(), 1e-9);
        assertEquals(0, c.find("blind").values().length);
        assertEquals("CPU time not measured", c.find("blind").note());
        assertEquals("gone: not installed", c.find("gone").note());
        assertArrayEquals(new double[] {4, 2, 8}, c.find("r").ratiosTo(c.find("p")), 1e-9);
        assertEquals(Boolean.TRUE, cpu.targets.get(0).met(cpu.cases));
        assertFalse(cpu.ringioFailed());
        // The measured table's own figures are untouched.
        assertArrayEquals(new double[] {1000, 1200, 900}, r.values(), 1e-9);
    }
}
