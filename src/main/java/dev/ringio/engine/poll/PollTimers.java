package dev.ringio.engine.poll;

import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * The readiness engine's timer heap: sleeps and the timers of operations' deadlines, ordered by
 * deadline then by arrival. The earliest deadline is the poll timeout of the loop's park
 * (millisecond resolution on epoll).
 *
 * <p>Threading: {@link #size()} from any thread (a snapshot); the rest on the loop thread only.
 */
final class PollTimers {

    private final PollEngine engine;
    private final PriorityQueue<KernelCall<?>> heap = new PriorityQueue<>();
    private long seq;

    /** Any thread (the engine's constructor). */
    PollTimers(PollEngine engine) {
        this.engine = engine;
    }

    /** Puts a new timer call ({@link PollOp.Mode#TIMER}) in the heap. Loop thread only. */
    void add(KernelCall<?> s) {
        s.state = PollOp.TIMED;
        s.seq = seq++;
        heap.add(s);
    }

    /** Takes a cancelled sleep out. Loop thread only. */
    void remove(PollOp<?> s) {
        heap.remove(s);
    }

    /** Completes the sleeps that are due; returns how many. Loop thread only. */
    int runDue() {
        if (heap.isEmpty()) {
            return 0;
        }
        int n = 0;
        long now = System.nanoTime();
        KernelCall<?> s;
        while ((s = heap.peek()) != null && s.deadline <= now) {
            heap.poll();
            engine.inlineBudget = PollEngine.MAX_INLINE_STARTS;
            engine.attempts.handle(s, -dev.ringio.Errno.ETIME.value()); // a timer's expiry, as the kernel reports it
            n++;
        }
        return n;
    }

    /** Nanoseconds until the earliest deadline (0 if past), or -1 with no timer. Loop thread only. */
    long nanosToNextDeadline() {
        KernelCall<?> first = heap.peek();
        return first == null ? -1 : Math.max(0, first.deadline - System.nanoTime());
    }

    /** Ends every sleep: aborted with {@code why(sleep)}, or failed with it if {@code fail}. Loop thread only. */
    void endAll(Function<PollOp<?>, Throwable> why, boolean fail) {
        KernelCall<?> s;
        while ((s = heap.poll()) != null) {
            if (fail) {
                s.fail(why.apply(s));
            } else {
                s.abort(why.apply(s));
            }
        }
    }

    /**
     * Timers in the heap now. Any thread; read without the loop, so a snapshot that may lag the
     * loop by a moment (for tests and diagnostics).
     */
    int size() {
        return heap.size();
    }
}
