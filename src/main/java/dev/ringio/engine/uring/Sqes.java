package dev.ringio.engine.uring;

import dev.ringio.engine.KernelOp;

/**
 * The io_uring backend's half of an operation: a {@link KernelOp} description written into an SQE,
 * one case per kind of description (the switch is exhaustive: a new description does not compile
 * until it has its case here). Loop thread only.
 */
final class Sqes {

    private Sqes() {
    }

    /** Writes {@code op} into the (zeroed) SQE at {@code sqe}, with user_data {@code token}. */
    static void write(Ring ring, long sqe, KernelOp op, long token) {
        switch (op) {
            case KernelOp.Nop n -> ring.prep(sqe, Uring.OP_NOP, -1, 0, 0, 0, token);
            // SOCKET (kernel 5.19): sqe.fd = domain, sqe.off = type, sqe.len = protocol.
            case KernelOp.Socket k -> ring.prep(sqe, Uring.OP_SOCKET, k.domain(), 0, k.protocol(), k.type(), token);
            case KernelOp.Read r -> {
                boolean fixed = r.bufIndex() >= 0;
                ring.prep(sqe, fixed ? Uring.OP_READ_FIXED : Uring.OP_READ, r.fd(), r.address(), r.length(), r.offset(),
                        token);
                if (fixed) {
                    ring.bufIndex(sqe, r.bufIndex());
                }
            }
            case KernelOp.Write w -> {
                boolean fixed = w.bufIndex() >= 0;
                ring.prep(sqe, fixed ? Uring.OP_WRITE_FIXED : Uring.OP_WRITE, w.fd(), w.address(), w.length(),
                        w.offset(), token);
                if (fixed) {
                    ring.bufIndex(sqe, w.bufIndex());
                }
            }
            case KernelOp.Readv v -> ring.prep(sqe, Uring.OP_READV, v.fd(), v.iovecs(), v.count(), v.offset(), token);
            case KernelOp.Writev v -> ring.prep(sqe, Uring.OP_WRITEV, v.fd(), v.iovecs(), v.count(), v.offset(), token);
            // SEND/RECV: sqe.off is a destination address for them, so it stays 0.
            case KernelOp.Send s -> {
                ring.prep(sqe, Uring.OP_SEND, s.fd(), s.address(), s.length(), 0, token);
                ring.opFlags(sqe, s.flags());
            }
            case KernelOp.Recv r -> {
                ring.prep(sqe, Uring.OP_RECV, r.fd(), r.address(), r.length(), 0, token);
                ring.opFlags(sqe, r.flags());
            }
            // SENDMSG/RECVMSG: sqe.addr = the msghdr, sqe.len = 1 (one msghdr), op flags = MSG_* flags.
            case KernelOp.SendMsg m -> {
                ring.prep(sqe, Uring.OP_SENDMSG, m.fd(), m.msghdr(), 1, 0, token);
                ring.opFlags(sqe, m.flags());
            }
            case KernelOp.RecvMsg m -> {
                ring.prep(sqe, Uring.OP_RECVMSG, m.fd(), m.msghdr(), 1, 0, token);
                ring.opFlags(sqe, m.flags());
            }
            // SPLICE: sqe.fd = fd_out, sqe.off = off_out, sqe.addr = off_in (-1: the current positions),
            // sqe.splice_fd_in = fd_in.
            case KernelOp.Splice s -> {
                ring.prep(sqe, Uring.OP_SPLICE, s.fdOut(), -1L, s.length(), -1L, token);
                ring.spliceFdIn(sqe, s.fdIn());
            }
            // OPENAT2: sqe.len = sizeof(struct open_how), sqe.off (addr2) = the open_how.
            case KernelOp.Openat2 o -> ring.prep(sqe, Uring.OP_OPENAT2, o.fd(), o.path(), o.howSize(), o.how(), token);
            case KernelOp.Fsync f -> {
                ring.prep(sqe, Uring.OP_FSYNC, f.fd(), 0, 0, 0, token);
                ring.opFlags(sqe, f.dataOnly() ? Uring.FSYNC_DATASYNC : 0);
            }
            // FALLOCATE: sqe.addr = length, sqe.len = mode, sqe.off = offset.
            case KernelOp.Fallocate f -> ring.prep(sqe, Uring.OP_FALLOCATE, f.fd(), f.length(), f.mode(), f.offset(), token);
            // FTRUNCATE (kernel 6.9): sqe.off = the length.
            case KernelOp.Ftruncate t -> ring.prep(sqe, Uring.OP_FTRUNCATE, t.fd(), 0, 0, t.length(), token);
            // STATX: sqe.len = mask, sqe.off (addr2) = the buffer, op flags = AT_* flags.
            case KernelOp.Statx x -> {
                ring.prep(sqe, Uring.OP_STATX, x.fd(), x.path(), x.mask(), x.buf(), token);
                ring.opFlags(sqe, x.flags());
            }
            case KernelOp.Unlinkat u -> {
                ring.prep(sqe, Uring.OP_UNLINKAT, u.fd(), u.path(), 0, 0, token);
                ring.opFlags(sqe, u.flags());
            }
            case KernelOp.Mkdirat m -> ring.prep(sqe, Uring.OP_MKDIRAT, m.fd(), m.path(), m.mode(), 0, token);
            // RENAMEAT: fd = old dir, addr = old path, len = new dir, addr2 = new path.
            case KernelOp.Renameat r -> {
                ring.prep(sqe, Uring.OP_RENAMEAT, r.fd(), r.oldPath(), r.newDirFd(), r.newPath(), token);
                ring.opFlags(sqe, r.flags());
            }
            // SYMLINKAT: fd = the link's directory, addr = target, addr2 = link path.
            case KernelOp.Symlinkat l -> ring.prep(sqe, Uring.OP_SYMLINKAT, l.fd(), l.target(), 0, l.linkPath(), token);
            // POLL_ADD: the events in poll32_events (the op flags word).
            case KernelOp.Poll p -> {
                ring.prep(sqe, Uring.OP_POLL_ADD, p.fd(), 0, 0, 0, token);
                ring.opFlags(sqe, p.events());
            }
            // TIMEOUT: sqe.addr = the __kernel_timespec, sqe.len = 1, sqe.off = 0 (no completion count:
            // a pure timer), IORING_TIMEOUT_ABS: the deadline is absolute CLOCK_MONOTONIC, the clock
            // System.nanoTime reads on Linux. Expiry is -ETIME, which the op takes as success.
            case KernelOp.Timeout t -> {
                ring.prep(sqe, Uring.OP_TIMEOUT, -1, t.timespec(), 1, 0, token);
                ring.opFlags(sqe, Uring.TIMEOUT_ABS);
            }
            case KernelOp.Shutdown d -> ring.prep(sqe, Uring.OP_SHUTDOWN, d.fd(), 0, d.how(), 0, token);
            // BIND (kernel 6.11): sqe.addr = sockaddr, sqe.off = its length.
            case KernelOp.Bind b -> ring.prep(sqe, Uring.OP_BIND, b.fd(), b.address(), 0, b.length(), token);
            // LISTEN (kernel 6.11): sqe.len = backlog.
            case KernelOp.Listen l -> ring.prep(sqe, Uring.OP_LISTEN, l.fd(), 0, l.backlog(), 0, token);
            // CONNECT: sqe.addr = sockaddr, sqe.off = its length.
            case KernelOp.Connect c -> ring.prep(sqe, Uring.OP_CONNECT, c.fd(), c.address(), 0, c.length(), token);
            // ACCEPT: sqe.addr = sockaddr, sqe.off (addr2) = the socklen_t pointer, op flags = SOCK_* flags.
            case KernelOp.Accept a -> {
                ring.prep(sqe, Uring.OP_ACCEPT, a.fd(), a.address(), 0, a.lengthPtr(), token);
                ring.opFlags(sqe, a.flags());
            }
            // LINKAT (kernel 5.15): fd = old dir, addr = old path, len = new dir, addr2 = new path,
            // op flags (hardlink_flags) = AT_* flags.
            case KernelOp.Linkat l -> {
                ring.prep(sqe, Uring.OP_LINKAT, l.fd(), l.oldPath(), l.newDirFd(), l.newPath(), token);
                ring.opFlags(sqe, l.flags());
            }
            case KernelOp.Fchmodat c -> throw noOpcode(op);
            case KernelOp.Fchmod c -> throw noOpcode(op);
            case KernelOp.Fchownat c -> throw noOpcode(op);
            case KernelOp.Fchown c -> throw noOpcode(op);
            case KernelOp.CopyFileRange c -> throw noOpcode(op);
            case KernelOp.Sendfile f -> throw noOpcode(op);
            case KernelOp.Getdents64 g -> throw noOpcode(op);
            case KernelOp.Getrandom g -> throw noOpcode(op);
        }
    }

    private static IllegalStateException noOpcode(KernelOp op) {
        return new IllegalStateException("no io_uring opcode for " + op + ": it runs off the loop (Syscalls)");
    }

    /** {@link #opcode}'s answer for a description io_uring has no opcode for. */
    static final int NO_OPCODE = -1;

    /**
     * The opcode {@link #write} uses for {@code op} (the probe says whether the running kernel has
     * it), or {@link #NO_OPCODE}: such a call runs off the loop, through {@link dev.ringio.engine.Syscalls}.
     */
    static int opcode(KernelOp op) {
        return switch (op) {
            case KernelOp.Nop n -> Uring.OP_NOP;
            case KernelOp.Socket k -> Uring.OP_SOCKET;
            case KernelOp.Read r -> r.bufIndex() >= 0 ? Uring.OP_READ_FIXED : Uring.OP_READ;
            case KernelOp.Write w -> w.bufIndex() >= 0 ? Uring.OP_WRITE_FIXED : Uring.OP_WRITE;
            case KernelOp.Readv v -> Uring.OP_READV;
            case KernelOp.Writev v -> Uring.OP_WRITEV;
            case KernelOp.Send s -> Uring.OP_SEND;
            case KernelOp.Recv r -> Uring.OP_RECV;
            case KernelOp.SendMsg m -> Uring.OP_SENDMSG;
            case KernelOp.RecvMsg m -> Uring.OP_RECVMSG;
            case KernelOp.Splice s -> Uring.OP_SPLICE;
            case KernelOp.Openat2 o -> Uring.OP_OPENAT2;
            case KernelOp.Fsync f -> Uring.OP_FSYNC;
            case KernelOp.Fallocate f -> Uring.OP_FALLOCATE;
            case KernelOp.Ftruncate t -> Uring.OP_FTRUNCATE;
            case KernelOp.Statx x -> Uring.OP_STATX;
            case KernelOp.Unlinkat u -> Uring.OP_UNLINKAT;
            case KernelOp.Mkdirat m -> Uring.OP_MKDIRAT;
            case KernelOp.Renameat r -> Uring.OP_RENAMEAT;
            case KernelOp.Symlinkat l -> Uring.OP_SYMLINKAT;
            case KernelOp.Poll p -> Uring.OP_POLL_ADD;
            case KernelOp.Timeout t -> Uring.OP_TIMEOUT;
            case KernelOp.Shutdown d -> Uring.OP_SHUTDOWN;
            case KernelOp.Bind b -> Uring.OP_BIND;
            case KernelOp.Listen l -> Uring.OP_LISTEN;
            case KernelOp.Connect c -> Uring.OP_CONNECT;
            case KernelOp.Accept a -> Uring.OP_ACCEPT;
            case KernelOp.Linkat l -> Uring.OP_LINKAT;
            case KernelOp.Fchmodat c -> NO_OPCODE;
            case KernelOp.Fchmod c -> NO_OPCODE;
            case KernelOp.Fchownat c -> NO_OPCODE;
            case KernelOp.Fchown c -> NO_OPCODE;
            case KernelOp.CopyFileRange c -> NO_OPCODE;
            case KernelOp.Sendfile f -> NO_OPCODE;
            case KernelOp.Getdents64 g -> NO_OPCODE;
            case KernelOp.Getrandom g -> NO_OPCODE;
        };
    }
}
