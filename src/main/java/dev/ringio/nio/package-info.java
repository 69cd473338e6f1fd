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
 * Engine futures complete on the engine's loop thread; nothing in this package runs user code
 * there. Every {@link java.nio.channels.CompletionHandler} is handed to the executor of the
 * channel's group (of the file channel), as the JDK's contract requires, and every channel method
 * is safe from any thread. The few methods that wait for the kernel ({@code close}, {@code size},
 * {@code force}, option calls) never run on the loop thread because no code of this package that
 * the loop thread runs calls them. Those waits, and opening a channel, ignore the interrupt status
 * and keep it, as the JDK's asynchronous channels do (they are not interruptible channels).
 */
package dev.ringio.nio;
