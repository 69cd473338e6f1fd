package dev.ringio.engine.uring;

import dev.ringio.NativeIoException;

/**
 * An op that is one SQE with fixed fields and a result that is either "done" ({@code null}) or
 * the CQE's int (poll events): fsync, fallocate, ftruncate, unlinkat, mkdirat, renameat,
 * symlinkat, timeout, poll, nop. {@code keep} references native memory the SQE points at, so it
 * stays alive until the kernel is done with it.
 */
final class SimpleOp<T> extends Op<T> {

    private final byte opcode;
    private final int rawFd;
    private final long addr;
    private final int len;
    private final long offset;
    private final int opFlags;
    private final int successErrno;
    private final boolean intResult;
    private final String detail;
    @SuppressWarnings("unused")
    private final Object keep;

    SimpleOp(String name, byte opcode, int rawFd, long addr, int len, long offset, int opFlags,
             int successErrno, boolean intResult, String detail, Object keep) {
        super(name);
        this.opcode = opcode;
        this.rawFd = rawFd;
        this.addr = addr;
        this.len = len;
        this.offset = offset;
        this.opFlags = opFlags;
        this.successErrno = successErrno;
        this.intResult = intResult;
        this.detail = detail;
        this.keep = keep;
    }

    @Override
    void prep(Ring ring, long sqe, long token) {
        ring.prep(sqe, opcode, rawFd, addr, len, offset, token);
        if (opFlags != 0) {
            ring.opFlags(sqe, opFlags);
        }
    }

    @Override
    protected boolean isSuccessErrno(int errno) {
        return successErrno != 0 && errno == successErrno;
    }

    @Override
    protected Exception error(int errno) {
        return new NativeIoException(name, errno, detail);
    }

    @Override
    @SuppressWarnings("unchecked")
    void onResult(UringEngine engine, int res, int cqeFlags) {
        succeed(intResult ? (T) Integer.valueOf(Math.max(res, 0)) : null);
    }
}
