package dev.ringio.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Target}: verdicts on a table's figures, the best-of keys and the {@code where} filter. */
class TargetTest {

    private static Contender ringio(String key, double... values) {
        return withSamples(Contender.ringio(key, "ringio " + key, s -> Sample.of(1)), values);
    }

    private static Contender peer(String key, double... values) {
        return withSamples(Contender.peer(key, "peer " + key, s -> Sample.of(1)), values);
    }

    private static Contender withSamples(Contender c, double... values) {
        for (double v : values) {
            c.add(Sample.of(v));
        }
        return c;
    }

    private static BenchCase bc(String key, Contender... cs) {
        return new BenchCase(key, "case " + key, key, "nio", List.of(cs));
    }

    @Test
    void metWhenEveryJudgedCaseReachesTheMinimum() {
        List<BenchCase> cases = List.of(
                bc("a", ringio("r", 200, 220, 180), peer("nio", 100, 100, 90)),
                bc("b", ringio("r", 150, 150, 150), peer("nio", 100, 100, 100)));
        Target t = new Target("r ≥ 1.5× nio", 1.5, c -> true, "r", "nio");
        assertEquals(2, t.judge(cases).size());
        assertEquals(2.0, t.judge(cases).get(0).ratio(), 1e-12);
        assertEquals(1.5, t.judge(cases).get(1).ratio(), 1e-12);
        assertEquals(Boolean.TRUE, t.met(cases));
        assertEquals("r ≥ 1.5× nio: met [case a: 2.00; case b: 1.50]", t.summary(cases));
    }

    @Test
    void missedWhenOneCaseFallsShort() {
        List<BenchCase> cases = List.of(
                bc("a", ringio("r", 200, 220, 180), peer("nio", 100, 100, 90)),
                bc("b", ringio("r", 110, 120, 90), peer("nio", 100, 100, 100)));
        Target t = new Target("r ≥ 1.5× nio", 1.5, c -> true, "r", "nio");
        assertEquals(1.1, t.judge(cases).get(1).ratio(), 1e-12);
        assertEquals(Boolean.FALSE, t.met(cases));
        assertEquals("r ≥ 1.5× nio: missed [case a: 2.00; case b: 1.10 MISSED]", t.summary(cases));
    }

    @Test
    void notJudgedWithoutFigures() {
        // Both sides present but ringio has no samples; in case b the key is not there at all.
        List<BenchCase> cases = List.of(
                bc("a", ringio("r"), peer("nio", 100)),
                bc("b", peer("nio", 100)));
        Target t = new Target("r ≥ 1× nio", 1.0, c -> true, "r", "nio");
        assertTrue(Double.isNaN(t.judge(cases).get(0).ratio()));
        assertEquals("r", t.judge(cases).get(0).contender(), "the key stands in for the missing contender");
        assertNull(t.met(cases));
        assertEquals("r ≥ 1× nio: not judged [case a: no figures; case b: no figures]", t.summary(cases));
    }

    @Test
    void noFiguresInOneCaseDoesNotSpoilTheVerdictOfTheOthers() {
        List<BenchCase> cases = List.of(
                bc("a", ringio("r", 300), peer("nio", 100)),
                bc("b", ringio("r"), peer("nio", 100)));
        Target t = new Target("r ≥ 2× nio", 2.0, c -> true, "r", "nio");
        assertEquals(Boolean.TRUE, t.met(cases));
        assertEquals("r ≥ 2× nio: met [case a: 3.00; case b: no figures]", t.summary(cases));
    }

    @Test
    void bestRingioAndBestPeerResolveToTheHighestMedians() {
        // r2's median (250) beats r1's (200); netty's median (120) beats nio's (100).
        BenchCase a = bc("a",
                ringio("r1", 200, 220, 180), ringio("r2", 100, 300, 250),
                peer("nio", 100, 100, 90), peer("netty", 120, 130, 110), peer("fio"));
        assertEquals("r2", a.bestRingio().key);
        assertEquals("netty", a.bestPeer().key);
        Target t = new Target("best ringio ≥ 2× best peer", 2.0, c -> true, Target.BEST_RINGIO, Target.BEST_PEER);
        Target.Verdict v = t.judge(List.of(a)).get(0);
        assertEquals("ringio r2", v.contender());
        assertEquals("peer netty", v.versus());
        // r2 / netty round by round: 100/120, 300/130, 250/110 -> median 250/110.
        assertEquals(250.0 / 110, v.ratio(), 1e-12);
        assertFalse(v.met(2.5));
        assertEquals(Boolean.TRUE, t.met(List.of(a)));
        assertEquals("best ringio ≥ 2× best peer: met [case a: 2.27 (ringio r2 / peer netty)]",
                t.summary(List.of(a)));
    }

    @Test
    void bestKeysWithoutCandidatesAreNotJudged() {
        BenchCase a = bc("a", peer("nio", 100));
        Target t = new Target("best ringio ≥ 1× best peer", 1.0, c -> true, Target.BEST_RINGIO, Target.BEST_PEER);
        Target.Verdict v = t.judge(List.of(a)).get(0);
        assertEquals(Target.BEST_RINGIO, v.contender());
        assertEquals("peer nio", v.versus());
        assertEquals("best ringio ≥ 1× best peer: not judged [case a: no figures]", t.summary(List.of(a)));
    }

    @Test
    void whereLimitsTheJudgedCases() {
        List<BenchCase> cases = List.of(
                bc("small", ringio("r", 50), peer("nio", 100)),
                bc("large", ringio("r", 300), peer("nio", 100)));
        Target t = new Target("r ≥ 2× nio on large", 2.0, c -> c.key.equals("large"), "r", "nio");
        assertEquals(1, t.judge(cases).size());
        assertEquals("large", t.judge(cases).get(0).benchCase().key);
        assertEquals(Boolean.TRUE, t.met(cases), "the small case, 0.5×, is not judged");
        assertEquals("r ≥ 2× nio on large: met [case large: 3.00]", t.summary(cases));

        Target none = new Target("nothing", 1.0, c -> false, "r", "nio");
        assertNull(none.met(cases));
        assertEquals("nothing: not judged", none.summary(cases));
    }
}
