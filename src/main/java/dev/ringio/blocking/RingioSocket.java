package dev.ringio.blocking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import dev.ringio.Fd;
import dev.ringio.net.Domain;
import dev.ringio.net.Protocol;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketOption;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

/**
 * A connected TCP (or any stream) socket as a blocking {@link ByteChannel} (also scattering and
 * gathering) on a ringio engine, with {@link InputStream}/{@link OutputStream} views, ringio's typed
 * socket options, a read timeout ({@link #readTimeout(Duration)}, like SO_TIMEOUT for a
 * {@code Socket}'s stream), and half-close. Made by {@link #connect} or {@link RingioServerSocket#accept()}.
 *
 * <p>A read returns as soon as some bytes arrived ({@code -1} at end of stream); a write sends all of
 * its buffers. Interrupt and asynchronous close follow {@link java.nio.channels.InterruptibleChannel}
 * ({@link java.nio.channels.ClosedByInterruptException}, {@link java.nio.channels.AsynchronousCloseException}).
 *
 * <p>Threading: any thread but the engine's loop; one reader and one writer may work at once (reads
 * are serialised among themselves, writes among themselves).
 */
public final class RingioSocket extends BlockingChannel
        implements ByteChannel, ScatteringByteChannel, GatheringByteChannel {

    private final BlockingIo io;
    private final Fd fd;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile long readTimeoutNanos = -1;

    RingioSocket(BlockingIo io, Fd fd) {
        this.io = io;
        this.fd = fd;
    }

    /**
     * Connects to {@code remote}, waiting at most {@code timeout} (null: no limit): {@link
     * java.net.SocketTimeoutException}.
     *
     * @param io the blocking operations the socket runs on
     * @param remote the address to connect to
     * @param timeout the longest wait, or {@code null} for no limit
     * @return the connected socket, which the caller closes
     * @throws IOException if the call fails, is interrupted or the socket is closed
     */
    public static RingioSocket connect(BlockingIo io, InetSocketAddress remote, Duration timeout) throws IOException {
        Objects.requireNonNull(io, "io");
        SockAddr to = sockAddr(remote);
        Fd fd = io.socket(to.domain(), Set.of(SocketType.STREAM), Protocol.DEFAULT);
        try {
            if (timeout == null) {
                io.connect(fd, to);
            } else {
                io.connect(fd, to, timeout);
            }
        } catch (IOException | RuntimeException e) {
            io.engine().close(fd);
            throw e;
        }
        return new RingioSocket(io, fd);
    }

    /**
     * Connects to {@code remote} with no time limit.
     *
     * @param io the blocking operations the socket runs on
     * @param remote the address to connect to
     * @return the connected socket, which the caller closes
     * @throws IOException if the call fails, is interrupted or the socket is closed
     */
    public static RingioSocket connect(BlockingIo io, InetSocketAddress remote) throws IOException {
        return connect(io, remote, null);
    }

    /**
     * ringio's address for {@code a} ({@link SockAddr#of}); an unresolved one is the channels'
     * {@link UnresolvedAddressException}.
     */
    static SockAddr sockAddr(InetSocketAddress a) {
        Objects.requireNonNull(a, "address");
        if (a.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return SockAddr.of(a);
    }

    /** An IP socket's address as {@code java.net} shows it ({@link SockAddr#toJava}). */
    static InetSocketAddress inet(SockAddr a) {
        return (InetSocketAddress) a.toJava();
    }

    /**
     * The descriptor (owned by the channel).
     *
     * @return the descriptor
     */
    public Fd fd() {
        return fd;
    }

    /**
     * Reads give up after {@code timeout} with {@link java.net.SocketTimeoutException} (the socket
     * stays usable); null: never.
     *
     * @param timeout the read timeout, or {@code null} for none
     * @return this socket
     */
    public RingioSocket readTimeout(Duration timeout) {
        this.readTimeoutNanos = timeout == null ? -1 : timeout.toNanos();
        return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        return blocking(readLock, () -> readTimeoutNanos < 0 ? io.recv(fd, dst, Set.of())
                : io.recv(fd, dst, Set.of(), Duration.ofNanos(readTimeoutNanos)));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        ByteBuffer[] part = Arrays.copyOfRange(dsts, offset, offset + length);
        return blocking(readLock, () -> io.readv(fd, part, -1));
    }

    @Override
    public long read(ByteBuffer[] dsts) throws IOException {
        return read(dsts, 0, dsts.length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        ByteBuffer[] part = Arrays.copyOfRange(srcs, offset, offset + length);
        long total = 0;
        for (ByteBuffer b : part) {
            total += b.remaining();
        }
        long all = total;
        return blocking(writeLock, () -> {
            if (part.length == 1) {
                io.sendAll(fd, part[0], Set.of());
            } else {
                io.writev(fd, part, -1);
            }
            return all;
        });
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /**
     * Half-close: no more reads (a blocked read returns -1).
     *
     * @return this socket
     * @throws IOException if the call fails, is interrupted or the socket is closed
     */
    public RingioSocket shutdownInput() throws IOException {
        ensureOpen();
        io.shutdown(fd, ShutdownHow.READ);
        return this;
    }

    /**
     * Half-close: the peer reads end of stream after what was sent.
     *
     * @return this socket
     * @throws IOException if the call fails, is interrupted or the socket is closed
     */
    public RingioSocket shutdownOutput() throws IOException {
        ensureOpen();
        io.shutdown(fd, ShutdownHow.WRITE);
        return this;
    }

    /**
     * Sets a socket option from ringio's typed table ({@code dev.ringio.net.SocketOptions}).
     *
     * @param <T> the option's value type
     * @param option the option
     * @param value the new value
     * @return this socket
     * @throws IOException if the call fails, is interrupted or the socket is closed
     */
    public <T> RingioSocket setOption(SocketOption<T> option, T value) throws IOException {
        ensureOpen();
        Sockets.setOption(fd, option, value);
        return this;
    }

    /**
     * Reads a socket option from ringio's typed table.
     *
     * @param <T> the option's value type
     * @param option the option
     * @return the option's value
     * @throws IOException if the call fails, is interrupted or the socket is closed
     */
    public <T> T getOption(SocketOption<T> option) throws IOException {
        ensureOpen();
        return Sockets.getOption(fd, option);
    }

    /**
     * The connected peer's address ({@code getpeername}).
     *
     * @return the peer's address
     * @throws IOException if the socket is closed or not connected
     */
    public InetSocketAddress remoteAddress() throws IOException {
        ensureOpen();
        return inet(Sockets.getpeername(fd));
    }

    /**
     * The socket's local address ({@code getsockname}).
     *
     * @return the local address
     * @throws IOException if the socket is closed
     */
    public InetSocketAddress localAddress() throws IOException {
        ensureOpen();
        return inet(Sockets.getsockname(fd));
    }

    /**
     * An InputStream over the channel ({@link Channels#newInputStream}); honours the read timeout.
     *
     * @return an input stream reading from this socket
     */
    public InputStream inputStream() {
        return Channels.newInputStream(this);
    }

    /**
     * An OutputStream over the channel ({@link Channels#newOutputStream}).
     *
     * @return an output stream writing to this socket
     */
    public OutputStream outputStream() {
        return Channels.newOutputStream(this);
    }

    @Override
    protected void implCloseChannel() {
        io.engine().close(fd);
    }

    @Override
    public String toString() {
        return "RingioSocket[" + fd + "]";
    }

}
