package dev.ringio.sys;

/**
 * The native shim ({@code shim/include/ringio.h}), one Java method per C function.
 *
 * <p>Every argument is an {@code int} or a {@code long} (pointers travel as {@code long}); every
 * method returns a value {@code >= 0} or {@code -errno} and never throws for an OS failure. Two
 * providers implement it: the JDK's FFM ({@link FfmShim}, the default) and JNR-FFI
 * ({@code -Dringio.binding=jnr}). Obtain the process-wide instance with {@link #get()}.
 *
 * <p>Threading: every method is safe from any thread; the ring methods follow io_uring's own
 * rules (the engine calls them from its loop thread only).
 */
public interface Shim {

    /** The ABI version this Java code was written against ({@code RINGIO_ABI_VERSION}). */
    int ABI_VERSION = 1;

    /** The provider selected by {@code -Dringio.binding} (default {@code ffm}), loaded once. */
    static Shim get() {
        return NativeLibrary.shim();
    }

    long abiVersion();

    /** sizeof / offsetof / constant for one {@code RINGIO_L_*} / {@code RINGIO_C_*} id. */
    long layout(int id);

    long ringCreate(int entries, int setupFlags, int cqEntries, long infoOut);

    int ringRegisterRingFd(long ring);

    int ringRegisterBuffers(long ring, long iovecs, int count);

    int ringUnregisterBuffers(long ring);

    int ringRegisterIowqMaxWorkers(long ring, int bounded, int unbounded);

    int ringProbe(long ring, long out, int len);

    int ringDestroy(long ring);

    int enter(int fd, int toSubmit, int minComplete, int flags);

    int enterTimeout(int fd, int toSubmit, int minComplete, int flags, long timeoutNanos);

    int close(int fd);

    int eventfd(int initval, int flags);

    long read(int fd, long buf, long len);

    long write(int fd, long buf, long len);

    long pread(int fd, long buf, long len, long offset);

    long pwrite(int fd, long buf, long len, long offset);

    int pipe2(long fdsOut, int flags);

    long lseek(int fd, long offset, int whence);

    long getdents64(int fd, long buf, long len);

    long getrandom(long buf, long len, int flags);

    long fcntl(int fd, int cmd, long arg);

    int openat2(int dirfd, long path, long how, long size);

    int ftruncate(int fd, long length);

    long fstatMode(int fd);

    int strerror(int errnum, long buf, int len);

    // ---- network half (shim/src/main/c/ringio_net.c) ----

    int socket(int domain, int type, int protocol);

    int socketpair(int domain, int type, int protocol, long fdsOut);

    int bind(int fd, long addr, int addrLen);

    int listen(int fd, int backlog);

    int connect(int fd, long addr, int addrLen);

    int accept4(int fd, long addr, long addrLenPtr, int flags);

    int getsockname(int fd, long addr, long addrLenPtr);

    int getpeername(int fd, long addr, long addrLenPtr);

    int setsockopt(int fd, int level, int name, long value, int len);

    int getsockopt(int fd, int level, int name, long value, long lenPtr);

    int shutdown(int fd, int how);

    long sendmsg(int fd, long msg, int flags);

    long recvmsg(int fd, long msg, int flags);

    /** 0, glibc's negative EAI_* code, or -(10000 + errno) for EAI_SYSTEM. */
    int getaddrinfo(long node, long service, long hints, long resOut);

    int freeaddrinfo(long res);

    int gaiStrerror(int code, long buf, int len);

    int ringRegisterBufRing(long ring, long addr, int entries, int bgid);

    int ringUnregisterBufRing(long ring, int bgid);

    /** A constant or layout by NUL-terminated name ({@code ringio_const}); Long.MIN_VALUE if unknown. */
    long constValue(long name);

    int constCount();

    int constName(int index, long buf, int len);

    // ---- readiness half (shim/src/main/c/ringio_poll.c) ----

    /** {@code epoll_create1(flags)}; callers pass {@code EPOLL_CLOEXEC}. */
    int epollCreate(int flags);

    /** {@code epoll_ctl} with {@code events} and the 64-bit token {@code data} ({@code data.u64}). */
    int epollCtl(int epfd, int op, int fd, int events, long data);

    /** {@code epoll_wait} into {@code max} packed {@code struct epoll_event}s at {@code eventsOut}; blocks. */
    int epollWait(int epfd, long eventsOut, int max, int timeoutMillis);

    /** An epoll constant or layout by NUL-terminated name ({@code ringio_poll_const}); Long.MIN_VALUE if unknown. */
    long pollConst(long name);

    // ---- synchronous half (shim/src/main/c/ringio_sync.c): the readiness engines' syscalls ----

    /** {@code preadv2(fd, iov, iovcnt, offset, 0)}; offset -1: the current position. Blocks on regular files. */
    long preadv(int fd, long iov, int iovcnt, long offset);

    /**
     * {@code preadv2(fd, {buf, len}, 1, offset, RWF_NOWAIT)}: what the page cache can give at once,
     * or -EAGAIN where the read would block. Never blocks, so it may run anywhere (a loop thread, a
     * virtual thread's carrier) as a first attempt before an asynchronous read.
     */
    long preadNowait(int fd, long buf, long len, long offset);

    /** {@code pwritev2(fd, iov, iovcnt, offset, 0)}; offset -1: the current position. */
    long pwritev(int fd, long iov, int iovcnt, long offset);

    /** {@code fsync(2)}, or {@code fdatasync(2)} when {@code datasync != 0}. */
    int fsync(int fd, int datasync);

    /** {@code fallocate(2)}. */
    int fallocate(int fd, int mode, long offset, long len);

    /** {@code statx(2)} into {@code buf}. */
    int statx(int dirfd, long path, int flags, int mask, long buf);

    /** {@code unlinkat(2)}. */
    int unlinkat(int dirfd, long path, int flags);

    /** {@code mkdirat(2)}. */
    int mkdirat(int dirfd, long path, int mode);

    /** {@code renameat2(2)}. */
    int renameat2(int oldDirfd, long oldPath, int newDirfd, long newPath, int flags);

    /** {@code symlinkat(2)}. */
    int symlinkat(long target, int newDirfd, long linkPath);

    /** {@code splice(2)} at both descriptors' current positions. */
    long splice(int fdIn, int fdOut, long len, int flags);

    /** {@code poll(2)} of one descriptor: the revents seen, 0 on timeout. */
    int poll1(int fd, int events, int timeoutMillis);

    /** {@code sendto(2)}; {@code addr} 0 for none. */
    long sendto(int fd, long buf, long len, int flags, long addr, int addrLen);

    /** {@code recvfrom(2)}; {@code addr} 0 for none, else {@code addrLenPtr} is an in/out int. */
    long recvfrom(int fd, long buf, long len, int flags, long addr, long addrLenPtr);

    // ---- fcntl, fd kinds, epoll (issue 13) ----

    /** {@code getpid(2)}; never fails. */
    long getpid();

    /** {@code getppid(2)}; never fails (0 when the parent is outside this pid namespace). */
    long getppid();

    /** {@code timerfd_create(2)}. */
    int timerfdCreate(int clockid, int flags);

    /**
     * {@code syscall(nr, a1, a2, a3, a4)}: for tests that need a descriptor of a kind ringio has no
     * call for in the shim ({@code signalfd4}, {@code inotify_init1}, {@code pidfd_open}; numbers
     * from {@link #osConst}). Result or -errno.
     */
    long syscall4(long nr, long a1, long a2, long a3, long a4);

    // ---- inotify, signals, processes (issue 13) (shim/src/main/c/ringio.c, at its end) ----

    /** {@code inotify_init1(flags)}. */
    int inotifyInit1(int flags);

    /** {@code inotify_add_watch(fd, path, mask)}: the watch descriptor. */
    int inotifyAddWatch(int fd, long path, int mask);

    /** {@code inotify_rm_watch(fd, wd)}. */
    int inotifyRmWatch(int fd, int wd);

    /** {@code kill(pid, sig)}. */
    int kill(int pid, int sig);

    /** {@code tgkill(tgid, tid, sig)}. */
    int tgkill(int tgid, int tid, int sig);

    /** {@code gettid()}: the calling thread's kernel thread id. */
    int gettid();

    /** SIGRTMIN ({@code max == 0}) or SIGRTMAX as the C library reserves them. */
    int sigRt(int max);

    /**
     * {@code pthread_sigmask(how, set)} with sets as 64-bit masks (bit n-1 = signal n);
     * {@code how < 0} only queries. The previous mask goes to {@code oldOut} (a long) if not 0.
     */
    int sigmask(int how, long bits, long oldOut);

    /** {@code sigpending(2)} as a 64-bit mask written at {@code out}. */
    int sigpending(long out);

    /** {@code signalfd(fd, set, flags)} ({@code fd} -1: a new one). */
    int signalfd(int fd, long bits, int flags);

    /** Sets the descriptor ringio's native signal handler writes its records to; the previous one. */
    int sigNotifyFd(int fd);

    /** Installs ringio's native handler for {@code sig}, saving the previous action. */
    int sigHandlerInstall(int sig);

    /** Restores the action {@link #sigHandlerInstall} saved. */
    int sigHandlerRestore(int sig);

    /** Waits until no thread is inside ringio's native handler. */
    int sigQuiesce();

    /** 0 SIG_DFL, 1 SIG_IGN, 2 another handler, 3 ringio's handler. */
    int sigDisposition(int sig);

    /** Starts a program (see {@code ringio_spawn} in ringio.h): the pid, or -errno. */
    int spawn(long path, long argv, long envp, long cwd, long map, int nmap, long out);

    /** {@code pidfd_send_signal(pidfd, sig, NULL, 0)}. */
    int pidfdSendSignal(int pidfd, int sig);

    /** {@code waitid(P_PIDFD, pidfd, options)}: {si_pid, si_code, si_status} as ints at {@code out}. */
    int waitidPidfd(int pidfd, int options, long out);

    /**
     * An OS-layer constant or layout by NUL-terminated name ({@code ringio_os_const}: F_*, O_*,
     * S_IF*, EPOLL*, POLL*, SYS_*, IN_*, SFD_*, SIG*, CLD_*, the signalfd_siginfo layout);
     * Long.MIN_VALUE if unknown.
     */
    long osConst(long name);

    // ---- ops: permissions, ownership, hard links, in-kernel copies (issue 13) ---------------------

    /** {@code fchmodat(2)} of the NUL-terminated {@code path} relative to {@code dirfd}. */
    int fchmodat(int dirfd, long path, int mode, int flags);

    /** {@code fchmod(2)}. */
    int fchmod(int fd, int mode);

    /** {@code fchownat(2)}; {@code uid}/{@code gid} -1 leave that id unchanged. */
    int fchownat(int dirfd, long path, int uid, int gid, int flags);

    /** {@code fchown(2)}; {@code uid}/{@code gid} -1 leave that id unchanged. */
    int fchown(int fd, int uid, int gid);

    /** {@code linkat(2)}. */
    int linkat(int oldDirfd, long oldPath, int newDirfd, long newPath, int flags);

    /** {@code copy_file_range(2)} with flags 0; an offset of -1 uses (and advances) that descriptor's position. */
    long copyFileRange(int fdIn, long offIn, int fdOut, long offOut, long len);

    /** {@code sendfile(2)}; {@code offset} -1 uses (and advances) {@code inFd}'s position. */
    long sendfile(int outFd, int inFd, long offset, long count);
}
