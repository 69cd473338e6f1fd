package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.Resolve;
import dev.ringio.engine.uring.Layouts;
import dev.ringio.sys.Shim;

/**
 * {@code openat2}, on every engine: the new descriptor, close-on-exec always, its kind read at
 * once ({@link Fd#adopt(int)}); a descriptor whose kind cannot be read is closed and the op fails
 * with why. A failure names the path. A descriptor nobody can receive any more is closed.
 *
 * <p>Threading: {@link #openat2} from any thread; the rest on the backend's threads.
 */
public final class OpenOp extends EngineOp<Fd> {

    private final String path;
    private final KernelOp.Openat2 call;
    @SuppressWarnings("unused") // the path and open_how the kernel reads stay reachable until the op ends
    private final Arena arena;

    private OpenOp(String path, KernelOp.Openat2 call, Arena arena) {
        super("openat2");
        this.path = path;
        this.call = call;
        this.arena = arena;
    }

    /** Opens {@code path} relative to {@code dir} (null: the current directory). Any thread. */
    public static CompletableFuture<Fd> openat2(Backend backend, Fd dir, String path, int flags, int mode,
                                                Set<Resolve> resolve) {
        Objects.requireNonNull(path, "path");
        Arena a = Arena.ofAuto();
        MemorySegment how = Checks.openHow(a, flags, mode, resolve);
        MemorySegment p = PathCoding.cString(a, "openat2", path);
        int dirFd = dir == null ? dev.ringio.AtFlags.AT_FDCWD : dir.value();
        OpenOp op = new OpenOp(path, new KernelOp.Openat2(dirFd, p.address(), how.address(), Layouts.OPEN_HOW_SIZE), a);
        try {
            op.holdDir(dir);
        } catch (NativeIoException e) {
            return CompletableFuture.failedFuture(e);
        }
        backend.submit(op);
        return op;
    }

    @Override
    public KernelOp next() {
        return call;
    }

    @Override
    protected boolean onResult(long res) {
        Fd fd;
        try {
            fd = Fd.adopt((int) res);
        } catch (NativeIoException | RuntimeException e) {
            Shim.get().close((int) res);
            fail(e);
            return false;
        }
        succeed(fd);
        return false;
    }

    @Override
    protected Exception error(int errno) {
        return new NativeIoException(name + " " + path, errno);
    }
}
