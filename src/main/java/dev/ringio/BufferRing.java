package dev.ringio;

/**
 * A ring of equal buffers that the kernel picks from when data arrives (io_uring's provided
 * buffer ring), for {@link IoEngine#recvMultishot}. A buffer is handed to the handler for the
 * duration of one callback and then returned to the ring, so only consumed slots are refilled.
 *
 * <p>Threading: any thread; {@link #close()} unregisters on the loop thread.
 */
public interface BufferRing extends AutoCloseable {

    /** Number of buffers (a power of two). */
    int entries();

    /** Size of each buffer in bytes. */
    int bufferSize();

    /** Buffers currently available to the kernel. */
    int available();

    /** Unregisters the ring and frees its memory once no receive uses it. Idempotent. */
    @Override
    void close();
}
