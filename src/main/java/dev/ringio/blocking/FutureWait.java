package dev.ringio.blocking;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.net.Accepted;
import dev.ringio.net.ReceivedMessage;

import static dev.ringio.blocking.WaitExceptions.asIoException;
import static dev.ringio.blocking.WaitExceptions.asynchronousClose;
import static dev.ringio.blocking.WaitExceptions.causedByClose;
import static dev.ringio.blocking.WaitExceptions.closedByInterrupt;
import static dev.ringio.blocking.WaitExceptions.withCount;

/**
 * Parking the calling thread on an operation's future until the engine's loop completes it, with
 * {@link BlockingIo}'s interrupt, asynchronous-close and timeout semantics (see its class
 * comment): an interrupt cancels the operation and closes its descriptor, a close of the
 * descriptor by another thread wakes the waiter, a timeout cancels the operation and keeps a
 * result that won the race, and a result nobody will take (an accepted or opened descriptor) is
 * closed, never leaked.
 *
 * <p>Threading: any thread but the engine's loop thread ({@link #checkThread} refuses it); no
 * state of its own besides the engine.
 */
final class FutureWait {

    private final IoEngine engine;

    FutureWait(IoEngine engine) {
        this.engine = engine;
    }

    /** Refuses a blocking call on the engine's loop thread, which could never be woken. */
    void checkThread(String op) {
        if (engine.inLoop()) {
            throw new IllegalStateException(op + ": a blocking call on the engine's loop thread would never be woken");
        }
    }

    /** {@link BlockingIo#await(String, Fd, CompletableFuture, long)}. */
    <T> T await(String op, Fd fd, CompletableFuture<T> f, long timeoutNanos) throws IOException {
        boolean parked = !f.isDone();
        if (parked) {
            checkThread(op);
            Thread me = Thread.currentThread();
            f.whenComplete((v, t) -> LockSupport.unpark(me));
            Runnable wake = fd == null ? null : wakeOnClose(fd);
            try {
                long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
                while (!f.isDone()) {
                    if (me.isInterrupted()) {
                        throw interrupted(op, fd, f);
                    }
                    if (timeoutNanos < 0) {
                        LockSupport.park(f);
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return timedOut(op, f);
                        }
                        LockSupport.parkNanos(f, left);
                    }
                }
            } finally {
                if (wake != null) {
                    fd.removeOnClose(wake);
                }
            }
        }
        return outcome(op, fd, parked, f);
    }

    /**
     * Makes a close of {@code fd} by any means wake the thread about to park on an operation on it
     * (the JDK channels' contract): the close runs {@code engine.close(fd)}, which cancels the
     * operation. If {@code fd} is closing already (a {@link Fd#close()} that landed after the
     * operation took hold of it), does that now. Returns the registered action, or null.
     */
    private Runnable wakeOnClose(Fd fd) {
        Runnable wake = () -> engine.close(fd);
        if (fd.onClose(wake)) {
            return wake;
        }
        engine.close(fd);
        return null;
    }

    /** Interrupted while parked: cancel, close the descriptor, wait for the end, never leak a result. */
    private <T> IOException interrupted(String op, Fd fd, CompletableFuture<T> f) {
        f.cancel(true);
        if (fd != null) {
            engine.close(fd);
        }
        waitOut(f);
        if (f.state() == java.util.concurrent.Future.State.SUCCESS) {
            discard(f.resultNow());
        }
        long moved = progressOf(f);
        if (fd == null) {
            return withCount(new InterruptedIOException(op + ": interrupted"), moved);
        }
        return closedByInterrupt(op, fd, moved);
    }

    /**
     * The bytes a finished {@code f} moved before it failed or was cancelled
     * ({@link dev.ringio.PartialProgress}); 0 for a success or a failure without a count.
     */
    private static long progressOf(CompletableFuture<?> f) {
        try {
            f.join();
            return 0;
        } catch (CancellationException | java.util.concurrent.CompletionException e) {
            return dev.ringio.PartialProgress.of(e);
        }
    }

    private <T> T timedOut(String op, CompletableFuture<T> f) throws IOException {
        f.cancel(true);
        waitOut(f);
        if (f.state() == java.util.concurrent.Future.State.SUCCESS) {
            return f.resultNow(); // the result won the race with the cancel: keep it
        }
        Throwable t = f.state() == java.util.concurrent.Future.State.FAILED ? f.exceptionNow() : null;
        if (t == null || t instanceof CancellationException) {
            // As java.io reports a timeout after part of a transfer: the count in bytesTransferred.
            long moved = progressOf(f);
            throw withCount(new SocketTimeoutException(op + ": timed out" + (moved > 0 ? " after " + moved + " bytes" : "")),
                    moved);
        }
        throw asIoException(op, t);
    }

    /** Waits for {@code f} to finish whatever happens, keeping the interrupt status. */
    private static void waitOut(CompletableFuture<?> f) {
        boolean wasInterrupted = Thread.interrupted();
        try {
            while (!f.isDone()) {
                LockSupport.park(f);
                wasInterrupted |= Thread.interrupted();
            }
        } finally {
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void discard(Object won) {
        if (won instanceof Fd fd) {
            fd.close();
        } else if (won instanceof Accepted a) {
            a.fd().close();
        } else if (won instanceof ReceivedMessage m) {
            m.fds().forEach(Fd::close);
        }
    }

    /**
     * The result of a finished {@code f}, an operation on {@code fd} (null: none). A failure caused
     * by a close of {@code fd} is an asynchronous close: any such failure if the thread parked, and
     * an ECANCELED one (the close cancelled the operation after it had taken hold of the descriptor)
     * if the close landed before the thread parked.
     */
    private <T> T outcome(String op, Fd fd, boolean parked, CompletableFuture<T> f) throws IOException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (fd != null && !fd.isOpen()
                    && (parked ? causedByClose(cause) : cause instanceof NativeIoException n && n.is(Errno.ECANCELED))) {
                throw asynchronousClose(cause);
            }
            throw asIoException(op, cause);
        } catch (CancellationException e) {
            InterruptedIOException io = withCount(new InterruptedIOException(op + ": cancelled"), dev.ringio.PartialProgress.of(e));
            io.initCause(e);
            throw io;
        } catch (InterruptedException e) {
            throw new AssertionError("a completed future does not wait", e);
        }
    }
}
