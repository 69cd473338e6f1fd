package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ringio.BufferRing;
import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.Resolve;
import dev.ringio.buffers.Chunk;
import dev.ringio.engine.uring.Layouts;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.net.SocketConstants;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The argument checks and argument encodings every engine makes before anything reaches the
 * kernel, so that a bad argument fails the same way (same exception, same words) on every engine.
 * Stateless; any thread.
 */
public final class Checks {

    private Checks() {
    }

    /** A file offset is {@code >= 0}, or {@code -1} for the current position. */
    public static void offset(String op, long fileOffset) {
        if (fileOffset < -1) {
            throw new IllegalArgumentException(op + ": file offset " + fileOffset + " (use >= 0, or -1 for the current position)");
        }
    }

    /** A chunk transfer: non-null fd and chunk, {@code 0 <= len <= chunk.size()}, a valid offset. */
    public static void chunkArgs(String op, Fd fd, Chunk chunk, int len, long fileOffset) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(chunk, "chunk");
        if (len < 0) {
            throw new IllegalArgumentException(op + ": negative length " + len);
        }
        if (len > chunk.size()) {
            throw new IllegalArgumentException(op + ": length " + len + " exceeds the chunk's " + chunk.size() + " bytes");
        }
        offset(op, fileOffset);
    }

    /**
     * A read or receive with no room (zero bytes asked for) completes with {@code zero} at once,
     * without waiting for data and without consuming any, as the JDK's {@code read} with no
     * remaining bytes returns 0 at once (a zero-length {@code recv(2)} on a socket would wait for
     * data first). A closed engine or descriptor fails as the operation would have.
     */
    public static <T> CompletableFuture<T> nothingToRead(String op, boolean engineClosed, Fd fd, T zero) {
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

    /**
     * A message receive ({@code recvFrom}, {@code recvMsg}, {@code recvMsgWithFds}) with no room
     * in any buffer: on a stream socket it completes at once with 0 bytes (no sender, no
     * descriptors), as the JDK's scattering read with no room returns 0; null otherwise, and the
     * kernel receives the message (a datagram is taken and truncated, as
     * {@code DatagramChannel.receive} takes it into a full buffer). Null too when the socket's type
     * cannot be read (closed, not a socket), or the engine is closed: the operation itself then
     * reports the error.
     */
    public static CompletableFuture<ReceivedMessage> nothingToReceive(boolean engineClosed, Fd fd, ByteBuffer[] buffers) {
        if (engineClosed) {
            return null;
        }
        for (ByteBuffer b : buffers) {
            if (b == null || b.hasRemaining()) {
                return null;
            }
        }
        try {
            if (Sockets.type(fd) != SocketType.STREAM) {
                return null;
            }
        } catch (NativeIoException | RuntimeException e) {
            return null;
        }
        return CompletableFuture.completedFuture(new ReceivedMessage(0, null, List.of(), Set.of()));
    }

    /** Whether every one of {@code segs} is empty (a vectored read with no room). */
    public static boolean allEmpty(MemorySegment[] segs) {
        for (MemorySegment s : segs) {
            if (s.byteSize() != 0) {
                return false;
            }
        }
        return true;
    }

    /** The {@code MSG_*} bits of {@code flags}; sends add {@code MSG_NOSIGNAL}, so a closed peer is EPIPE, never a SIGPIPE. */
    public static int msgFlags(Set<MsgFlag> flags, boolean send) {
        int bits = MsgFlag.bits(Objects.requireNonNull(flags, "flags"));
        return send ? bits | SocketConstants.MSG_NOSIGNAL : bits;
    }

    /**
     * Whether a non-blocking first attempt that failed with {@code -errno} should be left to the
     * engine's blocking path: EAGAIN and EINTR always; for a {@code preadv2(RWF_NOWAIT)} read also
     * EOPNOTSUPP and EINVAL (a file system or kernel without non-blocking reads), where the
     * blocking read gives the real answer.
     */
    public static boolean leaveToEngine(int errno, boolean nowaitRead) {
        return errno == Errno.EAGAIN.value() || errno == Errno.EINTR.value()
                || nowaitRead && (errno == Errno.EOPNOTSUPP.value() || errno == Errno.EINVAL.value());
    }

    /** The {@link System#nanoTime()} deadline {@code delay} from now, saturating far in the future. */
    public static long deadlineAfter(Duration delay) {
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

    /** Permission bits for a created file or directory: 0..07777. */
    public static void mode(String op, int mode) {
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException(op + ": mode 0" + Integer.toOctalString(mode) + " outside 0..07777");
        }
    }

    /**
     * A buffer ring, the same checks on every engine: {@code entries} a power of two in
     * 1..{@link BufferRing#MAX_ENTRIES} (io_uring's own limit), {@code bufferSize} at least one
     * byte, and the buffers together at most {@link BufferRing#MAX_TOTAL_BYTES}.
     */
    public static void bufferRing(int entries, int bufferSize) {
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
    }

    /** How many descriptors one receive accepts: 1..SCM_MAX_FD. */
    public static void maxFds(int maxFds) {
        if (maxFds < 1 || maxFds > MsgHeader.MAX_FDS) {
            throw new IllegalArgumentException("recvMsgWithFds: maxFds " + maxFds + " outside 1..253 (SCM_MAX_FD)");
        }
    }

    /** A {@code struct open_how} for openat2: {@code flags} plus O_CLOEXEC, {@code mode}, the RESOLVE_* bits. */
    public static MemorySegment openHow(Arena arena, int flags, int mode, Set<Resolve> resolve) {
        Objects.requireNonNull(resolve, "resolve");
        mode("openat2", mode);
        MemorySegment how = arena.allocate(Layouts.OPEN_HOW_SIZE, 8);
        how.set(JAVA_LONG, Layouts.OPEN_HOW_FLAGS, (long) (flags | OpenFlags.O_CLOEXEC) & 0xffffffffL);
        how.set(JAVA_LONG, Layouts.OPEN_HOW_MODE, mode);
        how.set(JAVA_LONG, Layouts.OPEN_HOW_RESOLVE, Resolve.bits(resolve));
        return how;
    }
}
