package dev.ringio.bench;

/**
 * One measured round of one contender: its throughput (in the table's unit, per second), for
 * request/response workloads the round's latency percentiles in microseconds, and, where the
 * workload measures it, the CPU the contender's process used per second of the round ({@code 1.0}
 * = one core busy: user + system time of every thread, kernel io-wq workers included). NaN where
 * not measured.
 */
record Sample(double value, double p50Micros, double p99Micros, double cpuCores) {

    Sample(double value, double p50Micros, double p99Micros) {
        this(value, p50Micros, p99Micros, Double.NaN);
    }

    static Sample of(double value) {
        return new Sample(value, Double.NaN, Double.NaN, Double.NaN);
    }

    /** A throughput with the CPU seconds spent during {@code seconds} of it. */
    static Sample withCpu(double value, double cpuSeconds, double seconds) {
        return new Sample(value, Double.NaN, Double.NaN, cpuSeconds / seconds);
    }

    boolean hasLatency() {
        return !Double.isNaN(p50Micros);
    }

    boolean hasCpu() {
        return cpuCores > 0 && !Double.isInfinite(cpuCores);
    }

    /** Work done per CPU-second (the value divided by the cores it kept busy); NaN without a CPU figure. */
    double perCpuSecond() {
        return hasCpu() ? value / cpuCores : Double.NaN;
    }
}
