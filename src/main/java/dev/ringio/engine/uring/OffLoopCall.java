package dev.ringio.engine.uring;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringio.Fd;
import dev.ringio.buffers.Chunk;
import dev.ringio.engine.Bounce;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.KernelOp;
import dev.ringio.engine.Syscalls;
import dev.ringio.sys.Shim;

/**
 * One attempt of an op whose description io_uring has no opcode for (or whose opcode the running
 * kernel lacks; {@link Sqes#opcode}): the syscall ({@link Syscalls#call}, blocking) on one of the
 * engine's off-loop threads, its result then handed to the op on the loop, as a CQE's would be
 * ({@link EngineOp#handleResult}, resubmitting while the op asks for more).
 *
 * <p>The loop may <em>abandon</em> the call while it runs (engine shutdown: a sendfile into a
 * socket nobody reads may never return): the op then fails at once, and what it held (descriptors,
 * chunk, bounce memory) is set aside here and released by the thread when the call returns; a
 * descriptor an abandoned socket call produced is closed. State moves RUNNING → RETURNED (the
 * thread) or RUNNING → ABANDONED (the loop), once, whichever comes first.
 *
 * <p>Threading: built and abandoned on the loop; {@link #run} on an off-loop thread.
 */
final class OffLoopCall implements Runnable {

    private static final int RUNNING = 0;
    private static final int RETURNED = 1;
    private static final int ABANDONED = 2;

    final EngineOp<?> op;
    private final KernelOp call;
    private final Shim shim;
    private final java.util.function.Consumer<OffLoopCall> onReturn;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    /** The call's result ({@code -errno} on failure); read by the loop after RETURNED. */
    volatile long result;
    /** An exception the call threw (a binding failure), or null; read by the loop after RETURNED. */
    volatile Throwable failure;
    // What an abandoned op held, released by the thread when the call returns.
    private Bounce.Span heldSpan;
    private Fd heldFd;
    private Fd heldOther;
    private Chunk heldChunk;
    private List<Fd> heldPassed;

    OffLoopCall(EngineOp<?> op, KernelOp call, Shim shim, java.util.function.Consumer<OffLoopCall> onReturn) {
        this.op = op;
        this.call = call;
        this.shim = shim;
        this.onReturn = onReturn;
    }

    @Override
    public void run() {
        long r;
        try {
            r = Syscalls.call(shim, call, false);
        } catch (Throwable t) {
            failure = t;
            r = -dev.ringio.Errno.EIO.value();
        }
        result = r;
        if (state.compareAndSet(RUNNING, RETURNED)) {
            onReturn.accept(this);
            return;
        }
        // Abandoned: nobody takes the result. Free what the op held, and what the call made.
        if (call instanceof KernelOp.Socket && r >= 0) {
            shim.close((int) r);
        }
        EngineOp.release(heldSpan, heldFd, heldOther, heldChunk, heldPassed, false);
    }

    /**
     * Whether the call may wait for another party for ever, so that a cancel, a close of its
     * descriptor or the engine's shutdown must not wait for it: a sendfile into a socket, a pipe
     * or a device (the op's descriptor). Every other call here is file or path work, a socket
     * call that never blocks, or getrandom, which end by themselves.
     */
    boolean unbounded() {
        if (!(call instanceof KernelOp.Sendfile)) {
            return false;
        }
        Fd out = op.fd;
        return out == null || switch (out.kind()) {
            case FILE, DIRECTORY, BLOCK_DEVICE -> false;
            default -> true;
        };
    }

    /**
     * Ends the op now with {@code reason} while its call may still be running: false if the call
     * has returned (its result is on the way to the loop and decides). Loop only.
     */
    boolean abandon(Throwable reason) {
        // The holds move here before the state flips: once it has, the thread may release them.
        heldSpan = op.span;
        heldFd = op.fd;
        heldOther = op.other;
        heldChunk = op.chunk;
        heldPassed = op.passed;
        if (!state.compareAndSet(RUNNING, ABANDONED)) {
            heldSpan = null;
            heldFd = null;
            heldOther = null;
            heldChunk = null;
            heldPassed = null;
            return false;
        }
        op.span = null;
        op.fd = null;
        op.other = null;
        op.chunk = null;
        op.passed = null;
        op.fail(reason);
        return true;
    }
}
