package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Heap memory cannot be handed to the kernel: the GC may move an array while the kernel holds its
 * address. So a heap segment goes through a native bounce buffer, copied in before a write and out
 * after a read; native memory is used as it is. Shared by every engine. Stateless; any thread.
 */
public final class Bounce {

    private Bounce() {
    }

    /** What runs after a transfer of {@code transferred} bytes (copy out of a bounce buffer, advance a position). */
    @FunctionalInterface
    public interface After {
        void done(long transferred);
    }

    /**
     * Memory the kernel may hold for {@code seg}: {@code seg} itself when native, else a native
     * buffer of the same size from {@code arena}, with {@code seg}'s bytes copied in when {@code copyIn}.
     */
    public static MemorySegment nativeFor(Arena arena, MemorySegment seg, boolean copyIn) {
        if (seg.isNative()) {
            return seg;
        }
        MemorySegment bounce = arena.allocate(Math.max(1, seg.byteSize()), 8).asSlice(0, seg.byteSize());
        if (copyIn) {
            MemorySegment.copy(seg, 0, bounce, 0, seg.byteSize());
        }
        return bounce;
    }

    /** What a contiguous transfer hands the kernel, and what runs after it. */
    public record Target(MemorySegment memory, After after) {
    }

    /**
     * The kernel-side memory for a transfer on {@code seg}; for a read into heap memory, the returned
     * {@code after} first copies the bytes the kernel filled back into {@code seg}, then runs {@code after}.
     */
    public static Target of(MemorySegment seg, boolean read, After after) {
        MemorySegment memory = nativeFor(Arena.ofAuto(), seg, !read);
        if (memory == seg || !read) {
            return new Target(memory, after);
        }
        return new Target(memory, n -> {
            MemorySegment.copy(memory, 0, seg, 0, n);
            if (after != null) {
                after.done(n);
            }
        });
    }
}
