package dev.ringio.engine.uring;

import java.io.EOFException;
import java.lang.foreign.MemorySegment;

import dev.ringio.Errno;
import dev.ringio.NativeIoException;
import dev.ringio.ShortReadException;
import dev.ringio.engine.Bounce;
import dev.ringio.engine.Progress;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A read or write over contiguous memory or an iovec array, in one of three modes:
 * <ul>
 *   <li>{@link #ONCE}: one op; the result is the count, or -1 at end of file for a read;</li>
 *   <li>{@link #EXACT}: read until {@code total} bytes arrived; {@link EOFException} if the data
 *       runs out first (eio's {@code read_exactly});</li>
 *   <li>{@link #ALL}: write until {@code total} bytes are written, resubmitting after short writes.</li>
 * </ul>
 * A looping op that fails or is cancelled reports the bytes it had moved
 * ({@link dev.ringio.PartialProgress}) and runs {@code after} for them first (a buffer's position).
 * Vectored ops keep an array of native segments and rebuild the iovec array from the first
 * unfinished byte before each resubmission.
 */
final class TransferOp<T> extends Op<T> {

    static final int ONCE = 0;
    static final int EXACT = 1;
    static final int ALL = 2;


    private final byte opcode;
    private final boolean read;
    private final int mode;
    private final int rawFd;
    private final int bufIndex;
    private final long total;
    private final long startOffset;
    /** File ops use sqe.off as the position; SEND/RECV must leave it 0 (it is a destination address). */
    private final boolean positional;
    private final int opFlags;
    private final boolean longResult;
    private final Bounce.After after;
    // contiguous form
    private final long base;
    // vectored form
    private final MemorySegment[] segments;
    private final MemorySegment iovecs;
    @SuppressWarnings("unused")
    private final Object keep;

    private long done;

    private TransferOp(String name, byte opcode, boolean read, int mode, int rawFd, int bufIndex,
                       long base, MemorySegment[] segments, MemorySegment iovecs, long total, long fileOffset,
                       boolean positional, int opFlags, boolean longResult, Bounce.After after, Object keep) {
        super(name);
        this.opcode = opcode;
        this.read = read;
        this.mode = mode;
        this.rawFd = rawFd;
        this.bufIndex = bufIndex;
        this.base = base;
        this.segments = segments;
        this.iovecs = iovecs;
        this.total = total;
        this.startOffset = fileOffset;
        this.positional = positional;
        this.opFlags = opFlags;
        this.longResult = longResult;
        this.after = after;
        this.keep = keep;
    }

    static <T> TransferOp<T> contiguous(String name, byte opcode, boolean read, int mode, int rawFd, int bufIndex,
                                        long address, long length, long fileOffset, Bounce.After after, Object keep) {
        return new TransferOp<>(name, opcode, read, mode, rawFd, bufIndex, address, null, null, length,
                fileOffset, true, 0, false, after, keep);
    }

    /** A SEND or RECV over contiguous memory with message flags. */
    static <T> TransferOp<T> socket(String name, byte opcode, boolean read, int mode, int rawFd, long address,
                                    long length, int msgFlags, Bounce.After after, Object keep) {
        return new TransferOp<>(name, opcode, read, mode, rawFd, -1, address, null, null, length,
                0, false, msgFlags, false, after, keep);
    }

    static <T> TransferOp<T> vectored(String name, byte opcode, boolean read, int mode, int rawFd,
                                      MemorySegment[] nativeSegments, MemorySegment iovecs, long fileOffset,
                                      Bounce.After after, Object keep) {
        long total = 0;
        for (MemorySegment s : nativeSegments) {
            total += s.byteSize();
        }
        return new TransferOp<>(name, opcode, read, mode, rawFd, 0, 0, nativeSegments, iovecs, total,
                fileOffset, true, 0, true, after, keep);
    }

    @Override
    void prep(Ring ring, long sqe, long token) {
        long fileOffset = !positional ? 0 : startOffset < 0 ? -1L : startOffset + done;
        if (segments == null) {
            long len = Math.min(total - done, UringEngine.MAX_RW);
            ring.prep(sqe, opcode, rawFd, base + done, (int) len, fileOffset, token);
            if (bufIndex >= 0) {
                ring.bufIndex(sqe, bufIndex);
            }
            if (opFlags != 0) {
                ring.opFlags(sqe, opFlags);
            }
        } else {
            int count = fillIovecs();
            ring.prep(sqe, opcode, rawFd, iovecs.address(), count, fileOffset, token);
        }
    }

    /** Writes iovecs for the bytes not yet transferred; returns how many (at most IOV_MAX). */
    private int fillIovecs() {
        long skip = done;
        int n = 0;
        int max = (int) (iovecs.byteSize() / Layouts.IOVEC_SIZE);
        for (MemorySegment s : segments) {
            long size = s.byteSize();
            if (skip >= size) {
                skip -= size;
                continue;
            }
            if (n == max) {
                break;
            }
            long o = (long) n * Layouts.IOVEC_SIZE;
            iovecs.set(JAVA_LONG, o + Layouts.IOVEC_BASE, s.address() + skip);
            iovecs.set(JAVA_LONG, o + Layouts.IOVEC_LEN, size - skip);
            skip = 0;
            n++;
        }
        return n;
    }

    @Override
    void onResult(UringEngine engine, int res, int cqeFlags) {
        if (res == 0 && read) {
            if (mode == EXACT && done < total) {
                fail(new ShortReadException(name, done, total));
                return;
            }
            finish(done == 0 && total > 0 ? -1 : done);
            return;
        }
        if (res == 0 && done < total) {
            fail(new NativeIoException(name, Errno.EIO.value(), "the kernel wrote 0 of " + (total - done) + " bytes"));
            return;
        }
        done += res;
        if (mode != ONCE && done < total && (res > 0 || total == 0)) {
            engine.resubmit(this);
            return;
        }
        finish(done);
    }

    @Override
    Throwable withProgress(Throwable t) {
        if (mode == ONCE) {
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
        if (mode != ONCE) {
            value = null;
        } else if (longResult) {
            value = result;
        } else {
            value = (int) result;
        }
        succeed((T) value);
    }
}
