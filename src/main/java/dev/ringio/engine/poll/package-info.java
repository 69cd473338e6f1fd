/**
 * The readiness engines (DESIGN.md, "The readiness engines"): a {@link dev.ringio.engine.poll.Poller}
 * SPI (register / modify / deregister / poll / wakeup), its epoll implementation, and a kqueue
 * implementation ({@code KqueuePoller}, FreeBSD 12+ and macOS layouts) that has only ever run
 * against a test-only emulation on Linux (docs/kqueue.md). Not exported by the module.
 *
 * <p>Threading convention: a poller belongs to one thread, its owner (the readiness engine's loop);
 * every method is "owner thread only" except {@link dev.ringio.engine.poll.Poller#wakeup()}, which is
 * "any thread".
 */
package dev.ringio.engine.poll;
