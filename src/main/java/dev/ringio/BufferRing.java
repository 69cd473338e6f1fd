package dev.ringio;

/**
 * A ring of equal buffers that the kernel picks from when data arrives (io_uring's provided
 * buffer ring), for {@link IoEngine#recvMultishot}. A buffer is handed to the handler for the
 * duration of one callback and then returned to the ring, so only consumed slots are refilled.
 *
 * <p>Threading: any thread; {@link #close()} unregisters on the loop thread.
 */
public interface BufferRing extends AutoCloseable {

    /**
     * The most buffers one ring has: io_uring takes a power of two below 65536 (the ring's head and
     * tail are 16-bit counters, so 65536 entries could not tell full from empty).
     */
    int MAX_ENTRIES = 32768;

    /**
     * The most memory one ring's buffers take together, {@code entries * bufferSize}: 1 GiB.
     * The kernel's own bounds are wider (a buffer's length is 32 bits, a receive's result a signed
     * int); this one keeps a ring from taking more memory than a receive path can use, on every
     * engine alike.
     */
    long MAX_TOTAL_BYTES = 1L << 30;

    /**
     * Number of buffers (a power of two).
     *
     * @return the number of buffers
     */
    int entries();

    /**
     * Size of each buffer in bytes.
     *
     * @return the buffer size in bytes
     */
    int bufferSize();

    /**
     * Buffers currently available to the kernel.
     *
     * @return the number of buffers the kernel can pick now
     */
    int available();

    /** Unregisters the ring and frees its memory once no receive uses it. Idempotent. */
    @Override
    void close();
}
