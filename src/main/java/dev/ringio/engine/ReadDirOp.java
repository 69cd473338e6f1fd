package dev.ringio.engine;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Fd;
import dev.ringio.engine.uring.Layouts;

import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * {@code readDir}, on every engine: every name in a directory (without "." and ".."), read from its
 * start with {@code getdents64(2)} ({@link KernelOp.Getdents64}, the first attempt rewinding the
 * directory) until the kernel returns 0, each batch decoded by {@link PathCoding#decodeName}.
 * io_uring has no opcode for getdents64: that engine makes the calls off its loop, the readiness
 * engines on their file pool ({@link Syscalls}). The kernel fills ringio's bounce memory, copied
 * into the op's own array after each call.
 *
 * <p>Threading: {@link #readDir} from any thread; the rest as {@link EngineOp}.
 */
public final class ReadDirOp extends EngineOp<List<String>> {

    /** One getdents64 batch. */
    private static final int BATCH = 32 * 1024;

    private final byte[] batch = new byte[BATCH];
    private final MemorySegment batchSegment = MemorySegment.ofArray(batch);
    private final List<String> names = new ArrayList<>();
    /** A batch has been read: later calls continue where the last one stopped (no rewind). */
    private boolean started;

    private ReadDirOp() {
        super("readDir");
    }

    /** The names in {@code dir} (without "." and ".."), in the order the kernel lists them. */
    public static CompletableFuture<List<String>> readDir(Backend backend, Fd dir) {
        Objects.requireNonNull(dir, "dir");
        ReadDirOp op = new ReadDirOp();
        op.span = Bounce.span("readDir", op.batchSegment, true, Bounce.WHOLE);
        return op.holdAndSubmit(backend, dir, null);
    }

    @Override
    public KernelOp next() {
        return new KernelOp.Getdents64(fd.value(), span.address(0), (int) span.length(0), !started);
    }

    @Override
    protected boolean onResult(long res) {
        if (res == 0) {
            succeed(names);
            return false;
        }
        started = true;
        span.landed(0, res);
        int off = 0;
        while (off < res) {
            int reclen = Short.toUnsignedInt(batchSegment.get(JAVA_SHORT_UNALIGNED, off + Layouts.DIRENT64_RECLEN));
            int from = off + Layouts.DIRENT64_NAME;
            int to = from;
            while (to < off + reclen && batch[to] != 0) {
                to++;
            }
            String name = PathCoding.decodeName(batch, from, to);
            if (!name.equals(".") && !name.equals("..")) {
                names.add(name);
            }
            off += reclen;
        }
        return true;
    }
}
