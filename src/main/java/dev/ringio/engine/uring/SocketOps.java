package dev.ringio.engine.uring;

import java.lang.foreign.MemorySegment;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.engine.Bounce;
import dev.ringio.net.Accepted;
import dev.ringio.net.SocketConstants;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The io_uring engine's socket operations that are more than one fixed SQE: accept (one and
 * multishot), sendmsg/recvmsg with descriptors, zero-copy send, multishot receive.
 */
final class SocketOps {

    private SocketOps() {
    }

    /** Multishot ACCEPT (kernel 5.19): every connection to the handler until cancelled or failed. */
    static final class MultishotAcceptOp extends MultishotOp<Accepted> {
        private final int listenFd;

        MultishotAcceptOp(UringEngine engine, int listenFd, MultishotHandler<Accepted> handler) {
            super("acceptMultishot", engine, handler);
            this.listenFd = listenFd;
        }

        @Override
        void prep(Ring ring, long sqe, long token) {
            // No address buffer: completions may be posted back to back and would overwrite it;
            // the peer address is read with getpeername per connection instead.
            ring.prep(sqe, Uring.OP_ACCEPT, listenFd, 0, 0, 0, token);
            ring.opFlags(sqe, SocketConstants.SOCK_CLOEXEC);
            ring.ioprio(sqe, Uring.ACCEPT_MULTISHOT);
        }

        @Override
        void complete(UringEngine e, int res, int cqeFlags) {
            boolean more = (cqeFlags & Uring.CQE_F_MORE) != 0;
            if (res >= 0) {
                Fd fd = Fd.adopt(res, Fd.Kind.SOCKET);
                if (!deliver(new Accepted(fd, e.peerName(res)))) {
                    fd.close(); // nobody took it: never leak an accepted socket
                }
            }
            if (more) {
                return;
            }
            if (res >= 0 && !cancelRequested && !e.isClosed()) {
                e.resubmit(this); // the kernel stopped the multishot (e.g. CQ overflow): re-arm
            } else if (res == -Errno.ECANCELED.value() || cancelRequested || e.isClosed()) {
                endStream(null);
            } else if (res < 0) {
                endStream(new NativeIoException(name, -res));
            }
        }
    }

    /**
     * SEND_ZC: the first CQE carries the count (with MORE set when a notification follows); the
     * second (NOTIF) says the kernel is done with the memory. The future completes after both.
     */
    static final class SendZcOp extends Op<Integer> {
        private final int rawFd;
        private final Bounce.Span src;
        private final int msgFlags;
        private final Bounce.After after;
        private int result = Integer.MIN_VALUE;

        /** {@code src} is released with the op, after the notification: the kernel reads it until then. */
        SendZcOp(int rawFd, Bounce.Span src, int msgFlags, Bounce.After after) {
            super("sendZeroCopy");
            this.rawFd = rawFd;
            this.src = src;
            this.span = src;
            this.msgFlags = msgFlags;
            this.after = after;
        }

        @Override
        void prep(Ring ring, long sqe, long token) {
            ring.prep(sqe, Uring.OP_SEND_ZC, rawFd, src.address(0), (int) Math.min(src.length(0), dev.ringio.engine.TransferOp.MAX_RW_COUNT), 0,
                    token);
            ring.opFlags(sqe, msgFlags);
        }

        @Override
        void complete(UringEngine engine, int res, int cqeFlags) {
            if ((cqeFlags & Uring.CQE_F_NOTIF) == 0) {
                result = res;
            }
            if ((cqeFlags & Uring.CQE_F_MORE) != 0) {
                return; // the notification follows
            }
            if (result == -Errno.EINTR.value()) {
                result = Integer.MIN_VALUE;
                engine.resubmit(this);
            } else if (result < 0) {
                super.complete(engine, result, 0);
            } else {
                if (after != null && result > 0) {
                    after.done(result);
                }
                succeed(result);
            }
        }

        @Override
        void onResult(UringEngine engine, int res, int cqeFlags) {
            succeed(res);
        }
    }

    /**
     * Multishot RECV with buffer selection (kernel 6.0): each CQE names the buffer the kernel
     * filled; the handler sees it for the duration of its call, then it goes back to the ring.
     */
    static final class RecvMultishotOp extends MultishotOp<MemorySegment> {
        private final int rawFd;
        private final UringBufferRing ring;

        RecvMultishotOp(UringEngine engine, int rawFd, UringBufferRing ring, MultishotHandler<MemorySegment> handler) {
            super("recvMultishot", engine, handler);
            this.rawFd = rawFd;
            this.ring = ring;
        }

        @Override
        void prep(Ring r, long sqe, long token) {
            r.prep(sqe, Uring.OP_RECV, rawFd, 0, 0, 0, token);
            r.ioprio(sqe, Uring.RECV_MULTISHOT);
            r.sqeFlags(sqe, Uring.IOSQE_BUFFER_SELECT);
            r.bufIndex(sqe, ring.bgid); // buf_group
        }

        @Override
        void complete(UringEngine e, int res, int cqeFlags) {
            boolean more = (cqeFlags & Uring.CQE_F_MORE) != 0;
            if ((cqeFlags & Uring.CQE_F_BUFFER) != 0) {
                int bid = cqeFlags >>> Uring.CQE_BUFFER_SHIFT;
                ring.taken();
                try {
                    if (res > 0) {
                        deliver(ring.view(bid, res));
                    }
                } finally {
                    ring.recycle(bid);
                }
            }
            if (more) {
                return;
            }
            if (res == 0) {
                endStream(null); // end of stream
            } else if (res == -Errno.ECANCELED.value() || cancelRequested || e.isClosed()) {
                endStream(null);
            } else if (res > 0 || res == -Errno.ENOBUFS.value() || res == -Errno.EINTR.value()) {
                // The kernel stopped the multishot (ring ran dry, CQ overflow): buffers are back, re-arm.
                e.resubmit(this);
            } else {
                endStream(new NativeIoException(name, -res));
            }
        }

        @Override
        void onStreamEnd() {
            ring.users--;
            if (engine.inLoop()) {
                engine.afterBufferRingUse(ring); // loop-owned state; after shutdown teardown frees the ring
            }
        }
    }
}
