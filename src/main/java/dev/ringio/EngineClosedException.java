package dev.ringio;

/**
 * An operation was submitted to, or left pending in, an engine that has been closed. A looping
 * transfer the close cut short says how many bytes it had moved ({@link #bytesTransferred()}).
 */
public class EngineClosedException extends IllegalStateException implements PartialProgress {

    private static final long serialVersionUID = 1L;

    /** The bytes a looping transfer had moved before it ended. */
    private final long bytesTransferred;

    /**
     * An operation refused because the engine is closed.
     *
     * @param op the operation that could not run
     */
    public EngineClosedException(String op) {
        super(op + ": engine closed");
        this.bytesTransferred = 0;
    }

    /**
     * A transfer the engine's close cut short after moving {@code bytesTransferred} bytes.
     *
     * @param op               the transfer the close cut short
     * @param bytesTransferred the bytes it had moved ({@code >= 0})
     */
    public EngineClosedException(String op, long bytesTransferred) {
        super(op + ": engine closed after " + bytesTransferred + " bytes");
        if (bytesTransferred < 0) {
            throw new IllegalArgumentException("negative count " + bytesTransferred);
        }
        this.bytesTransferred = bytesTransferred;
    }

    /** The bytes a looping transfer had moved when the engine closed; 0 otherwise. */
    @Override
    public long bytesTransferred() {
        return bytesTransferred;
    }
}
