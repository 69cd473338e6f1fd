package dev.ringio.engine.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import dev.ringio.BufferRing;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A provided buffer ring (kernel 5.19, {@code io_uring_register_buf_ring}): {@code entries}
 * {@code struct io_uring_buf} slots (16 bytes: addr, len, bid; the ring's tail shares the first
 * slot's reserved field at offset 14) in page-aligned memory, plus the buffers themselves.
 *
 * <p>The kernel consumes from the head as data arrives; ringio adds a buffer back at the tail
 * (release store) once the handler that received it has returned, so only consumed slots are
 * refilled. Threading: everything but {@link #close()} and the getters runs on the loop thread.
 */
final class UringBufferRing implements BufferRing {

    private static final VarHandle SHORT = JAVA_SHORT.varHandle();
    static final int BUF_SIZE = 16;
    static final int BUF_ADDR = 0;
    static final int BUF_LEN = 8;
    static final int BUF_BID = 12;
    static final int RING_TAIL = 14;

    private final UringEngine engine;
    final int bgid;
    private final int entries;
    private final int mask;
    private final int bufferSize;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ring;
    private final MemorySegment buffers;
    private int tail;           // loop
    int users;                  // loop: multishot receives using the ring
    private boolean registered; // loop
    private volatile int available;
    private volatile boolean closed;
    private boolean freed;      // loop

    UringBufferRing(UringEngine engine, int bgid, int entries, int bufferSize) {
        this.engine = engine;
        this.bgid = bgid;
        this.entries = entries;
        this.mask = entries - 1;
        this.bufferSize = bufferSize;
        this.ring = arena.allocate((long) entries * BUF_SIZE, 4096);
        this.buffers = arena.allocate((long) entries * bufferSize, 64);
    }

    /** Fills every slot and registers the ring. Loop thread only. */
    void register(Shim shim, long uring) throws NativeIoException {
        for (int bid = 0; bid < entries; bid++) {
            put(bid);
        }
        publish();
        int r = shim.ringRegisterBufRing(uring, ring.address(), entries, bgid);
        if (r < 0) {
            arena.close();
            freed = true;
            throw new NativeIoException("io_uring_register_buf_ring", -r,
                    entries + " buffers of " + bufferSize + " bytes, group " + bgid);
        }
        registered = true;
        available = entries;
    }

    private void put(int bid) {
        long off = (long) (tail & mask) * BUF_SIZE;
        ring.set(JAVA_LONG, off + BUF_ADDR, buffers.address() + (long) bid * bufferSize);
        ring.set(JAVA_INT, off + BUF_LEN, bufferSize);
        ring.set(JAVA_SHORT, off + BUF_BID, (short) bid);
        tail++;
    }

    private void publish() {
        SHORT.setRelease(ring, (long) RING_TAIL, (short) tail); // release: the slots above first
    }

    /** The bytes the kernel put in buffer {@code bid}. Loop thread only. */
    MemorySegment view(int bid, int length) {
        return buffers.asSlice((long) bid * bufferSize, Math.min(length, bufferSize));
    }

    /** The kernel took a buffer. Loop thread only. */
    void taken() {
        available = Math.max(0, available - 1);
    }

    /** Gives buffer {@code bid} back to the kernel. Loop thread only. */
    void recycle(int bid) {
        if (freed) {
            return;
        }
        put(bid);
        publish();
        available = Math.min(entries, available + 1);
    }

    boolean belongsTo(UringEngine e) {
        return engine == e;
    }

    boolean isClosed() {
        return closed;
    }

    /** Unregisters and frees once no receive uses the ring. Loop thread only. */
    void freeIfUnused(Shim shim, long uring) {
        if (closed && users == 0 && !freed) {
            if (registered && uring != 0) {
                shim.ringUnregisterBufRing(uring, bgid);
            }
            freed = true;
            arena.close();
        }
    }

    /** After the ring itself is gone (engine teardown): just free the memory. Loop thread only. */
    void freeAfterRingDestroyed() {
        closed = true;
        if (!freed) {
            freed = true;
            arena.close();
        }
    }

    @Override
    public int entries() {
        return entries;
    }

    @Override
    public int bufferSize() {
        return bufferSize;
    }

    @Override
    public int available() {
        return available;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            engine.releaseBufferRing(this);
        }
    }

    @Override
    public String toString() {
        return "BufferRing[group " + bgid + ", " + entries + " x " + bufferSize + " B, " + available + " available"
                + (closed ? ", closed" : "") + "]";
    }
}
