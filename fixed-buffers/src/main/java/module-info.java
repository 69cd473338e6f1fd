/**
 * ringio's fixed-buffer pool: one page-aligned off-heap arena cut into equal chunks that an io_uring
 * engine registers with the kernel and pins while an operation is in flight.
 */
module dev.ringio.buffers {
    exports dev.ringio.buffers;
}
