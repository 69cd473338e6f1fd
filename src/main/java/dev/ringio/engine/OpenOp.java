package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.Resolve;
import dev.ringio.engine.uring.Layouts;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

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
        MemorySegment how = openHow(a, flags, mode, resolve);
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

    /** A {@code struct open_how} for openat2: {@code flags} plus O_CLOEXEC, {@code mode}, the RESOLVE_* bits. */
    private static MemorySegment openHow(Arena arena, int flags, int mode, Set<Resolve> resolve) {
        Objects.requireNonNull(resolve, "resolve");
        checkMode("openat2", mode);
        MemorySegment how = arena.allocate(Layouts.OPEN_HOW_SIZE, 8);
        how.set(JAVA_LONG, Layouts.OPEN_HOW_FLAGS, (long) (flags | OpenFlags.O_CLOEXEC) & 0xffffffffL);
        how.set(JAVA_LONG, Layouts.OPEN_HOW_MODE, mode);
        how.set(JAVA_LONG, Layouts.OPEN_HOW_RESOLVE, Resolve.bits(resolve));
        return how;
    }

    /**
     * Permission bits for a created file or directory (openat2, mkdirat): 0..07777. Any thread.
     *
     * @throws IllegalArgumentException naming {@code op} otherwise
     */
    static void checkMode(String op, int mode) {
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException(op + ": mode 0" + Integer.toOctalString(mode) + " outside 0..07777");
        }
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
