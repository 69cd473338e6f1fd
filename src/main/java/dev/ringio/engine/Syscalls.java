package dev.ringio.engine;

import dev.ringio.Errno;
import dev.ringio.net.SocketConstants;
import dev.ringio.sys.Shim;

/**
 * A {@link KernelOp} description as the plain syscall that does it, written once for every engine:
 * the readiness backend makes every call through it (non-blocking: on its loop, or on its file pool),
 * and the io_uring backend makes through it the calls it has no opcode for, or whose opcode the
 * running kernel lacks (ftruncate before 6.9, socket before 5.19, bind and listen before 6.11, linkat
 * before 5.15; fchmod, fchown, copy_file_range, sendfile, getdents64 and getrandom always), on its
 * off-loop threads, the result then handed to the op on the loop as a completion would be. One
 * exhaustive switch: a new description does not compile until it has its syscall here.
 *
 * <p>Threading: stateless; any thread (the call may block, unless {@code nonBlocking} and the
 * descriptor allows it).
 */
public final class Syscalls {

    /** {@code SPLICE_F_NONBLOCK} (linux/splice.h). */
    private static final int SPLICE_F_NONBLOCK = 2;
    /** {@code SEEK_SET}. */
    private static final int SEEK_SET = 0;

    private Syscalls() {
    }

    /**
     * Makes the call {@code op} describes: its result, or {@code -errno}. {@code nonBlocking} (the
     * readiness engines) makes the socket calls non-blocking ({@code MSG_DONTWAIT},
     * {@code SOCK_NONBLOCK} on new sockets, {@code SPLICE_F_NONBLOCK}) and a poll answer at once,
     * {@code -EAGAIN} meaning "wait for readiness and ask again"; without it (io_uring's off-loop
     * calls) each call is made as described and may block.
     */
    public static long call(Shim shim, KernelOp op, boolean nonBlocking) {
        int dontWait = nonBlocking ? SocketConstants.MSG_DONTWAIT : 0;
        int sockNonBlock = nonBlocking ? SocketConstants.SOCK_NONBLOCK : 0;
        return switch (op) {
            case KernelOp.Nop n -> 0;
            case KernelOp.Socket k -> shim.socket(k.domain(), k.type() | sockNonBlock, k.protocol());
            case KernelOp.Read r -> r.offset() < 0 ? shim.read(r.fd(), r.address(), r.length())
                    : shim.pread(r.fd(), r.address(), r.length(), r.offset());
            case KernelOp.Write w -> w.offset() < 0 ? shim.write(w.fd(), w.address(), w.length())
                    : shim.pwrite(w.fd(), w.address(), w.length(), w.offset());
            case KernelOp.Readv v -> shim.preadv(v.fd(), v.iovecs(), v.count(), v.offset());
            case KernelOp.Writev v -> shim.pwritev(v.fd(), v.iovecs(), v.count(), v.offset());
            case KernelOp.Send s -> shim.sendto(s.fd(), s.address(), s.length(), s.flags() | dontWait, 0, 0);
            case KernelOp.Recv r -> shim.recvfrom(r.fd(), r.address(), r.length(), r.flags() | dontWait, 0, 0);
            case KernelOp.SendMsg m -> shim.sendmsg(m.fd(), m.msghdr(), m.flags() | dontWait);
            case KernelOp.RecvMsg m -> shim.recvmsg(m.fd(), m.msghdr(), m.flags() | dontWait);
            case KernelOp.Splice p -> shim.splice(p.fdIn(), p.fdOut(), p.length(), nonBlocking ? SPLICE_F_NONBLOCK : 0);
            case KernelOp.Openat2 o -> shim.openat2(o.fd(), o.path(), o.how(), o.howSize());
            case KernelOp.Fsync f -> shim.fsync(f.fd(), f.dataOnly() ? 1 : 0);
            case KernelOp.Fallocate f -> shim.fallocate(f.fd(), f.mode(), f.offset(), f.length());
            case KernelOp.Ftruncate t -> shim.ftruncate(t.fd(), t.length());
            case KernelOp.Statx x -> shim.statx(x.fd(), x.path(), x.flags(), x.mask(), x.buf());
            case KernelOp.Unlinkat u -> shim.unlinkat(u.fd(), u.path(), u.flags());
            case KernelOp.Mkdirat m -> shim.mkdirat(m.fd(), m.path(), m.mode());
            case KernelOp.Renameat r -> shim.renameat2(r.fd(), r.oldPath(), r.newDirFd(), r.newPath(), r.flags());
            case KernelOp.Symlinkat l -> shim.symlinkat(l.target(), l.fd(), l.linkPath());
            // Non-blocking: the events now, or EAGAIN to wait for readiness (then ask again).
            case KernelOp.Poll p -> {
                int r = shim.poll1(p.fd(), p.events(), nonBlocking ? 0 : -1);
                yield r == 0 ? -Errno.EAGAIN.value() : r;
            }
            // A timer makes no call: the ring's TIMEOUT or the readiness engine's timer heap ends it.
            case KernelOp.Timeout t -> throw new IllegalStateException("a timeout is never called; the engine's timer ends it");
            case KernelOp.Shutdown d -> shim.shutdown(d.fd(), d.how());
            case KernelOp.Bind b -> shim.bind(b.fd(), b.address(), b.length());
            case KernelOp.Listen l -> shim.listen(l.fd(), l.backlog());
            // Non-blocking: EINPROGRESS, and the caller waits for the outcome.
            case KernelOp.Connect c -> shim.connect(c.fd(), c.address(), c.length());
            case KernelOp.Accept a -> shim.accept4(a.fd(), a.address(), a.lengthPtr(), a.flags() | sockNonBlock);
            case KernelOp.Fchmodat c -> shim.fchmodat(c.fd(), c.path(), c.mode(), c.flags());
            case KernelOp.Fchmod c -> shim.fchmod(c.fd(), c.mode());
            case KernelOp.Fchownat c -> shim.fchownat(c.fd(), c.path(), c.uid(), c.gid(), c.flags());
            case KernelOp.Fchown c -> shim.fchown(c.fd(), c.uid(), c.gid());
            case KernelOp.Linkat l -> shim.linkat(l.fd(), l.oldPath(), l.newDirFd(), l.newPath(), l.flags());
            case KernelOp.CopyFileRange c -> shim.copyFileRange(c.fdIn(), c.offsetIn(), c.fdOut(), c.offsetOut(),
                    c.length());
            case KernelOp.Sendfile s -> shim.sendfile(s.outFd(), s.inFd(), s.offset(), s.count());
            case KernelOp.Getdents64 g -> {
                if (g.rewind()) {
                    long r = shim.lseek(g.fd(), 0, SEEK_SET);
                    if (r < 0) {
                        yield r;
                    }
                }
                yield shim.getdents64(g.fd(), g.buf(), g.length());
            }
            case KernelOp.Getrandom g -> shim.getrandom(g.address(), g.length(), g.flags());
        };
    }
}
