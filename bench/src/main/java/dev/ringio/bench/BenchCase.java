package dev.ringio.bench;

import java.util.List;

/**
 * One configuration of a workload ("ext4, queue depth 32", "100 connections, 64 B"): the
 * contenders measured side by side in it, and which of them is the table's named baseline.
 */
final class BenchCase {

    final String key;
    final String label;
    /** A few words for a chart's axis ("ext4 QD32"). */
    final String shortLabel;
    final List<Contender> contenders;
    private final String baselineKey;

    BenchCase(String key, String label, String shortLabel, String baselineKey, List<Contender> contenders) {
        this.key = key;
        this.label = label;
        this.shortLabel = shortLabel;
        this.baselineKey = baselineKey;
        this.contenders = List.copyOf(contenders);
    }

    String baselineKey() {
        return baselineKey;
    }

    Contender find(String contenderKey) {
        for (Contender c : contenders) {
            if (c.key.equals(contenderKey)) {
                return c;
            }
        }
        return null;
    }

    /** The named baseline (java.nio, usually) if it has figures, else null. */
    Contender baseline() {
        Contender b = baselineKey == null ? null : find(baselineKey);
        return b == null || b.samples().isEmpty() ? null : b;
    }

    /** The rival (not ringio) with the highest median, or null when no rival has figures. */
    Contender bestPeer() {
        return best(false);
    }

    /** The ringio contender with the highest median, or null. */
    Contender bestRingio() {
        return best(true);
    }

    private Contender best(boolean ringio) {
        Contender best = null;
        for (Contender c : contenders) {
            if (c.isRingio() == ringio && !c.samples().isEmpty() && (best == null || c.median() > best.median())) {
                best = c;
            }
        }
        return best;
    }
}
