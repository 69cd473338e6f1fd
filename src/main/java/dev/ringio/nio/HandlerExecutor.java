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
     * Runs {@code handlerCall} on an executor thread, then counts the operation finished. Never
     * runs it on the calling thread.
     *
     * @throws java.nio.channels.ShutdownChannelGroupException if the executor refuses the task (it
     *         has been shut down); the operation is counted finished
     */
    void invoke(Runnable handlerCall);
}
