package dev.ringio.nio;

/**
 * Where completion handlers run, and the count of operations whose result is not yet handed over
 * (a channel group, or a file channel's executor).
 *
 * <p>Threading: any thread.
 */
interface HandlerExecutor {

    /** One more operation is outstanding. */
    void operationStarted();

    /** An outstanding operation's result has been handed over. */
    void operationFinished();

    /**
     * Runs {@code handlerCall}, then counts the operation finished: on the calling thread when
     * that is allowed (a loop group's handler on its channel's loop, or a handler completing
     * inside another handler of the same group, within the nesting bound), else on an executor
     * thread or a later turn of the channel's loop.
     *
     * @throws java.nio.channels.ShutdownChannelGroupException if the executor or the loop refuses
     *         the task (it has been shut down); the operation is counted finished
     */
    void invoke(Runnable handlerCall);

    /**
     * Whether the calling thread must not wait for an outstanding operation: it is the loop
     * thread that completes it, and waiting would stop that loop for good. Any thread.
     */
    default boolean mustNotWait() {
        return false;
    }
}
