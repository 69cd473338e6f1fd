package dev.ringio.nio;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Sockets;
import dev.ringio.sys.Shim;

/**
 * A read or write tried at once on the calling thread with a non-blocking system call
 * ({@code recv}/{@code send} with {@code MSG_DONTWAIT}), as the JDK's
 * {@code UnixAsynchronousSocketChannelImpl} does before it waits for readiness: an operation
 * that can complete now needs no round trip through the engine's loop, and only one that would
 * block ({@code EAGAIN}) goes to the engine. The call is the shim's {@code recvfrom}/{@code sendto}
 * on the buffer's memory: "would block" is a return value, not an exception, since it is the
 * common case of every read that waits for its peer.
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

    private static final int MSG_DONTWAIT = MsgFlag.DONTWAIT.value();
    private static final int MSG_NOSIGNAL = MsgFlag.NOSIGNAL.value();
    private static final Set<MsgFlag> DONTWAIT = EnumSet.of(MsgFlag.DONTWAIT);
    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

    /** A direct buffer and its address. */
    private record Scratch(ByteBuffer buffer, long address) {
    }

    private NonBlockingAttempt() {
    }

    /**
     * Receives into {@code dst} (which has room) now: the bytes read, -1 at end of stream, or
     * null if none are there yet. Advances {@code dst}'s position by the bytes read.
     *
     * @throws NativeIoException for any other failure (e.g. ECONNRESET, EBADF once closed)
     */
    static Integer recv(Fd fd, ByteBuffer dst) throws NativeIoException {
        int pos = dst.position();
        int len = dst.isDirect() ? dst.remaining() : Math.min(dst.remaining(), MAX_SCRATCH);
        Scratch scratch = null;
        long address;
        if (dst.isDirect()) {
            address = MemorySegment.ofBuffer(dst).address();
        } else if ((scratch = scratch(len)) != null) {
            address = scratch.address();
        } else {
            return viaSockets(fd, dst, true);
        }
        long n;
        int raw = fd.acquire("recv");
        try {
            do {
                n = Shim.get().recvfrom(raw, address, len, MSG_DONTWAIT, 0, 0);
            } while (n == -Errno.EINTR.value());
        } finally {
            fd.release();
            Reference.reachabilityFence(dst);
        }
        if (n == -Errno.EAGAIN.value()) {
            return null;
        }
        NativeIoException.check("recv", n);
        if (n == 0) {
            return -1;
        }
        if (scratch != null) {
            dst.put(pos, scratch.buffer(), 0, (int) n);
        }
        dst.position(pos + (int) n);
        return (int) n;
    }

    /**
     * Sends from {@code src} (which has bytes) now: the bytes sent, or null if the socket's send
     * buffer is full. Advances {@code src}'s position by the bytes sent.
     *
     * @throws NativeIoException for any other failure (e.g. EPIPE, ECONNRESET, EBADF once closed)
     */
    static Integer send(Fd fd, ByteBuffer src) throws NativeIoException {
        int pos = src.position();
        int len = src.isDirect() ? src.remaining() : Math.min(src.remaining(), MAX_SCRATCH);
        long address;
        if (src.isDirect()) {
            address = MemorySegment.ofBuffer(src).address();
        } else {
            Scratch scratch = scratch(len);
            if (scratch == null) {
                return viaSockets(fd, src, false);
            }
            scratch.buffer().put(0, src, pos, len);
            address = scratch.address();
        }
        long n;
        int raw = fd.acquire("send");
        try {
            do {
                n = Shim.get().sendto(raw, address, len, MSG_DONTWAIT | MSG_NOSIGNAL, 0, 0);
            } while (n == -Errno.EINTR.value());
        } finally {
            fd.release();
            Reference.reachabilityFence(src);
        }
        if (n == -Errno.EAGAIN.value()) {
            return null;
        }
        NativeIoException.check("send", n);
        src.position(pos + (int) n);
        return (int) n;
    }

    /** A virtual thread's attempt: through {@link Sockets}, which bounces heap bytes through memory freed within the call. */
    private static Integer viaSockets(Fd fd, ByteBuffer buffer, boolean receive) throws NativeIoException {
        int len = Math.min(buffer.remaining(), MAX_SCRATCH);
        ByteBuffer view = buffer.slice(buffer.position(), len);
        int n;
        try {
            n = receive ? Sockets.recv(fd, view, DONTWAIT) : Sockets.send(fd, view, DONTWAIT);
        } catch (NativeIoException e) {
            if (e.is(Errno.EAGAIN)) {
                return null;
            }
            throw e;
        }
        if (receive && n == 0) {
            return -1;
        }
        buffer.position(buffer.position() + n);
        return n;
    }

    /** This platform thread's scratch buffer, at least {@code len} bytes; null on a virtual thread. */
    private static Scratch scratch(int len) {
        if (Thread.currentThread().isVirtual()) {
            return null;
        }
        Scratch s = SCRATCH.get();
        if (s == null || s.buffer().capacity() < len) {
            ByteBuffer b = ByteBuffer.allocateDirect(Math.max(4096, Integer.highestOneBit(Math.max(1, len - 1)) << 1));
            s = new Scratch(b, MemorySegment.ofBuffer(b).address());
            SCRATCH.set(s);
        }
        return s;
    }
}
