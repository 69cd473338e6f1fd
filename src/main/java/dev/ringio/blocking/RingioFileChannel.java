package dev.ringio.blocking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ScatteringByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import dev.ringio.Fd;
import dev.ringio.OpenFlags;

/**
 * A file as a blocking {@link SeekableByteChannel} (also gathering and scattering) on a ringio
 * engine, with {@link InputStream}/{@link OutputStream} views: drop-in for code written against
 * {@code FileChannel}'s byte-channel side. Reads and writes are positional ({@code pread}/{@code
 * pwrite}, or READ/WRITE SQEs on io_uring) at the channel's position, which they advance.
 *
 * <p>Interrupt and close follow {@link java.nio.channels.InterruptibleChannel}: a thread interrupted
 * while blocked closes the channel and gets {@link java.nio.channels.ClosedByInterruptException};
 * one blocked while another thread closes the channel gets
 * {@link java.nio.channels.AsynchronousCloseException}.
 *
 * <p>Threading: any thread but the engine's loop; concurrent reads and writes are serialised by the
 * channel (as {@code FileChannel} serialises position updates).
 */
public final class RingioFileChannel extends BlockingChannel
        implements SeekableByteChannel, GatheringByteChannel, ScatteringByteChannel {

    private final BlockingIo io;
    private final Fd fd;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    private final ReentrantLock lock = new ReentrantLock();
    private long position;

    private RingioFileChannel(BlockingIo io, Fd fd, boolean readable, boolean writable, boolean append) {
        this.io = io;
        this.fd = fd;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
    }

    /**
     * Opens {@code path} with {@link StandardOpenOption}s as {@code FileChannel.open} reads them
     * (READ unless WRITE or APPEND is given; CREATE, CREATE_NEW, TRUNCATE_EXISTING, APPEND, SYNC,
     * DSYNC); new files get mode 0666 less the umask.
     *
     * @param io the blocking operations the channel runs on
     * @param path the file to open
     * @param options the open options
     * @return the open channel
     * @throws IOException if the open fails (a {@link dev.ringio.NativeIoException} with errno)
     */
    public static RingioFileChannel open(BlockingIo io, Path path, OpenOption... options) throws IOException {
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(path, "path");
        Set<OpenOption> opts = Set.copyOf(Arrays.asList(options));
        boolean append = opts.contains(StandardOpenOption.APPEND);
        boolean write = append || opts.contains(StandardOpenOption.WRITE);
        boolean read = opts.contains(StandardOpenOption.READ) || !write;
        if (append && opts.contains(StandardOpenOption.READ)) {
            throw new IllegalArgumentException("READ + APPEND not allowed");
        }
        if (append && opts.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
        }
        int flags = read && write ? OpenFlags.O_RDWR : write ? OpenFlags.O_WRONLY : OpenFlags.O_RDONLY;
        if (opts.contains(StandardOpenOption.CREATE_NEW) && write) {
            flags |= OpenFlags.O_CREAT | OpenFlags.O_EXCL;
        } else if (opts.contains(StandardOpenOption.CREATE) && write) {
            flags |= OpenFlags.O_CREAT;
        }
        if (opts.contains(StandardOpenOption.TRUNCATE_EXISTING) && write) {
            flags |= OpenFlags.O_TRUNC;
        }
        if (append) {
            flags |= OpenFlags.O_APPEND;
        }
        if (opts.contains(StandardOpenOption.SYNC)) {
            flags |= OpenFlags.O_SYNC;
        } else if (opts.contains(StandardOpenOption.DSYNC)) {
            flags |= OpenFlags.O_DSYNC;
        }
        // openat2 refuses a mode without O_CREAT (EINVAL), unlike open(2)
        Fd fd = io.open(path, flags, (flags & OpenFlags.O_CREAT) != 0 ? 0666 : 0);
        return new RingioFileChannel(io, fd, read, write, append);
    }

    /**
     * The descriptor (owned by the channel: closing the channel closes it).
     *
     * @return the descriptor
     */
    public Fd fd() {
        return fd;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        return blocking(lock, () -> {
            checkReadable();
            int n = io.read(fd, dst, position);
            if (n > 0) {
                position += n;
            }
            return n;
        });
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        ByteBuffer[] part = Arrays.copyOfRange(dsts, offset, offset + length);
        return blocking(lock, () -> {
            checkReadable();
            long n = io.readv(fd, part, position);
            if (n > 0) {
                position += n;
            }
            return n;
        });
    }

    private void checkReadable() {
        if (!readable) {
            throw new NonReadableChannelException();
        }
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
        return blocking(lock, () -> {
            checkWritable();
            long total = 0;
            for (ByteBuffer b : part) {
                total += b.remaining();
            }
            if (append) {
                io.writev(fd, part, -1); // O_APPEND: the kernel writes at the end
                position = io.fstat(fd).size();
            } else {
                io.writev(fd, part, position);
                position += total;
            }
            return total;
        });
    }

    private void checkWritable() {
        if (!writable) {
            throw new NonWritableChannelException();
        }
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        lock.lock();
        try {
            return append ? size() : position;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public RingioFileChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("position " + newPosition + " < 0");
        }
        ensureOpen();
        lock.lock();
        try {
            position = newPosition;
            return this;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long size() throws IOException {
        return blocking(null, () -> io.fstat(fd).size());
    }

    @Override
    public RingioFileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " < 0");
        }
        return blocking(lock, () -> {
            checkWritable();
            if (size < io.fstat(fd).size()) {
                io.ftruncate(fd, size);
            }
            if (position > size) {
                position = size;
            }
            return this;
        });
    }

    /**
     * {@code FileChannel.force}: fsync, or fdatasync when {@code metaData} is false.
     *
     * @param metaData whether the metadata are forced too
     * @throws IOException if the sync fails or the channel is closed
     */
    public void force(boolean metaData) throws IOException {
        blocking(null, () -> {
            if (metaData) {
                io.fsync(fd);
            } else {
                io.fdatasync(fd);
            }
            return null;
        });
    }

    /**
     * An InputStream reading from the channel's position ({@link Channels#newInputStream}).
     *
     * @return an input stream
     */
    public InputStream inputStream() {
        return Channels.newInputStream(this);
    }

    /**
     * An OutputStream writing at the channel's position ({@link Channels#newOutputStream}).
     *
     * @return an output stream
     */
    public OutputStream outputStream() {
        return Channels.newOutputStream(this);
    }

    @Override
    protected void implCloseChannel() {
        io.engine().close(fd); // cancels what is in flight on it; closes once nothing holds it
    }
}
