package dev.ringio.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;

import static dev.ringio.nio.RingioAsynchronousSocketChannel.submit;

/**
 * An {@link AsynchronousFileChannel} on a ringio engine: positional reads and writes are the
 * engine's {@code read}/{@code write} (a write writes every byte, resubmitting after a short
 * one), {@code size} is {@code fstat}, {@code truncate} {@code ftruncate}, {@code force}
 * {@code fsync}/{@code fdatasync}, and locks are open-file-description locks
 * ({@code F_OFD_SETLK}, see {@link FlockLayout}).
 *
 * <p>Completion handlers run on the executor given to {@link #open}, or on a shared pool of
 * daemon threads. {@link #lock} never blocks a thread: while another holder's lock conflicts it
 * retries {@code F_OFD_SETLK} after a growing pause (1 ms up to 100 ms) on the engine's timer, so
 * a waiter is not queued fairly; closing the channel ends the wait with
 * {@link AsynchronousCloseException}. A lock of size 0 runs from its position to the end of the
 * file however far it grows: its {@link FileLock#size()} is {@code Long.MAX_VALUE - position}, as
 * in the JDK, and the kernel's range is open-ended ({@code l_len} 0).
 *
 * <p>Interrupts: {@code open}, {@link #size}, {@link #truncate}, {@link #force}, the lock methods
 * and {@link #close} work from an interrupted thread and keep its interrupt status, as the JDK's
 * channel does; they never throw {@link java.nio.channels.ClosedByInterruptException}.
 *
 * <p>Differences from the JDK: OFD locks conflict between two channels of the same process on
 * the same file (the JDK throws {@link OverlappingFileLockException} there; this channel's
 * {@link #tryLock} returns {@code null} and {@link #lock} waits), and overlap is checked against
 * this channel's own locks only. {@link StandardOpenOption#APPEND} is refused, as by the JDK.
 *
 * <p>Threading: every method is safe from any thread but one: {@code open}, {@link #size},
 * {@link #truncate} and {@link #force} wait for the engine, so they are not for the engine's loop
 * thread (a completion handler that a fixed-thread-pool group runs on that loop, say), where the
 * engine refuses the wait with {@link IllegalStateException}. {@link #close} does not wait there.
 * The other methods only submit work or make a plain system call ({@link #tryLock}). A
 * {@code Future} they return is waited on from any thread but that loop, as
 * {@link java.util.concurrent.Future#get()} there would wait for itself.
 */
public final class RingioAsynchronousFileChannel extends AsynchronousFileChannel {

    private static final long LOCK_RETRY_FIRST_NANOS = 1_000_000L;
    private static final long LOCK_RETRY_MAX_NANOS = 100_000_000L;

    private final IoEngine engine;
    private final Fd fd;
    private final Path path;
    private final boolean readable;
    private final boolean writable;
    private final boolean deleteOnClose;
    private final Executor handlers;

    private final Object lock = new Object();
    private boolean closed;                                   // guarded by lock
    private final List<OfdFileLock> locks = new ArrayList<>(); // guarded by lock; held and awaited

    /**
     * The executor of channels opened without one, created on first such open (as the JDK's): a
     * cached pool of daemon threads, or of the {@code java.nio.channels.DefaultThreadPool.threadFactory}
     * class's threads. A bad property value fails that open with an {@link Error} (and later ones
     * with {@link NoClassDefFoundError}), as in the JDK.
     */
    private static final class DefaultExecutor {
        static final ExecutorService EXECUTOR = DefaultThreadPool.create("ringio-nio-file-", false);
    }

    private RingioAsynchronousFileChannel(IoEngine engine, Fd fd, Path path, boolean readable, boolean writable,
            boolean deleteOnClose, ExecutorService executor) {
        this.engine = engine;
        this.fd = fd;
        this.path = path;
        this.readable = readable;
        this.writable = writable;
        this.deleteOnClose = deleteOnClose;
        this.handlers = new Executor(executor);
    }

    /**
     * Opens {@code file} on {@code engine}, with the options of
     * {@link AsynchronousFileChannel#open(Path, Set, ExecutorService, FileAttribute[])}:
     * {@code READ} (the default when neither READ nor WRITE is given), {@code WRITE},
     * {@code CREATE}, {@code CREATE_NEW}, {@code TRUNCATE_EXISTING} (with WRITE),
     * {@code DELETE_ON_CLOSE}, {@code SPARSE} (ignored), {@code SYNC}, {@code DSYNC} and
     * {@link LinkOption#NOFOLLOW_LINKS}; a {@code posix:permissions} attribute sets the mode of a
     * created file (default {@code rw-rw-rw-}, less the umask). Call it from any thread but the
     * engine's loop thread (it waits for the open).
     *
     * @param executor where completion handlers run; {@code null}: a shared pool of daemon threads
     *                 (of the {@code java.nio.channels.DefaultThreadPool.threadFactory} class's
     *                 threads if that property is set, as in the JDK)
     * @param engine the engine the channel's operations run on
     * @param file the file to open
     * @param options the open options
     * @param attrs file attributes for a created file ({@code posix:permissions})
     * @return the open channel
     * @throws UnsupportedOperationException for {@code APPEND}, an unknown option or attribute
     * @throws IllegalArgumentException      for an invalid combination of options
     * @throws IOException {@link java.nio.file.NoSuchFileException}, {@link java.nio.file.FileAlreadyExistsException},
     *         {@link java.nio.file.AccessDeniedException} and other I/O errors, as {@code Files} does
     * @throws Error for a bad {@code java.nio.channels.DefaultThreadPool} property when
     *         {@code executor} is null (see {@link DefaultThreadPool}), as the JDK's {@code open}
     */
    public static RingioAsynchronousFileChannel open(IoEngine engine, Path file, Set<? extends OpenOption> options,
            ExecutorService executor, FileAttribute<?>... attrs) throws IOException {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(file, "file");
        boolean read = options.contains(StandardOpenOption.READ);
        boolean write = options.contains(StandardOpenOption.WRITE);
        if (options.contains(StandardOpenOption.APPEND)) {
            throw new UnsupportedOperationException("APPEND not allowed");
        }
        if (!read && !write) {
            read = true;
        }
        int flags = read && write ? OpenFlags.O_RDWR : write ? OpenFlags.O_WRONLY : OpenFlags.O_RDONLY;
        boolean deleteOnClose = false;
        for (OpenOption o : options) {
            if (o == StandardOpenOption.READ || o == StandardOpenOption.WRITE || o == StandardOpenOption.SPARSE) {
                continue;
            }
            if (o == StandardOpenOption.CREATE) {
                flags |= write ? OpenFlags.O_CREAT : 0;
            } else if (o == StandardOpenOption.CREATE_NEW) {
                flags |= write ? OpenFlags.O_CREAT | OpenFlags.O_EXCL : 0;
            } else if (o == StandardOpenOption.TRUNCATE_EXISTING) {
                flags |= write ? OpenFlags.O_TRUNC : 0;
            } else if (o == StandardOpenOption.SYNC) {
                flags |= OpenFlags.O_SYNC;
            } else if (o == StandardOpenOption.DSYNC) {
                flags |= OpenFlags.O_DSYNC;
            } else if (o == StandardOpenOption.DELETE_ON_CLOSE) {
                deleteOnClose = true;
            } else if (o == LinkOption.NOFOLLOW_LINKS) {
                flags |= OpenFlags.O_NOFOLLOW;
            } else if (o == null) {
                throw new NullPointerException("option");
            } else {
                throw new UnsupportedOperationException(o + " not supported");
            }
        }
        int mode = 0666;
        for (FileAttribute<?> a : attrs) {
            if (!a.name().equals("posix:permissions")) {
                throw new UnsupportedOperationException("'" + a.name() + "' not supported as initial attribute");
            }
            @SuppressWarnings("unchecked")
            Set<PosixFilePermission> perms = (Set<PosixFilePermission>) a.value();
            mode = modeOf(perms);
        }
        // Before the open, so that a bad DefaultThreadPool property leaves no descriptor behind.
        ExecutorService handlerExecutor = executor != null ? executor : DefaultExecutor.EXECUTOR;
        // openat2 refuses a mode without O_CREAT (EINVAL), unlike open(2) which ignores it.
        Fd fd = openFd(engine, file, flags, (flags & OpenFlags.O_CREAT) != 0 ? mode : 0);
        return new RingioAsynchronousFileChannel(engine, fd, file, read, write, deleteOnClose, handlerExecutor);
    }

    /**
     * {@link #open(IoEngine, Path, Set, ExecutorService, FileAttribute[])} with the default
     * executor.
     *
     * @param engine the engine the channel's operations run on
     * @param file the file to open
     * @param options the open options
     * @return the open channel
     * @throws IOException as for {@link #open(IoEngine, Path, Set, ExecutorService,
     *                     FileAttribute[])}
     */
    public static RingioAsynchronousFileChannel open(IoEngine engine, Path file, OpenOption... options) throws IOException {
        return open(engine, file, Set.of(options), null);
    }

    private static Fd openFd(IoEngine engine, Path file, int flags, int mode) throws IOException {
        try {
            return UninterruptibleWait.get(engine.open(file, flags, mode));
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable t = JdkExceptions.unwrap(e);
            if (t instanceof NativeIoException n) {
                throw JdkExceptions.translateFile(n, file.toString());
            }
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(t);
        }
    }

    private static int modeOf(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return m;
    }

    // ---- size, truncate, force ------------------------------------------------------------------

    @Override
    public long size() throws IOException {
        ensureOpen();
        return await(submit(() -> engine.fstat(fd))).size();
    }

    @Override
    public AsynchronousFileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        ensureOpen();
        if (!writable) {
            throw new NonWritableChannelException();
        }
        if (size < size()) {
            await(submit(() -> engine.ftruncate(fd, size)));
        }
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        await(submit(() -> metaData ? engine.fsync(fd) : engine.fdatasync(fd)));
    }

    // ---- read, write ----------------------------------------------------------------------------

    @Override
    public <A> void read(ByteBuffer dst, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        startRead(dst, position, attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst, long position) {
        return startRead(dst, position, null, null);
    }

    private <A> Future<Integer> startRead(ByteBuffer dst, long position, A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (!readable) {
            throw new NonReadableChannelException();
        }
        Outcome<Integer, A> outcome = Outcome.of(handlers, attachment, handler);
        if (!isOpen()) {
            outcome.fail(new ClosedChannelException());
        } else if (!dst.hasRemaining()) {
            outcome.succeed(0);
        } else if (RingioAsynchronousSocketChannel.refusedMemory("read", new ByteBuffer[] {dst}) instanceof IllegalStateException e) {
            outcome.fail(handler == null ? new IOException(e) : e); // as the socket channel (see there)
        } else {
            CompletableFuture<Integer> op = submit(() -> engine.read(fd, dst, position));
            outcome.onCancel(mayInterrupt -> op.cancel(true));
            op.whenComplete((n, failure) -> finish(outcome, n, failure));
        }
        return outcome.future();
    }

    @Override
    public <A> void write(ByteBuffer src, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        startWrite(src, position, attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src, long position) {
        return startWrite(src, position, null, null);
    }

    private <A> Future<Integer> startWrite(ByteBuffer src, long position, A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(src, "src");
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        Outcome<Integer, A> outcome = Outcome.of(handlers, attachment, handler);
        int count = src.remaining();
        if (!isOpen()) {
            outcome.fail(new ClosedChannelException());
        } else if (count == 0) {
            outcome.succeed(0);
        } else if (RingioAsynchronousSocketChannel.refusedMemory("write", new ByteBuffer[] {src}) instanceof IllegalStateException e) {
            outcome.fail(handler == null ? new IOException(e) : e); // as the socket channel (see there)
        } else {
            CompletableFuture<Void> op = submit(() -> engine.write(fd, src, position));
            outcome.onCancel(mayInterrupt -> op.cancel(true));
            op.whenComplete((v, failure) -> finish(outcome, count, failure));
        }
        return outcome.future();
    }

    private <V> void finish(Outcome<V, ?> outcome, V value, Throwable failure) {
        if (failure == null) {
            outcome.succeed(value);
        } else {
            outcome.fail(translate(failure));
        }
    }

    private Throwable translate(Throwable failure) {
        Throwable t = JdkExceptions.unwrap(failure);
        if (t instanceof NativeIoException n && !isOpen()) {
            return JdkExceptions.translate(n, true);
        }
        if (t instanceof NativeIoException n) {
            return JdkExceptions.translateFile(n, path.toString());
        }
        return JdkExceptions.translate(t, !isOpen());
    }

    // ---- locks ----------------------------------------------------------------------------------

    @Override
    public <A> void lock(long position, long size, boolean shared, A attachment,
            CompletionHandler<FileLock, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        startLock(position, size, shared, attachment, handler);
    }

    @Override
    public Future<FileLock> lock(long position, long size, boolean shared) {
        return startLock(position, size, shared, null, null);
    }

    private <A> Future<FileLock> startLock(long position, long size, boolean shared, A attachment,
            CompletionHandler<FileLock, ? super A> handler) {
        checkLockArguments(position, size, shared);
        Outcome<FileLock, A> outcome = Outcome.of(handlers, attachment, handler);
        OfdFileLock fl;
        try {
            fl = reserve(position, regionSize(position, size), shared);
        } catch (ClosedChannelException e) {
            outcome.fail(e);
            return outcome.future();
        } catch (OverlappingFileLockException e) {
            outcome.fail(e); // the JDK delivers it too, not throws it, for lock()
            return outcome.future();
        }
        outcome.onCancel(mayInterrupt -> unreserve(fl));
        tryAcquire(fl, outcome, LOCK_RETRY_FIRST_NANOS);
        return outcome.future();
    }

    /** One F_OFD_SETLK attempt; on conflict, another after {@code pauseNanos} (doubling, capped). */
    private void tryAcquire(OfdFileLock fl, Outcome<FileLock, ?> outcome, long pauseNanos) {
        boolean got;
        try {
            got = FlockLayout.setLock(fd, fl.isShared() ? FlockLayout.F_RDLCK : FlockLayout.F_WRLCK, fl.position(), fl.size());
        } catch (NativeIoException e) {
            unreserve(fl);
            outcome.fail(translate(e));
            return;
        }
        if (got) {
            fl.acquired = true;
            if (!outcome.succeed(fl)) {
                releaseQuietly(fl); // cancelled meanwhile
            }
            return;
        }
        if (!isOpen()) {
            unreserve(fl);
            outcome.fail(new AsynchronousCloseException());
            return;
        }
        long next = Math.min(pauseNanos * 2, LOCK_RETRY_MAX_NANOS);
        submit(() -> engine.sleep(Duration.ofNanos(pauseNanos))).whenComplete((v, f) -> {
            if (outcome.future() != null && outcome.future().isDone()) {
                return; // cancelled
            }
            if (!isOpen()) {
                unreserve(fl);
                outcome.fail(new AsynchronousCloseException());
                return;
            }
            // The fcntl runs on the loop thread here: F_OFD_SETLK never waits.
            tryAcquire(fl, outcome, next);
        });
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        checkLockArguments(position, size, shared);
        OfdFileLock fl = reserve(position, regionSize(position, size), shared);
        boolean got;
        try {
            got = FlockLayout.setLock(fd, shared ? FlockLayout.F_RDLCK : FlockLayout.F_WRLCK, fl.position(), fl.size());
        } catch (NativeIoException e) {
            unreserve(fl);
            throw isOpen() ? JdkExceptions.translateFile(e, path.toString()) : new ClosedChannelException();
        }
        if (!got) {
            unreserve(fl);
            return null;
        }
        fl.acquired = true;
        return fl;
    }

    private void checkLockArguments(long position, long size, boolean shared) {
        if (position < 0 || size < 0 || position + size < 0) {
            throw new IllegalArgumentException("Negative position or size, or position + size overflows");
        }
        if (shared && !readable) {
            throw new NonReadableChannelException();
        }
        if (!shared && !writable) {
            throw new NonWritableChannelException();
        }
    }

    /**
     * The size of the lock a request of {@code size} makes: itself, or for 0 ("from position to the
     * end, however far the file grows") {@code Long.MAX_VALUE - position}, as the JDK's
     * {@code FileLock.size()} reports it and its overlap check uses it. The kernel gets
     * {@code l_len} 0 for it ({@link FlockLayout#setLock}).
     */
    private static long regionSize(long position, long size) {
        return size != 0 ? size : Long.MAX_VALUE - position;
    }

    /** Records a lock (held or awaited) of this channel; the JDK's overlap rule. */
    private OfdFileLock reserve(long position, long size, boolean shared) throws ClosedChannelException {
        synchronized (lock) {
            if (closed) {
                throw new ClosedChannelException();
            }
            for (OfdFileLock other : locks) {
                if (other.overlaps(position, size)) {
                    throw new OverlappingFileLockException();
                }
            }
            OfdFileLock fl = new OfdFileLock(this, position, size, shared);
            locks.add(fl);
            return fl;
        }
    }

    private void unreserve(OfdFileLock fl) {
        synchronized (lock) {
            locks.remove(fl);
        }
    }

    private void releaseQuietly(OfdFileLock fl) {
        try {
            fl.release();
        } catch (IOException ignored) {
            // closing the channel drops it anyway
        }
    }

    /** A lock this channel holds (or waits for, until {@code acquired}). */
    private static final class OfdFileLock extends FileLock {
        private final RingioAsynchronousFileChannel owner;
        volatile boolean acquired;
        private volatile boolean released;

        OfdFileLock(RingioAsynchronousFileChannel owner, long position, long size, boolean shared) {
            super(owner, position, size, shared);
            this.owner = owner;
        }

        @Override
        public boolean isValid() {
            return acquired && !released && owner.isOpen();
        }

        @Override
        public void release() throws IOException {
            if (!owner.isOpen()) {
                throw new ClosedChannelException();
            }
            if (released) {
                return;
            }
            released = true;
            owner.unreserve(this);
            try {
                FlockLayout.setLock(owner.fd, FlockLayout.F_UNLCK, position(), size());
            } catch (NativeIoException e) {
                throw owner.isOpen() ? JdkExceptions.translateFile(e, owner.path.toString()) : new ClosedChannelException();
            }
        }
    }

    // ---- closing --------------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        synchronized (lock) {
            return !closed;
        }
    }

    /**
     * Closes the file (which drops its locks); outstanding operations fail with
     * {@link AsynchronousCloseException}, or keep their result if it came first. With
     * {@code DELETE_ON_CLOSE} the file is then deleted. Idempotent.
     */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            locks.clear();
        }
        RingioAsynchronousSocketChannel.closeDescriptor(engine, fd, true);
        if (deleteOnClose) {
            Files.deleteIfExists(path);
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /**
     * Waits for {@code size}'s, {@code truncate}'s or {@code force}'s engine operation. Not
     * interruptible, as the JDK's are not: an interrupt neither ends the wait nor closes the
     * channel, and the interrupt status is kept (see {@link UninterruptibleWait}).
     */
    private <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return UninterruptibleWait.get(f);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable t = translate(e);
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(t);
        }
    }

    @Override
    public String toString() {
        return "RingioAsynchronousFileChannel[" + path + (isOpen() ? "" : ", closed") + "]";
    }

    /** The executor handlers run on; counts nothing (a file channel has no group to terminate). */
    private static final class Executor implements HandlerExecutor {
        private final ExecutorService executor;

        Executor(ExecutorService executor) {
            this.executor = executor;
        }

        @Override
        public void operationStarted() {
        }

        @Override
        public void operationFinished() {
        }

        @Override
        public void invoke(Runnable handlerCall) {
            try {
                executor.execute(() -> RingioChannelGroup.runHandler(handlerCall));
            } catch (RejectedExecutionException e) {
                // The executor was shut down by its owner: nobody is left to run the handler.
                throw new java.nio.channels.ShutdownChannelGroupException();
            }
        }
    }
}
