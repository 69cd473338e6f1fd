package dev.ringio.blocking;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Set;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.Chunk;
import dev.ringio.engine.Bounce;
import dev.ringio.engine.TransferOp;
import dev.ringio.net.MsgFlag;
import dev.ringio.sys.Shim;

import static dev.ringio.blocking.WaitExceptions.closedByInterrupt;

/**
 * {@link BlockingIo}'s "try first": one non-blocking attempt on the calling thread
 * ({@code preadv2(RWF_NOWAIT)} on a regular file, {@code MSG_DONTWAIT} on a socket), as the JDK's
 * virtual-thread sockets make, so that an answer already there costs one syscall and no hand-off
 * to the loop; {@link #NOT_NOW} sends the call on to the engine.
 *
 * <p>Threading: any thread; on the engine's loop thread every attempt answers {@link #NOT_NOW}
 * (the engine path says why a blocking call cannot run there).
 */
final class TryFirst {

    /** {@link #tryNow}'s "would block: go through the engine". */
    static final long NOT_NOW = Long.MIN_VALUE;
    private static final int MSG_DONTWAIT = 0x40;

    /** What the attempt is. */
    enum TryKind { READ, RECV, SEND }

    private final IoEngine engine;

    TryFirst(IoEngine engine) {
        this.engine = engine;
    }

    /**
     * One non-blocking attempt at {@code len} bytes of {@code chunk} (file offset, or the MSG bits
     * of {@link Checks#msgFlags} in {@code arg}): the count, or {@link #NOT_NOW} when the kernel would block, the thread is
     * interrupted, or the arguments are for the engine to judge. Other failures throw as the engine
     * would (op and errno).
     */
    long tryNow(TryKind kind, String op, Fd fd, Chunk chunk, int len, long arg) throws IOException {
        if (chunk == null || !chunk.isLive() || len <= 0 || len > chunk.size()) {
            return NOT_NOW;
        }
        try {
            chunk.retain(op);
        } catch (IllegalStateException freedMeanwhile) {
            return NOT_NOW;
        }
        try {
            return tryNow(kind, op, fd, chunk.address(), len, arg);
        } finally {
            chunk.release();
        }
    }

    /** As above for native memory at {@code address} that the caller keeps alive. */
    private long tryNow(TryKind kind, String op, Fd fd, long address, long len, long arg) throws IOException {
        if (engine.inLoop()) {
            return NOT_NOW; // the engine path says why a blocking call cannot run here
        }
        if (Thread.currentThread().isInterrupted()) {
            // A JDK channel's semantics for a thread already interrupted: close, throw, keep the status.
            engine.close(fd);
            throw closedByInterrupt(op, fd, 0);
        }
        int raw;
        try {
            raw = fd.acquire(op);
        } catch (NativeIoException closed) {
            return NOT_NOW; // the engine reports it, with its wording
        }
        long r;
        try {
            Shim shim = Shim.get();
            r = switch (kind) {
                case READ -> shim.preadNowait(raw, address, len, arg);
                case RECV -> shim.recvfrom(raw, address, len, (int) arg | MSG_DONTWAIT, 0, 0);
                case SEND -> shim.sendto(raw, address, len, (int) arg | MSG_DONTWAIT, 0, 0);
            };
        } finally {
            fd.release();
        }
        if (r >= 0) {
            return r;
        }
        int errno = (int) -r;
        if (TransferOp.leaveToEngine(errno, kind == TryKind.READ)) {
            return NOT_NOW; // would block; or a file system without RWF_NOWAIT: the engine copes
        }
        throw new NativeIoException(op, errno);
    }

    /** {@link #tryNow} on a direct buffer's remaining bytes; advances its position by the count. */
    long tryNow(TryKind kind, String op, Fd fd, ByteBuffer buf, Set<MsgFlag> flags) throws IOException {
        if (buf == null || !buf.isDirect() || buf.isReadOnly() && kind != TryKind.SEND || !buf.hasRemaining()
                || fd.kind() != Fd.Kind.SOCKET) {
            return NOT_NOW;
        }
        MemorySegment seg = MemorySegment.ofBuffer(buf);
        if (!Bounce.inPlace(seg)) {
            return NOT_NOW; // an arena's buffer another thread may close: the engine copies it (see Bounce)
        }
        long address = seg.address();
        long r = tryNow(kind, op, fd, address, buf.remaining(), TransferOp.msgFlags(flags, kind == TryKind.SEND));
        if (r > 0) {
            buf.position(buf.position() + (int) r);
        }
        return r;
    }
}
