package dev.ringio.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A goal from the issue, judged on a table's figures (reported, never asserted): in every case
 * {@code where} accepts, the median round-by-round ratio of {@code contender} to {@code versus}
 * is at least {@code min}. Either key may be {@link #BEST_RINGIO} or {@link #BEST_PEER}.
 */
record Target(String text, double min, Predicate<BenchCase> where, String contender, String versus) {

    static final String BEST_RINGIO = "(best ringio)";
    static final String BEST_PEER = "(best peer)";

    /** One case's verdict. */
    record Verdict(BenchCase benchCase, String contender, String versus, double ratio) {
        boolean met(double min) {
            return ratio >= min;
        }
    }

    List<Verdict> judge(List<BenchCase> cases) {
        List<Verdict> out = new ArrayList<>();
        for (BenchCase bc : cases) {
            if (!where.test(bc)) {
                continue;
            }
            Contender a = resolve(bc, contender);
            Contender b = resolve(bc, versus);
            double ratio = a == null || b == null ? Double.NaN : Stats.median(a.ratiosTo(b));
            out.add(new Verdict(bc, a == null ? contender : a.label, b == null ? versus : b.label, ratio));
        }
        return out;
    }

    private static Contender resolve(BenchCase bc, String key) {
        Contender c = switch (key) {
            case BEST_RINGIO -> bc.bestRingio();
            case BEST_PEER -> bc.bestPeer();
            default -> bc.find(key);
        };
        return c == null || c.samples().isEmpty() ? null : c;
    }

    /** "met", "missed" or "not judged", with the ratio of each case. */
    String summary(List<BenchCase> cases) {
        List<Verdict> vs = judge(cases);
        boolean any = false;
        boolean allMet = true;
        StringBuilder detail = new StringBuilder();
        for (Verdict v : vs) {
            if (!detail.isEmpty()) {
                detail.append("; ");
            }
            detail.append(v.benchCase().label).append(": ");
            if (Double.isNaN(v.ratio())) {
                detail.append("no figures");
                continue;
            }
            any = true;
            allMet &= v.met(min);
            detail.append(String.format(Locale.ROOT, "%.2f", v.ratio()));
            if (contender.equals(BEST_RINGIO) || versus.equals(BEST_PEER)) {
                detail.append(" (").append(v.contender()).append(" / ").append(v.versus()).append(')');
            }
            if (!v.met(min)) {
                detail.append(" MISSED");
            }
        }
        String verdict = !any ? "not judged" : allMet ? "met" : "missed";
        return text + ": " + verdict + (detail.isEmpty() ? "" : " [" + detail + "]");
    }

    Boolean met(List<BenchCase> cases) {
        List<Verdict> vs = judge(cases).stream().filter(v -> !Double.isNaN(v.ratio())).toList();
        return vs.isEmpty() ? null : vs.stream().allMatch(v -> v.met(min));
    }
}
