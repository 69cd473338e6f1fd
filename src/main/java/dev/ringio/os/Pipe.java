package dev.ringio.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A pipe ({@code pipe2(2)} with O_CLOEXEC): both ends are {@link Fd}s usable on any engine.
 * Closing the pipe closes both ends.
 *
 * @param readEnd  the end to read from
 * @param writeEnd the end to write to
 */
public record Pipe(Fd readEnd, Fd writeEnd) implements AutoCloseable {

    private static final int O_CLOEXEC = 02000000;
    private static final int O_NONBLOCK = 04000;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int F_GETPIPE_SZ = 1032;

    /**
     * Opens a pipe with close-on-exec ends. Any thread.
     *
     * @return the new pipe, which the caller closes
     * @throws NativeIoException EMFILE / ENFILE when out of descriptors
     */
    public static Pipe open() throws NativeIoException {
        return open(false);
    }

    /**
     * Opens a pipe; {@code nonBlocking} sets O_NONBLOCK on both ends (the readiness engines want
     * that; io_uring does not need it). Any thread.
     *
     * @param nonBlocking whether both ends are {@code O_NONBLOCK}
     * @return the new pipe, which the caller closes
     * @throws NativeIoException EMFILE / ENFILE when out of descriptors
     */
    public static Pipe open(boolean nonBlocking) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            NativeIoException.check("pipe2", Shim.get().pipe2(fds.address(), O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0)));
            return new Pipe(Fd.adopt(fds.getAtIndex(JAVA_INT, 0), Fd.Kind.PIPE),
                    Fd.adopt(fds.getAtIndex(JAVA_INT, 1), Fd.Kind.PIPE));
        }
    }

    /**
     * The pipe's capacity in bytes ({@code fcntl(F_GETPIPE_SZ)}); 64 KiB unless changed. Any thread.
     *
     * @return the pipe's capacity in bytes ({@code F_GETPIPE_SZ})
     * @throws NativeIoException EBADF once the pipe is closed
     */
    public int capacity() throws NativeIoException {
        return fcntl("F_GETPIPE_SZ", F_GETPIPE_SZ, 0);
    }

    /**
     * Sets the capacity ({@code fcntl(F_SETPIPE_SZ)}): the kernel rounds {@code bytes} up to a
     * power-of-two number of pages. A larger pipe lets one {@code splice} move more at a time.
     * Any thread.
     *
     * @param bytes the capacity wanted, in bytes
     * @return the capacity now in effect
     * @throws IllegalArgumentException if {@code bytes} is not positive
     * @throws NativeIoException EPERM above {@code /proc/sys/fs/pipe-max-size} without
     *                           CAP_SYS_RESOURCE, EBUSY below the bytes the pipe holds, EBADF once closed
     */
    public int setCapacity(int bytes) throws NativeIoException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("F_SETPIPE_SZ: capacity must be positive: " + bytes);
        }
        return fcntl("F_SETPIPE_SZ", F_SETPIPE_SZ, bytes);
    }

    /** {@code fcntl(writeEnd, cmd, arg)} while holding the write end; errors name {@code fcntl(NAME)}. */
    private int fcntl(String name, int cmd, long arg) throws NativeIoException {
        int fd = writeEnd.acquire(name);
        try {
            return (int) NativeIoException.check("fcntl(" + name + ")", Shim.get().fcntl(fd, cmd, arg));
        } finally {
            writeEnd.release();
        }
    }

    /** Closes both ends (deferred per end while operations hold it). */
    @Override
    public void close() {
        readEnd.close();
        writeEnd.close();
    }
}
