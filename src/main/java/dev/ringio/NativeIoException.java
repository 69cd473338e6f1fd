package dev.ringio;

import java.io.IOException;
import java.util.Optional;

/**
 * An operating-system call failed: carries the operation, the errno value, its name and the C
 * library's description, e.g. {@code "openat2 /etc/shadow: EACCES (Permission denied)"}. When a
 * looping transfer ({@code sendAll}, a write of everything, {@code readExactly}) fails after
 * moving some bytes, {@link #bytesTransferred()} says how many (see {@link PartialProgress}).
 */
public class NativeIoException extends IOException implements PartialProgress {

    private static final long serialVersionUID = 1L;

    /** What was attempted. */
    private final String op;
    /** The positive errno value. */
    private final int errno;
    /** More context, or {@code null}. */
    private final String detail;
    /** The bytes a looping transfer had moved before the failure. */
    private final long bytesTransferred;

    /**
     * A failure of {@code op} with {@code errno}; the message names both and the C library's text.
     *
     * @param op    what was attempted, e.g. {@code "read"} or {@code "openat2 /tmp/x"}
     * @param errno the positive errno value (a negative one is taken as {@code -errno})
     */
    public NativeIoException(String op, int errno) {
        this(op, errno, null);
    }

    /**
     * As {@link #NativeIoException(String, int)}, with a detail appended in parentheses.
     *
     * @param op what was attempted, e.g. {@code "read"} or {@code "openat2 /tmp/x"}
     * @param errno the positive errno value (a negative one is taken as {@code -errno})
     * @param detail more context for the message, or {@code null}
     */
    public NativeIoException(String op, int errno, String detail) {
        this(op, errno, detail, 0);
    }

    /**
     * As {@link #NativeIoException(String, int, String)}, for a transfer that had moved
     * {@code bytesTransferred} bytes before the call failed (the message says so when positive).
     *
     * @param op what was attempted, e.g. {@code "read"} or {@code "openat2 /tmp/x"}
     * @param errno the positive errno value (a negative one is taken as {@code -errno})
     * @param detail more context for the message, or {@code null}
     * @param bytesTransferred the bytes moved before the failure, {@code >= 0}
     */
    public NativeIoException(String op, int errno, String detail, long bytesTransferred) {
        super(format(op, Math.abs(errno), detail, bytesTransferred));
        if (bytesTransferred < 0) {
            throw new IllegalArgumentException("negative count " + bytesTransferred);
        }
        this.op = op;
        this.errno = Math.abs(errno);
        this.detail = detail;
        this.bytesTransferred = bytesTransferred;
    }

    private static String format(String op, int errno, String detail, long bytesTransferred) {
        String s = op + ": " + Errno.nameOf(errno) + " (" + Errno.describe(errno) + ")";
        if (detail != null) {
            s += " [" + detail + "]";
        }
        return bytesTransferred > 0 ? s + " after " + bytesTransferred + " bytes" : s;
    }

    /**
     * The same failure (op, errno, detail, stack trace) for a transfer that had moved
     * {@code bytesTransferred} bytes first. Any thread.
     *
     * @param bytesTransferred the bytes moved before the failure, {@code >= 0}
     * @return a new exception carrying the count
     */
    public NativeIoException withBytesTransferred(long bytesTransferred) {
        NativeIoException e = new NativeIoException(op, errno, detail, bytesTransferred);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** The bytes a looping transfer had moved before this failure; 0 otherwise. */
    @Override
    public long bytesTransferred() {
        return bytesTransferred;
    }

    /**
     * The operation that failed.
     *
     * @return the operation's name
     */
    public String op() {
        return op;
    }

    /**
     * The positive errno value.
     *
     * @return the errno value
     */
    public int errno() {
        return errno;
    }

    /**
     * The symbolic errno name, e.g. {@code "ECONNREFUSED"}.
     *
     * @return the errno's name
     */
    public String errnoName() {
        return Errno.nameOf(errno);
    }

    /**
     * The errno as a constant, when ringio names it.
     *
     * @return the constant, or empty
     */
    public Optional<Errno> errnoConstant() {
        return Errno.of(errno);
    }

    /**
     * Whether this failure carries the given errno.
     *
     * @param e the errno to compare with
     * @return true if this failure's errno is {@code e}
     */
    public boolean is(Errno e) {
        return e.value() == errno;
    }

    /**
     * Turns a shim return value into a result: {@code result} itself when {@code >= 0}, else throws
     * a {@link NativeIoException} for {@code op}. Any thread.
     *
     * @param op the operation, named in the exception
     * @param result a shim return value, {@code -errno} on failure
     * @return {@code result}, when {@code >= 0}
     * @throws NativeIoException for a negative {@code result}, with errno {@code -result}
     */
    public static long check(String op, long result) throws NativeIoException {
        if (result < 0) {
            throw new NativeIoException(op, (int) -result);
        }
        return result;
    }
}
