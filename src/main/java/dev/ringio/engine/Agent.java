package dev.ringio.engine;

/**
 * What one engine's loop does, in the shape every backend shares (Agrona's {@code Agent}): a
 * non-blocking turn, {@link #doWork()}, which an {@link AgentRunner} repeats under an
 * {@link IdleStrategy}; and, for when the strategy says to sleep, a blocking wait in the kernel,
 * {@link #park()}, that {@link #unpark()} ends from any thread. io_uring: a turn drains the
 * command queue, writes SQEs, submits and reaps without waiting; the park is
 * {@code io_uring_enter(GETEVENTS, min_complete 1)} with an eventfd READ always pending.
 * Readiness engines: a turn drains the queue, runs due timers and polls with timeout 0; the park
 * is {@code epoll_wait}/{@code kevent} with the next timer's deadline as timeout.
 *
 * <p>Threading: every method is <b>loop thread only</b>, except {@link #unpark()}, which is
 * <b>any thread</b>.
 */
public interface Agent {

    /**
     * One turn of the loop, never blocking: take up work from other threads (a bounded number of
     * commands), submit, and collect what completed. Loop thread only.
     *
     * @return how much work the turn did (commands run, completions delivered, ...); 0 when idle
     */
    int doWork();

    /**
     * Whether the loop has finished (the engine shut down and drained): the runner then returns.
     * Loop thread only.
     */
    boolean isDone();

    /**
     * Whether work that other threads hand over is waiting: the command queue is not empty, or
     * close was requested. The runner asks after announcing that it is about to park, to close
     * the race with a submitter that enqueued without waking it (see {@link AgentRunner}); so the
     * answer must come from volatile reads. Loop thread only.
     */
    boolean hasExternalWork();

    /**
     * Blocks in the kernel until an event arrives, {@link #unpark()} is called (before or during
     * the wait: an unpark is a permit, not a pulse), or the backend's own deadline (a timer) passes.
     * May return early, e.g. on a signal; the runner loops. Loop thread only.
     */
    void park();

    /**
     * Makes the current or next {@link #park()} return: an eventfd (or pipe) write the park's wait
     * sees. Any thread; does nothing once the loop has finished.
     */
    void unpark();
}
