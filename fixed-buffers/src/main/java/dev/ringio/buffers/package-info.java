/**
 * A pool of fixed-size off-heap buffers ("chunks") cut from one page-aligned arena, modelled on
 * eio_linux's {@code alloc_fixed} / {@code alloc_fixed_or_wait} / {@code free_fixed} / {@code with_chunk}.
 *
 * <p>{@link dev.ringio.buffers.FixedBufferPool#allocate(int, int)} reserves the arena with
 * {@link java.lang.foreign.Arena#ofShared()}; an io_uring engine registers
 * {@link dev.ringio.buffers.FixedBufferPool#arena()} with the kernel as fixed buffers and addresses a chunk by
 * {@link dev.ringio.buffers.Chunk#index()} / {@link dev.ringio.buffers.Chunk#offsetInArena()}. The pool knows
 * nothing about rings.
 *
 * <p>Every allocation yields a fresh {@link dev.ringio.buffers.Chunk} handle stamped with its slot's generation;
 * freeing bumps the generation, so a stale handle (double free, use after free) is detected and reported with an
 * {@link java.lang.IllegalStateException} instead of silently touching memory that now belongs to someone else.
 * While the kernel may read or write a chunk, the engine pins it with
 * {@link dev.ringio.buffers.Chunk#retain(String)} and unpins it with {@link dev.ringio.buffers.Chunk#release()};
 * the pool refuses to free a pinned chunk or to close while any chunk is pinned.
 *
 * <p>All methods are safe to call from any thread.
 */
package dev.ringio.buffers;
