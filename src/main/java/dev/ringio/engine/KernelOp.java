package dev.ringio.engine;

/**
 * What one kernel operation is asked to do: pure data, the arguments as the kernel takes them (raw
 * descriptor numbers, addresses of memory the op keeps reachable, lengths, offsets, flag bits). An
 * op of the op layer ({@link EngineOp#next()}) builds one per attempt; a {@link Backend} turns it
 * into kernel work with one exhaustive {@code switch}: the io_uring backend writes the SQE, the
 * readiness backend calls the syscall (and on EAGAIN waits for readiness, or runs file work on its
 * pool). Adding an operation means one record here and one case per backend.
 *
 * <p>Offsets: {@code offset >= 0} is an absolute file position; {@code -1} means the descriptor's
 * current position (which the kernel then advances), as pipes and sockets require.
 *
 * <p>Threading: immutable; any thread.
 */
public sealed interface KernelOp {

    /** A no-op round trip through the kernel (io_uring NOP; on the readiness engine, nothing). */
    record Nop() implements KernelOp {
        /** The one instance: a NOP has nothing to describe. */
        public static final Nop INSTANCE = new Nop();
    }

    /** {@code socket(2)}: {@code type} with its {@code SOCK_*} flags. */
    record Socket(int domain, int type, int protocol) implements KernelOp {
    }

    /**
     * {@code read(2)}/{@code pread(2)} of {@code length} bytes into {@code address}; {@code bufIndex}
     * is the index of the registered buffer holding that memory (io_uring READ_FIXED), or -1.
     */
    record Read(int fd, long address, int length, long offset, int bufIndex) implements KernelOp {
    }

    /** {@code write(2)}/{@code pwrite(2)} of {@code length} bytes at {@code address}; {@code bufIndex} as {@link Read}. */
    record Write(int fd, long address, int length, long offset, int bufIndex) implements KernelOp {
    }

    /** {@code preadv(2)} into {@code count} iovecs at {@code iovecs}. */
    record Readv(int fd, long iovecs, int count, long offset) implements KernelOp {
    }

    /** {@code pwritev(2)} from {@code count} iovecs at {@code iovecs}. */
    record Writev(int fd, long iovecs, int count, long offset) implements KernelOp {
    }

    /** {@code send(2)} of {@code length} bytes at {@code address} with {@code MSG_*} {@code flags}. */
    record Send(int fd, long address, int length, int flags) implements KernelOp {
    }

    /** {@code recv(2)} of up to {@code length} bytes into {@code address} with {@code MSG_*} {@code flags}. */
    record Recv(int fd, long address, int length, int flags) implements KernelOp {
    }

    /** {@code sendmsg(2)} of the {@code struct msghdr} at {@code msghdr} with {@code MSG_*} {@code flags}. */
    record SendMsg(int fd, long msghdr, int flags) implements KernelOp {
    }

    /** {@code recvmsg(2)} into the {@code struct msghdr} at {@code msghdr} with {@code MSG_*} {@code flags}. */
    record RecvMsg(int fd, long msghdr, int flags) implements KernelOp {
    }

    /**
     * {@code splice(2)} of up to {@code length} bytes from {@code fdIn} to {@code fdOut}, both at their
     * current positions (one of them a pipe).
     */
    record Splice(int fdIn, int fdOut, int length) implements KernelOp {
    }

    /**
     * {@code openat2(2)} of {@code path} relative to directory {@code fd}, with the
     * {@code struct open_how} of {@code howSize} bytes at {@code how}: the new descriptor.
     */
    record Openat2(int fd, long path, long how, int howSize) implements KernelOp {
    }

    /** {@code fsync(2)}, or {@code fdatasync(2)} when {@code dataOnly}. */
    record Fsync(int fd, boolean dataOnly) implements KernelOp {
    }

    /** {@code fallocate(2)}: {@code mode} 0 or {@code FALLOC_FL_*} bits. */
    record Fallocate(int fd, int mode, long offset, long length) implements KernelOp {
    }

    /** {@code ftruncate(2)}. */
    record Ftruncate(int fd, long length) implements KernelOp {
    }

    /** {@code statx(2)} of the NUL-terminated {@code path} relative to directory {@code fd}, into {@code buf}. */
    record Statx(int fd, long path, int flags, int mask, long buf) implements KernelOp {
    }

    /** {@code unlinkat(2)} of {@code path} relative to directory {@code fd}; {@code flags} 0 or AT_REMOVEDIR. */
    record Unlinkat(int fd, long path, int flags) implements KernelOp {
    }

    /** {@code mkdirat(2)} of {@code path} relative to directory {@code fd}. */
    record Mkdirat(int fd, long path, int mode) implements KernelOp {
    }

    /** {@code renameat2(2)}: {@code oldPath} relative to directory {@code fd} to {@code newPath} relative to {@code newDirFd}. */
    record Renameat(int fd, long oldPath, int newDirFd, long newPath, int flags) implements KernelOp {
    }

    /** {@code symlinkat(2)}: creates {@code linkPath} relative to directory {@code fd}, pointing at {@code target}. */
    record Symlinkat(int fd, long target, long linkPath) implements KernelOp {
    }

    /** One {@code poll(2)} of {@code fd} for {@code events} ({@code POLLIN}, {@code POLLOUT}): the events seen. */
    record Poll(int fd, int events) implements KernelOp {
    }

    /**
     * A timer that expires at {@code deadline}, a {@link System#nanoTime()} time (CLOCK_MONOTONIC on
     * Linux, {@code >= 0}); its expiry is reported as {@code -ETIME}. {@code timespec} is the address
     * of a {@code struct __kernel_timespec} holding the same deadline, for a kernel that reads one
     * (io_uring's absolute TIMEOUT); the readiness backend's timer heap uses {@code deadline}.
     */
    record Timeout(long deadline, long timespec) implements KernelOp {
    }

    /** {@code shutdown(2)}: {@code how} is SHUT_RD, SHUT_WR or SHUT_RDWR. */
    record Shutdown(int fd, int how) implements KernelOp {
    }

    /** {@code bind(2)} to the {@code length}-byte sockaddr at {@code address}. */
    record Bind(int fd, long address, int length) implements KernelOp {
    }

    /** {@code listen(2)}. */
    record Listen(int fd, int backlog) implements KernelOp {
    }

    /** {@code connect(2)} to the {@code length}-byte sockaddr at {@code address}. */
    record Connect(int fd, long address, int length) implements KernelOp {
    }

    /**
     * {@code accept4(2)}: the peer's sockaddr into {@code address}, its length through the
     * {@code socklen_t} at {@code lengthPtr} (which holds the room before the call); {@code flags}
     * {@code SOCK_*} for the new socket.
     */
    record Accept(int fd, long address, long lengthPtr, int flags) implements KernelOp {
    }

    // ---- calls io_uring has no opcode for (or only on newer kernels): see Syscalls -----------------

    /** {@code fchmodat(2)} of {@code path} relative to directory {@code fd}; {@code flags} 0 or AT_SYMLINK_NOFOLLOW. No io_uring opcode. */
    record Fchmodat(int fd, long path, int mode, int flags) implements KernelOp {
    }

    /** {@code fchmod(2)}. No io_uring opcode. */
    record Fchmod(int fd, int mode) implements KernelOp {
    }

    /** {@code fchownat(2)} of {@code path} relative to directory {@code fd}; an id of -1 is left unchanged. No io_uring opcode. */
    record Fchownat(int fd, long path, int uid, int gid, int flags) implements KernelOp {
    }

    /** {@code fchown(2)}; an id of -1 is left unchanged. No io_uring opcode. */
    record Fchown(int fd, int uid, int gid) implements KernelOp {
    }

    /**
     * {@code linkat(2)}: a new name {@code newPath} (relative to directory {@code newDirFd}) for
     * {@code oldPath} (relative to directory {@code fd}); io_uring LINKAT (kernel 5.15).
     */
    record Linkat(int fd, long oldPath, int newDirFd, long newPath, int flags) implements KernelOp {
    }

    /**
     * {@code copy_file_range(2)} of up to {@code length} bytes from {@code fdIn} at {@code offsetIn}
     * to {@code fdOut} at {@code offsetOut} (-1: the descriptor's position). No io_uring opcode.
     */
    record CopyFileRange(int fdIn, long offsetIn, int fdOut, long offsetOut, long length) implements KernelOp {
    }

    /** {@code sendfile(2)} of up to {@code count} bytes of {@code inFd} at {@code offset} (-1: its position) to {@code outFd}. No io_uring opcode. */
    record Sendfile(int outFd, int inFd, long offset, long count) implements KernelOp {
    }

    /**
     * {@code getdents64(2)} of directory {@code fd} into the {@code length} bytes at {@code buf}, from
     * the directory's start when {@code rewind} ({@code lseek(fd, 0, SEEK_SET)} first). No io_uring opcode.
     */
    record Getdents64(int fd, long buf, int length, boolean rewind) implements KernelOp {
    }

    /** {@code getrandom(2)} of up to {@code length} bytes into {@code address}. No io_uring opcode. */
    record Getrandom(long address, long length, int flags) implements KernelOp {
    }
}
