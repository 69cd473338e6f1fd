package dev.ringio.engine.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Heap memory cannot be handed to the kernel: the GC may move an array while the kernel holds its
 * address. So a heap segment goes through a native bounce buffer: copied in before a write, copied
 * out after a read. Native memory is used as it is.
 */
final class Bounce {

    private Bounce() {
    }

    /**
     * Memory the kernel may hold for {@code seg}: {@code seg} itself when native, else a native
     * buffer of the same size from {@code arena}, with {@code seg}'s bytes copied in when {@code copyIn}.
     */
    static MemorySegment nativeFor(Arena arena, MemorySegment seg, boolean copyIn) {
        return dev.ringio.engine.Natives.nativeFor(arena, seg, copyIn);
    }

    /** What a contiguous transfer hands the kernel, and what runs after it. */
    record Target(MemorySegment memory, TransferOp.After after) {
    }

    /**
     * The kernel-side memory for a transfer on {@code seg}; for a read into heap memory, the returned
     * {@code after} first copies the bytes the kernel filled back into {@code seg}, then runs {@code after}.
     */
    static Target of(MemorySegment seg, boolean read, TransferOp.After after) {
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
