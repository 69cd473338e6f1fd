package dev.ringio.bench;

import java.util.Arrays;
import java.util.Locale;

/** Medians, spreads and the human formatting of the bench tables ("3.41 M", "512.3 k"). */
final class Stats {

    private Stats() {
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /** "3.41 M", "512.3 k", "87". */
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

    /** "1.23 (1.10–1.31)": a median ratio and its spread; "-" when there is none. */
    static String ratio(double[] r) {
        if (r.length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", median(r), min(r), max(r));
    }

    /** "12.3", "1.04k": microseconds for the latency columns. */
    static String micros(double us) {
        if (Double.isNaN(us)) {
            return "-";
        }
        return us >= 10_000 ? String.format(Locale.ROOT, "%.1fms", us / 1000)
                : us >= 100 ? String.format(Locale.ROOT, "%.0f", us) : String.format(Locale.ROOT, "%.1f", us);
    }

    static String seconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
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
}
