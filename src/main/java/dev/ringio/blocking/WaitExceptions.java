package dev.ringio.blocking;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.CancellationException;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;

/**
 * The exceptions a blocking call of {@link BlockingIo} ends with when its wait does not end in a
 * result: the JDK channels' {@link ClosedByInterruptException} and
 * {@link AsynchronousCloseException}, {@link InterruptedIOException}s that carry the bytes moved
 * in {@code bytesTransferred} (as {@code java.io} reports a partial transfer), and a failure that
 * is not an {@link IOException} rethrown as itself.
 *
 * <p>Threading: stateless; any thread.
 */
final class WaitExceptions {

    private WaitExceptions() {
    }

    /**
     * The JDK's exception for a channel closed by an interrupt, which has no count of its own (a
     * JDK channel's buffer position tells it, as a ByteBuffer's does here); its cause, an
     * {@link InterruptedIOException}, carries the bytes moved in {@code bytesTransferred}.
     */
    static ClosedByInterruptException closedByInterrupt(String op, Fd fd, long moved) {
        ClosedByInterruptException e = new ClosedByInterruptException();
        e.initCause(withCount(new InterruptedIOException(op + ": interrupted; fd " + fd.value() + " closed"
                + (moved > 0 ? " after " + moved + " bytes" : "")), moved));
        return e;
    }

    /** {@code e} with {@code bytesTransferred} set to {@code moved} (saturated to an int, its type). */
    static <E extends InterruptedIOException> E withCount(E e, long moved) {
        e.bytesTransferred = (int) Math.min(moved, Integer.MAX_VALUE);
        return e;
    }

    /**
     * Adds {@code earlier} bytes, moved by this call before the failing engine operation (a try
     * first), to the count {@code e} carries: itself if an {@link InterruptedIOException} (and so a
     * {@link SocketTimeoutException}), or the one a {@link ClosedByInterruptException} has as its cause.
     */
    static IOException addCount(IOException e, long earlier) {
        InterruptedIOException counted = e instanceof InterruptedIOException i ? i
                : e instanceof ClosedByInterruptException && e.getCause() instanceof InterruptedIOException c ? c : null;
        if (counted != null && earlier > 0) {
            withCount(counted, counted.bytesTransferred + earlier);
        }
        return e;
    }

    static AsynchronousCloseException asynchronousClose(Throwable cause) {
        AsynchronousCloseException closed = new AsynchronousCloseException();
        closed.initCause(cause);
        return closed;
    }

    static boolean causedByClose(Throwable t) {
        return t instanceof NativeIoException n && (n.is(Errno.ECANCELED) || n.is(Errno.EBADF))
                || t instanceof CancellationException;
    }

    static IOException asIoException(String op, Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IOException(op + ": " + t, t);
    }
}
