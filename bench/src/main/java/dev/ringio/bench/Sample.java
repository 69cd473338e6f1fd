package dev.ringio.bench;

/**
 * One measured round of one contender: its throughput (in the table's unit, per second) and,
 * for request/response workloads, the round's latency percentiles in microseconds (NaN otherwise).
 */
record Sample(double value, double p50Micros, double p99Micros) {

    static Sample of(double value) {
        return new Sample(value, Double.NaN, Double.NaN);
    }

    boolean hasLatency() {
        return !Double.isNaN(p50Micros);
    }
}
