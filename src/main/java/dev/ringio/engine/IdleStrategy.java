package dev.ringio.engine;

import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * What an idle loop does next, the one back-off every engine shares (modelled on Agrona's
 * {@code BackoffIdleStrategy}): after a turn that did work, go on at once; after idle turns,
 * first <em>spin</em> (just take another turn: for io_uring that reads the rings, for epoll it is
 * {@code epoll_wait} with timeout 0), then <em>yield</em> the core between turns, then
 * <em>park</em> in the kernel until woken. Spinning catches a request that arrives within
 * microseconds without a wake-up (an eventfd write by the submitter and a futex wake-up of the
 * loop, 10-50 µs here); yielding matters on a small or busy machine, where a thread that only
 * spins keeps the core from the very thread it waits for; parking keeps an idle engine from
 * burning a core.
 *
 * <p>The phases: idle turn 1 to {@code spins} spin; the next up to {@code yields} turns yield,
 * for at most {@code yieldNanos} measured from the first yield; then park. Any turn that did work
 * starts the count again. No {@code Thread.onSpinWait()} runs: a turn is the spin, and long
 * PAUSE runs make some hypervisors deschedule the vCPU.
 *
 * <p>Threading: loop thread only (one instance per loop), except {@link #awaitBriefly}, any
 * thread.
 */
public final class IdleStrategy {

    /** What the runner does after a turn. */
    public enum Action {
        /** Take another turn at once (the last turn did work, or we are still spinning). */
        SPIN,
        /** {@link Thread#yield()}, then take another turn. */
        YIELD,
        /** Announce sleep and park in the kernel until woken. */
        PARK
    }

    /**
     * Default idle turns spent spinning before yielding. Few: an epoll turn is a syscall
     * ({@code epoll_wait} with timeout 0), and a loop that spins long without yielding keeps the
     * core from the thread it waits for when cores are scarce.
     */
    public static final int DEFAULT_SPINS = 10;
    /** Default most idle turns spent yielding before parking. */
    public static final int DEFAULT_YIELDS = 1000;
    /**
     * Default longest time spent yielding before parking: long enough that a caller woken by a
     * completion (a futex wake-up, 10-20 µs here) submits its next request before the loop parks,
     * short enough not to burn a core for nothing.
     */
    public static final long DEFAULT_YIELD_NANOS = 50_000;
    /** How long a caller waiting for a future spins (yielding) before it blocks. */
    public static final long CALLER_SPIN_NANOS = 20_000;
    /** Polls of a caller's future before it starts yielding. */
    private static final int CALLER_BUSY_POLLS = 100;

    private final int spins;
    private final int yields;
    private final long yieldNanos;
    private final LongSupplier clock;
    private int idleTurns;
    private long yieldingSince;

    /**
     * @param spins      idle turns to spin before yielding (&gt;= 0)
     * @param yields     most idle turns to yield before parking (&gt;= 0)
     * @param yieldNanos longest time to spend yielding (&gt;= 0; 0: park after spinning)
     * @param clock      nanosecond clock ({@code System::nanoTime}; a fake in tests)
     * @throws IllegalArgumentException for a negative count or time
     */
    public IdleStrategy(int spins, int yields, long yieldNanos, LongSupplier clock) {
        if (spins < 0 || yields < 0 || yieldNanos < 0) {
            throw new IllegalArgumentException("idle strategy: spins " + spins + ", yields " + yields
                    + ", yield time " + yieldNanos + " ns: none may be negative");
        }
        this.spins = spins;
        this.yields = yields;
        this.yieldNanos = yieldNanos;
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /** The strategy an engine built with {@code config} uses. */
    public static IdleStrategy of(dev.ringio.EngineConfig config) {
        return new IdleStrategy(config.idleSpins(), config.idleYields(), config.idleSpinNanos(), System::nanoTime);
    }

    /**
     * After a turn: what to do next. {@code workCount > 0} resets the back-off.
     *
     * @param workCount what the turn's {@link Agent#doWork()} returned
     */
    public Action idle(int workCount) {
        if (workCount > 0) {
            reset();
            return Action.SPIN;
        }
        int turn = ++idleTurns;
        if (turn <= spins) {
            return Action.SPIN;
        }
        if (turn <= spins + yields && yieldNanos > 0) {
            long now = clock.getAsLong();
            if (turn == spins + 1) {
                yieldingSince = now;
                return Action.YIELD;
            }
            if (now - yieldingSince < yieldNanos) {
                return Action.YIELD;
            }
        }
        return Action.PARK;
    }

    /** Starts the back-off again (after work, or after a park). */
    public void reset() {
        idleTurns = 0;
    }

    /**
     * The caller's side of the same trade: before blocking on {@code future}, poll it a little,
     * then yield for at most {@link #CALLER_SPIN_NANOS}, since a completion usually arrives within
     * microseconds and a park/unpark pair costs more than that. Returns early once it is done.
     * Never call it on the loop thread that completes the future (it would wait on itself). Any
     * thread.
     */
    public static void awaitBriefly(Future<?> future) {
        for (int i = 0; i < CALLER_BUSY_POLLS; i++) {
            if (future.isDone()) {
                return;
            }
        }
        long deadline = System.nanoTime() + CALLER_SPIN_NANOS;
        while (!future.isDone() && System.nanoTime() - deadline < 0) {
            Thread.yield(); // yield, do not PAUSE-spin (see the class comment)
        }
    }
}
