package dev.ringio.engine;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;

/**
 * {@code splice}, on every engine: up to {@code len} bytes from one descriptor to another at their
 * current positions, one of them a pipe. It holds both descriptors (the source as its {@link #fd},
 * the destination as its {@link #other}); its result is the count moved, or -1 at the end of the
 * source (0 bytes for a non-zero length). {@code EINVAL} names the rule the kernel enforces.
 *
 * <p>Threading: the static methods from any thread; the rest on the backend's threads.
 */
public final class SpliceOp extends EngineOp<Integer> {

    private final KernelOp.Splice call;

    private SpliceOp(int in, int out, int len) {
        super("splice");
        this.call = new KernelOp.Splice(in, out, len);
    }

    /** Moves up to {@code len} bytes from {@code src} to {@code dst}: the count, or -1 at the end of {@code src}. */
    public static CompletableFuture<Integer> splice(Backend backend, Fd src, Fd dst, int len) {
        check(src, dst, len);
        return submit(backend, src, dst, len);
    }

    /**
     * The argument checks of {@link #splice}, for a backend that does something before submitting
     * (io_uring waits for the source to be readable first).
     *
     * @throws IllegalArgumentException if {@code len} is negative
     */
    public static void check(Fd src, Fd dst, int len) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (len < 0) {
            throw new IllegalArgumentException("splice: negative length " + len);
        }
    }

    /** Holds both descriptors and submits the splice (arguments already {@link #check checked}). */
    public static CompletableFuture<Integer> submit(Backend backend, Fd src, Fd dst, int len) {
        SpliceOp op = new SpliceOp(src.value(), dst.value(), len);
        try {
            op.hold(src, null);
            dst.acquire("splice");
            op.other = dst;
        } catch (NativeIoException e) {
            op.releaseResources();
            return CompletableFuture.failedFuture(e);
        }
        backend.submit(op);
        return op;
    }

    /** The same call every attempt (both positions are the descriptors' own). */
    @Override
    public KernelOp next() {
        return call;
    }

    @Override
    protected boolean onResult(long res) {
        succeed(res == 0 && call.length() > 0 ? -1 : (int) res);
        return false;
    }

    @Override
    protected Exception error(int errno) {
        return new NativeIoException(name, errno, errno == Errno.EINVAL.value()
                ? "one of the two descriptors must be a pipe, and both must support splice" : null);
    }
}
