package dev.ringio;

import java.io.EOFException;

/**
 * {@code readExactly} reached end of file (or of stream) before the length asked for: an
 * {@link EOFException} that says how many bytes did arrive (they are in the chunk from its
 * start). See {@link PartialProgress}.
 */
public final class ShortReadException extends EOFException implements PartialProgress {

    private static final long serialVersionUID = 1L;

    /** The bytes a looping transfer had moved before it ended. */
    private final long bytesTransferred;

    /**
     * A read that reached end of file after {@code bytesTransferred} of {@code total} bytes.
     *
     * @param op               the operation, e.g. {@code "readExactly"}
     * @param bytesTransferred the bytes read before end of file ({@code >= 0})
     * @param total            the bytes asked for
     */
    public ShortReadException(String op, long bytesTransferred, long total) {
        super(op + ": end of file after " + bytesTransferred + " of " + total + " bytes");
        this.bytesTransferred = bytesTransferred;
    }

    @Override
    public long bytesTransferred() {
        return bytesTransferred;
    }
}
