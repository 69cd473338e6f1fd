/**
 * The io_uring engine.
 *
 * <h2>Memory-ordering convention</h2>
 * The SQ and CQ rings are memory shared with the kernel, read and written through
 * {@link java.lang.invoke.VarHandle}s over {@link java.lang.foreign.MemorySegment}s. A method name
 * or comment says the ordering of each access:
 * <ul>
 *   <li><b>acquire</b> ({@code getAcquire}): reading an index the kernel advances (SQ head, CQ
 *       tail) — everything the kernel wrote before advancing it is visible after the read;</li>
 *   <li><b>release</b> ({@code setRelease}): publishing an index the kernel reads (SQ tail, CQ
 *       head) — every SQE field written before is visible to the kernel first;</li>
 *   <li><b>plain</b>: SQE and CQE bodies, and indexes only this thread writes (our own SQ tail
 *       copy), which are ordered by the acquire/release pair around them.</li>
 * </ul>
 * Only the loop thread touches the rings (the ring is SINGLE_ISSUER).
 */
package dev.ringio.engine.uring;
