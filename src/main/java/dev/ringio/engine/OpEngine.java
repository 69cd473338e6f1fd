package dev.ringio.engine;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import dev.ringio.BufferRing;
import dev.ringio.Capability;
import dev.ringio.EngineClosedException;
import dev.ringio.Fd;
import dev.ringio.FileStat;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.Resolve;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.Accepted;
import dev.ringio.net.AddrInfo;
import dev.ringio.net.Domain;
import dev.ringio.net.Hints;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.Resolver;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketType;

/**
 * What every engine's public operations mean, written once: each {@link IoEngine} operation here
 * is the op layer's ({@link TransferOp}, {@link CallOp}, {@link OpenOp}, {@link AcceptOp},
 * {@link MsgOp}, {@link SpliceOp}, {@link Closing}) run on this engine as its {@link Backend}. A
 * backend (the io_uring engine, the readiness engine) extends this class with its machinery (set-up,
 * loop, queue, submission, cancellation, shutdown) and answers the few questions where engines
 * differ through small hooks: where a name lookup runs ({@link #resolverThreads()}), the loop's
 * runner ({@link #loopRunner()}), how a zero-copy send is made ({@link #zeroCopySend}), how a
 * buffer ring is made ({@link #newBufferRing}). What a backend does differently for one operation
 * (an opcode the kernel lacks, a splice that waits for its source first) it overrides.
 *
 * <p>Threading: every public method is safe from any thread, as {@link IoEngine} says; futures
 * complete on the engine's loop thread. The hooks say their own rule.
 */
public abstract class OpEngine implements IoEngine, Backend {

    private final String name;

    /** An engine called {@code name} ({@link #name()}: "io_uring", "epoll", "kqueue"). */
    protected OpEngine(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    // ---- hooks: where engines differ --------------------------------------------------------------

    /**
     * Where {@link #getaddrinfo}'s blocking lookup runs (the engine's off-loop threads); an executor
     * that refuses work (shut down with the engine) makes the lookup fail with
     * {@link EngineClosedException}. Any thread.
     */
    protected abstract Executor resolverThreads();

    /** The runner of the engine's loop (its parks and need-wakeup flag). Any thread. */
    protected abstract AgentRunner loopRunner();

    /**
     * The zero-copy send of {@code src} (whose memory {@link #sendZeroCopy} has checked) with the
     * {@code MSG_*} bits {@code msgFlags} (from {@code flags}, with MSG_NOSIGNAL), on an engine
     * that has {@link Capability#ZERO_COPY_SEND}. By default an ordinary send, which moves the same
     * bytes with a copy. Any thread.
     */
    protected CompletableFuture<Integer> zeroCopySend(Fd fd, ByteBuffer src, Set<MsgFlag> flags, int msgFlags) {
        return send(fd, src, flags);
    }

    /**
     * A new buffer ring of this engine, its arguments checked and the engine open (see
     * {@link #bufferRing}). Any thread.
     */
    protected abstract BufferRing newBufferRing(int entries, int bufferSize);

    // ---- properties -------------------------------------------------------------------------------

    @Override
    public final String name() {
        return name;
    }

    /** How many times the idle loop has parked (in io_uring_enter, or the poller's wait). Any thread. */
    public final long parks() {
        return loopRunner().parks();
    }

    /** Whether the loop has announced a park and not woken since (idle, or about to be). Any thread. */
    public final boolean isParking() {
        return loopRunner().isParking();
    }

    // ---- operations -------------------------------------------------------------------------------

    @Override
    public final CompletableFuture<Void> noop() {
        return CallOp.noop(this);
    }

    @Override
    public final CompletableFuture<Void> sleepUntil(long deadline) {
        return CallOp.sleepUntil(this, deadline);
    }

    @Override
    public final CompletableFuture<Void> sleep(Duration delay) {
        return sleepUntil(deadlineAfter(delay));
    }

    /** {@link Backend#timer}: a {@link #sleepUntil} timer, which its cancel removes. Any thread. */
    @Override
    public final CompletableFuture<Void> timer(long deadline) {
        return sleepUntil(deadline);
    }

    /** The {@link System#nanoTime()} deadline {@code delay} from now, saturating far in the future. */
    private static long deadlineAfter(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("sleep: negative duration " + delay);
        }
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 2;
        }
        long now = System.nanoTime();
        return nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
    }

    @Override
    public final CompletableFuture<Fd> open(Path path, int flags, int mode) {
        Objects.requireNonNull(path, "path");
        return openat2(null, PathCoding.pathString(path), flags, mode, Set.of());
    }

    @Override
    public final CompletableFuture<Fd> openat2(Fd dir, String path, int flags, int mode, Set<Resolve> resolve) {
        return OpenOp.openat2(this, dir, path, flags, mode, resolve);
    }

    @Override
    public final CompletableFuture<Void> close(Fd fd) {
        return Closing.close(this, fd);
    }

    @Override
    public final CompletableFuture<Integer> readUpTo(Fd fd, Chunk chunk, int len, long fileOffset) {
        return TransferOp.chunk(this, "read", true, TransferOp.Mode.ONCE, fd, chunk, len, fileOffset);
    }

    @Override
    public final CompletableFuture<Void> readExactly(Fd fd, Chunk chunk, int len, long fileOffset) {
        return TransferOp.chunk(this, "readExactly", true, TransferOp.Mode.EXACT, fd, chunk, len, fileOffset);
    }

    @Override
    public final CompletableFuture<Void> write(Fd fd, Chunk chunk, int len, long fileOffset) {
        return TransferOp.chunk(this, "write", false, TransferOp.Mode.ALL, fd, chunk, len, fileOffset);
    }

    @Override
    public final CompletableFuture<Integer> read(Fd fd, MemorySegment dst, long fileOffset) {
        return TransferOp.segment(this, "read", true, fd, dst, fileOffset);
    }

    @Override
    public final CompletableFuture<Integer> read(Fd fd, ByteBuffer dst, long fileOffset) {
        return TransferOp.buffer(this, "read", true, fd, dst, fileOffset);
    }

    @Override
    public final CompletableFuture<Void> write(Fd fd, MemorySegment src, long fileOffset) {
        return TransferOp.segment(this, "write", false, fd, src, fileOffset);
    }

    @Override
    public final CompletableFuture<Void> write(Fd fd, ByteBuffer src, long fileOffset) {
        return TransferOp.buffer(this, "write", false, fd, src, fileOffset);
    }

    @Override
    public final CompletableFuture<Long> readv(Fd fd, ByteBuffer[] dsts, long fileOffset) {
        return TransferOp.readv(this, fd, dsts, fileOffset);
    }

    @Override
    public final CompletableFuture<Long> readv(Fd fd, MemorySegment[] dsts, long fileOffset) {
        return TransferOp.readv(this, fd, dsts, fileOffset);
    }

    @Override
    public final CompletableFuture<Void> writev(Fd fd, ByteBuffer[] srcs, long fileOffset) {
        return TransferOp.writev(this, "writev", TransferOp.Mode.ALL, fd, srcs, fileOffset);
    }

    @Override
    public final CompletableFuture<Long> writevSingle(Fd fd, ByteBuffer[] srcs, long fileOffset) {
        return TransferOp.writev(this, "writevSingle", TransferOp.Mode.ONCE, fd, srcs, fileOffset);
    }

    @Override
    public final CompletableFuture<Void> fsync(Fd fd) {
        return CallOp.fsync(this, fd, false);
    }

    @Override
    public final CompletableFuture<Void> fdatasync(Fd fd) {
        return CallOp.fsync(this, fd, true);
    }

    @Override
    public final CompletableFuture<Void> fallocate(Fd fd, int mode, long offset, long length) {
        return CallOp.fallocate(this, fd, mode, offset, length);
    }

    /** {@inheritDoc} IORING_OP_FTRUNCATE is kernel 6.9; before that, io_uring runs the syscall off the loop. */
    @Override
    public final CompletableFuture<Void> ftruncate(Fd fd, long length) {
        return CallOp.ftruncate(this, fd, length);
    }

    /** {@inheritDoc} No engine has an opcode for it: getdents64 off the loop. */
    @Override
    public final CompletableFuture<List<String>> readDir(Fd dir) {
        return ReadDirOp.readDir(this, dir);
    }

    /** {@inheritDoc} No engine has an opcode for it: getrandom(2) off the loop. */
    @Override
    public final CompletableFuture<Integer> getrandom(MemorySegment dst) {
        return GetrandomOp.getrandom(this, dst);
    }

    @Override
    public final CompletableFuture<Void> fchmodat(Fd dir, String path, int mode, int flags) {
        return CallOp.fchmodat(this, dir, path, mode, flags);
    }

    @Override
    public final CompletableFuture<Void> fchmod(Fd fd, int mode) {
        return CallOp.fchmod(this, fd, mode);
    }

    @Override
    public final CompletableFuture<Void> fchownat(Fd dir, String path, int uid, int gid, int flags) {
        return CallOp.fchownat(this, dir, path, uid, gid, flags);
    }

    @Override
    public final CompletableFuture<Void> fchown(Fd fd, int uid, int gid) {
        return CallOp.fchown(this, fd, uid, gid);
    }

    /** {@inheritDoc} IORING_OP_LINKAT is kernel 5.15; before that, io_uring runs the syscall off the loop. */
    @Override
    public final CompletableFuture<Void> linkat(Fd oldDir, String oldPath, Fd newDir, String newPath, int flags) {
        return CallOp.linkat(this, oldDir, oldPath, newDir, newPath, flags);
    }

    /** {@inheritDoc} io_uring has no opcode for it: the syscall off the loop on every engine. */
    @Override
    public final CompletableFuture<Long> copyFileRange(Fd in, long inOffset, Fd out, long outOffset, long length) {
        return CallOp.copyFileRange(this, in, inOffset, out, outOffset, length);
    }

    /** {@inheritDoc} io_uring has no opcode for it: the syscall off the loop (abandoned on cancel when it may never return). */
    @Override
    public final CompletableFuture<Long> sendfile(Fd out, Fd in, long offset, long count) {
        return CallOp.sendfile(this, out, in, offset, count);
    }

    /** {@inheritDoc} IORING_OP_SOCKET is kernel 5.19; before that, io_uring runs the syscall off the loop. */
    @Override
    public final CompletableFuture<Fd> socket(Domain domain, Set<SocketType> type, Protocol protocol) {
        return CallOp.socket(this, domain, type, protocol);
    }

    @Override
    public final CompletableFuture<Fd> socket(Domain domain, Set<SocketType> type, int protocol) {
        return CallOp.socket(this, domain, type, protocol);
    }

    /** {@inheritDoc} IORING_OP_BIND is kernel 6.11; before that, io_uring runs the syscall off the loop. */
    @Override
    public final CompletableFuture<Void> bind(Fd fd, SockAddr address) {
        return CallOp.bind(this, fd, address);
    }

    /** {@inheritDoc} IORING_OP_LISTEN is kernel 6.11; before that, io_uring runs the syscall off the loop. */
    @Override
    public final CompletableFuture<Void> listen(Fd fd, int backlog) {
        return CallOp.listen(this, fd, backlog);
    }

    @Override
    public final CompletableFuture<FileStat> statx(Fd dir, String path, int flags, int mask) {
        return CallOp.statx(this, dir, path, flags, mask);
    }

    @Override
    public final CompletableFuture<FileStat> fstat(Fd fd) {
        return CallOp.fstat(this, fd);
    }

    @Override
    public final CompletableFuture<Void> unlinkat(Fd dir, String path, boolean directory) {
        return CallOp.unlinkat(this, dir, path, directory);
    }

    @Override
    public final CompletableFuture<Void> mkdirat(Fd dir, String path, int mode) {
        return CallOp.mkdirat(this, dir, path, mode);
    }

    @Override
    public final CompletableFuture<Void> renameat(Fd oldDir, String oldPath, Fd newDir, String newPath, int flags) {
        return CallOp.renameat(this, oldDir, oldPath, newDir, newPath, flags);
    }

    @Override
    public final CompletableFuture<Void> symlinkat(String target, Fd dir, String linkPath) {
        return CallOp.symlinkat(this, target, dir, linkPath);
    }

    @Override
    public final CompletableFuture<Integer> awaitReadable(Fd fd) {
        return CallOp.await(this, fd, true);
    }

    @Override
    public final CompletableFuture<Integer> awaitWritable(Fd fd) {
        return CallOp.await(this, fd, false);
    }

    // ---- sockets ----------------------------------------------------------------------------------

    /** The lookup runs on {@link #resolverThreads()}: getaddrinfo(3) blocks, and the loop never does. */
    @Override
    public final CompletableFuture<List<AddrInfo>> getaddrinfo(String node, String service, Hints hints) {
        if (isClosed()) {
            return CompletableFuture.failedFuture(new EngineClosedException("getaddrinfo"));
        }
        try {
            return Resolver.getaddrinfoAsync(node, service, hints, resolverThreads());
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new EngineClosedException("getaddrinfo"));
        }
    }

    @Override
    public final CompletableFuture<Accepted> accept(Fd listener) {
        return AcceptOp.accept(this, listener);
    }

    @Override
    public final CompletableFuture<Void> connect(Fd fd, SockAddr address) {
        return CallOp.connect(this, fd, address);
    }

    @Override
    public final CompletableFuture<Integer> send(Fd fd, ByteBuffer src, Set<MsgFlag> flags) {
        return TransferOp.bufferSocket(this, "send", false, TransferOp.Mode.ONCE, fd, src, flags);
    }

    @Override
    public final CompletableFuture<Void> sendAll(Fd fd, ByteBuffer src, Set<MsgFlag> flags) {
        return TransferOp.bufferSocket(this, "sendAll", false, TransferOp.Mode.ALL, fd, src, flags);
    }

    @Override
    public final CompletableFuture<Integer> recv(Fd fd, ByteBuffer dst, Set<MsgFlag> flags) {
        return TransferOp.bufferSocket(this, "recv", true, TransferOp.Mode.ONCE, fd, dst, flags);
    }

    @Override
    public final CompletableFuture<Integer> send(Fd fd, Chunk chunk, int len, Set<MsgFlag> flags) {
        return TransferOp.chunkSocket(this, "send", false, fd, chunk, len, flags);
    }

    @Override
    public final CompletableFuture<Integer> recv(Fd fd, Chunk chunk, int len, Set<MsgFlag> flags) {
        return TransferOp.chunkSocket(this, "recv", true, fd, chunk, len, flags);
    }

    @Override
    public final CompletableFuture<Integer> sendTo(Fd fd, ByteBuffer src, Set<MsgFlag> flags, SockAddr destination) {
        return MsgOp.sendTo(this, fd, src, flags, destination);
    }

    @Override
    public final CompletableFuture<ReceivedMessage> recvFrom(Fd fd, ByteBuffer dst, Set<MsgFlag> flags) {
        return MsgOp.recvFrom(this, fd, dst, flags);
    }

    @Override
    public final CompletableFuture<Long> sendMsg(Fd fd, ByteBuffer[] buffers, List<Fd> fds, SockAddr destination) {
        return MsgOp.sendMsg(this, fd, buffers, fds, destination);
    }

    @Override
    public final CompletableFuture<ReceivedMessage> recvMsg(Fd fd, ByteBuffer[] buffers) {
        return MsgOp.recvMsg(this, fd, buffers);
    }

    @Override
    public final CompletableFuture<ReceivedMessage> recvMsgWithFds(Fd fd, int maxFds, ByteBuffer[] buffers) {
        return MsgOp.recvMsgWithFds(this, fd, maxFds, buffers);
    }

    @Override
    public final CompletableFuture<Void> shutdown(Fd fd, ShutdownHow how) {
        return CallOp.shutdown(this, fd, how);
    }

    /** {@link SpliceOp#splice}; a backend whose kernel splice cannot be cancelled while it waits overrides it. */
    @Override
    public CompletableFuture<Integer> splice(Fd src, Fd dst, int len) {
        return SpliceOp.splice(this, src, dst, len);
    }

    /**
     * The same checks in the same order on every engine: nulls, the flags, memory that is not alive
     * or of a confined arena (each throws); then, on an engine without
     * {@link Capability#ZERO_COPY_SEND}, a closed descriptor fails the future with EBADF and an open
     * one with an {@link UnsupportedOperationException} naming the engine; otherwise
     * {@link #zeroCopySend}.
     */
    @Override
    public final CompletableFuture<Integer> sendZeroCopy(Fd fd, ByteBuffer src, Set<MsgFlag> flags) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(src, "src");
        // The flags before the memory: a null flags set must not strand a bounce span taken later.
        int msgFlags = TransferOp.msgFlags(flags, true);
        Bounce.check("sendZeroCopy", MemorySegment.ofBuffer(src));
        if (!supports(Capability.ZERO_COPY_SEND)) {
            try {
                fd.acquire("sendZeroCopy");
                fd.release();
            } catch (NativeIoException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.failedFuture(new UnsupportedOperationException("sendZeroCopy: not supported by the "
                    + name + " engine (no " + Capability.ZERO_COPY_SEND + " capability)"));
        }
        return zeroCopySend(fd, src, flags, msgFlags);
    }

    /**
     * The same checks on every engine: {@code entries} a power of two in
     * 1..{@link BufferRing#MAX_ENTRIES} (io_uring's own limit), {@code bufferSize} at least one byte,
     * the buffers together at most {@link BufferRing#MAX_TOTAL_BYTES}, and the engine open; then
     * {@link #newBufferRing}.
     */
    @Override
    public final BufferRing bufferRing(int entries, int bufferSize) {
        String limits = " (entries: a power of two in 1.." + BufferRing.MAX_ENTRIES + "; buffer size >= 1 byte; entries"
                + " x buffer size <= " + BufferRing.MAX_TOTAL_BYTES + " bytes)";
        if (entries < 1 || entries > BufferRing.MAX_ENTRIES || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("bufferRing: " + entries + " entries" + limits);
        }
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferRing: buffer size " + bufferSize + limits);
        }
        long total = (long) entries * bufferSize;
        if (total > BufferRing.MAX_TOTAL_BYTES) {
            throw new IllegalArgumentException("bufferRing: " + entries + " buffers of " + bufferSize + " bytes take "
                    + total + " bytes" + limits);
        }
        if (isClosed()) {
            throw new EngineClosedException("bufferRing");
        }
        return newBufferRing(entries, bufferSize);
    }
}
