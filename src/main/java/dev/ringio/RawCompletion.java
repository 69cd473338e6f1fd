package dev.ringio;

/**
 * The low-level, allocation-free completion callback: receives the kernel's result as an int
 * ({@code >= 0} on success, {@code -errno} on failure) on the engine's loop thread.
 *
 * <p>Implementations must be quick and must not block; an exception thrown here goes to the
 * engine's error handler and never stops the loop.
 */
@FunctionalInterface
public interface RawCompletion {
    /**
     * Receives the operation's result, on the loop thread.
     *
     * @param result the CQE result: bytes transferred, a new descriptor, 0, or {@code -errno}
     */
    void onComplete(int result);
}
