package dev.ringio.engine.uring;

import java.io.EOFException;
import java.lang.foreign.MemorySegment;

import dev.ringio.Errno;
import dev.ringio.NativeIoException;
import dev.ringio.ShortReadException;
import dev.ringio.engine.Bounce;
import dev.ringio.engine.Progress;

/**
 * A read or write over contiguous memory or an iovec array, in one of three modes:
 * <ul>
 *   <li>{@link #ONCE}: one op; the result is the count, or -1 at end of file for a read;</li>
 *   <li>{@link #EXACT}: read until {@code total} bytes arrived; {@link EOFException} if the data
 *       runs out first (eio's {@code read_exactly});</li>
 *   <li>{@link #ALL}: write until {@code total} bytes are written, resubmitting after short writes.</li>
 * </ul>
 * Transfers on the caller's segments go through a {@link Bounce.Span}, which says what the kernel
 * sees: the segments themselves, or ringio's bounce memory, in pieces (a write's piece is copied in
 * before it is submitted, a read's bytes are copied out when they arrive). Vectored ops rebuild the
 * iovec array from the first unfinished byte before each resubmission. The span is released when
 * the op ends (see {@link Op#span}). A looping op that fails or is cancelled reports the bytes it
 * had moved ({@link dev.ringio.PartialProgress}) and runs {@code after} for them first (a buffer's
 * position).
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
    // chunk form
    private final long base;
    // segment forms (contiguous when iovecs is null)
    private final Bounce.Span memory;
    private final MemorySegment iovecs;

    private long done;

    private TransferOp(String name, byte opcode, boolean read, int mode, int rawFd, int bufIndex,
                       long base, Bounce.Span memory, MemorySegment iovecs, long total, long fileOffset,
                       boolean positional, int opFlags, boolean longResult, Bounce.After after) {
        super(name);
        this.opcode = opcode;
        this.read = read;
        this.mode = mode;
        this.rawFd = rawFd;
        this.bufIndex = bufIndex;
        this.base = base;
        this.memory = memory;
        this.span = memory;
        this.iovecs = iovecs;
        this.total = total;
        this.startOffset = fileOffset;
        this.positional = positional;
        this.opFlags = opFlags;
        this.longResult = longResult;
        this.after = after;
    }

    /** A read or write of a chunk (registered: {@code bufIndex >= 0}). */
    static <T> TransferOp<T> contiguous(String name, byte opcode, boolean read, int mode, int rawFd, int bufIndex,
                                        long address, long length, long fileOffset) {
        return new TransferOp<>(name, opcode, read, mode, rawFd, bufIndex, address, null, null, length,
                fileOffset, true, 0, false, null);
    }

    /** A read or write of one segment. */
    static <T> TransferOp<T> segment(String name, byte opcode, boolean read, int mode, int rawFd, Bounce.Span memory,
                                     long fileOffset, Bounce.After after) {
        return new TransferOp<>(name, opcode, read, mode, rawFd, -1, 0, memory, null, memory.total(),
                fileOffset, true, 0, false, after);
    }

    /** A SEND or RECV of a chunk with message flags. */
    static <T> TransferOp<T> socket(String name, byte opcode, boolean read, int mode, int rawFd, long address,
                                    long length, int msgFlags) {
        return new TransferOp<>(name, opcode, read, mode, rawFd, -1, address, null, null, length,
                0, false, msgFlags, false, null);
    }

    /** A SEND or RECV of one segment with message flags. */
    static <T> TransferOp<T> socket(String name, byte opcode, boolean read, int mode, int rawFd, Bounce.Span memory,
                                    int msgFlags, Bounce.After after) {
        return new TransferOp<>(name, opcode, read, mode, rawFd, -1, 0, memory, null, memory.total(),
                0, false, msgFlags, false, after);
    }

    static <T> TransferOp<T> vectored(String name, byte opcode, boolean read, int mode, int rawFd,
                                      Bounce.Span memory, MemorySegment iovecs, long fileOffset, Bounce.After after) {
        return new TransferOp<>(name, opcode, read, mode, rawFd, 0, 0, memory, iovecs, memory.total(),
                fileOffset, true, 0, true, after);
    }

    @Override
    void prep(Ring ring, long sqe, long token) {
        long fileOffset = !positional ? 0 : startOffset < 0 ? -1L : startOffset + done;
        if (iovecs == null) {
            long at = memory == null ? base + done : memory.address(done);
            long len = Math.min(memory == null ? total - done : memory.length(done), UringEngine.MAX_RW);
            ring.prep(sqe, opcode, rawFd, at, (int) len, fileOffset, token);
            if (bufIndex >= 0) {
                ring.bufIndex(sqe, bufIndex);
            }
            if (opFlags != 0) {
                ring.opFlags(sqe, opFlags);
            }
        } else {
            int count = memory.iovecs(done, iovecs, (int) (iovecs.byteSize() / Layouts.IOVEC_SIZE));
            ring.prep(sqe, opcode, rawFd, iovecs.address(), count, fileOffset, token);
        }
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
        if (memory != null) {
            try {
                memory.landed(done, res);
                if (mode != ONCE && done + res < total && res > 0) {
                    memory.stage(done + res);
                }
            } catch (RuntimeException e) {
                fail(e); // the caller closed the memory meanwhile: the kernel only saw ringio's
                return;
            }
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
