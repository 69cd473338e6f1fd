package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.engine.uring.Layouts;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.SockAddr;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A {@code struct msghdr} in native memory for sendmsg/recvmsg, built from the caller's
 * {@link ByteBuffer}s (those {@link Bounce} does not use in place through ringio's bounce memory, never
 * cut): the address, the iovecs, and a control buffer for SCM_RIGHTS. After the call,
 * {@link #completed} copies received bytes out of bounce memory and advances the buffers' positions,
 * and {@link #message} decodes what arrived. Layout: x86_64
 * Linux, verified against the shim in the socket layout tests. Not thread-safe: one operation owns it.
 */
public final class MsgHeader {

    public static final int MSGHDR_SIZE = 56;
    public static final int MSG_NAME = 0;
    public static final int MSG_NAMELEN = 8;
    public static final int MSG_IOV = 16;
    public static final int MSG_IOVLEN = 24;
    public static final int MSG_CONTROL = 32;
    public static final int MSG_CONTROLLEN = 40;
    public static final int MSG_FLAGS = 48;
    public static final int CMSG_HDR = 16;       // CMSG_LEN(0)
    public static final int CMSG_LEVEL = 8;
    public static final int CMSG_TYPE = 12;
    public static final int SOL_SOCKET = 1;
    public static final int SCM_RIGHTS = 1;
    /** SCM_MAX_FD: the most descriptors one message may carry. */
    public static final int MAX_FDS = 253;

    /** CMSG_SPACE(dataBytes): a control message with {@code dataBytes} of data, padded. */
    public static int cmsgSpace(int dataBytes) {
        return CMSG_HDR + ((dataBytes + 7) & ~7);
    }

    private final boolean send;
    private final ByteBuffer[] buffers;
    private final int[] positions;
    private final Bounce.Span span;
    private final MemorySegment msg;
    private final MemorySegment name;
    private final MemorySegment control;
    private final int controlSize;

    private MsgHeader(String op, boolean send, ByteBuffer[] buffers, SockAddr destination, int fdCount, int maxFds,
                      Arena arena) {
        Objects.requireNonNull(buffers, "buffers");
        if (buffers.length > Layouts.IOV_MAX) {
            throw new IllegalArgumentException(op + ": " + buffers.length + " buffers exceed IOV_MAX " + Layouts.IOV_MAX);
        }
        this.send = send;
        this.buffers = buffers;
        this.positions = new int[buffers.length];
        MemorySegment[] segs = new MemorySegment[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            ByteBuffer b = Objects.requireNonNull(buffers[i], op + ": buffers[" + i + "]");
            if (!send && b.isReadOnly()) {
                throw new IllegalArgumentException(op + ": buffer " + i + " is read-only");
            }
            positions[i] = b.position();
            segs[i] = MemorySegment.ofBuffer(b);
        }
        MemorySegment iovecs = arena.allocate((long) Math.max(1, buffers.length) * Layouts.IOVEC_SIZE, 8);
        this.msg = arena.allocate(MSGHDR_SIZE, 8);
        msg.set(JAVA_LONG, MSG_IOV, iovecs.address());
        if (!send || destination != null) {
            this.name = arena.allocate(SockAddr.MAX_SIZE, 8);
            msg.set(JAVA_LONG, MSG_NAME, name.address());
            msg.set(JAVA_INT, MSG_NAMELEN, send ? destination.encode(name) : SockAddr.MAX_SIZE);
        } else {
            this.name = null;
        }
        int slots = send ? fdCount : maxFds;
        if (slots > MAX_FDS) {
            throw new IllegalArgumentException(op + ": " + slots + " descriptors exceed SCM_MAX_FD " + MAX_FDS);
        }
        if (slots > 0) {
            this.controlSize = cmsgSpace(4 * slots);
            this.control = arena.allocate(controlSize, 8);
            msg.set(JAVA_LONG, MSG_CONTROL, control.address());
            msg.set(JAVA_LONG, MSG_CONTROLLEN, controlSize);
            if (send) {
                control.set(JAVA_LONG, 0, CMSG_HDR + 4L * slots);
                control.set(JAVA_INT, CMSG_LEVEL, SOL_SOCKET);
                control.set(JAVA_INT, CMSG_TYPE, SCM_RIGHTS);
            }
        } else {
            this.control = null;
            this.controlSize = 0;
        }
        // Last, so that nothing after it can throw and strand the bounce memory. Never cut: a
        // datagram must go (and arrive) whole.
        this.span = Bounce.span(op, segs, !send, Bounce.WHOLE);
        msg.set(JAVA_LONG, MSG_IOVLEN, span.iovecs(0, iovecs, Math.max(1, buffers.length)));
    }

    /** A header for sendmsg of {@code buffers} (gathered) to {@code destination} (null: connected), with room for {@code fdCount} descriptors. */
    public static MsgHeader forSend(String op, ByteBuffer[] buffers, SockAddr destination, int fdCount, Arena arena) {
        return new MsgHeader(op, true, buffers, destination, fdCount, 0, arena);
    }

    /** A header for recvmsg into {@code buffers} (scattered), accepting up to {@code maxFds} descriptors. */
    public static MsgHeader forReceive(String op, ByteBuffer[] buffers, int maxFds, Arena arena) {
        return new MsgHeader(op, false, buffers, null, 0, maxFds, arena);
    }

    /** The msghdr's address, for the syscall or the SQE. */
    public long address() {
        return msg.address();
    }

    /** Puts descriptor {@code raw} in SCM_RIGHTS slot {@code index} (send headers only). */
    public void passFd(int index, int raw) {
        control.set(JAVA_INT, CMSG_HDR + 4L * index, raw);
    }

    /** Resets what recvmsg writes back (name length, control length, flags), for a retry. */
    public void resetForReceive() {
        if (!send) {
            msg.set(JAVA_INT, MSG_NAMELEN, SockAddr.MAX_SIZE);
            if (control != null) {
                msg.set(JAVA_LONG, MSG_CONTROLLEN, controlSize);
            }
            msg.set(JAVA_INT, MSG_FLAGS, 0);
        }
    }

    /** The memory the kernel sees for the buffers: {@link Bounce.Span#release} it once the kernel is done. */
    public Bounce.Span span() {
        return span;
    }

    /**
     * After a transfer of {@code n} bytes: copies received bytes out of bounce memory and advances the
     * buffers' positions. If the copy fails (the caller closed a buffer's arena meanwhile), descriptors
     * that arrived are closed and the {@link IllegalStateException} is thrown.
     */
    public void completed(long n) {
        if (!send) {
            try {
                span.landed(0, n);
            } catch (IllegalStateException e) {
                receivedFds().forEach(Fd::close);
                throw e;
            }
        }
        long left = n;
        for (int i = 0; i < buffers.length && left > 0; i++) {
            int k = (int) Math.min(left, buffers[i].limit() - positions[i]);
            buffers[i].position(positions[i] + k);
            left -= k;
        }
    }

    /** What recvmsg delivered ({@code n} bytes): sender, descriptors (adopted; the caller owns them), flags. */
    public ReceivedMessage message(int n) {
        List<Fd> fds = receivedFds();
        int nameLen = msg.get(JAVA_INT, MSG_NAMELEN);
        SockAddr sender = null;
        if (nameLen > 0) {
            try {
                sender = SockAddr.decode(name, nameLen);
            } catch (IllegalArgumentException unknownFamily) {
                sender = null;
            }
        }
        // A bit no MsgFlag names (a newer kernel's) must not fail the receive: the named flags
        // in the set, every bit in flagBits.
        int flags = msg.get(JAVA_INT, MSG_FLAGS);
        return new ReceivedMessage(n, sender, fds, MsgFlag.ofKnown(flags), flags);
    }

    private List<Fd> receivedFds() {
        List<Fd> fds = new ArrayList<>();
        if (control == null) {
            return fds;
        }
        long len = msg.get(JAVA_LONG, MSG_CONTROLLEN);
        long off = 0;
        while (off + CMSG_HDR <= len) {
            long cmsgLen = control.get(JAVA_LONG, off);
            if (cmsgLen < CMSG_HDR || off + cmsgLen > len) {
                break;
            }
            if (control.get(JAVA_INT, off + CMSG_LEVEL) == SOL_SOCKET && control.get(JAVA_INT, off + CMSG_TYPE) == SCM_RIGHTS) {
                int n = (int) ((cmsgLen - CMSG_HDR) / 4);
                for (int i = 0; i < n; i++) {
                    fds.add(adoptReceived(control.get(JAVA_INT, off + CMSG_HDR + 4L * i)));
                }
            }
            off += (cmsgLen + 7) & ~7L;
        }
        return fds;
    }

    private static Fd adoptReceived(int raw) {
        try {
            return Fd.adopt(raw);
        } catch (NativeIoException e) {
            return Fd.adopt(raw, Fd.Kind.OTHER);
        }
    }
}
