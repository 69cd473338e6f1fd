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

    // The future paths need ~1.5 s of JIT warm-up here before they reach their steady state.
    static final Plan QUICK = new Plan("quick", 3, 0.4, 1.5, 0.25);
    static final Plan FULL = new Plan("full", 5, 1.0, 2.0, 0.5);

    boolean quick() {
        return this == QUICK || name.equals("quick");
    }
}
