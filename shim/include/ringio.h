/*
 * ringio shim: the only native code of ringio.
 *
 * Rules (DESIGN.md, "Native boundary"):
 *  - every argument is an int (int32) or a long (int64; pointers travel as long);
 *  - every function returns a value >= 0, or -errno (except ringio_layout, whose constants may be
 *    negative: see there); it never aborts and never raises a signal;
 *  - nothing is allocated per operation (ring creation allocates its struct io_uring once);
 *  - nothing retries EINTR: the Java side decides (it retries per op).
 *
 * Java mirrors this file in dev.ringio.sys.Shim; keep the two in step (ABI version below).
 */
#ifndef RINGIO_H
#define RINGIO_H

#include <stdint.h>

#define RINGIO_ABI_VERSION 1

#ifdef __cplusplus
extern "C" {
#endif

/* ---- identity and layout ------------------------------------------------------------------ */

/* RINGIO_ABI_VERSION. */
long ringio_abi_version(void);

/*
 * sizeof / offsetof / constant value for one RINGIO_L_* / RINGIO_C_* id below. Constant values
 * may be negative (RINGIO_C_AT_FDCWD is -100), so this function is the one exception to the
 * "-errno on failure" rule: an unknown id returns LONG_MIN (never a valid value), not -EINVAL.
 */
long ringio_layout(int id);

/* ---- io_uring ring ----------------------------------------------------------------------- */

/*
 * io_uring_queue_init_params(entries, ring, params) with params.flags = setup_flags and, when
 * cq_entries > 0, IORING_SETUP_CQSIZE with params.cq_entries = cq_entries. The struct io_uring
 * is malloc'ed once here. On success it fills sq->array with the identity (array[i] = i) so
 * Java can index SQEs by (tail & mask) and never write the array again, then writes
 * RINGIO_INFO_COUNT longs at info_out (see RINGIO_INFO_*), and returns the struct io_uring
 * pointer (> 0). On failure returns -errno (and frees what it allocated).
 */
long ringio_ring_create(int entries, int setup_flags, int cq_entries, long info_out);

/* io_uring_register_ring_fd: returns the registered index (ring->enter_ring_fd), or -errno. */
int ringio_ring_register_ring_fd(long ring);

/* io_uring_register_buffers(ring, (struct iovec *) iovecs, count). */
int ringio_ring_register_buffers(long ring, long iovecs, int count);

/* io_uring_unregister_buffers. */
int ringio_ring_unregister_buffers(long ring);

/* io_uring_register_iowq_max_workers with values {bounded, unbounded}; 0 leaves one unchanged.
 * Returns 0; the previous values are discarded. */
int ringio_ring_register_iowq_max_workers(long ring, int bounded, int unbounded);

/*
 * io_uring_get_probe_ring: for op in [0, len) writes the byte out[op] = 1 when the kernel
 * reports IO_URING_OP_SUPPORTED for it, else 0 (out is len bytes). Returns the probe's
 * last_op + 1 (>= 0) or -errno.
 */
int ringio_ring_probe(long ring, long out, int len);

/* io_uring_queue_exit + free. Returns 0. Passing 0 returns -EINVAL. */
int ringio_ring_destroy(long ring);

/*
 * Raw io_uring_enter(fd, to_submit, min_complete, flags, NULL, 0). When flags carries
 * IORING_ENTER_REGISTERED_RING, fd is the registered index. Returns the submitted count or -errno.
 */
int ringio_enter(int fd, int to_submit, int min_complete, int flags);

/*
 * io_uring_enter with IORING_ENTER_EXT_ARG and a relative timeout of timeout_ns (> 0): waits
 * for min_complete completions or the timeout (then -ETIME). The getevents arg and timespec
 * live on the C stack. Requires IORING_FEAT_EXT_ARG.
 */
int ringio_enter_timeout(int fd, int to_submit, int min_complete, int flags, long timeout_ns);

/* ---- plain syscalls (fallbacks and ops that do not go through the ring) ------------------- */

int  ringio_close(int fd);
int  ringio_eventfd(int initval, int flags);                 /* eventfd(2) */
long ringio_read(int fd, long buf, long len);               /* read(2) */
long ringio_write(int fd, long buf, long len);              /* write(2) */
long ringio_pread(int fd, long buf, long len, long offset); /* pread(2) */
long ringio_pwrite(int fd, long buf, long len, long offset);/* pwrite(2) */
int  ringio_pipe2(long fds_out, int flags);                 /* pipe2(2): writes two ints at fds_out */
long ringio_lseek(int fd, long offset, int whence);         /* lseek(2) */
long ringio_getdents64(int fd, long buf, long len);         /* getdents64(2) */
long ringio_getrandom(long buf, long len, int flags);       /* getrandom(2) */
long ringio_fcntl(int fd, int cmd, long arg);               /* fcntl(2) */
/* openat2(2) via syscall(SYS_openat2, dirfd, path, how, size). */
int  ringio_openat2(int dirfd, long path, long how, long size);
/* ftruncate(2). */
int  ringio_ftruncate(int fd, long length);
/* fstat(2) and return st_mode (so S_IFMT tells the fd's kind). */
long ringio_fstat_mode(int fd);
/* strerror_r (XSI or GNU, whichever libc gives) into buf as a NUL-terminated string;
 * returns its length (without the NUL). Never fails: unknown errnos give "Unknown error N". */
int  ringio_strerror(int errnum, long buf, int len);

/* ---- network half (src/main/c/ringio_net.c) ----------------------------------------------- */

int  ringio_socket(int domain, int type, int protocol);
int  ringio_socketpair(int domain, int type, int protocol, long fds_out);
int  ringio_bind(int fd, long addr, int addrlen);
int  ringio_listen(int fd, int backlog);
int  ringio_connect(int fd, long addr, int addrlen);
int  ringio_accept4(int fd, long addr, long addrlen_ptr, int flags);
int  ringio_getsockname(int fd, long addr, long addrlen_ptr);
int  ringio_getpeername(int fd, long addr, long addrlen_ptr);
int  ringio_setsockopt(int fd, int level, int name, long value, int len);
int  ringio_getsockopt(int fd, int level, int name, long value, long len_ptr);
int  ringio_shutdown(int fd, int how);
long ringio_sendmsg(int fd, long msg, int flags);
long ringio_recvmsg(int fd, long msg, int flags);
/* The exception to the -errno rule: 0, glibc's negative EAI_* code, or -(10000 + errno) for
 * EAI_SYSTEM. Free the list with ringio_freeaddrinfo. */
int  ringio_getaddrinfo(long node, long service, long hints, long res_out);
int  ringio_freeaddrinfo(long res);
int  ringio_gai_strerror(int code, long buf, int len);
int  ringio_ring_register_buf_ring(long ring, long addr, int entries, int bgid);
int  ringio_ring_unregister_buf_ring(long ring, int bgid);
/* Constant or layout by NUL-terminated name ("SO_LINGER", "sizeof(msghdr)",
 * "offsetof(msghdr.msg_control)"); LONG_MIN when unknown. */
long ringio_const(long name);
int  ringio_const_count(void);
int  ringio_const_name(int index, long buf, int len);

/* ---- synchronous file and socket calls for the readiness engines (src/main/c/ringio_sync.c) --
 * The epoll/kqueue engines run these directly (sockets, pipes: non-blocking, on the loop) or on
 * their file thread pool (regular files). Same rules: >= 0 or -errno, no EINTR retry. */

/* preadv2(2)/pwritev2(2) with flags 0; offset -1 uses and advances the current position. */
long ringio_preadv(int fd, long iov, int iovcnt, long offset);
/* One preadv2(RWF_NOWAIT) into buf: the bytes the page cache has ready now, or -EAGAIN where the
 * read would block (data not cached, or a file system without non-blocking reads). Never blocks. */
long ringio_pread_nowait(int fd, long buf, long len, long offset);
long ringio_pwritev(int fd, long iov, int iovcnt, long offset);
int  ringio_fsync(int fd, int datasync);                     /* fsync(2), or fdatasync(2) */
int  ringio_fallocate(int fd, int mode, long offset, long len);
/* statx(2) into buf (struct statx, RINGIO_L_STATX_SIZE bytes). */
int  ringio_statx(int dirfd, long path, int flags, int mask, long buf);
int  ringio_unlinkat(int dirfd, long path, int flags);
int  ringio_mkdirat(int dirfd, long path, int mode);
int  ringio_renameat2(int olddirfd, long oldpath, int newdirfd, long newpath, int flags);
int  ringio_symlinkat(long target, int newdirfd, long linkpath);
/* splice(2) between two descriptors at their current positions. */
long ringio_splice(int fd_in, int fd_out, long len, int flags);
/* sendto(2) / recvfrom(2); addr 0 for none; addr_len_ptr: in/out socklen_t (int). */
long ringio_sendto(int fd, long buf, long len, int flags, long addr, int addr_len);
long ringio_recvfrom(int fd, long buf, long len, int flags, long addr, long addr_len_ptr);
/* poll(2) of one descriptor: the revents seen (0 on timeout). */
int  ringio_poll1(int fd, int events, int timeout_ms);

/* ---- readiness half (src/main/c/ringio_poll.c): epoll for the readiness engine ----------- */

/* epoll_create1(2); callers pass EPOLL_CLOEXEC. Returns the epoll fd or -errno. */
int  ringio_epoll_create(int flags);
/* epoll_ctl(2) with a struct epoll_event built on the C stack: events = EPOLL* bits,
 * data.u64 = data (the caller's 64-bit token). Returns 0 or -errno. */
int  ringio_epoll_ctl(int epfd, int op, int fd, int events, long data);
/* epoll_wait(2): writes up to max struct epoll_event at events_out (packed on x86_64: 12 bytes,
 * events u32 at 0, data u64 at 4; use ringio_poll_const for the layout). Blocks for up to
 * timeout_ms (-1 forever, 0 not at all). Returns the count or -errno (-EINTR not retried). */
int  ringio_epoll_wait(int epfd, long events_out, int max, int timeout_ms);
/* Epoll constant or layout by NUL-terminated name ("EPOLLIN", "EPOLL_CTL_ADD", "EPOLL_CLOEXEC",
 * "sizeof(epoll_event)", "offsetof(epoll_event.data)"); LONG_MIN when unknown. */
long ringio_poll_const(long name);

/* ---- RINGIO_INFO_*: the longs ringio_ring_create writes at info_out ----------------------- */
enum {
    RINGIO_INFO_SQ_KHEAD = 0,      /* address of the kernel's SQ head (unsigned) */
    RINGIO_INFO_SQ_KTAIL,          /* address of the SQ tail (unsigned) */
    RINGIO_INFO_SQ_RING_MASK,      /* value: sq.ring_mask */
    RINGIO_INFO_SQ_RING_ENTRIES,   /* value: sq.ring_entries */
    RINGIO_INFO_SQ_KFLAGS,         /* address of the SQ flags (IORING_SQ_*) */
    RINGIO_INFO_SQ_KDROPPED,       /* address of the SQ dropped counter */
    RINGIO_INFO_SQ_ARRAY,          /* address of the SQ index array */
    RINGIO_INFO_SQES,              /* address of the SQE array */
    RINGIO_INFO_CQ_KHEAD,          /* address of the CQ head */
    RINGIO_INFO_CQ_KTAIL,          /* address of the CQ tail */
    RINGIO_INFO_CQ_RING_MASK,      /* value: cq.ring_mask */
    RINGIO_INFO_CQ_RING_ENTRIES,   /* value: cq.ring_entries */
    RINGIO_INFO_CQ_KOVERFLOW,      /* address of the CQ overflow counter */
    RINGIO_INFO_CQES,              /* address of the CQE array */
    RINGIO_INFO_CQ_KFLAGS,         /* address of the CQ flags, or 0 if the kernel has none */
    RINGIO_INFO_RING_FD,           /* value: ring->ring_fd */
    RINGIO_INFO_FEATURES,          /* value: ring->features (IORING_FEAT_*) */
    RINGIO_INFO_SETUP_FLAGS,       /* value: ring->flags as set up */
    RINGIO_INFO_COUNT
};

/* ---- RINGIO_L_*: ids for ringio_layout ---------------------------------------------------- */
enum {
    /* struct io_uring_sqe (linux/io_uring.h) */
    RINGIO_L_SQE_SIZE = 0,
    RINGIO_L_SQE_OPCODE,
    RINGIO_L_SQE_FLAGS,
    RINGIO_L_SQE_IOPRIO,
    RINGIO_L_SQE_FD,
    RINGIO_L_SQE_OFF,          /* off / addr2 */
    RINGIO_L_SQE_ADDR,         /* addr / splice_off_in */
    RINGIO_L_SQE_LEN,
    RINGIO_L_SQE_OP_FLAGS,     /* rw_flags / fsync_flags / timeout_flags / cancel_flags / ... */
    RINGIO_L_SQE_USER_DATA,
    RINGIO_L_SQE_BUF_INDEX,    /* buf_index / buf_group */
    RINGIO_L_SQE_PERSONALITY,
    RINGIO_L_SQE_SPLICE_FD_IN, /* splice_fd_in / file_index */
    RINGIO_L_SQE_ADDR3,

    /* struct io_uring_cqe */
    RINGIO_L_CQE_SIZE = 20,
    RINGIO_L_CQE_USER_DATA,
    RINGIO_L_CQE_RES,
    RINGIO_L_CQE_FLAGS,

    /* struct statx (linux/stat.h) */
    RINGIO_L_STATX_SIZE = 30,
    RINGIO_L_STATX_MASK,
    RINGIO_L_STATX_BLKSIZE,
    RINGIO_L_STATX_ATTRIBUTES,
    RINGIO_L_STATX_NLINK,
    RINGIO_L_STATX_UID,
    RINGIO_L_STATX_GID,
    RINGIO_L_STATX_MODE,
    RINGIO_L_STATX_INO,
    RINGIO_L_STATX_SIZE_FIELD, /* stx_size */
    RINGIO_L_STATX_BLOCKS,
    RINGIO_L_STATX_ATIME,      /* struct statx_timestamp: tv_sec (s64) at +0, tv_nsec (u32) at +8 */
    RINGIO_L_STATX_BTIME,
    RINGIO_L_STATX_CTIME,
    RINGIO_L_STATX_MTIME,
    RINGIO_L_STATX_DEV_MAJOR,
    RINGIO_L_STATX_DEV_MINOR,

    /* struct open_how (linux/openat2.h) */
    RINGIO_L_OPEN_HOW_SIZE = 50,
    RINGIO_L_OPEN_HOW_FLAGS,
    RINGIO_L_OPEN_HOW_MODE,
    RINGIO_L_OPEN_HOW_RESOLVE,

    /* struct iovec */
    RINGIO_L_IOVEC_SIZE = 60,
    RINGIO_L_IOVEC_BASE,
    RINGIO_L_IOVEC_LEN,

    /* struct __kernel_timespec */
    RINGIO_L_TIMESPEC_SIZE = 70,
    RINGIO_L_TIMESPEC_SEC,
    RINGIO_L_TIMESPEC_NSEC,

    /* struct linux_dirent64 (as getdents64 writes it) */
    RINGIO_L_DIRENT64_INO = 80,
    RINGIO_L_DIRENT64_OFF,
    RINGIO_L_DIRENT64_RECLEN,
    RINGIO_L_DIRENT64_TYPE,
    RINGIO_L_DIRENT64_NAME,

    /* constants Java mirrors (values from the C headers of this build) */
    RINGIO_C_AT_FDCWD = 100,
    RINGIO_C_AT_REMOVEDIR,
    RINGIO_C_AT_SYMLINK_NOFOLLOW,
    RINGIO_C_AT_EMPTY_PATH,
    RINGIO_C_O_RDONLY,
    RINGIO_C_O_WRONLY,
    RINGIO_C_O_RDWR,
    RINGIO_C_O_CREAT,
    RINGIO_C_O_EXCL,
    RINGIO_C_O_TRUNC,
    RINGIO_C_O_APPEND,
    RINGIO_C_O_NONBLOCK,
    RINGIO_C_O_DIRECTORY,
    RINGIO_C_O_NOFOLLOW,
    RINGIO_C_O_CLOEXEC,
    RINGIO_C_O_DIRECT,
    RINGIO_C_O_DSYNC,
    RINGIO_C_O_SYNC,
    RINGIO_C_O_TMPFILE,
    RINGIO_C_O_NOATIME,
    RINGIO_C_O_PATH,
    RINGIO_C_RESOLVE_NO_XDEV,
    RINGIO_C_RESOLVE_NO_MAGICLINKS,
    RINGIO_C_RESOLVE_NO_SYMLINKS,
    RINGIO_C_RESOLVE_BENEATH,
    RINGIO_C_RESOLVE_IN_ROOT,
    RINGIO_C_RESOLVE_CACHED,
    RINGIO_C_STATX_BASIC_STATS,
    RINGIO_C_STATX_BTIME,
    RINGIO_C_EFD_CLOEXEC,
    RINGIO_C_EFD_NONBLOCK,
    RINGIO_C_POLLIN,
    RINGIO_C_POLLOUT,
    RINGIO_C_POLLERR,
    RINGIO_C_POLLHUP,
    RINGIO_C_FALLOC_FL_KEEP_SIZE,
    RINGIO_C_FALLOC_FL_PUNCH_HOLE,
    RINGIO_C_IORING_FSYNC_DATASYNC,
    RINGIO_C_IORING_TIMEOUT_ABS,
    RINGIO_C_IORING_ASYNC_CANCEL_ALL,
    RINGIO_C_IORING_ASYNC_CANCEL_FD,
    RINGIO_C_IORING_ASYNC_CANCEL_ANY,
    RINGIO_C_IORING_OP_LAST,   /* as in the headers this shim was compiled against */
    RINGIO_C_GRND_NONBLOCK,
    RINGIO_C_GRND_RANDOM,
    RINGIO_C_SEEK_SET,
    RINGIO_C_SEEK_CUR,
    RINGIO_C_SEEK_END,
    RINGIO_C_SEEK_DATA,
    RINGIO_C_SEEK_HOLE,
    RINGIO_C_F_GETFL,
    RINGIO_C_F_SETFL,
    RINGIO_C_F_GETFD,
    RINGIO_C_F_SETFD,
    RINGIO_C_FD_CLOEXEC,
    RINGIO_C_F_DUPFD_CLOEXEC,
    RINGIO_C_S_IFMT,
    RINGIO_C_S_IFREG,
    RINGIO_C_S_IFDIR,
    RINGIO_C_S_IFIFO,
    RINGIO_C_S_IFSOCK,
    RINGIO_C_S_IFCHR,
    RINGIO_C_S_IFLNK,
    RINGIO_C_S_IFBLK,
    RINGIO_C_IOV_MAX,
    RINGIO_C_RENAME_NOREPLACE,
    RINGIO_C_RENAME_EXCHANGE,
    RINGIO_L_END
};

/* ---- fcntl, fd kinds, epoll (issue 13) ---- */
/* (src/main/c/ringio.c, at its end) */

long ringio_getpid(void);                                  /* getpid(2) */
long ringio_getppid(void);                                 /* getppid(2) */
int  ringio_timerfd_create(int clockid, int flags);        /* timerfd_create(2) */
/* syscall(2) with up to four arguments, for the tests that need a descriptor of a kind ringio has no
 * call for here (signalfd4, inotify_init1, pidfd_open); the SYS_* numbers come from ringio_os_const. */
long ringio_syscall4(long nr, long a1, long a2, long a3, long a4);

/* ---- inotify, signals, processes (issue 13) (src/main/c/ringio.c, at its end) ------------ */

int  ringio_inotify_init1(int flags);                        /* inotify_init1(2) */
int  ringio_inotify_add_watch(int fd, long path, int mask);  /* inotify_add_watch(2) */
int  ringio_inotify_rm_watch(int fd, int wd);                /* inotify_rm_watch(2) */
int  ringio_kill(int pid, int sig);                          /* kill(2) */
int  ringio_tgkill(int tgid, int tid, int sig);              /* tgkill(2) */
int  ringio_gettid(void);                                    /* gettid(2) */
/* SIGRTMIN (max == 0) or SIGRTMAX as this libc reserves them. */
int  ringio_sig_rt(int max);
/* Signal sets travel as a 64-bit mask: bit n-1 = signal n. pthread_sigmask(how, bits) (how < 0:
 * query only); the previous mask is written at old_out (a long) when old_out != 0. */
int  ringio_sigmask(int how, long bits, long old_out);
/* sigpending(2) of the calling thread (its own and the process's) as a mask at out. */
int  ringio_sigpending(long out);
/* signalfd(2) for the set bits (fd -1: a new signalfd; else change that one's set). */
int  ringio_signalfd(int fd, long bits, int flags);
/* Signal handlers: ringio's native handler writes {int32 signo, code, pid, uid} to the fd set
 * here (-1: none; returns the previous one). install saves the previous action and installs the
 * handler; restore puts the saved action back; quiesce waits until no thread is inside it. */
int  ringio_sig_notify_fd(int fd);
int  ringio_sig_handler_install(int sig);
int  ringio_sig_handler_restore(int sig);
int  ringio_sig_quiesce(void);
/* ---- ops: permissions, ownership, hard links, in-kernel copies (src/main/c/ringio_sync.c) ----
 * fchmodat/fchmod/fchownat/fchown/linkat(2); uid/gid -1: unchanged. copy_file_range(2) (flags 0)
 * and sendfile(2): an offset of -1 uses (and advances) the descriptor's own position; the bytes
 * moved. Same rules: >= 0 or -errno, no EINTR retry. */
int  ringio_fchmodat(int dirfd, long path, int mode, int flags);
int  ringio_fchmod(int fd, int mode);
int  ringio_fchownat(int dirfd, long path, int uid, int gid, int flags);
int  ringio_fchown(int fd, int uid, int gid);
int  ringio_linkat(int olddirfd, long oldpath, int newdirfd, long newpath, int flags);
long ringio_copy_file_range(int fd_in, long off_in, int fd_out, long off_out, long len);
long ringio_sendfile(int out_fd, int in_fd, long offset, long count);

/* 0 SIG_DFL, 1 SIG_IGN, 2 another handler, 3 ringio's handler. */
int  ringio_sig_disposition(int sig);
/* Starts the program at path (argv, envp: NULL-terminated arrays of C strings; cwd 0: unchanged;
 * map: nmap pairs {source, target} of fds) with clone(CLONE_VM|CLONE_VFORK|CLONE_PIDFD). Returns
 * the pid and writes {pidfd, 0} as longs at out, or -errno with out[1] = the step that failed
 * (1 fd setup, 2 chdir, 3 exec; the child has been reaped). */
int  ringio_spawn(long path, long argv, long envp, long cwd, long map, int nmap, long out);
int  ringio_pidfd_send_signal(int pidfd, int sig);           /* pidfd_send_signal(2) */
/* waitid(P_PIDFD, pidfd, options): {si_pid, si_code, si_status} as ints at out (si_pid 0: none). */
int  ringio_waitid_pidfd(int pidfd, int options, long out);
/* An OS-layer constant or layout by NUL-terminated name: fcntl / O_* / S_IF* / EPOLL* / POLL* / SYS_*
 * ("F_DUPFD_CLOEXEC", "EPOLLEXCLUSIVE", "sizeof(epoll_event)"), IN_*, SFD_*, SIG*, CLD_*, the
 * signalfd_siginfo layout; LONG_MIN when unknown. */
long ringio_os_const(long name);

#ifdef __cplusplus
}
#endif

#endif /* RINGIO_H */
