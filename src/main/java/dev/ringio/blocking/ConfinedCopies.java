package dev.ringio.blocking;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import dev.ringio.engine.Bounce;

/**
 * Memory of a confined arena in a blocking call. The engine refuses it (its results arrive on the
 * loop thread, which may not touch it), but a blocking call runs on the caller's thread, and the
 * JDK's blocking channels accept such memory from its owner thread. So the call moves it through
 * heap stand-ins that it fills (a write) or empties (a read) on the calling thread; the engine then
 * treats the stand-ins as any heap memory. Another thread's confined memory fails the copy with
 * {@link WrongThreadException}, as the JDK's channels do. Stateless; any thread.
 */
final class ConfinedCopies {

    private ConfinedCopies() {
    }

    @FunctionalInterface
    interface Call<T, M> {
        T on(M memory) throws IOException;
    }

    static boolean any(ByteBuffer b) {
        return b != null && b.isDirect() && Bounce.confined(MemorySegment.ofBuffer(b));
    }

    static boolean any(ByteBuffer[] bufs) {
        if (bufs == null) {
            return false;
        }
        for (ByteBuffer b : bufs) {
            if (any(b)) {
                return true;
            }
        }
        return false;
    }

    static boolean any(MemorySegment s) {
        return s != null && Bounce.confined(s);
    }

    static boolean any(MemorySegment[] segs) {
        if (segs == null) {
            return false;
        }
        for (MemorySegment s : segs) {
            if (any(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code call} on stand-ins for {@code bufs} (confined ones replaced by heap buffers; a
     * write's bytes copied in), then advances each original by what its stand-in moved, copying a
     * read's bytes out. On failure the originals are left as they were.
     */
    static <T> T buffers(ByteBuffer[] bufs, boolean read, Call<T, ByteBuffer[]> call) throws IOException {
        ByteBuffer[] standIns = bufs.clone();
        for (int i = 0; i < bufs.length; i++) {
            if (any(bufs[i])) {
                ByteBuffer heap = ByteBuffer.allocate(bufs[i].remaining());
                if (!read) {
                    heap.put(bufs[i].duplicate()).flip();
                }
                standIns[i] = heap;
            }
        }
        T result = call.on(standIns);
        for (int i = 0; i < bufs.length; i++) {
            if (standIns[i] != bufs[i]) {
                int moved = standIns[i].position();
                if (read) {
                    bufs[i].put(standIns[i].flip());
                } else {
                    bufs[i].position(bufs[i].position() + moved);
                }
            }
        }
        return result;
    }

    /** {@link #buffers} for one buffer. */
    static <T> T buffer(ByteBuffer buf, boolean read, Call<T, ByteBuffer> call) throws IOException {
        return buffers(new ByteBuffer[] {buf}, read, b -> call.on(b[0]));
    }

    /**
     * Runs {@code call} on stand-ins for {@code segs} (confined ones replaced by heap segments; a
     * write's bytes copied in); after a read of {@code n} bytes (what {@code moved} says), copies
     * them out into the originals in order.
     */
    static <T> T segments(MemorySegment[] segs, boolean read, Call<T, MemorySegment[]> call,
                          java.util.function.ToLongFunction<T> moved) throws IOException {
        MemorySegment[] standIns = segs.clone();
        for (int i = 0; i < segs.length; i++) {
            if (any(segs[i])) {
                MemorySegment heap = MemorySegment.ofArray(new byte[Math.toIntExact(segs[i].byteSize())]);
                if (!read) {
                    heap.copyFrom(segs[i]);
                }
                standIns[i] = heap;
            }
        }
        T result = call.on(standIns);
        if (read) {
            long left = moved.applyAsLong(result);
            for (int i = 0; i < segs.length && left > 0; i++) {
                long k = Math.min(left, segs[i].byteSize());
                if (standIns[i] != segs[i]) {
                    MemorySegment.copy(standIns[i], 0, segs[i], 0, k);
                }
                left -= k;
            }
        }
        return result;
    }
}
