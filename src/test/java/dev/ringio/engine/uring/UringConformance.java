package dev.ringio.engine.uring;

import java.util.List;

import dev.ringio.IoEngine;

/** The io_uring-specific checks the conformance runs make after every test. */
final class UringConformance {

    private UringConformance() {
    }

    /**
     * No completion arrived for a slot nobody owned, no callback threw, and once the test's
     * futures are done every slot is free again (the kernel owns nothing of the test's).
     */
    static void check(IoEngine engine, List<String> problems) throws Exception {
        UringEngine u = (UringEngine) engine;
        if (u.staleCompletions() != 0) {
            problems.add(u + " saw " + u.staleCompletions() + " stale completion(s)");
        }
        if (u.callbackErrors() != 0) {
            problems.add(u + " saw " + u.callbackErrors() + " failing callback(s)");
        }
        long deadline = System.nanoTime() + Engines.HANG.toNanos();
        int inUse;
        while ((inUse = Engines.slotsInUse(u)) != 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        if (inUse != 0) {
            problems.add(u + ": " + inUse + " slot(s) still in use after the test");
        }
    }
}
