package dev.ringio;

import java.util.concurrent.CancellationException;

/**
 * A looping transfer ({@code readExactly}, a write of everything, {@code writev},
 * {@code sendAll}) was cancelled with {@code future.cancel}: a {@link CancellationException}
 * (so {@code isCancelled()} is true and {@code join()} throws it as it is) that says how many
 * bytes had been transferred first. See {@link PartialProgress}.
 */
public final class TransferCancelledException extends CancellationException implements PartialProgress {

    private static final long serialVersionUID = 1L;

    /** The bytes a looping transfer had moved before it ended. */
    private final long bytesTransferred;

    /**
     * A transfer cancelled after moving {@code bytesTransferred} of {@code total} bytes.
     *
     * @param op               the operation, e.g. {@code "sendAll"}
     * @param bytesTransferred the bytes moved before the cancel took effect ({@code >= 0})
     * @param total            the bytes the operation was asked to move
     */
    public TransferCancelledException(String op, long bytesTransferred, long total) {
        super(op + ": cancelled after " + bytesTransferred + " of " + total + " bytes");
        if (bytesTransferred < 0) {
            throw new IllegalArgumentException("negative count " + bytesTransferred);
        }
        this.bytesTransferred = bytesTransferred;
    }

    @Override
    public long bytesTransferred() {
        return bytesTransferred;
    }
}
