package dev.ringio;

import java.util.concurrent.CompletableFuture;

/**
 * A running multishot operation (multishot accept, multishot receive): one submission that keeps
 * producing results until it is cancelled, fails, or its source ends.
 *
 * <p>Threading: any thread.
 */
public interface Multishot extends AutoCloseable {

    /**
     * Asks the kernel to stop. Results already produced are still delivered; {@link #done()}
     * completes once the last one has been.
     */
    void cancel();

    /**
     * Completes normally when the stream ends (cancelled, or the source ended), exceptionally
     * when it failed (the handler's {@code onError} has then been called).
     *
     * @return a future completing when the stream ends
     */
    CompletableFuture<Void> done();

    /** {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }
}
