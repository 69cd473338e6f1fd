package dev.ringio.bench;

import java.util.List;

/** One workload of {@code ringio bench}: it builds its tables, measures them, and hands them back. */
interface Workload {

    /** The name {@code --only} takes ("noop", "file-reads", ...). */
    String name();

    /** One line for the usage text. */
    String summary();

    /**
     * Measures every table. Throws only when the workload cannot even be set up because of ringio
     * (a rival that cannot run is a row saying why, not an exception).
     */
    List<BenchTable> run(Plan plan, Progress progress) throws Exception;
}
