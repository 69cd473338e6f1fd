package dev.ringio.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.ringio.IoEngine;
import dev.ringio.RawCompletion;

/**
 * The {@code noop} workload: NOP throughput of ringio's low-level API and its future API, on the
 * io_uring and the epoll engine, side by side with the C floor ({@code nop_bench}), at batches 1
 * and 32.
 *
 * <ul>
 *   <li><b>C liburing</b>: {@code nop_bench B SECONDS} in a subprocess (prep B NOPs,
 *       submit_and_wait(B), reap).</li>
 *   <li><b>low-level</b>: on the loop thread, B {@link IoEngine#submitNoop} in flight; the callback
 *       counts and, when the whole batch is back, submits the next B from inside the callback. No
 *       allocation, no thread hand-off.</li>
 *   <li><b>future</b>: one caller thread submits B {@link IoEngine#noop()} futures, waits for all of
 *       them, repeats: the cost a typical user pays (hand-off to the loop, completion, wake-up).</li>
 * </ul>
 * The epoll engine has no kernel NOP: its NOP is the loop's own round trip (queue, run, complete),
 * which is what its rows measure. With {@code --quick}: batch 32 only, the batch its targets judge.
 */
final class NoopWorkload implements Workload {

    static final int[] BATCHES = {1, 32};

    /** How long to wait for in-flight NOPs after a run's time is up before calling it a hang. */
    private static final long COMPLETION_TIMEOUT_SECONDS = 10;

    @Override
    public String name() {
        return "noop";
    }

    @Override
    public String summary() {
        return "NOP throughput: low-level and future APIs vs C liburing";
    }

    @Override
    public List<BenchTable> run(Plan plan, Progress progress) throws Exception {
        CProgram c = CProgram.locate("nop_bench");
        if (!c.available()) {
            progress.say(name(), c.missingReason());
        }
        try (EngineSet engines = new EngineSet(InfoCommand.engineConfig())) {
            List<BenchCase> cases = new ArrayList<>();
            for (int batch : plan.quick() ? new int[] {32} : BATCHES) {
                List<Contender> row = new ArrayList<>();
                row.add(c.available()
                        ? Contender.external("c", "C liburing", s -> Sample.of(runC(c, batch, s)))
                        : Contender.unavailable(Contender.Role.PEER, "c", "C liburing", c.missingReason()));
                for (EngineSet.Slot slot : engines.slots()) {
                    row.add(engines.contender(slot, "low-level", "low-level",
                            s -> Sample.of(lowLevel(slot.engine(), batch, s))));
                    row.add(engines.contender(slot, "future", "future",
                            s -> Sample.of(future(slot.engine(), batch, s))));
                }
                cases.add(new BenchCase("batch-" + batch, "batch " + batch, "batch " + batch, "c", row));
            }
            java.util.function.Predicate<BenchCase> at32 = bc -> bc.key.equals("batch-32");
            BenchTable table = new BenchTable("noop", "NOP throughput (one thread submitting; C = the kernel's floor)",
                    "ops/s", "C liburing", false, cases, List.of(
                            new Target("io_uring low-level ≥ 0.6 × C at batch 32", 0.6, at32, "uring-low-level", "c"),
                            new Target("io_uring future ≥ 0.3 × C at batch 32", 0.3, at32, "uring-future", "c")))
                    .note("epoll has no kernel NOP: its rows are the loop's own queue-run-complete round trip");
            table.measure(plan, progress);
            return List.of(table);
        }
    }

    private static double runC(CProgram c, int batch, double seconds) throws CProgram.CFailure {
        var m = c.run(List.of(Integer.toString(batch), Stats.seconds(seconds)), (long) Math.ceil(seconds) + 30);
        return c.number(m, "ops_per_sec");
    }

    /** Low-level API: B NOPs in flight from the loop thread, resubmitted from the completion callback. */
    static double lowLevel(IoEngine engine, int batch, double seconds) throws RingioFailure {
        LowLevelRun run = new LowLevelRun(engine, batch);
        try {
            engine.execute(run);
        } catch (RuntimeException e) {
            throw new RingioFailure("low-level noop, batch " + batch + ": execute", e);
        }
        sleep(seconds);
        run.stop = true;
        try {
            run.done.get(COMPLETION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new RingioFailure("low-level noop, batch " + batch + ": NOPs still in flight "
                    + COMPLETION_TIMEOUT_SECONDS + " s after the run ended (about " + run.inFlight
                    + " of the last batch outstanding)", null); // a racy read, for the message only
        } catch (ExecutionException e) {
            throw new RingioFailure("low-level noop, batch " + batch, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingioFailure("low-level noop, batch " + batch + ": interrupted", e);
        }
        if (run.firstError != 0) {
            throw new RingioFailure("low-level noop, batch " + batch + ": a NOP completed with " + run.firstError
                    + " (-errno)", null);
        }
        return run.completed * 1e9 / (run.endNanos - run.startNanos);
    }

    /**
     * The low-level loop. Every field but {@link #stop} and {@link #done} is touched only on the
     * loop thread; the caller reads them after {@code done} completes (which orders them).
     */
    private static final class LowLevelRun implements Runnable, RawCompletion {
        private final IoEngine engine;
        private final int batch;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile boolean stop;
        int inFlight;
        long completed;
        long startNanos;
        long endNanos;
        int firstError;

        LowLevelRun(IoEngine engine, int batch) {
            this.engine = engine;
            this.batch = batch;
        }

        @Override
        public void run() { // on the loop thread
            startNanos = System.nanoTime();
            submitBatch();
        }

        private void submitBatch() {
            inFlight = batch;
            try {
                for (int i = 0; i < batch; i++) {
                    engine.submitNoop(this);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public void onComplete(int result) { // on the loop thread
            if (result < 0 && firstError == 0) {
                firstError = result;
            }
            completed++;
            if (--inFlight == 0 && !done.isDone()) {
                if (stop || firstError != 0) {
                    endNanos = System.nanoTime();
                    done.complete(null);
                } else {
                    submitBatch();
                }
            }
        }
    }

    /** Future API from one caller thread: B noop() futures, wait for all, repeat. */
    static double future(IoEngine engine, int batch, double seconds) throws RingioFailure {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[batch];
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long ops = 0;
        long now;
        try {
            do {
                for (int i = 0; i < batch; i++) {
                    futures[i] = engine.noop();
                }
                for (int i = 0; i < batch; i++) {
                    // get with a timeout rather than join: a lost completion ends the bench, not hangs it.
                    futures[i].get(COMPLETION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    futures[i] = null;
                }
                ops += batch;
                now = System.nanoTime();
            } while (now < deadline);
        } catch (TimeoutException e) {
            throw new RingioFailure("future noop, batch " + batch + ": a noop() future did not complete within "
                    + COMPLETION_TIMEOUT_SECONDS + " s", null);
        } catch (ExecutionException e) {
            throw new RingioFailure("future noop, batch " + batch, e.getCause());
        } catch (RuntimeException e) {
            throw new RingioFailure("future noop, batch " + batch, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingioFailure("future noop, batch " + batch + ": interrupted", e);
        }
        return ops * 1e9 / (now - start);
    }

    private static void sleep(double seconds) throws RingioFailure {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingioFailure("interrupted", e);
        }
    }

    /** A failure of ringio itself. */
    static final class RingioFailure extends Exception {
        private static final long serialVersionUID = 1L;

        RingioFailure(String message, Throwable cause) {
            super(message + (cause == null ? "" : ": " + InfoCommand.describe(cause)), cause);
        }
    }
}
