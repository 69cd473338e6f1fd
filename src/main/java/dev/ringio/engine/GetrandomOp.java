package dev.ringio.engine;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * {@code getrandom}, on every engine: fills all of a segment from {@code getrandom(2)}
 * ({@link KernelOp.Getrandom}, flags 0), call after call until it is full (the kernel returns at
 * most 32 MiB - 1 per call, and less when a signal interrupts a large request). io_uring has no
 * opcode for it: that engine makes the calls off its loop, the readiness engines on their file pool
 * ({@link Syscalls}). Memory the caller could free meanwhile is filled through bounce memory and
 * copied out ({@link Bounce}).
 *
 * <p>Threading: {@link #getrandom} from any thread; the rest as {@link EngineOp}.
 */
public final class GetrandomOp extends EngineOp<Integer> {

    /** Bytes filled so far. */
    private long done;

    private GetrandomOp() {
        super("getrandom");
    }

    /**
     * Fills {@code dst}; the count (its size, capped at {@code Integer.MAX_VALUE}).
     *
     * @throws IllegalArgumentException if {@code dst} is read-only
     * @throws IllegalStateException    if its memory is not alive or thread-confined
     */
    public static CompletableFuture<Integer> getrandom(Backend backend, MemorySegment dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("getrandom: destination is read-only");
        }
        GetrandomOp op = new GetrandomOp();
        op.span = Bounce.span("getrandom", dst, true, Bounce.PIECE);
        backend.submit(op);
        return op;
    }

    @Override
    public KernelOp next() {
        return new KernelOp.Getrandom(span.address(done), span.length(done), 0);
    }

    @Override
    protected boolean onResult(long res) {
        span.landed(done, res);
        done += res;
        if (done < span.total() && res > 0) {
            return true;
        }
        succeed((int) Math.min(done, Integer.MAX_VALUE));
        return false;
    }
}
