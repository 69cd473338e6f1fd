/**
 * {@code java.nio.channels} on ringio: an {@link java.nio.channels.spi.AsynchronousChannelProvider}
 * whose socket channels run on an {@link dev.ringio.IoEngine}, and an
 * {@link java.nio.channels.AsynchronousFileChannel} on an engine.
 *
 * <p>Switch existing code over with
 * {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.ringio.nio.RingioAsynchronousChannelProvider}
 * (see {@code docs/nio-adapters.md}).
 *
 * <h2>Threading</h2>
 * Engine futures complete on the engine's loop thread. A {@link java.nio.channels.CompletionHandler}
 * runs where the channel's group runs it: on the loop thread of the channel's engine in a group
 * made with {@code withFixedThreadPool} (as the JDK runs a fixed pool's handlers on the pool
 * thread that saw the event), on the group's executor otherwise, and on the file channel's
 * executor for a file channel. Each public class says which threads may call its methods: every
 * method is safe from any thread, except that the few that wait for the engine (a file channel's
 * {@code open}, {@code size}, {@code truncate}, {@code force}; a {@code Future}'s {@code get};
 * a group's {@code awaitTermination}) must not wait for the loop thread they run on, where they
 * throw {@link java.lang.IllegalStateException} (or, for {@code awaitTermination}, time out).
 * Closing never waits on a loop thread. The waits, and opening a channel, ignore the interrupt
 * status and keep it, as the JDK's asynchronous channels do (they are not interruptible channels).
 */
package dev.ringio.nio;
