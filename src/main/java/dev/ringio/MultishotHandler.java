package dev.ringio;

/**
 * Receives the results of a {@link Multishot} operation on the engine's loop thread. Keep it quick
 * and non-blocking; an exception it throws goes to the engine's error handler (and, for an
 * accepted connection, the connection is closed).
 *
 * @param <T> what each result is
 */
@FunctionalInterface
public interface MultishotHandler<T> {

    /**
     * One result.
     *
     * @param item the result, valid as the operation documents
     */
    void onNext(T item);

    /**
     * The stream failed; no more results follow.
     *
     * @param failure why the stream failed
     */
    default void onError(Throwable failure) {
    }

    /** The stream ended (cancelled, or end of stream); no more results follow. */
    default void onEnd() {
    }
}
