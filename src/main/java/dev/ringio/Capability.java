package dev.ringio;

/**
 * What an engine can do beyond the operations every engine has. {@link IoEngine#capabilities()}
 * lists them; an operation whose capability is missing fails with an
 * {@link UnsupportedOperationException} naming the engine, never silently.
 *
 * <p>Most flags are informational (how an operation is carried out); {@link #ZERO_COPY_SEND} is the
 * one that decides whether an operation works at all.
 */
public enum Capability {

    /** {@link IoEngine#sendZeroCopy} works (io_uring SEND_ZC, or an ordinary send on kernels before 6.0). */
    ZERO_COPY_SEND,

    /** Chunk I/O uses buffers registered with the kernel (READ_FIXED / WRITE_FIXED). */
    REGISTERED_BUFFERS,

    /** Regular-file operations run asynchronously in the kernel, not on a thread pool. */
    KERNEL_ASYNC_FILE_IO,

    /**
     * Multishot accept and receive are one kernel request each, and {@link IoEngine#bufferRing} is
     * a ring the kernel picks buffers from; without it the engine loops on readiness instead (same
     * API, same results).
     */
    KERNEL_MULTISHOT
}
