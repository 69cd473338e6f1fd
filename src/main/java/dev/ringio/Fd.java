package dev.ringio;

import java.util.concurrent.atomic.AtomicInteger;

import dev.ringio.sys.Shim;

/**
 * A reference-counted file descriptor.
 *
 * <p>Every engine operation {@linkplain #acquire(String) acquires} the descriptor when it is
 * submitted and {@linkplain #release() releases} it when it completes. {@link #close()} marks the
 * descriptor closing: new operations fail at once ({@code EBADF}, naming the operation), and the
 * last operation to finish closes the OS descriptor, so a number the kernel has since reused for
 * another file is never touched (eio's {@code Rcfd}).
 *
 * <p>Threading: every method is safe from any thread.
 */
public final class Fd implements AutoCloseable {

    /** What kind of object the descriptor refers to (Gerbil's fd type tag). */
    public enum Kind {
        FILE, DIRECTORY, PIPE, SOCKET, CHARACTER_DEVICE, BLOCK_DEVICE, SYMLINK,
        EVENTFD, EPOLL, INOTIFY, SIGNALFD, KQUEUE, PIDFD, URING,
        /** An anonymous inode or anything else {@code fstat} cannot tell apart. */
        OTHER
    }

    // state = (count << 1) | CLOSING. The descriptor is closed exactly once, by whoever takes
    // the state to "closing with no users" (close() or the last release()).
    private static final int CLOSING = 1;
    private static final int ONE = 2;

    private final int fd;
    private final Kind kind;
    private final AtomicInteger state = new AtomicInteger();
    private volatile int closeResult = 1; // 1: not yet closed; else close(2)'s result
    /** Where the final close(2) runs; null: on the thread that ends the last use. */
    private volatile java.util.concurrent.Executor closeExecutor;
    private final java.util.concurrent.CompletableFuture<Void> released = new java.util.concurrent.CompletableFuture<>();

    private Fd(int fd, Kind kind) {
        this.fd = fd;
        this.kind = kind;
    }

    /**
     * Takes ownership of an open descriptor; its kind is read with {@code fstat}. Closing the
     * returned {@code Fd} closes {@code fd}. Any thread.
     *
     * @throws IllegalArgumentException if {@code fd} is negative
     * @throws NativeIoException        ({@code EBADF}) if {@code fd} is not open
     */
    public static Fd adopt(int fd) throws NativeIoException {
        if (fd < 0) {
            throw new IllegalArgumentException("adopt: negative fd " + fd);
        }
        long mode = NativeIoException.check("adopt fd " + fd, Shim.get().fstatMode(fd));
        return new Fd(fd, kindOfMode((int) mode));
    }

    /** Takes ownership of {@code fd}, whose kind the caller knows. Any thread. */
    public static Fd adopt(int fd, Kind kind) {
        if (fd < 0) {
            throw new IllegalArgumentException("adopt: negative fd " + fd);
        }
        return new Fd(fd, kind == null ? Kind.OTHER : kind);
    }

    static Kind kindOfMode(int mode) {
        return switch (mode & 0170000) {
            case 0100000 -> Kind.FILE;
            case 0040000 -> Kind.DIRECTORY;
            case 0010000 -> Kind.PIPE;
            case 0140000 -> Kind.SOCKET;
            case 0020000 -> Kind.CHARACTER_DEVICE;
            case 0060000 -> Kind.BLOCK_DEVICE;
            case 0120000 -> Kind.SYMLINK;
            default -> Kind.OTHER;
        };
    }

    /** The descriptor number. Still returned after close; do not pass it to the OS then. */
    public int value() {
        return fd;
    }

    /** The kind of object this descriptor refers to. */
    public Kind kind() {
        return kind;
    }

    /** Whether {@link #close()} has not been called yet. */
    public boolean isOpen() {
        return (state.get() & CLOSING) == 0;
    }

    /** How many operations hold the descriptor now. */
    public int users() {
        return state.get() >>> 1;
    }

    /**
     * Holds the descriptor for one operation and returns its number. Engines call this when an
     * operation is submitted; user code may use it to keep the descriptor alive across a native
     * call of its own, paired with {@link #release()}.
     *
     * @param op the operation, named in the error
     * @throws NativeIoException ({@code EBADF}) if the descriptor is closed or closing
     */
    public int acquire(String op) throws NativeIoException {
        for (;;) {
            int s = state.get();
            if ((s & CLOSING) != 0) {
                throw new NativeIoException(op, Errno.EBADF.value(), "fd " + fd + " is closed");
            }
            if (state.compareAndSet(s, s + ONE)) {
                return fd;
            }
        }
    }

    /**
     * As {@link #acquire}, but also succeeds when {@link #close()} has marked the descriptor while
     * another user still holds it: the number still names the same open file until the last
     * release, so it can still be watched (a poller registering a descriptor an operation holds).
     *
     * @throws NativeIoException EBADF, naming {@code op}, once no user is left
     */
    public int acquireHeld(String op) throws NativeIoException {
        for (;;) {
            int s = state.get();
            if ((s & CLOSING) != 0 && (s >>> 1) == 0) {
                throw new NativeIoException(op, Errno.EBADF.value(), "fd " + fd + " is closed");
            }
            if (state.compareAndSet(s, s + ONE)) {
                return fd;
            }
        }
    }

    /** Ends one {@link #acquire(String)}; the last one after {@link #close()} closes the descriptor. */
    public void release() {
        int s = state.addAndGet(-ONE);
        if (s < 0) {
            state.addAndGet(ONE);
            throw new IllegalStateException("fd " + fd + ": release without acquire");
        }
        if (s == CLOSING) {
            closeNow();
        }
    }

    /**
     * Closes the descriptor: at once when no operation holds it, else when the last one completes.
     * Idempotent. Any thread. An in-flight operation is not cancelled by this (see
     * {@code IoEngine.close(Fd)} for that).
     */
    @Override
    public void close() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSING) != 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSING)) {
                if (s == 0) {
                    closeNow();
                }
                return;
            }
        }
    }

    /**
     * As {@link #close()}, but the final {@code close(2)} runs on {@code executor}. close(2) can
     * block in the kernel (a pipe whose lock a kernel worker holds, a socket lingering on unsent
     * data), so an event loop closes this way to never block itself. If the executor refuses the
     * task, the close runs on the calling thread.
     */
    public void close(java.util.concurrent.Executor executor) {
        this.closeExecutor = java.util.Objects.requireNonNull(executor, "executor");
        close();
    }

    /** Whether the OS descriptor has been closed (not merely marked closing). */
    public boolean isReleased() {
        return closeResult != 1;
    }

    private void closeNow() {
        java.util.concurrent.Executor ex = closeExecutor;
        if (ex != null) {
            try {
                ex.execute(this::closeDescriptor);
                return;
            } catch (java.util.concurrent.RejectedExecutionException refused) {
                // fall through: close here
            }
        }
        closeDescriptor();
    }

    private void closeDescriptor() {
        // close(2) must not be retried on EINTR on Linux: the descriptor is gone either way.
        int r = Shim.get().close(fd);
        closeResult = r;
        if (r < 0 && r != -Errno.EINTR.value()) {
            released.completeExceptionally(new NativeIoException("close fd " + fd, -r));
        } else {
            released.complete(null);
        }
    }

    /**
     * Completes when the OS descriptor has been closed (after {@link #close()} and the last
     * operation), exceptionally if close(2) reported an error such as EIO. Any thread.
     */
    public java.util.concurrent.CompletableFuture<Void> whenReleased() {
        return released.copy();
    }

    /**
     * Repositions the file offset ({@code lseek(2)}); synchronous, since lseek never blocks.
     *
     * @return the new offset
     * @throws NativeIoException e.g. {@code ESPIPE} on a pipe or socket, {@code EINVAL} for a
     *                           negative resulting offset, {@code EBADF} after close
     */
    public long lseek(long offset, Whence whence) throws NativeIoException {
        int raw = acquire("lseek");
        try {
            return NativeIoException.check("lseek", Shim.get().lseek(raw, offset, whence.value()));
        } finally {
            release();
        }
    }

    @Override
    public String toString() {
        return "Fd[" + fd + ", " + kind + (isOpen() ? "" : ", closed") + "]";
    }
}
