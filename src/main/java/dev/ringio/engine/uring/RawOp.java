package dev.ringio.engine.uring;

import dev.ringio.Errno;
import dev.ringio.RawCompletion;

/**
 * A low-level ({@link dev.ringio.RawCompletion}) op of {@link UringEngine#submitNoop},
 * {@link UringEngine#submitRead} or {@link UringEngine#submitWrite} that could not be written to
 * the ring at once (submitted from another thread, or the SQ full): it goes through the queue or
 * the overflow list like any op, and its completion is the caller's callback.
 *
 * <p>Threading: built on any thread; prepared and completed on the loop.
 */
final class RawOp extends Op<Void> {
    private final byte opcode;
    private final int rawFd;
    private final long addr;
    private final int len;
    private final long offset;
    private final int bufIndex;
    private final RawCompletion completion;

    RawOp(String name, byte opcode, int rawFd, long addr, int len, long offset, int bufIndex,
          RawCompletion completion) {
        super(name);
        this.opcode = opcode;
        this.rawFd = rawFd;
        this.addr = addr;
        this.len = len;
        this.offset = offset;
        this.bufIndex = bufIndex;
        this.completion = completion;
    }

    @Override
    void prep(Ring ring, long sqe, long token) {
        ring.prep(sqe, opcode, rawFd, addr, len, offset, token);
        if (bufIndex >= 0) {
            ring.bufIndex(sqe, bufIndex);
        }
    }

    @Override
    void complete(UringEngine engine, int res, int cqeFlags) {
        releaseResources();
        completeFromEngine(null);
        completion.onComplete(res);
    }

    @Override
    void onResult(UringEngine engine, int res, int cqeFlags) {
        // complete() handles every result itself
    }

    /** Never reached the kernel (engine closing, or cancelled): the callback still hears of it. */
    @Override
    protected void onFailed(Throwable t) {
        try {
            completion.onComplete(-Errno.ECANCELED.value());
        } catch (Throwable x) {
            UringEngine e = engine();
            if (e != null) {
                e.callbackError(x);
            }
        }
    }
}
