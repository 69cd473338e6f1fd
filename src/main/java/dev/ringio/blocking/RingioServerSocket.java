package dev.ringio.blocking;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.Set;

import dev.ringio.Fd;
import dev.ringio.net.Accepted;
import dev.ringio.net.Protocol;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketOption;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

/**
 * A listening TCP socket on a ringio engine whose blocking {@link #accept()} returns
 * {@link RingioSocket}s: the server side of thread-per-connection code. Interrupt and asynchronous
 * close follow {@link java.nio.channels.InterruptibleChannel}.
 *
 * <p>Threading: any thread but the engine's loop; several threads may accept at once.
 */
public final class RingioServerSocket extends BlockingChannel {

    private final BlockingIo io;
    private final Fd fd;

    private RingioServerSocket(BlockingIo io, Fd fd) {
        this.io = io;
        this.fd = fd;
    }

    /**
     * Binds {@code local} (SO_REUSEADDR set; port 0: an ephemeral port) and listens with {@code
     * backlog}.
     *
     * @param io the blocking operations the server socket runs on
     * @param local the address to bind to
     * @param backlog the length of the queue of pending connections
     * @return the listening socket, which the caller closes
     * @throws IOException if the call fails, is interrupted or the socket is closed
     */
    public static RingioServerSocket open(BlockingIo io, InetSocketAddress local, int backlog) throws IOException {
        return open(io, RingioSocket.sockAddr(local), backlog);
    }

    /**
     * As {@link #open(BlockingIo, InetSocketAddress, int)} with ringio's address type (IPv4, IPv6,
     * unix).
     *
     * @param io the blocking operations the server socket runs on
     * @param at the address to bind to
     * @param backlog the length of the queue of pending connections
     * @return the listening socket, which the caller closes
     * @throws IOException if the call fails, is interrupted or the socket is closed
     */
    public static RingioServerSocket open(BlockingIo io, SockAddr at, int backlog) throws IOException {
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(at, "at");
        Fd fd = io.socket(at.domain(), Set.of(SocketType.STREAM), Protocol.DEFAULT);
        try {
            Sockets.setOption(fd, SocketOptions.REUSEADDR, true);
            io.bind(fd, at);
            io.listen(fd, backlog);
        } catch (IOException | RuntimeException e) {
            io.engine().close(fd);
            throw e;
        }
        return new RingioServerSocket(io, fd);
    }

    /**
     * Waits for the next connection.
     *
     * @return the accepted connection, which the caller closes
     * @throws IOException if the call fails, is interrupted or the socket is closed
     */
    public RingioSocket accept() throws IOException {
        Accepted a = blocking(null, () -> io.accept(fd));
        return new RingioSocket(io, a.fd());
    }

    /**
     * The address the socket listens on ({@code getsockname}).
     *
     * @return the local address
     * @throws IOException if the socket is closed
     */
    public InetSocketAddress localAddress() throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        return RingioSocket.inet(Sockets.getsockname(fd));
    }

    /**
     * Sets a socket option from ringio's typed table ({@code dev.ringio.net.SocketOptions}).
     *
     * @param <T> the option's value type
     * @param option the option
     * @param value the new value
     * @return this server socket
     * @throws IOException if the socket is closed or the kernel refuses the option
     */
    public <T> RingioServerSocket setOption(SocketOption<T> option, T value) throws IOException {
        Sockets.setOption(fd, option, value);
        return this;
    }

    /**
     * The listening descriptor (owned by this object).
     *
     * @return the listening descriptor
     */
    public Fd fd() {
        return fd;
    }

    @Override
    protected void implCloseChannel() {
        io.engine().close(fd);
    }
}
