package dev.ringio.nio;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Sockets;

/**
 * A read or write tried at once on the calling thread with a non-blocking system call
 * ({@code recv}/{@code send} with {@code MSG_DONTWAIT}), as the JDK's
 * {@code UnixAsynchronousSocketChannelImpl} does before it waits for readiness: an operation
 * that can complete now needs no round trip through the engine's loop, and only one that would
 * block ({@code EAGAIN}) goes to the engine.
 *
 * <p>Heap buffers go through a direct scratch buffer of the calling platform thread (at most
 * {@value #MAX_SCRATCH} bytes per call: a transfer may be short, as the channel contract allows),
 * grown as needed and kept for the thread's life, as the JDK's temporary buffer cache does; a
 * virtual thread's bytes go through memory {@link Sockets} allocates and frees within the call
 * (a cache per virtual thread would be one buffer per task).
 *
 * <p>Threading: any thread; the scratch buffer is the calling thread's own.
 */
final class NonBlockingAttempt {

    /** Most bytes one attempt moves through the scratch buffer. */
    static final int MAX_SCRATCH = 256 * 1024;

    private static final Set<MsgFlag> DONTWAIT = EnumSet.of(MsgFlag.DONTWAIT);
    private static final ThreadLocal<ByteBuffer> SCRATCH = new ThreadLocal<>();

    private NonBlockingAttempt() {
    }

    /**
     * Receives into {@code dst} (which has room) now: the bytes read, -1 at end of stream, or
     * null if none are there yet. Advances {@code dst}'s position by the bytes read.
     *
     * @throws NativeIoException for any other failure (e.g. ECONNRESET, EBADF once closed)
     */
    static Integer recv(Fd fd, ByteBuffer dst) throws NativeIoException {
        int n;
        try {
            if (dst.isDirect()) {
                n = Sockets.recv(fd, dst, DONTWAIT);
            } else {
                int len = Math.min(dst.remaining(), MAX_SCRATCH);
                ByteBuffer scratch = scratch(len);
                if (scratch == null) {
                    ByteBuffer view = dst.slice(dst.position(), len);
                    n = Sockets.recv(fd, view, DONTWAIT);
                } else {
                    n = Sockets.recv(fd, scratch, DONTWAIT);
                    dst.put(dst.position(), scratch, 0, n);
                }
                dst.position(dst.position() + n);
            }
        } catch (NativeIoException e) {
            if (e.is(Errno.EAGAIN)) {
                return null;
            }
            throw e;
        }
        return n == 0 ? -1 : n;
    }

    /**
     * Sends from {@code src} (which has bytes) now: the bytes sent, or null if the socket's send
     * buffer is full. Advances {@code src}'s position by the bytes sent.
     *
     * @throws NativeIoException for any other failure (e.g. EPIPE, ECONNRESET, EBADF once closed)
     */
    static Integer send(Fd fd, ByteBuffer src) throws NativeIoException {
        int n;
        try {
            if (src.isDirect()) {
                n = Sockets.send(fd, src, DONTWAIT);
            } else {
                int len = Math.min(src.remaining(), MAX_SCRATCH);
                ByteBuffer scratch = scratch(len);
                if (scratch == null) {
                    n = Sockets.send(fd, src.slice(src.position(), len), DONTWAIT);
                } else {
                    scratch.put(0, src, src.position(), len);
                    n = Sockets.send(fd, scratch, DONTWAIT);
                }
                src.position(src.position() + n);
            }
        } catch (NativeIoException e) {
            if (e.is(Errno.EAGAIN)) {
                return null;
            }
            throw e;
        }
        return n;
    }

    /** This platform thread's scratch buffer with exactly {@code len} bytes between 0 and its limit; null on a virtual thread. */
    private static ByteBuffer scratch(int len) {
        if (Thread.currentThread().isVirtual()) {
            return null;
        }
        ByteBuffer b = SCRATCH.get();
        if (b == null || b.capacity() < len) {
            b = ByteBuffer.allocateDirect(Math.max(4096, Integer.highestOneBit(Math.max(1, len - 1)) << 1));
            SCRATCH.set(b);
        }
        return b.clear().limit(len);
    }
}
