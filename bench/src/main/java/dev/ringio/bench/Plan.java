package dev.ringio.bench;

/**
 * How long to measure.
 *
 * @param name              "quick" or "full"
 * @param rounds            interleaved rounds per contender and case
 * @param roundSeconds      measured seconds per round (a workload may scale it)
 * @param warmupSeconds     the first warm-up run of a contender in a table (JIT, page cache)
 * @param caseWarmupSeconds the warm-up run of a contender in each later case of the table
 */
record Plan(String name, int rounds, double roundSeconds, double warmupSeconds, double caseWarmupSeconds) {

    // The full plan gives each contender 2 s of JIT warm-up. The quick one gives 1 s: its rounds are
    // short and few anyway, and the warm-ups were most of --quick's time (every network row is also
    // warmed by the load generator in each run; the C and fio rows have no JIT and run none).
    static final Plan QUICK = new Plan("quick", 3, 0.4, 1.0, 0.25);
    static final Plan FULL = new Plan("full", 5, 1.0, 2.0, 0.5);

    boolean quick() {
        return this == QUICK || name.equals("quick");
    }
}
