package dev.ringio.nio;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.NativeIoException;

/**
 * Translates what the engine fails with into the exceptions {@code java.nio.channels} code
 * expects (the JDK's {@code Net}/{@code IOUtil} conventions): {@code ECONNREFUSED} is a
 * {@link ConnectException}, {@code EADDRINUSE} a {@link BindException}, an operation on a closed
 * descriptor a {@link ClosedChannelException}, one cut short by {@code close} an
 * {@link AsynchronousCloseException}. Other errnos become an {@link IOException} with the
 * kernel's text. The {@link NativeIoException} stays attached as the cause.
 *
 * <p>Threading: any thread; stateless.
 */
final class JdkExceptions {

    private JdkExceptions() {
    }

    /** The exception to deliver for {@code failure}, given whether the channel has been closed. */
    static Throwable translate(Throwable failure, boolean channelClosed) {
        Throwable t = unwrap(failure);
        if (channelClosed && isCloseRelated(t)) {
            return withCause(new AsynchronousCloseException(), t);
        }
        if (t instanceof EngineClosedException) {
            return withCause(new ClosedChannelException(), t);
        }
        if (t instanceof NativeIoException n) {
            return translate(n);
        }
        return t;
    }

    /** The socket-level JDK exception for {@code e}. */
    static IOException translate(NativeIoException e) {
        int errno = e.errno();
        String text = kernelText(e);
        if (errno == Errno.EBADF.value()) {
            return withCause(new ClosedChannelException(), e);
        }
        if (errno == Errno.ECONNREFUSED.value()) {
            return withCause(new ConnectException(text), e);
        }
        if (errno == Errno.EADDRINUSE.value() || errno == Errno.EADDRNOTAVAIL.value() || errno == Errno.EACCES.value()) {
            return withCause(new BindException(text), e);
        }
        if (errno == Errno.EHOSTUNREACH.value() || errno == Errno.ENETUNREACH.value()) {
            return withCause(new NoRouteToHostException(text), e);
        }
        return new IOException(text, e);
    }

    /** The file-level JDK exception for {@code e} about {@code path} (the {@code Files} conventions). */
    static IOException translateFile(NativeIoException e, String path) {
        int errno = e.errno();
        FileSystemException f;
        if (errno == Errno.ENOENT.value()) {
            f = new NoSuchFileException(path);
        } else if (errno == Errno.EEXIST.value()) {
            f = new FileAlreadyExistsException(path);
        } else if (errno == Errno.EACCES.value() || errno == Errno.EPERM.value()) {
            f = new AccessDeniedException(path);
        } else if (errno == Errno.ENOTDIR.value()) {
            f = new NotDirectoryException(path);
        } else if (errno == Errno.EBADF.value()) {
            return withCause(new ClosedChannelException(), e);
        } else {
            f = new FileSystemException(path, null, kernelText(e));
        }
        return withCause(f, e);
    }

    /** Whether {@code t} is what an operation cut short by closing its descriptor fails with. */
    private static boolean isCloseRelated(Throwable t) {
        if (t instanceof CancellationException || t instanceof EngineClosedException) {
            return true;
        }
        return t instanceof NativeIoException n
                && (n.is(Errno.ECANCELED) || n.is(Errno.EBADF) || n.is(Errno.ECONNABORTED));
    }

    /** "Connection refused" rather than ringio's "connect 1.2.3.4:5: ECONNREFUSED (Connection refused)". */
    private static String kernelText(NativeIoException e) {
        return Errno.describe(e.errno());
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static <T extends Throwable> T withCause(T t, Throwable cause) {
        t.initCause(cause);
        return t;
    }
}
