package dev.ringio.os;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import dev.ringio.Errno;
import dev.ringio.NativeIoException;

/**
 * A descriptor number that calls hold while they use it and that is closed by whoever leaves it
 * closing with no holder, as {@code dev.ringio.Fd} counts its operations: a {@link #close()} during
 * a call is deferred until the call {@linkplain #release() releases} it, so the number can never be
 * reused by another open under a running call. For descriptors {@code Fd} cannot own, such as a
 * kqueue (closed through its own binding, on systems without ringio's shim).
 *
 * <p>Threading: any thread; lock-free.
 */
final class HeldDescriptor {

    /** (holders << 1) | CLOSING. */
    private final AtomicInteger state = new AtomicInteger();
    private static final int CLOSING = 1;
    private static final int ONE = 2;

    private final String kind;
    private final int fd;
    private final IntConsumer closer;

    /**
     * {@code fd}, closed by {@code closer} once closing with no holder.
     *
     * @param kind what the descriptor is, for exceptions (e.g. {@code "kqueue"})
     * @param fd the descriptor number
     * @param closer closes it (e.g. the binding's {@code close})
     */
    HeldDescriptor(String kind, int fd, IntConsumer closer) {
        this.kind = kind;
        this.fd = fd;
        this.closer = closer;
    }

    /**
     * Holds the descriptor for one call; {@link #release()} after it.
     *
     * @param op the call, named in the exception
     * @throws NativeIoException naming {@code op}, EBADF, once closing
     */
    void acquire(String op) throws NativeIoException {
        for (;;) {
            int s = state.get();
            if ((s & CLOSING) != 0) {
                throw new NativeIoException(op, Errno.EBADF.value(), kind + " " + fd + " is closed");
            }
            if (state.compareAndSet(s, s + ONE)) {
                return;
            }
        }
    }

    /** Ends a call's hold; the last one out after {@link #close()} closes the descriptor. */
    void release() {
        if (state.addAndGet(-ONE) == CLOSING) {
            closer.accept(fd);
        }
    }

    /** Marks the descriptor closing, and closes it now if no call holds it. Idempotent. */
    void close() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSING) != 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSING)) {
                if (s == 0) {
                    closer.accept(fd);
                }
                return;
            }
        }
    }

    /**
     * Whether {@link #close()} was called (the descriptor may still be held by a call).
     *
     * @return true once closing
     */
    boolean isClosing() {
        return (state.get() & CLOSING) != 0;
    }
}
