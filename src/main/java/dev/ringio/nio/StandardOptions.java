package dev.ringio.nio;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.Sockets;

/**
 * The {@link StandardSocketOptions} the TCP channels support, each mapped to the
 * {@code dev.ringio.net} option of the same name, with the JDK's argument checks.
 *
 * <p>Threading: any thread; the calls are plain {@code getsockopt}/{@code setsockopt}.
 */
final class StandardOptions {

    /** The options of a connection (AsynchronousSocketChannel). */
    static final Map<SocketOption<?>, dev.ringio.net.SocketOption<?>> STREAM = Map.of(
            StandardSocketOptions.SO_SNDBUF, SocketOptions.SNDBUF,
            StandardSocketOptions.SO_RCVBUF, SocketOptions.RCVBUF,
            StandardSocketOptions.SO_REUSEADDR, SocketOptions.REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT, SocketOptions.REUSEPORT,
            StandardSocketOptions.SO_KEEPALIVE, SocketOptions.KEEPALIVE,
            StandardSocketOptions.TCP_NODELAY, SocketOptions.TCP_NODELAY);

    /** The options of a listener (AsynchronousServerSocketChannel). */
    static final Map<SocketOption<?>, dev.ringio.net.SocketOption<?>> LISTENER = Map.of(
            StandardSocketOptions.SO_RCVBUF, SocketOptions.RCVBUF,
            StandardSocketOptions.SO_REUSEADDR, SocketOptions.REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT, SocketOptions.REUSEPORT);

    private StandardOptions() {
    }

    static Set<SocketOption<?>> names(Map<SocketOption<?>, dev.ringio.net.SocketOption<?>> table) {
        return table.keySet();
    }

    @SuppressWarnings("unchecked")
    static <T> void set(Map<SocketOption<?>, dev.ringio.net.SocketOption<?>> table, Fd fd, SocketOption<T> name, T value)
            throws NativeIoException {
        dev.ringio.net.SocketOption<Object> native_ = (dev.ringio.net.SocketOption<Object>) lookUp(table, name);
        if (value == null) {
            throw new IllegalArgumentException("Invalid value 'null' for " + name.name());
        }
        if ((name == StandardSocketOptions.SO_SNDBUF || name == StandardSocketOptions.SO_RCVBUF) && (Integer) value < 0) {
            throw new IllegalArgumentException("Invalid send/receive buffer size " + value);
        }
        Sockets.setOption(fd, native_, value);
    }

    @SuppressWarnings("unchecked")
    static <T> T get(Map<SocketOption<?>, dev.ringio.net.SocketOption<?>> table, Fd fd, SocketOption<T> name)
            throws NativeIoException {
        return (T) Sockets.getOption(fd, lookUp(table, name));
    }

    private static dev.ringio.net.SocketOption<?> lookUp(Map<SocketOption<?>, dev.ringio.net.SocketOption<?>> table,
            SocketOption<?> name) {
        Objects.requireNonNull(name, "name");
        dev.ringio.net.SocketOption<?> o = table.get(name);
        if (o == null) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
        return o;
    }
}
