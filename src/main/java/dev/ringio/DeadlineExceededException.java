package dev.ringio;

import java.util.concurrent.TimeoutException;

/**
 * An operation's deadline passed before it completed ({@code future.orTimeout(..)} on an engine
 * future, or {@link IoEngine#withDeadline}): the engine cancelled the operation in the kernel and
 * failed its future with this {@link TimeoutException}, as {@code CompletableFuture.orTimeout}
 * does. Its cause is the cancellation the engine reported; a looping transfer
 * ({@code readExactly}, a write of everything, {@code writev}, {@code sendAll}) says here how
 * many bytes it had moved first (see {@link PartialProgress}; 0 for a single-shot operation).
 *
 * <p>The operation's descriptor, chunk and memory are released once the kernel has let go of
 * them, exactly as after {@code future.cancel}. See {@code docs/reliability.md}, "Deadlines".
 */
public final class DeadlineExceededException extends TimeoutException implements PartialProgress {

    private static final long serialVersionUID = 1L;

    /** The bytes a looping transfer had moved before it ended. */
    private final long bytesTransferred;

    /**
     * A deadline that passed before the operation completed.
     *
     * @param message          what timed out, naming the operation
     * @param bytesTransferred the bytes moved before the cancel took effect ({@code >= 0})
     * @param cause            the cancellation the engine reported, or {@code null}
     */
    public DeadlineExceededException(String message, long bytesTransferred, Throwable cause) {
        super(message);
        if (bytesTransferred < 0) {
            throw new IllegalArgumentException("negative count " + bytesTransferred);
        }
        this.bytesTransferred = bytesTransferred;
        if (cause != null) {
            initCause(cause);
        }
    }

    @Override
    public long bytesTransferred() {
        return bytesTransferred;
    }
}
