package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.ShortReadException;
import dev.ringio.buffers.Chunk;
import dev.ringio.engine.uring.Layouts;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.SocketConstants;

/**
 * Every read, write, readv, writev, send and receive of the future API, on every engine: one op
 * over a chunk, a segment, a buffer or an array of them, in one of three {@link Mode}s. Its
 * {@link #next()} describes the rest of the transfer from the first byte not yet moved (the iovecs
 * rebuilt from there for a vectored one, at most {@link #MAX_RW_COUNT} bytes for a contiguous one);
 * {@link #onResult} says what a count means: -1 at end of file for a read that had room, a
 * {@link ShortReadException} when {@link Mode#EXACT} runs out of data, an {@code EIO} when the kernel
 * moved nothing of a looping write, another attempt while a looping transfer has bytes left.
 *
 * <p>Memory: a chunk is used in place (its registered-buffer index, when the engine registered the
 * pool, goes into the description); segments and buffers go through a {@link Bounce.Span}, which says
 * what the kernel sees: the caller's memory, or ringio's bounce memory in pieces (a write's piece
 * copied in before it is submitted, a read's bytes copied out as they arrive). A looping transfer
 * that fails or is cancelled reports the bytes it moved ({@link dev.ringio.PartialProgress}) and
 * advances a buffer's position past them first.
 *
 * <p>The static methods are the public operations' argument checks and set-up, the same on every
 * engine; each returns the future of the op it submitted to the backend. Any thread.
 */
public final class TransferOp<T> extends EngineOp<T> {

    /** Largest byte count one read or write asks for (Linux's MAX_RW_COUNT); a longer transfer is cut. */
    public static final long MAX_RW_COUNT = 0x7ffff000L;

    /** How many kernel operations a transfer takes. */
    public enum Mode {
        /** One operation; the result is the count (which may be short), or -1 at end of file for a read. */
        ONCE,
        /** Read until every byte arrived; {@link ShortReadException} if the data runs out first. */
        EXACT,
        /** Write until every byte went, resubmitting after short writes. */
        ALL
    }

    /** Which kernel operation moves the bytes. */
    enum Kind {
        READ(true), WRITE(false), READV(true), WRITEV(false), SEND(false), RECV(true);

        final boolean read;

        Kind(boolean read) {
            this.read = read;
        }
    }

    private final Kind kind;
    private final Mode mode;
    private final int rawFd;
    /** The file position of the first byte ({@code -1}: the current position); unused by send and recv. */
    private final long position;
    private final long total;
    /** Chunk form: the chunk's address, used in place; {@link #memory} is null then. */
    private final long base;
    /** Segment forms: the caller's memory as the kernel sees it. */
    private final Bounce.Span memory;
    /** Vectored forms: the iovec array, rebuilt before each attempt. */
    private MemorySegment iovecs;
    /** Chunk form: the registered-buffer index, or -1. */
    private int bufIndex = -1;
    private int msgFlags;
    /** Runs with the count moved once the op ends (a buffer's position), or null. */
    private Bounce.After after;

    private long done;

    private TransferOp(String name, Kind kind, Mode mode, int rawFd, long position, Bounce.Span memory, long base,
                       long total) {
        super(name);
        this.kind = kind;
        this.mode = mode;
        this.rawFd = rawFd;
        this.position = position;
        this.memory = memory;
        this.span = memory;
        this.base = base;
        this.total = total;
    }

    // ---- the public operations -----------------------------------------------------------------

    /**
     * {@code readUpTo} ({@link Mode#ONCE}), {@code readExactly} ({@link Mode#EXACT}) or the write of
     * a chunk ({@link Mode#ALL}): {@code len} bytes of {@code chunk} at {@code fileOffset}.
     */
    public static <T> CompletableFuture<T> chunk(Backend backend, String name, boolean read, Mode mode, Fd fd,
                                                 Chunk chunk, int len, long fileOffset) {
        checkChunk(name, fd, chunk, len, fileOffset);
        return chunkOp(backend, name, read ? Kind.READ : Kind.WRITE, mode, fd, chunk, len, fileOffset, 0);
    }

    /** One send or receive of {@code len} bytes of {@code chunk} with {@code MSG_*} flags; the count. */
    public static CompletableFuture<Integer> chunkSocket(Backend backend, String name, boolean read, Fd fd, Chunk chunk,
                                                         int len, Set<MsgFlag> flags) {
        int bits = msgFlags(flags, !read);
        checkChunk(name, fd, chunk, len, 0);
        return chunkOp(backend, name, read ? Kind.RECV : Kind.SEND, Mode.ONCE, fd, chunk, len, 0, bits);
    }

    /** A transfer on a chunk (checked), used in place; its registered-buffer index when the engine has one. */
    private static <T> CompletableFuture<T> chunkOp(Backend backend, String name, Kind kind, Mode mode, Fd fd,
                                                    Chunk chunk, int len, long fileOffset, int msgFlags) {
        long address;
        try {
            address = chunk.address();
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(new IllegalStateException(name + ": " + e.getMessage(), e));
        }
        if (kind.read && len == 0) {
            return nothingToRead(name, backend.isClosed(), fd, zero(mode, false));
        }
        TransferOp<T> op = new TransferOp<>(name, kind, mode, fd.value(), fileOffset, null, address, len);
        op.msgFlags = msgFlags;
        if (kind == Kind.READ || kind == Kind.WRITE) {
            op.bufIndex = backend.registeredIndex(chunk);
        }
        return op.holdAndSubmit(backend, fd, chunk);
    }

    /** A read ({@link Mode#ONCE}) into, or a write ({@link Mode#ALL}) of, any segment. */
    public static <T> CompletableFuture<T> segment(Backend backend, String name, boolean read, Fd fd, MemorySegment seg,
                                                   long fileOffset) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(seg, read ? "dst" : "src");
        checkOffset(name, fileOffset);
        if (read && seg.isReadOnly()) {
            throw new IllegalArgumentException(name + ": destination segment is read-only");
        }
        return contiguous(backend, name, read ? Kind.READ : Kind.WRITE, read ? Mode.ONCE : Mode.ALL, fd, seg,
                fileOffset, 0, null);
    }

    /** A read ({@link Mode#ONCE}) into, or a write ({@link Mode#ALL}) of, a buffer between position and limit. */
    public static <T> CompletableFuture<T> buffer(Backend backend, String name, boolean read, Fd fd, ByteBuffer buf,
                                                  long fileOffset) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(buf, read ? "dst" : "src");
        checkOffset(name, fileOffset);
        if (read && buf.isReadOnly()) {
            throw new IllegalArgumentException(name + ": destination buffer is read-only");
        }
        int pos = buf.position();
        return contiguous(backend, name, read ? Kind.READ : Kind.WRITE, read ? Mode.ONCE : Mode.ALL, fd,
                MemorySegment.ofBuffer(buf), fileOffset, 0, n -> buf.position(pos + (int) n));
    }

    /** A send ({@link Mode#ONCE} or {@link Mode#ALL}) or a receive ({@link Mode#ONCE}) on a buffer. */
    public static <T> CompletableFuture<T> bufferSocket(Backend backend, String name, boolean read, Mode mode, Fd fd,
                                                        ByteBuffer buf, Set<MsgFlag> flags) {
        int bits = msgFlags(flags, !read);
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(buf, read ? "dst" : "src");
        if (read && buf.isReadOnly()) {
            throw new IllegalArgumentException(name + ": destination buffer is read-only");
        }
        int pos = buf.position();
        return contiguous(backend, name, read ? Kind.RECV : Kind.SEND, mode, fd, MemorySegment.ofBuffer(buf), 0, bits,
                n -> buf.position(pos + (int) n));
    }

    /** {@code readv} ({@link Mode#ONCE}) into buffers; their positions advance. */
    public static CompletableFuture<Long> readv(Backend backend, Fd fd, ByteBuffer[] dsts, long fileOffset) {
        Objects.requireNonNull(dsts, "dsts");
        MemorySegment[] segs = new MemorySegment[dsts.length];
        for (int i = 0; i < dsts.length; i++) {
            ByteBuffer b = Objects.requireNonNull(dsts[i], "dsts[" + i + "]");
            if (b.isReadOnly()) {
                throw new IllegalArgumentException("readv: buffer " + i + " is read-only");
            }
            segs[i] = MemorySegment.ofBuffer(b);
        }
        return vectored(backend, "readv", true, Mode.ONCE, fd, segs, fileOffset, n -> advance(dsts, n));
    }

    /** {@code readv} ({@link Mode#ONCE}) into segments, filled in order. */
    public static CompletableFuture<Long> readv(Backend backend, Fd fd, MemorySegment[] dsts, long fileOffset) {
        Objects.requireNonNull(dsts, "dsts");
        for (int i = 0; i < dsts.length; i++) {
            if (Objects.requireNonNull(dsts[i], "dsts[" + i + "]").isReadOnly()) {
                throw new IllegalArgumentException("readv: segment " + i + " is read-only");
            }
        }
        return vectored(backend, "readv", true, Mode.ONCE, fd, dsts.clone(), fileOffset, null);
    }

    /** {@code writev} of every byte ({@link Mode#ALL}) or one WRITEV ({@link Mode#ONCE}); positions advance. */
    public static <T> CompletableFuture<T> writev(Backend backend, String name, Mode mode, Fd fd, ByteBuffer[] srcs,
                                                  long fileOffset) {
        Objects.requireNonNull(srcs, "srcs");
        MemorySegment[] segs = new MemorySegment[srcs.length];
        for (int i = 0; i < srcs.length; i++) {
            segs[i] = MemorySegment.ofBuffer(Objects.requireNonNull(srcs[i], "srcs[" + i + "]"));
        }
        return vectored(backend, name, false, mode, fd, segs, fileOffset, n -> advance(srcs, n));
    }

    /**
     * The {@code MSG_*} bits of {@code flags}; sends add {@code MSG_NOSIGNAL}, so a closed peer is
     * EPIPE, never a SIGPIPE. What every send and receive passes the kernel. Any thread.
     *
     * @throws NullPointerException if {@code flags} is null
     */
    public static int msgFlags(Set<MsgFlag> flags, boolean send) {
        int bits = MsgFlag.bits(Objects.requireNonNull(flags, "flags"));
        return send ? bits | SocketConstants.MSG_NOSIGNAL : bits;
    }

    /**
     * The argument checks of a transfer on a chunk, the same for the future API and the low-level
     * {@code submitRead}/{@code submitWrite}: non-null {@code fd} and {@code chunk},
     * {@code 0 <= len <= chunk.size()}, a valid file offset. Any thread.
     *
     * @throws IllegalArgumentException naming {@code op} for a bad length or offset
     */
    public static void checkChunk(String op, Fd fd, Chunk chunk, int len, long fileOffset) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(chunk, "chunk");
        if (len < 0) {
            throw new IllegalArgumentException(op + ": negative length " + len);
        }
        if (len > chunk.size()) {
            throw new IllegalArgumentException(op + ": length " + len + " exceeds the chunk's " + chunk.size() + " bytes");
        }
        checkOffset(op, fileOffset);
    }

    /** A file offset is {@code >= 0}, or {@code -1} for the current position. */
    private static void checkOffset(String op, long fileOffset) {
        if (fileOffset < -1) {
            throw new IllegalArgumentException(op + ": file offset " + fileOffset + " (use >= 0, or -1 for the current position)");
        }
    }

    /**
     * Whether a non-blocking first attempt at a transfer that failed with {@code -errno} should be
     * left to the engine's blocking path: EAGAIN and EINTR always; for a {@code preadv2(RWF_NOWAIT)}
     * read also EOPNOTSUPP and EINVAL (a file system or kernel without non-blocking reads), where
     * the blocking read gives the real answer. Any thread.
     */
    public static boolean leaveToEngine(int errno, boolean nowaitRead) {
        return errno == Errno.EAGAIN.value() || errno == Errno.EINTR.value()
                || nowaitRead && (errno == Errno.EOPNOTSUPP.value() || errno == Errno.EINVAL.value());
    }

    /**
     * A read or receive with no room (zero bytes asked for) completes with {@code zero} at once,
     * without waiting for data and without consuming any, as the JDK's {@code read} with no
     * remaining bytes returns 0 at once (a zero-length {@code recv(2)} on a socket would wait for
     * data first). A closed engine or descriptor fails as the operation would have.
     */
    private static <T> CompletableFuture<T> nothingToRead(String op, boolean engineClosed, Fd fd, T zero) {
        if (engineClosed) {
            return CompletableFuture.failedFuture(new EngineClosedException(op));
        }
        try {
            fd.acquire(op);
        } catch (NativeIoException e) {
            return CompletableFuture.failedFuture(e);
        }
        fd.release();
        return CompletableFuture.completedFuture(zero);
    }

    /** Whether every one of {@code segs} is empty (a vectored read with no room). */
    private static boolean allEmpty(MemorySegment[] segs) {
        for (MemorySegment s : segs) {
            if (s.byteSize() != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A contiguous transfer on any segment, with the memory rules of {@link Bounce}: refused if not
     * alive or confined, used in place if the caller cannot free it meanwhile, else through ringio's
     * bounce memory (file and pipe transfers in pieces of at most {@link Bounce#PIECE}; socket ones whole).
     */
    private static <T> CompletableFuture<T> contiguous(Backend backend, String name, Kind kind, Mode mode, Fd fd,
                                                       MemorySegment seg, long fileOffset, int msgFlags,
                                                       Bounce.After after) {
        boolean socket = kind == Kind.SEND || kind == Kind.RECV;
        if (kind.read && seg.byteSize() == 0) {
            Bounce.check(name, seg);
            return nothingToRead(name, backend.isClosed(), fd, zero(mode, false));
        }
        Bounce.Span memory = Bounce.span(name, seg, kind.read, socket ? Bounce.WHOLE : Bounce.cutFor(fd));
        TransferOp<T> op = new TransferOp<>(name, kind, mode, fd.value(), fileOffset, memory, 0, memory.total());
        op.msgFlags = msgFlags;
        op.after = after;
        return op.holdAndSubmit(backend, fd, null);
    }

    private static <T> CompletableFuture<T> vectored(Backend backend, String name, boolean read, Mode mode, Fd fd,
                                                     MemorySegment[] segs, long fileOffset, Bounce.After after) {
        Objects.requireNonNull(fd, "fd");
        checkOffset(name, fileOffset);
        if (read && allEmpty(segs)) {
            for (MemorySegment s : segs) {
                Bounce.check(name, s);
            }
            return nothingToRead(name, backend.isClosed(), fd, zero(mode, true));
        }
        Bounce.Span memory = Bounce.span(name, segs, read, Bounce.cutFor(fd));
        TransferOp<T> op = new TransferOp<>(name, read ? Kind.READV : Kind.WRITEV, mode, fd.value(), fileOffset, memory,
                0, memory.total());
        op.iovecs = Arena.ofAuto().allocate((long) Math.max(1, Math.min(segs.length, Layouts.IOV_MAX))
                * Layouts.IOVEC_SIZE, 8);
        op.after = after;
        return op.holdAndSubmit(backend, fd, null);
    }

    @SuppressWarnings("unchecked")
    private static <T> T zero(Mode mode, boolean longResult) {
        return mode != Mode.ONCE ? null : longResult ? (T) (Long) 0L : (T) (Integer) 0;
    }

    private static void advance(ByteBuffer[] bufs, long n) {
        for (ByteBuffer b : bufs) {
            if (n <= 0) {
                return;
            }
            int step = (int) Math.min(n, b.remaining());
            b.position(b.position() + step);
            n -= step;
        }
    }

    // ---- the kernel side -------------------------------------------------------------------------

    @Override
    public KernelOp next() {
        long at = position < 0 ? -1 : position + done;
        if (iovecs != null) {
            int count = memory.iovecs(done, iovecs, (int) (iovecs.byteSize() / Layouts.IOVEC_SIZE));
            return kind == Kind.READV ? new KernelOp.Readv(rawFd, iovecs.address(), count, at)
                    : new KernelOp.Writev(rawFd, iovecs.address(), count, at);
        }
        long address = memory == null ? base + done : memory.address(done);
        int len = (int) Math.min(memory == null ? total - done : memory.length(done), MAX_RW_COUNT);
        return switch (kind) {
            case READ -> new KernelOp.Read(rawFd, address, len, at, bufIndex);
            case WRITE -> new KernelOp.Write(rawFd, address, len, at, bufIndex);
            case SEND -> new KernelOp.Send(rawFd, address, len, msgFlags);
            case RECV -> new KernelOp.Recv(rawFd, address, len, msgFlags);
            case READV, WRITEV -> throw new IllegalStateException(name + ": vectored without iovecs");
        };
    }

    @Override
    protected boolean onResult(long res) {
        if (res == 0 && kind.read) {
            if (mode == Mode.EXACT && done < total) {
                fail(new ShortReadException(name, done, total));
                return false;
            }
            finish(done == 0 && total > 0 ? -1 : done);
            return false;
        }
        if (res == 0 && done < total && mode != Mode.ONCE) {
            fail(new NativeIoException(name, Errno.EIO.value(), "the kernel wrote 0 of " + (total - done) + " bytes"));
            return false;
        }
        if (memory != null) {
            // A scoped copy out of bounce memory: throws (and the backend fails the op) if the caller
            // closed its memory meanwhile; the kernel only ever held ringio's.
            memory.landed(done, res);
            if (mode != Mode.ONCE && done + res < total && res > 0) {
                memory.stage(done + res);
            }
        }
        done += res;
        if (mode != Mode.ONCE && done < total) {
            return true;
        }
        finish(mode == Mode.ONCE ? res : done);
        return false;
    }

    @Override
    protected Throwable withProgress(Throwable t) {
        if (mode == Mode.ONCE) {
            return t;
        }
        if (done > 0 && after != null) {
            after.done(done); // a buffer's position moves past what was transferred, as java.nio's does
        }
        return Progress.failure(t, name, done, total);
    }

    @SuppressWarnings("unchecked")
    private void finish(long result) {
        if (after != null && result > 0) {
            after.done(result);
        }
        Object value;
        if (mode != Mode.ONCE) {
            value = null;
        } else if (kind == Kind.READV || kind == Kind.WRITEV) {
            value = result;
        } else {
            value = (int) result;
        }
        succeed((T) value);
    }
}
