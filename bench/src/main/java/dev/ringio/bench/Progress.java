package dev.ringio.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress display on stderr while a bench runs: one line per finished round (the figures of
 * every contender), failures as they happen, and, on a terminal, a status line that says what is
 * being measured now.
 */
final class Progress {

    private final PrintStream err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private boolean statusShown;

    Progress(PrintStream err) {
        this.err = err;
        this.terminal = System.console() != null && System.console().isTerminal();
    }

    /** "[2:13 file-reads] ext4, queue depth 32: round 2/3". */
    void status(BenchTable t, int caseIndex, String what) {
        if (terminal) {
            clear();
            err.print(prefix(t, caseIndex) + what + " ...");
            err.flush();
            statusShown = true;
        }
    }

    void roundDone(BenchTable t, int caseIndex, int round, int rounds, String figures) {
        clear();
        err.println(prefix(t, caseIndex) + "round " + round + "/" + rounds + ": " + figures);
    }

    void failure(BenchTable t, Contender c, String why, Throwable e) {
        clear();
        err.println("[" + elapsed() + " " + t.key + "] " + c.label + " FAILED: " + why
                + (c.isRingio() ? "" : " (a rival; the bench goes on)"));
        if (c.isRingio() && Boolean.getBoolean("ringio.bench.trace")) {
            e.printStackTrace(err);
        }
    }

    /** A free-form line ("fio: not installed", "creating a 1 GiB file"). */
    void say(String workload, String line) {
        clear();
        err.println("[" + elapsed() + " " + workload + "] " + line);
    }

    private String prefix(BenchTable t, int caseIndex) {
        return "[" + elapsed() + " " + t.key + " " + (caseIndex + 1) + "/" + t.cases.size() + "] "
                + t.cases.get(caseIndex).label + ": ";
    }

    private String elapsed() {
        long s = (System.nanoTime() - start) / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private void clear() {
        if (statusShown) {
            err.print("\r\033[K");
            statusShown = false;
        }
    }
}
