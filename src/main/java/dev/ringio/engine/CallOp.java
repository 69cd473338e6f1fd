package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ringio.AtFlags;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.FileStat;
import dev.ringio.NativeIoException;
import dev.ringio.engine.uring.Layouts;
import dev.ringio.net.Domain;
import dev.ringio.net.Protocol;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketConstants;
import dev.ringio.net.SocketType;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An operation that is one kernel call with one answer, on every engine: noop, sleep, socket, fsync,
 * fdatasync, fallocate, ftruncate, statx, fstat, unlinkat, mkdirat, renameat, symlinkat, the
 * one-time poll of awaitReadable / awaitWritable, shutdown, bind, listen and connect. Its
 * description is the same for every attempt (built once); its
 * result is "done", the count the kernel returned (poll events), or the statx buffer parsed
 * ({@link Answer}). A failure is a {@link NativeIoException} naming the op and the path(s) it was
 * given.
 *
 * <p>The static methods are the public operations' argument checks and set-up, the same on every
 * engine; each returns the future of the op it submitted. Any thread.
 */
public final class CallOp<T> extends EngineOp<T> {

    /** What a successful result means. */
    enum Answer {
        /** Nothing: the future completes with null. */
        DONE,
        /** The kernel's count (poll events) as an Integer. */
        COUNT,
        /** The statx buffer, parsed into a {@link FileStat}. */
        STAT,
        /** A new socket's descriptor, as an {@link Fd} (closed if nobody can receive it). */
        SOCKET,
        /** The kernel's count of bytes moved (copy_file_range, sendfile) as a Long. */
        BYTES
    }

    private final KernelOp call;
    private final Answer answer;
    /** The op as its errors name it (a statx names its path in the op). */
    private final String errorOp;
    /** What its errors add (the path(s) of a path operation), or null. */
    private final String detail;
    /** The native memory {@link #call} points at (paths, the statx buffer): reachable until the op ends. */
    private final MemorySegment memory;
    @SuppressWarnings("unused") // keeps the arena behind the paths reachable while the kernel reads them
    private final Arena arena;
    /** An errno that means success ({@code ENOTCONN} for shutdown: the peer is gone already), or 0. */
    private int successErrno;

    private CallOp(String name, KernelOp call, Answer answer, String errorOp, String detail, MemorySegment memory,
                   Arena arena) {
        super(name);
        this.call = call;
        this.answer = answer;
        this.errorOp = errorOp;
        this.detail = detail;
        this.memory = memory;
        this.arena = arena;
    }

    // ---- the public operations -----------------------------------------------------------------

    /** A no-op round trip through the kernel. */
    public static CompletableFuture<Void> noop(Backend backend) {
        CallOp<Void> op = new CallOp<>("noop", KernelOp.Nop.INSTANCE, Answer.DONE, "noop", null, null, null);
        backend.submit(op);
        return op;
    }

    /**
     * A timer that completes normally at {@code deadline} ({@link System#nanoTime()} time; a
     * deadline before 0 is now) and whose {@code cancel} removes it from the backend: sleep,
     * sleepUntil, and the timer behind an op's deadline. The kernel reports expiry as ETIME, this
     * op's success. Any thread.
     */
    public static CompletableFuture<Void> sleepUntil(Backend backend, long deadline) {
        long at = Math.max(0, deadline); // CLOCK_MONOTONIC is never negative: before 0 is "now"
        Arena a = Arena.ofAuto();
        MemorySegment ts = a.allocate(Layouts.TIMESPEC_SIZE, 8);
        ts.set(JAVA_LONG, 0, at / 1_000_000_000L);
        ts.set(JAVA_LONG, 8, at % 1_000_000_000L);
        CallOp<Void> op = new CallOp<>("sleep", new KernelOp.Timeout(at, ts.address()), Answer.DONE, "sleep", null, ts,
                a);
        op.successErrno = Errno.ETIME.value();
        backend.submit(op);
        return op;
    }

    /** {@code socket(2)}, close-on-exec always: the new socket. */
    public static CompletableFuture<Fd> socket(Backend backend, Domain domain, Set<SocketType> type,
                                               Protocol protocol) {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(protocol, "protocol");
        int typeBits = SocketType.bits(Objects.requireNonNull(type, "type")) | SocketConstants.SOCK_CLOEXEC;
        KernelOp call = new KernelOp.Socket(domain.value(), typeBits, protocol.value());
        CallOp<Fd> op = new CallOp<>("socket", call, Answer.SOCKET, "socket", null, null, null);
        backend.submit(op);
        return op;
    }

    /** {@code fsync(2)}, or {@code fdatasync(2)} when {@code dataOnly}. */
    public static CompletableFuture<Void> fsync(Backend backend, Fd fd, boolean dataOnly) {
        Objects.requireNonNull(fd, "fd");
        String name = dataOnly ? "fdatasync" : "fsync";
        return onFd(backend, name, fd, new KernelOp.Fsync(fd.value(), dataOnly));
    }

    /** {@code fallocate(2)}: {@code offset >= 0}, {@code length > 0}. */
    public static CompletableFuture<Void> fallocate(Backend backend, Fd fd, int mode, long offset, long length) {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("fallocate: offset " + offset + " must be >= 0 and length " + length
                    + " > 0");
        }
        Objects.requireNonNull(fd, "fd");
        return onFd(backend, "fallocate", fd, new KernelOp.Fallocate(fd.value(), mode, offset, length));
    }

    /** {@code ftruncate(2)}; {@code length >= 0}. */
    public static CompletableFuture<Void> ftruncate(Backend backend, Fd fd, long length) {
        Objects.requireNonNull(fd, "fd");
        if (length < 0) {
            throw new IllegalArgumentException("ftruncate: negative length " + length);
        }
        return onFd(backend, "ftruncate", fd, new KernelOp.Ftruncate(fd.value(), length));
    }

    /** {@code awaitReadable} ({@code POLLIN}) or {@code awaitWritable} ({@code POLLOUT}): the events seen. */
    public static CompletableFuture<Integer> await(Backend backend, Fd fd, boolean readable) {
        return readable ? poll(backend, "awaitReadable", fd, Layouts.POLLIN)
                : poll(backend, "awaitWritable", fd, Layouts.POLLOUT);
    }

    /** Completes when {@code fd} has one of {@code events} ({@code POLLIN}, {@code POLLOUT}); the events seen. */
    public static CompletableFuture<Integer> poll(Backend backend, String name, Fd fd, int events) {
        Objects.requireNonNull(fd, "fd");
        KernelOp.Poll poll = new KernelOp.Poll(fd.value(), events);
        return new CallOp<Integer>(name, poll, Answer.COUNT, name, null, null, null).holdAndSubmit(backend, fd, null);
    }

    private static CompletableFuture<Void> onFd(Backend backend, String name, Fd fd, KernelOp call) {
        return new CallOp<Void>(name, call, Answer.DONE, name, null, null, null).holdAndSubmit(backend, fd, null);
    }

    /** {@code statx(2)} of {@code path} relative to {@code dir} (null: the current directory). */
    public static CompletableFuture<FileStat> statx(Backend backend, Fd dir, String path, int flags, int mask) {
        Objects.requireNonNull(path, "path");
        return stat(backend, "statx", dir, path, flags, mask);
    }

    /** {@code fstat}: statx of the descriptor itself ({@code AT_EMPTY_PATH}). */
    public static CompletableFuture<FileStat> fstat(Backend backend, Fd fd) {
        Objects.requireNonNull(fd, "fd");
        return stat(backend, "fstat", fd, null, AtFlags.AT_EMPTY_PATH, AtFlags.STATX_ALL);
    }

    private static CompletableFuture<FileStat> stat(Backend backend, String name, Fd dir, String path, int flags,
                                                    int mask) {
        Arena a = Arena.ofAuto();
        MemorySegment p = PathCoding.cString(a, name, path == null ? "" : path);
        MemorySegment buf = a.allocate(Layouts.STATX_SIZE, 8);
        int dirFd = dir == null ? AtFlags.AT_FDCWD : dir.value();
        CallOp<FileStat> op = new CallOp<>(name, new KernelOp.Statx(dirFd, p.address(), flags, mask, buf.address()),
                Answer.STAT, path == null ? name : name + " " + path, null, buf, a);
        return op.submitRelativeTo(backend, dir, null);
    }

    /** {@code unlinkat(2)}; {@code directory}: remove an empty directory (AT_REMOVEDIR). */
    public static CompletableFuture<Void> unlinkat(Backend backend, Fd dir, String path, boolean directory) {
        Objects.requireNonNull(path, "path");
        Arena a = Arena.ofAuto();
        MemorySegment p = PathCoding.cString(a, "unlinkat", path);
        KernelOp call = new KernelOp.Unlinkat(dirFd(dir), p.address(), directory ? AtFlags.AT_REMOVEDIR : 0);
        return new CallOp<Void>("unlinkat", call, Answer.DONE, "unlinkat", path, p, a)
                .submitRelativeTo(backend, dir, null);
    }

    /** {@code mkdirat(2)}; {@code mode} in 0..07777. */
    public static CompletableFuture<Void> mkdirat(Backend backend, Fd dir, String path, int mode) {
        Objects.requireNonNull(path, "path");
        OpenOp.checkMode("mkdirat", mode);
        Arena a = Arena.ofAuto();
        MemorySegment p = PathCoding.cString(a, "mkdirat", path);
        KernelOp call = new KernelOp.Mkdirat(dirFd(dir), p.address(), mode);
        return new CallOp<Void>("mkdirat", call, Answer.DONE, "mkdirat", path, p, a)
                .submitRelativeTo(backend, dir, null);
    }

    /** {@code renameat2(2)}; {@code flags} 0 or {@code RENAME_NOREPLACE} / {@code RENAME_EXCHANGE}. */
    public static CompletableFuture<Void> renameat(Backend backend, Fd oldDir, String oldPath, Fd newDir,
                                                   String newPath, int flags) {
        Objects.requireNonNull(oldPath, "oldPath");
        Objects.requireNonNull(newPath, "newPath");
        Arena a = Arena.ofAuto();
        MemorySegment o = PathCoding.cString(a, "renameat", oldPath);
        MemorySegment n = PathCoding.cString(a, "renameat", newPath);
        KernelOp call = new KernelOp.Renameat(dirFd(oldDir), o.address(), dirFd(newDir), n.address(), flags);
        return new CallOp<Void>("renameat", call, Answer.DONE, "renameat", oldPath + " -> " + newPath, o, a)
                .submitRelativeTo(backend, oldDir, newDir);
    }

    /** {@code symlinkat(2)}: creates {@code linkPath} (relative to {@code dir}) pointing at {@code target}. */
    public static CompletableFuture<Void> symlinkat(Backend backend, String target, Fd dir, String linkPath) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(linkPath, "linkPath");
        Arena a = Arena.ofAuto();
        MemorySegment t = PathCoding.cString(a, "symlinkat", target);
        MemorySegment l = PathCoding.cString(a, "symlinkat", linkPath);
        KernelOp call = new KernelOp.Symlinkat(dirFd(dir), t.address(), l.address());
        return new CallOp<Void>("symlinkat", call, Answer.DONE, "symlinkat", linkPath + " -> " + target, t, a)
                .submitRelativeTo(backend, dir, null);
    }

    /** {@code shutdown(2)}; ENOTCONN (the peer already gone) is not an error. */
    public static CompletableFuture<Void> shutdown(Backend backend, Fd fd, ShutdownHow how) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(how, "how");
        KernelOp call = new KernelOp.Shutdown(fd.value(), how.value());
        CallOp<Void> op = new CallOp<>("shutdown", call, Answer.DONE, "shutdown", null, null, null);
        op.successErrno = Errno.ENOTCONN.value();
        return op.holdAndSubmit(backend, fd, null);
    }

    /** {@code bind(2)} to {@code address}; a failure names it. */
    public static CompletableFuture<Void> bind(Backend backend, Fd fd, SockAddr address) {
        return toAddress(backend, false, fd, address);
    }

    /** {@code connect(2)} to {@code address}: completes when connected; a failure names the address. */
    public static CompletableFuture<Void> connect(Backend backend, Fd fd, SockAddr address) {
        return toAddress(backend, true, fd, address);
    }

    private static CompletableFuture<Void> toAddress(Backend backend, boolean connect, Fd fd, SockAddr address) {
        String name = connect ? "connect" : "bind";
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(address, "address");
        MemorySegment sa = Arena.ofAuto().allocate(SockAddr.MAX_SIZE, 8);
        int len = address.encode(sa);
        KernelOp call = connect ? new KernelOp.Connect(fd.value(), sa.address(), len)
                : new KernelOp.Bind(fd.value(), sa.address(), len);
        return new CallOp<Void>(name, call, Answer.DONE, name, address.toString(), sa, null)
                .holdAndSubmit(backend, fd, null);
    }

    /** {@code listen(2)}; {@code backlog >= 0}. */
    public static CompletableFuture<Void> listen(Backend backend, Fd fd, int backlog) {
        Objects.requireNonNull(fd, "fd");
        if (backlog < 0) {
            throw new IllegalArgumentException("listen: negative backlog " + backlog);
        }
        return onFd(backend, "listen", fd, new KernelOp.Listen(fd.value(), backlog));
    }

    // ---- permissions, ownership, hard links, in-kernel copies (issue 13) -------------------------
    // io_uring has no opcode for these but linkat: that engine makes them off its loop (Syscalls).

    /** {@code socket(2)} with a raw protocol number ({@code >= 0}; 0: the domain's usual one), close-on-exec always. */
    public static CompletableFuture<Fd> socket(Backend backend, Domain domain, Set<SocketType> type, int protocol) {
        Objects.requireNonNull(domain, "domain");
        if (protocol < 0) {
            throw new IllegalArgumentException("socket: negative protocol " + protocol);
        }
        int typeBits = SocketType.bits(Objects.requireNonNull(type, "type")) | SocketConstants.SOCK_CLOEXEC;
        CallOp<Fd> op = new CallOp<>("socket", new KernelOp.Socket(domain.value(), typeBits, protocol), Answer.SOCKET,
                "socket", null, null, null);
        backend.submit(op);
        return op;
    }

    /** {@code fchmodat(2)}; {@code mode} in 0..07777, {@code flags} 0 or {@code AT_SYMLINK_NOFOLLOW}. */
    public static CompletableFuture<Void> fchmodat(Backend backend, Fd dir, String path, int mode, int flags) {
        Objects.requireNonNull(path, "path");
        checkPermissionBits("fchmodat", mode);
        checkFlags("fchmodat", flags, AtFlags.AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW");
        Arena a = Arena.ofAuto();
        MemorySegment p = PathCoding.cString(a, "fchmodat", path);
        KernelOp call = new KernelOp.Fchmodat(dirFd(dir), p.address(), mode, flags);
        return new CallOp<Void>("fchmodat", call, Answer.DONE, "fchmodat", path, p, a)
                .submitRelativeTo(backend, dir, null);
    }

    /** {@code fchmod(2)}; {@code mode} in 0..07777. */
    public static CompletableFuture<Void> fchmod(Backend backend, Fd fd, int mode) {
        Objects.requireNonNull(fd, "fd");
        checkPermissionBits("fchmod", mode);
        return onFd(backend, "fchmod", fd, new KernelOp.Fchmod(fd.value(), mode));
    }

    /** {@code fchownat(2)}; ids {@code >= -1} (-1: unchanged), {@code flags} of {@code AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH}. */
    public static CompletableFuture<Void> fchownat(Backend backend, Fd dir, String path, int uid, int gid, int flags) {
        Objects.requireNonNull(path, "path");
        checkIds("fchownat", uid, gid);
        checkFlags("fchownat", flags, AtFlags.AT_SYMLINK_NOFOLLOW | AtFlags.AT_EMPTY_PATH,
                "AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH");
        Arena a = Arena.ofAuto();
        MemorySegment p = PathCoding.cString(a, "fchownat", path);
        KernelOp call = new KernelOp.Fchownat(dirFd(dir), p.address(), uid, gid, flags);
        return new CallOp<Void>("fchownat", call, Answer.DONE, "fchownat", path, p, a)
                .submitRelativeTo(backend, dir, null);
    }

    /** {@code fchown(2)}; ids {@code >= -1} (-1: unchanged). */
    public static CompletableFuture<Void> fchown(Backend backend, Fd fd, int uid, int gid) {
        Objects.requireNonNull(fd, "fd");
        checkIds("fchown", uid, gid);
        return onFd(backend, "fchown", fd, new KernelOp.Fchown(fd.value(), uid, gid));
    }

    /** {@code linkat(2)}; {@code flags} of {@code AT_SYMLINK_FOLLOW | AT_EMPTY_PATH}. */
    public static CompletableFuture<Void> linkat(Backend backend, Fd oldDir, String oldPath, Fd newDir, String newPath,
                                                 int flags) {
        Objects.requireNonNull(oldPath, "oldPath");
        Objects.requireNonNull(newPath, "newPath");
        checkFlags("linkat", flags, AtFlags.AT_SYMLINK_FOLLOW | AtFlags.AT_EMPTY_PATH, "AT_SYMLINK_FOLLOW | AT_EMPTY_PATH");
        Arena a = Arena.ofAuto();
        MemorySegment o = PathCoding.cString(a, "linkat", oldPath);
        MemorySegment n = PathCoding.cString(a, "linkat", newPath);
        KernelOp call = new KernelOp.Linkat(dirFd(oldDir), o.address(), dirFd(newDir), n.address(), flags);
        return new CallOp<Void>("linkat", call, Answer.DONE, "linkat", oldPath + " -> " + newPath, o, a)
                .submitRelativeTo(backend, oldDir, newDir);
    }

    /** {@code copy_file_range(2)}: offsets {@code >= 0}, or -1 for the descriptor's position; {@code length >= 0}. */
    public static CompletableFuture<Long> copyFileRange(Backend backend, Fd in, long inOffset, Fd out, long outOffset,
                                                        long length) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        checkOffset("copyFileRange", "inOffset", inOffset);
        checkOffset("copyFileRange", "outOffset", outOffset);
        if (length < 0) {
            throw new IllegalArgumentException("copyFileRange: negative length " + length);
        }
        KernelOp call = new KernelOp.CopyFileRange(in.value(), inOffset, out.value(), outOffset, length);
        return new CallOp<Long>("copyFileRange", call, Answer.BYTES, "copyFileRange", null, null, null)
                .holdBothAndSubmit(backend, in, out);
    }

    /** {@code sendfile(2)}: {@code offset >= 0}, or -1 for {@code in}'s position; {@code count >= 0}. */
    public static CompletableFuture<Long> sendfile(Backend backend, Fd out, Fd in, long offset, long count) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(in, "in");
        checkOffset("sendfile", "offset", offset);
        if (count < 0) {
            throw new IllegalArgumentException("sendfile: negative count " + count);
        }
        KernelOp call = new KernelOp.Sendfile(out.value(), in.value(), offset, count);
        // out is the op's descriptor: the one a readiness engine waits on to be writable.
        return new CallOp<Long>("sendfile", call, Answer.BYTES, "sendfile", null, null, null)
                .holdBothAndSubmit(backend, out, in);
    }

    private static void checkPermissionBits(String op, int mode) {
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException(op + ": mode 0" + Integer.toOctalString(mode) + " is not in 0..07777");
        }
    }

    private static void checkFlags(String op, int flags, int allowed, String allowedNames) {
        if ((flags & ~allowed) != 0) {
            throw new IllegalArgumentException(op + ": flags 0x" + Integer.toHexString(flags) + " not of " + allowedNames);
        }
    }

    private static void checkIds(String op, int uid, int gid) {
        if (uid < -1 || gid < -1) {
            throw new IllegalArgumentException(op + ": uid " + uid + " and gid " + gid + " must be >= 0, or -1 (unchanged)");
        }
    }

    private static void checkOffset(String op, String what, long offset) {
        if (offset < -1) {
            throw new IllegalArgumentException(op + ": " + what + " " + offset + " must be >= 0, or -1 (the position)");
        }
    }

    /** Holds {@code first} (the op's {@link #fd}) and {@code second} (its {@link #other}), then submits. */
    private CompletableFuture<T> holdBothAndSubmit(Backend backend, Fd first, Fd second) {
        try {
            hold(first, null);
            second.acquire(name);
            other = second;
        } catch (NativeIoException | IllegalStateException e) {
            releaseResources();
            return CompletableFuture.failedFuture(e);
        }
        backend.submit(this);
        return this;
    }

    private static int dirFd(Fd dir) {
        return dir == null ? AtFlags.AT_FDCWD : dir.value();
    }

    /**
     * Holds {@code dir} (the op's {@link #other}) and {@code newDir} (passed along, held too), then
     * submits; a closed one fails the future with what was taken released.
     */
    private CompletableFuture<T> submitRelativeTo(Backend backend, Fd dir, Fd newDir) {
        try {
            holdDir(dir);
            if (newDir != null) {
                newDir.acquire(name);
                passed = List.of(newDir);
            }
        } catch (NativeIoException e) {
            releaseResources();
            return CompletableFuture.failedFuture(e);
        }
        backend.submit(this);
        return this;
    }

    // ---- the kernel side -------------------------------------------------------------------------

    /** The same call every attempt (an EINTR retries it as it was). */
    @Override
    public KernelOp next() {
        return call;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected boolean onResult(long res) {
        Object value = switch (answer) {
            case DONE -> null;
            case COUNT -> (int) Math.max(res, 0);
            case STAT -> parseStatx(memory);
            case SOCKET -> Fd.adopt((int) res, Fd.Kind.SOCKET);
            case BYTES -> res;
        };
        succeed((T) value);
        return false;
    }

    @Override
    protected boolean isSuccessErrno(int errno) {
        return successErrno != 0 && errno == successErrno;
    }

    @Override
    protected Exception error(int errno) {
        return new NativeIoException(errorOp, errno, detail);
    }

    /** Decodes a {@code struct statx} the kernel filled. */
    static FileStat parseStatx(MemorySegment b) {
        int mask = b.get(JAVA_INT, Layouts.STATX_MASK);
        Instant btime = (mask & AtFlags.STATX_BTIME) != 0 ? timestamp(b, Layouts.STATX_BTIME) : null;
        return new FileStat(mask, Short.toUnsignedInt(b.get(JAVA_SHORT, Layouts.STATX_MODE)),
                b.get(JAVA_LONG, Layouts.STATX_INO), Integer.toUnsignedLong(b.get(JAVA_INT, Layouts.STATX_NLINK)),
                b.get(JAVA_INT, Layouts.STATX_UID), b.get(JAVA_INT, Layouts.STATX_GID),
                b.get(JAVA_LONG, Layouts.STATX_SIZE_FIELD), b.get(JAVA_LONG, Layouts.STATX_BLOCKS),
                b.get(JAVA_INT, Layouts.STATX_BLKSIZE), timestamp(b, Layouts.STATX_ATIME),
                timestamp(b, Layouts.STATX_MTIME), timestamp(b, Layouts.STATX_CTIME), btime,
                b.get(JAVA_INT, Layouts.STATX_DEV_MAJOR), b.get(JAVA_INT, Layouts.STATX_DEV_MINOR));
    }

    private static Instant timestamp(MemorySegment b, int offset) {
        return Instant.ofEpochSecond(b.get(JAVA_LONG, offset), Integer.toUnsignedLong(b.get(JAVA_INT, offset + 8)));
    }
}
