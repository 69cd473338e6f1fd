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
 * <p>{@link #revoke} (what {@code IoEngine.close(Fd)} does) also marks the descriptor revoked, in
 * the same atomic step: an operation that acquired it before but has not reached the kernel yet
 * must then not reach it (engines check {@link #isRevoked()} where they hand an operation to the
 * kernel, and fail it with {@code ECANCELED}), so the close never waits on an operation that
 * started after it. {@linkplain #onClose Close actions} let a thread blocked on the descriptor be
 * woken by either kind of close, as a JDK channel's close wakes its blocked readers and writers.
 *
 * <p>Threading: every method is safe from any thread.
 */
public final class Fd implements AutoCloseable {

    /**
     * What kind of object the descriptor refers to (Gerbil's {@code fd-type}). {@link #adopt(int)}
     * tells them apart with {@code fstat}'s {@code S_IFMT} bits and, for the anonymous inodes
     * ({@code S_IFMT} 0: eventfd, epoll, inotify, signalfd, timerfd, pidfd, io_uring), with the
     * name the kernel gives them, the target of {@code /proc/self/fd/N}
     * ({@code anon_inode:[eventfd]}, {@code anon_inode:inotify}, ...).
     */
    public enum Kind {
        /** A regular file ({@code S_IFREG}). */
        FILE,
        /** A directory ({@code S_IFDIR}). */
        DIRECTORY,
        /** A pipe or a named pipe: a FIFO ({@code S_IFIFO}). */
        PIPE,
        /** A socket ({@code S_IFSOCK}). */
        SOCKET,
        /** A character device ({@code S_IFCHR}): a terminal, {@code /dev/null}. */
        CHARACTER_DEVICE,
        /** A block device ({@code S_IFBLK}). */
        BLOCK_DEVICE,
        /** A symbolic link itself ({@code S_IFLNK}; an {@code O_PATH|O_NOFOLLOW} descriptor). */
        SYMLINK,
        /** {@code eventfd(2)}. */
        EVENTFD,
        /** {@code epoll_create1(2)}. */
        EPOLL,
        /** {@code inotify_init1(2)}. */
        INOTIFY,
        /** {@code signalfd(2)}. */
        SIGNALFD,
        /** BSD {@code kqueue(2)} (never seen on Linux: a caller passes it to {@link #adopt(int, Kind)}). */
        KQUEUE,
        /** {@code pidfd_open(2)} or {@code clone3(CLONE_PIDFD)}. */
        PIDFD,
        /** An io_uring instance ({@code io_uring_setup(2)}). */
        URING,
        /** {@code timerfd_create(2)}. */
        TIMERFD,
        /** Anything else: an anonymous inode of another kind (userfaultfd, perf, bpf, ...). */
        OTHER
    }

    // state = (count << 2) | REVOKED | CLOSING. The descriptor is closed exactly once, by whoever
    // takes the state to "closing with no users" (close(), revoke() or the last release()).
    // REVOKED is only ever set together with CLOSING, in one CAS, so an acquire that succeeds
    // happened before the revocation and every later one fails.
    private static final int CLOSING = 1;
    private static final int REVOKED = 2;
    private static final int ONE = 4;
    private static final int COUNT_SHIFT = 2;
    /** {@link #closeActions} once the close actions have been taken to run: none may be added. */
    private static final Object ACTIONS_TAKEN = new Object();

    private final int fd;
    private final Kind kind;
    private final AtomicInteger state = new AtomicInteger();
    private volatile int closeResult = 1; // 1: not yet closed; else close(2)'s result
    /** Where the final close(2) runs; null: on the thread that ends the last use. */
    private volatile java.util.concurrent.Executor closeExecutor;
    private final java.util.concurrent.CompletableFuture<Void> released = new java.util.concurrent.CompletableFuture<>();
    /** Holds that belong to calls an engine abandoned in the kernel ({@link #abandonHold}). */
    private final AtomicInteger abandoned = new AtomicInteger();
    /** Completed by {@link #checkSettled} or with {@link #released}'s outcome; see {@link #whenSettled}. */
    private final java.util.concurrent.CompletableFuture<Void> settled = new java.util.concurrent.CompletableFuture<>();
    /** Guarded by {@code this}: null, one Runnable, a list of them, or {@link #ACTIONS_TAKEN}. */
    private Object closeActions;
    /** The engine of an {@link EngineGroup} that owns this descriptor; null until one claims it. Set once. */
    private volatile IoEngine owner;
    private static final java.lang.invoke.VarHandle OWNER;

    static {
        try {
            OWNER = java.lang.invoke.MethodHandles.lookup().findVarHandle(Fd.class, "owner", IoEngine.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Fd(int fd, Kind kind) {
        this.fd = fd;
        this.kind = kind;
    }

    /**
     * Takes ownership of an open descriptor; its kind is read with {@code fstat}. Closing the
     * returned {@code Fd} closes {@code fd}. Any thread.
     *
     * @param fd an open descriptor number
     * @return the new {@code Fd}, which the caller owns
     * @throws IllegalArgumentException if {@code fd} is negative
     * @throws NativeIoException        ({@code EBADF}) if {@code fd} is not open
     */
    public static Fd adopt(int fd) throws NativeIoException {
        if (fd < 0) {
            throw new IllegalArgumentException("adopt: negative fd " + fd);
        }
        long mode = NativeIoException.check("adopt fd " + fd, Shim.get().fstatMode(fd));
        Kind kind = kindOfMode((int) mode);
        if (kind == Kind.OTHER && (mode & 0170000) == 0) {
            kind = kindOfAnonInode(fd);
        }
        return new Fd(fd, kind);
    }

    /**
     * The kind of an anonymous inode, from the name the kernel gives it: the target of the magic
     * link {@code /proc/self/fd/N}, {@code anon_inode:[eventfd]} (or {@code anon_inode:inotify}
     * without brackets). {@link Kind#OTHER} for any other name, or when {@code /proc} is not there.
     */
    static Kind kindOfAnonInode(int fd) {
        String target;
        try {
            target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return Kind.OTHER;
        }
        String name = target.startsWith("anon_inode:") ? target.substring("anon_inode:".length()) : target;
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return switch (name) {
            case "eventfd" -> Kind.EVENTFD;
            case "eventpoll" -> Kind.EPOLL;
            case "inotify" -> Kind.INOTIFY;
            case "signalfd" -> Kind.SIGNALFD;
            case "timerfd" -> Kind.TIMERFD;
            case "pidfd" -> Kind.PIDFD;
            case "io_uring" -> Kind.URING;
            default -> Kind.OTHER;
        };
    }

    /**
     * Takes ownership of {@code fd}, whose kind the caller knows. Any thread.
     *
     * @param fd an open descriptor number
     * @param kind what it refers to
     * @return the new {@code Fd}, which the caller owns
     */
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

    /**
     * The descriptor number. Still returned after close; do not pass it to the OS then.
     *
     * @return the number
     */
    public int value() {
        return fd;
    }

    /**
     * The kind of object this descriptor refers to.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /** {@code O_DIRECT} (Linux x86_64). */
    private static final int O_DIRECT = 040000;
    /** {@code F_GETFL}. */
    private static final int F_GETFL = 3;
    /** Whether the descriptor bypasses the page cache: 0 not asked yet, 1 no, 2 yes. */
    private volatile int direct;

    /**
     * Whether this regular file was opened with {@code O_DIRECT}: its reads and writes go to the
     * device, bypassing the page cache. Read once with {@code fcntl(F_GETFL)} and remembered (an
     * {@code O_DIRECT} set or cleared later with {@code F_SETFL} is not seen). The engines use it to
     * send such reads straight to a worker or the ring: a non-blocking attempt first
     * ({@code preadv2(RWF_NOWAIT)}) does not fail fast on a direct read, it waits for the device.
     * Any thread.
     *
     * @return true for a regular file opened with {@code O_DIRECT}; false for every other kind, and
     *         for a descriptor closed before the first call
     */
    public boolean isDirect() {
        int d = direct;
        if (d == 0) {
            if (kind != Kind.FILE) {
                d = 1;
            } else {
                int raw;
                try {
                    raw = acquire("fcntl(F_GETFL)");
                } catch (NativeIoException closed) {
                    return false;
                }
                try {
                    long flags = Shim.get().fcntl(raw, F_GETFL, 0);
                    d = flags >= 0 && (flags & O_DIRECT) != 0 ? 2 : 1;
                } finally {
                    release();
                }
            }
            direct = d;
        }
        return d == 2;
    }

    /**
     * Whether {@link #close()} has not been called yet.
     *
     * @return true until {@link #close()}
     */
    public boolean isOpen() {
        return (state.get() & CLOSING) == 0;
    }

    /**
     * How many operations hold the descriptor now.
     *
     * @return the count of holds
     */
    public int users() {
        return state.get() >>> COUNT_SHIFT;
    }

    /**
     * Whether {@link #revoke} has been called: an engine must not hand an operation on this
     * descriptor to the kernel any more, even one that acquired it before. Any thread.
     *
     * @return true once revoked
     */
    public boolean isRevoked() {
        return (state.get() & REVOKED) != 0;
    }

    /**
     * Holds the descriptor for one operation and returns its number. Engines call this when an
     * operation is submitted; user code may use it to keep the descriptor alive across a native
     * call of its own, paired with {@link #release()}.
     *
     * @param op the operation, named in the error
     * @return the descriptor number
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
     * @param op the operation, named in the error
     * @return the descriptor number
     * @throws NativeIoException EBADF, naming {@code op}, once no user is left
     */
    public int acquireHeld(String op) throws NativeIoException {
        for (;;) {
            int s = state.get();
            if ((s & CLOSING) != 0 && (s >>> COUNT_SHIFT) == 0) {
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
        if ((s & CLOSING) != 0 && (s >>> COUNT_SHIFT) == 0) {
            closeNow();
        } else if ((s & CLOSING) != 0) {
            checkSettled();
        }
    }

    /**
     * Marks one hold (one {@link #acquire}) as belonging to a call an engine has abandoned: a
     * native call that may wait in the kernel for ever (a read of a terminal), whose operation the
     * engine has completed without it. The hold stays, so the descriptor, and its number, stay
     * open until the call returns and its thread calls {@link #releaseAbandoned()}; but it no
     * longer keeps {@link #whenSettled()} from completing. For engines; any thread.
     */
    public void abandonHold() {
        abandoned.incrementAndGet();
        checkSettled();
    }

    /** Ends a hold {@link #abandonHold} marked: the abandoned call has returned. Any thread. */
    public void releaseAbandoned() {
        // Unmarked before the release: in between the hold counts as a live one, never the reverse.
        abandoned.decrementAndGet();
        release();
    }

    /**
     * Completes {@link #settled} when the descriptor is closing and every hold left is an abandoned
     * call's. The two counters are separate atomics: a release and an abandonHold racing each
     * other each read the other's write or are read by it, so one of them sees the final state.
     */
    private void checkSettled() {
        int s = state.get();
        int users = s >>> COUNT_SHIFT;
        // users == 0: the last release is closing the descriptor, and closeDescriptor completes
        // settled after released (completing it here would report a close not yet done).
        if ((s & CLOSING) != 0 && users > 0 && users <= abandoned.get()) {
            settled.complete(null);
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
                runCloseActions();
                if (s == 0) {
                    closeNow();
                } else {
                    checkSettled();
                }
                return;
            }
        }
    }

    /**
     * Closes the descriptor and revokes every hold that has not reached the kernel: as
     * {@link #close(java.util.concurrent.Executor)}, and in the same atomic step marks it
     * {@linkplain #isRevoked() revoked}, so an engine refuses to submit an operation that acquired
     * it before this call. {@code IoEngine.close(Fd)} calls this, then cancels what the kernel has.
     * Idempotent. Any thread.
     *
     * @param executor where the final {@code close(2)} runs (see {@link #close(java.util.concurrent.Executor)})
     * @return true if this call revoked the descriptor, false if it was revoked already
     */
    public boolean revoke(java.util.concurrent.Executor executor) {
        java.util.Objects.requireNonNull(executor, "executor");
        for (;;) {
            int s = state.get();
            if ((s & REVOKED) != 0) {
                return false;
            }
            if ((s & CLOSING) == 0 || closeExecutor == null) {
                this.closeExecutor = executor; // before the CAS: the last release may follow at once
            }
            if (state.compareAndSet(s, s | CLOSING | REVOKED)) {
                if ((s & CLOSING) == 0) {
                    runCloseActions();
                    if (s == 0) {
                        closeNow();
                    } else {
                        checkSettled();
                    }
                }
                return true;
            }
        }
    }

    /**
     * Registers {@code action} to run once, on the thread that closes or revokes this descriptor,
     * when that happens: how a thread blocked in an operation on it is woken (a JDK channel's
     * close wakes its blocked readers and writers). Returns false, and registers nothing, if the
     * descriptor is closing already; the caller then acts itself. Remove the action with
     * {@link #removeOnClose} once the wait is over. The action must be short and must not throw.
     * Any thread.
     *
     * @param action what to run on close
     * @return true if registered, false if the descriptor is closing already
     */
    public boolean onClose(Runnable action) {
        java.util.Objects.requireNonNull(action, "action");
        synchronized (this) {
            // Checked under the lock that runCloseActions takes after marking: either close sees
            // this action, or this call sees the mark.
            if ((state.get() & CLOSING) != 0 || closeActions == ACTIONS_TAKEN) {
                return false;
            }
            Object a = closeActions;
            if (a == null) {
                closeActions = action;
            } else if (a instanceof java.util.ArrayList<?> list) {
                @SuppressWarnings("unchecked")
                java.util.ArrayList<Runnable> l = (java.util.ArrayList<Runnable>) list;
                l.add(action);
            } else {
                java.util.ArrayList<Runnable> l = new java.util.ArrayList<>(4);
                l.add((Runnable) a);
                l.add(action);
                closeActions = l;
            }
            return true;
        }
    }

    /**
     * Removes an action {@link #onClose} registered. Returns true if it was still registered (so it
     * has not run and will not), false if a close has taken it (it has run or is running). Any thread.
     *
     * @param action the action {@link #onClose} registered
     * @return true if it was still registered
     */
    public boolean removeOnClose(Runnable action) {
        synchronized (this) {
            Object a = closeActions;
            if (a == action) {
                closeActions = null;
                return true;
            }
            return a instanceof java.util.ArrayList<?> list && list.remove(action);
        }
    }

    private void runCloseActions() {
        Object a;
        synchronized (this) {
            a = closeActions;
            closeActions = ACTIONS_TAKEN;
        }
        if (a instanceof Runnable r) {
            runCloseAction(r);
        } else if (a instanceof java.util.ArrayList<?> list) {
            for (Object r : list) {
                runCloseAction((Runnable) r);
            }
        }
    }

    private static void runCloseAction(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.getLogger("dev.ringio").log(System.Logger.Level.WARNING, "a close action failed", e);
        }
    }

    /**
     * As {@link #close()}, but the final {@code close(2)} runs on {@code executor}. close(2) can
     * block in the kernel (a pipe whose lock a kernel worker holds, a socket lingering on unsent
     * data), so an event loop closes this way to never block itself. If the executor refuses the
     * task, the close runs on the calling thread.
     *
     * @param executor where the final {@code close(2)} runs
     */
    public void close(java.util.concurrent.Executor executor) {
        this.closeExecutor = java.util.Objects.requireNonNull(executor, "executor");
        close();
    }

    /**
     * Whether the OS descriptor has been closed (not merely marked closing).
     *
     * @return true once {@code close(2)} has run
     */
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
            NativeIoException e = new NativeIoException("close fd " + fd, -r);
            released.completeExceptionally(e);
            settled.completeExceptionally(e);
        } else {
            released.complete(null);
            settled.complete(null);
        }
    }

    /**
     * Completes when the OS descriptor has been closed (after {@link #close()} and the last
     * operation), exceptionally if close(2) reported an error such as EIO. Any thread.
     *
     * @return a future completing when the descriptor is closed
     */
    public java.util.concurrent.CompletableFuture<Void> whenReleased() {
        return released.copy();
    }

    /**
     * As {@link #whenReleased()}, but also completes (normally) once the descriptor is closing and
     * the only holds left belong to calls an engine abandoned in the kernel ({@link #abandonHold}):
     * every operation on it has completed, and the descriptor itself is closed when the last
     * abandoned call returns, which may be never (a read of a terminal nobody types into). What
     * {@code IoEngine.close(Fd)} returns. Any thread.
     *
     * @return a future completing when the descriptor is closed or only abandoned calls hold it
     */
    public java.util.concurrent.CompletableFuture<Void> whenSettled() {
        return settled.copy();
    }

    /**
     * Repositions the file offset ({@code lseek(2)}); synchronous, since lseek never blocks.
     *
     * @param offset the offset, relative to {@code whence}
     * @param whence where {@code offset} counts from
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

    /** The engine recorded as this descriptor's owner (see {@link EngineGroup#owner}), or null. Any thread. */
    IoEngine owner() {
        return owner;
    }

    /**
     * Records {@code engine} as the owner unless one is recorded already; returns the owner (the
     * first claim wins, atomically). Any thread.
     */
    IoEngine claimOwner(IoEngine engine) {
        IoEngine witness = (IoEngine) OWNER.compareAndExchange(this, (IoEngine) null, engine);
        return witness == null ? engine : witness;
    }

    @Override
    public String toString() {
        return "Fd[" + fd + ", " + kind + (isOpen() ? "" : ", closed") + "]";
    }
}
