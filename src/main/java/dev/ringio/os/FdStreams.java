package dev.ringio.os;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;

import dev.ringio.Fd;
import dev.ringio.blocking.BlockingIo;

/**
 * Blocking streams and a channel on any {@link Fd} (Gerbil's {@code fd-io-in}/{@code fd-io-out},
 * arew's {@code fd->port}): a pipe end, a socket, a file, a character device, an eventfd.
 *
 * <p><b>Over {@link BlockingIo}, not plain {@code read(2)}/{@code write(2)}.</b> Each read and write
 * is an engine operation the calling thread parks on. A virtual thread then frees its carrier while
 * the pipe is empty or the socket's peer is silent, and an interrupt or a close by another thread
 * wakes it (see {@link BlockingIo}). A plain {@code read(2)} from a virtual thread would hold its
 * carrier in the kernel for as long as the read waits (a native call is not a point where the
 * JDK can unmount a virtual thread), so a few such reads would stall every virtual thread of the
 * JVM, and neither interrupt nor close could end them.
 *
 * <p><b>Position.</b> Transfers use the descriptor's current position ({@code fileOffset -1}),
 * which they advance: a stream on a regular file reads or writes from where the file offset is,
 * as a {@code FileInputStream} on the same descriptor would.
 *
 * <p><b>Close.</b> Closing the stream or channel closes the {@code Fd} (as closing a
 * {@code FileInputStream} closes its descriptor and closing a stream of
 * {@code Channels.newInputStream} closes its channel); to keep the descriptor, give the stream a
 * duplicate ({@link Fcntl#dup(Fd)}). Closing is idempotent. After close a stream's calls throw
 * {@link IOException} ("stream closed"), a channel's {@link ClosedChannelException}. A thread
 * blocked in a read when another thread closes the stream (or the {@code Fd}) is woken with
 * {@link java.nio.channels.AsynchronousCloseException}; an interrupted one gets
 * {@link java.nio.channels.ClosedByInterruptException} and the descriptor is closed, as a JDK
 * channel's is.
 *
 * <p><b>Errors.</b> Kernel failures are {@link dev.ringio.NativeIoException}s naming the operation
 * and errno ({@code write} with EPIPE when the read end is gone). End of stream is {@code -1}.
 *
 * <p>Threading: a stream or channel may be used from any thread but an engine's loop thread; one
 * read and one write may run at the same time (each call is one engine operation; concurrent
 * reads interleave their bytes as concurrent {@code read(2)}s would).
 */
public final class FdStreams {

    private FdStreams() {
    }

    /**
     * An input stream reading {@code fd} through {@code io}; closing it closes {@code fd}.
     *
     * @param io the blocking operations to run on
     * @param fd the descriptor, which the stream or channel then owns
     * @return the input stream
     */
    public static InputStream inputStream(BlockingIo io, Fd fd) {
        return new FdInputStream(Objects.requireNonNull(io, "io"), Objects.requireNonNull(fd, "fd"));
    }

    /**
     * An output stream writing {@code fd} through {@code io}; closing it closes {@code fd}.
     *
     * @param io the blocking operations to run on
     * @param fd the descriptor, which the stream or channel then owns
     * @return the output stream
     */
    public static OutputStream outputStream(BlockingIo io, Fd fd) {
        return new FdOutputStream(Objects.requireNonNull(io, "io"), Objects.requireNonNull(fd, "fd"));
    }

    /**
     * A byte channel reading and writing {@code fd} through {@code io}; closing it closes {@code
     * fd}.
     *
     * @param io the blocking operations to run on
     * @param fd the descriptor, which the stream or channel then owns
     * @return the channel
     */
    public static ByteChannel channel(BlockingIo io, Fd fd) {
        return new FdChannel(Objects.requireNonNull(io, "io"), Objects.requireNonNull(fd, "fd"));
    }

    private static final class FdInputStream extends InputStream {
        private final BlockingIo io;
        private final Fd fd;
        private volatile boolean closed;

        FdInputStream(BlockingIo io, Fd fd) {
            this.io = io;
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("read: stream closed");
            }
            if (len == 0) {
                return 0;
            }
            return io.read(fd, ByteBuffer.wrap(b, off, len), -1);
        }

        @Override
        public void close() {
            closed = true;
            fd.close();
        }

        @Override
        public String toString() {
            return "FdInputStream[" + fd + "]";
        }
    }

    private static final class FdOutputStream extends OutputStream {
        private final BlockingIo io;
        private final Fd fd;
        private volatile boolean closed;

        FdOutputStream(BlockingIo io, Fd fd) {
            this.io = io;
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("write: stream closed");
            }
            if (len == 0) {
                return;
            }
            io.write(fd, ByteBuffer.wrap(b, off, len), -1);
        }

        @Override
        public void close() {
            closed = true;
            fd.close();
        }

        @Override
        public String toString() {
            return "FdOutputStream[" + fd + "]";
        }
    }

    private static final class FdChannel implements ByteChannel {
        private final BlockingIo io;
        private final Fd fd;
        private volatile boolean closed;

        FdChannel(BlockingIo io, Fd fd) {
            this.io = io;
            this.fd = fd;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            ensureOpen();
            if (!dst.hasRemaining()) {
                return 0;
            }
            return io.read(fd, dst, -1);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ensureOpen();
            int n = src.remaining();
            if (n == 0) {
                return 0;
            }
            io.write(fd, src, -1);
            return n;
        }

        private void ensureOpen() throws ClosedChannelException {
            if (!isOpen()) {
                throw new ClosedChannelException();
            }
        }

        @Override
        public boolean isOpen() {
            return !closed && fd.isOpen();
        }

        @Override
        public void close() {
            closed = true;
            fd.close();
        }

        @Override
        public String toString() {
            return "FdChannel[" + fd + "]";
        }
    }
}
