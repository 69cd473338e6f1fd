/*
 * ringio shim: implementation of include/ringio.h over liburing (linked statically).
 *
 * Every function takes ints/longs, returns >= 0 or -errno (ringio_layout excepted), allocates
 * nothing per call and never retries EINTR. libc wrappers and syscall() report failure as
 * -1 with errno; RET() turns that into -errno. liburing (2.3) already returns -errno.
 */
#define _GNU_SOURCE 1

/* liburing.h first: it pulls its own copy of linux/io_uring.h (same include guard). */
#include <liburing.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/falloc.h>
#include <linux/io_uring.h>
#include <linux/openat2.h>
#include <linux/stat.h>
#include <linux/time_types.h>

#include "ringio.h"

#define RINGIO_API __attribute__((visibility("default")))

/* ---- constants possibly missing from older kernel headers (Debian bookworm ships 6.1) ----- */

#ifndef IORING_SETUP_CQSIZE           /* Linux 5.5 */
#define IORING_SETUP_CQSIZE (1U << 3)
#endif
#ifndef IORING_ENTER_GETEVENTS        /* Linux 5.1 */
#define IORING_ENTER_GETEVENTS (1U << 0)
#endif
#ifndef IORING_ENTER_EXT_ARG          /* Linux 5.11 */
#define IORING_ENTER_EXT_ARG (1U << 3)
#endif
#ifndef IORING_ASYNC_CANCEL_ALL       /* Linux 5.19 */
#define IORING_ASYNC_CANCEL_ALL (1U << 0)
#endif
#ifndef IORING_ASYNC_CANCEL_FD        /* Linux 5.19 */
#define IORING_ASYNC_CANCEL_FD (1U << 1)
#endif
#ifndef IORING_ASYNC_CANCEL_ANY       /* Linux 5.19 */
#define IORING_ASYNC_CANCEL_ANY (1U << 2)
#endif
#ifndef IORING_TIMEOUT_ABS            /* Linux 5.4 */
#define IORING_TIMEOUT_ABS (1U << 0)
#endif
#ifndef IORING_FSYNC_DATASYNC         /* Linux 5.1 */
#define IORING_FSYNC_DATASYNC (1U << 0)
#endif
#ifndef RESOLVE_CACHED                /* Linux 5.12 */
#define RESOLVE_CACHED 0x20
#endif
#ifndef SYS_openat2                   /* Linux 5.6 */
#define SYS_openat2 437
#endif
#ifndef RENAME_NOREPLACE              /* Linux 3.15 (glibc: stdio.h with _GNU_SOURCE) */
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE               /* Linux 3.15 */
#define RENAME_EXCHANGE (1 << 1)
#endif

/*
 * Setup flags liburing 2.3 does not understand; it would map the rings wrongly (NO_SQARRAY
 * leaves sq_off.array = 0, so the identity fill below would overwrite the SQ head/tail).
 */
#define RINGIO_SETUP_NO_MMAP            (1U << 14) /* Linux 6.5 */
#define RINGIO_SETUP_REGISTERED_FD_ONLY (1U << 15) /* Linux 6.5 */
#define RINGIO_SETUP_NO_SQARRAY         (1U << 16) /* Linux 6.6 */
#define RINGIO_SETUP_UNSUPPORTED \
    (RINGIO_SETUP_NO_MMAP | RINGIO_SETUP_REGISTERED_FD_ONLY | RINGIO_SETUP_NO_SQARRAY)

/* Not in glibc's headers: the record getdents64(2) writes. */
struct linux_dirent64 {
    uint64_t       d_ino;
    int64_t        d_off;
    unsigned short d_reclen;
    unsigned char  d_type;
    char           d_name[];
};

#define PTR(x)  ((void *) (uintptr_t) (x))
#define ADDR(p) ((long) (uintptr_t) (p))
#define RET(r)  ((r) < 0 ? -errno : (r))

/* ---- identity and layout ------------------------------------------------------------------ */

RINGIO_API long ringio_abi_version(void)
{
    return RINGIO_ABI_VERSION;
}

RINGIO_API long ringio_layout(int id)
{
    switch (id) {
    /* struct io_uring_sqe */
    case RINGIO_L_SQE_SIZE:         return sizeof(struct io_uring_sqe);
    case RINGIO_L_SQE_OPCODE:       return offsetof(struct io_uring_sqe, opcode);
    case RINGIO_L_SQE_FLAGS:        return offsetof(struct io_uring_sqe, flags);
    case RINGIO_L_SQE_IOPRIO:       return offsetof(struct io_uring_sqe, ioprio);
    case RINGIO_L_SQE_FD:           return offsetof(struct io_uring_sqe, fd);
    case RINGIO_L_SQE_OFF:          return offsetof(struct io_uring_sqe, off);
    case RINGIO_L_SQE_ADDR:         return offsetof(struct io_uring_sqe, addr);
    case RINGIO_L_SQE_LEN:          return offsetof(struct io_uring_sqe, len);
    case RINGIO_L_SQE_OP_FLAGS:     return offsetof(struct io_uring_sqe, rw_flags);
    case RINGIO_L_SQE_USER_DATA:    return offsetof(struct io_uring_sqe, user_data);
    case RINGIO_L_SQE_BUF_INDEX:    return offsetof(struct io_uring_sqe, buf_index);
    case RINGIO_L_SQE_PERSONALITY:  return offsetof(struct io_uring_sqe, personality);
    case RINGIO_L_SQE_SPLICE_FD_IN: return offsetof(struct io_uring_sqe, splice_fd_in);
    case RINGIO_L_SQE_ADDR3:        return offsetof(struct io_uring_sqe, addr3);

    /* struct io_uring_cqe */
    case RINGIO_L_CQE_SIZE:         return sizeof(struct io_uring_cqe);
    case RINGIO_L_CQE_USER_DATA:    return offsetof(struct io_uring_cqe, user_data);
    case RINGIO_L_CQE_RES:          return offsetof(struct io_uring_cqe, res);
    case RINGIO_L_CQE_FLAGS:        return offsetof(struct io_uring_cqe, flags);

    /* struct statx */
    case RINGIO_L_STATX_SIZE:       return sizeof(struct statx);
    case RINGIO_L_STATX_MASK:       return offsetof(struct statx, stx_mask);
    case RINGIO_L_STATX_BLKSIZE:    return offsetof(struct statx, stx_blksize);
    case RINGIO_L_STATX_ATTRIBUTES: return offsetof(struct statx, stx_attributes);
    case RINGIO_L_STATX_NLINK:      return offsetof(struct statx, stx_nlink);
    case RINGIO_L_STATX_UID:        return offsetof(struct statx, stx_uid);
    case RINGIO_L_STATX_GID:        return offsetof(struct statx, stx_gid);
    case RINGIO_L_STATX_MODE:       return offsetof(struct statx, stx_mode);
    case RINGIO_L_STATX_INO:        return offsetof(struct statx, stx_ino);
    case RINGIO_L_STATX_SIZE_FIELD: return offsetof(struct statx, stx_size);
    case RINGIO_L_STATX_BLOCKS:     return offsetof(struct statx, stx_blocks);
    case RINGIO_L_STATX_ATIME:      return offsetof(struct statx, stx_atime);
    case RINGIO_L_STATX_BTIME:      return offsetof(struct statx, stx_btime);
    case RINGIO_L_STATX_CTIME:      return offsetof(struct statx, stx_ctime);
    case RINGIO_L_STATX_MTIME:      return offsetof(struct statx, stx_mtime);
    case RINGIO_L_STATX_DEV_MAJOR:  return offsetof(struct statx, stx_dev_major);
    case RINGIO_L_STATX_DEV_MINOR:  return offsetof(struct statx, stx_dev_minor);

    /* struct open_how */
    case RINGIO_L_OPEN_HOW_SIZE:    return sizeof(struct open_how);
    case RINGIO_L_OPEN_HOW_FLAGS:   return offsetof(struct open_how, flags);
    case RINGIO_L_OPEN_HOW_MODE:    return offsetof(struct open_how, mode);
    case RINGIO_L_OPEN_HOW_RESOLVE: return offsetof(struct open_how, resolve);

    /* struct iovec */
    case RINGIO_L_IOVEC_SIZE:       return sizeof(struct iovec);
    case RINGIO_L_IOVEC_BASE:       return offsetof(struct iovec, iov_base);
    case RINGIO_L_IOVEC_LEN:        return offsetof(struct iovec, iov_len);

    /* struct __kernel_timespec */
    case RINGIO_L_TIMESPEC_SIZE:    return sizeof(struct __kernel_timespec);
    case RINGIO_L_TIMESPEC_SEC:     return offsetof(struct __kernel_timespec, tv_sec);
    case RINGIO_L_TIMESPEC_NSEC:    return offsetof(struct __kernel_timespec, tv_nsec);

    /* struct linux_dirent64 */
    case RINGIO_L_DIRENT64_INO:     return offsetof(struct linux_dirent64, d_ino);
    case RINGIO_L_DIRENT64_OFF:     return offsetof(struct linux_dirent64, d_off);
    case RINGIO_L_DIRENT64_RECLEN:  return offsetof(struct linux_dirent64, d_reclen);
    case RINGIO_L_DIRENT64_TYPE:    return offsetof(struct linux_dirent64, d_type);
    case RINGIO_L_DIRENT64_NAME:    return offsetof(struct linux_dirent64, d_name);

    /* constants */
    case RINGIO_C_AT_FDCWD:              return AT_FDCWD; /* -100: negative on purpose */
    case RINGIO_C_AT_REMOVEDIR:          return AT_REMOVEDIR;
    case RINGIO_C_AT_SYMLINK_NOFOLLOW:   return AT_SYMLINK_NOFOLLOW;
    case RINGIO_C_AT_EMPTY_PATH:         return AT_EMPTY_PATH;
    case RINGIO_C_O_RDONLY:              return O_RDONLY;
    case RINGIO_C_O_WRONLY:              return O_WRONLY;
    case RINGIO_C_O_RDWR:                return O_RDWR;
    case RINGIO_C_O_CREAT:               return O_CREAT;
    case RINGIO_C_O_EXCL:                return O_EXCL;
    case RINGIO_C_O_TRUNC:               return O_TRUNC;
    case RINGIO_C_O_APPEND:              return O_APPEND;
    case RINGIO_C_O_NONBLOCK:            return O_NONBLOCK;
    case RINGIO_C_O_DIRECTORY:           return O_DIRECTORY;
    case RINGIO_C_O_NOFOLLOW:            return O_NOFOLLOW;
    case RINGIO_C_O_CLOEXEC:             return O_CLOEXEC;
    case RINGIO_C_O_DIRECT:              return O_DIRECT;
    case RINGIO_C_O_DSYNC:               return O_DSYNC;
    case RINGIO_C_O_SYNC:                return O_SYNC;
    case RINGIO_C_O_TMPFILE:             return O_TMPFILE;
    case RINGIO_C_O_NOATIME:             return O_NOATIME;
    case RINGIO_C_O_PATH:                return O_PATH;
    case RINGIO_C_RESOLVE_NO_XDEV:       return RESOLVE_NO_XDEV;
    case RINGIO_C_RESOLVE_NO_MAGICLINKS: return RESOLVE_NO_MAGICLINKS;
    case RINGIO_C_RESOLVE_NO_SYMLINKS:   return RESOLVE_NO_SYMLINKS;
    case RINGIO_C_RESOLVE_BENEATH:       return RESOLVE_BENEATH;
    case RINGIO_C_RESOLVE_IN_ROOT:       return RESOLVE_IN_ROOT;
    case RINGIO_C_RESOLVE_CACHED:        return RESOLVE_CACHED;
    case RINGIO_C_STATX_BASIC_STATS:     return STATX_BASIC_STATS;
    case RINGIO_C_STATX_BTIME:           return STATX_BTIME;
    case RINGIO_C_EFD_CLOEXEC:           return EFD_CLOEXEC;
    case RINGIO_C_EFD_NONBLOCK:          return EFD_NONBLOCK;
    case RINGIO_C_POLLIN:                return POLLIN;
    case RINGIO_C_POLLOUT:               return POLLOUT;
    case RINGIO_C_POLLERR:               return POLLERR;
    case RINGIO_C_POLLHUP:               return POLLHUP;
    case RINGIO_C_FALLOC_FL_KEEP_SIZE:   return FALLOC_FL_KEEP_SIZE;
    case RINGIO_C_FALLOC_FL_PUNCH_HOLE:  return FALLOC_FL_PUNCH_HOLE;
    case RINGIO_C_IORING_FSYNC_DATASYNC: return IORING_FSYNC_DATASYNC;
    case RINGIO_C_IORING_TIMEOUT_ABS:    return IORING_TIMEOUT_ABS;
    case RINGIO_C_IORING_ASYNC_CANCEL_ALL: return IORING_ASYNC_CANCEL_ALL;
    case RINGIO_C_IORING_ASYNC_CANCEL_FD:  return IORING_ASYNC_CANCEL_FD;
    case RINGIO_C_IORING_ASYNC_CANCEL_ANY: return IORING_ASYNC_CANCEL_ANY;
    case RINGIO_C_IORING_OP_LAST:        return IORING_OP_LAST;
    case RINGIO_C_GRND_NONBLOCK:         return GRND_NONBLOCK;
    case RINGIO_C_GRND_RANDOM:           return GRND_RANDOM;
    case RINGIO_C_SEEK_SET:              return SEEK_SET;
    case RINGIO_C_SEEK_CUR:              return SEEK_CUR;
    case RINGIO_C_SEEK_END:              return SEEK_END;
    case RINGIO_C_SEEK_DATA:             return SEEK_DATA;
    case RINGIO_C_SEEK_HOLE:             return SEEK_HOLE;
    case RINGIO_C_F_GETFL:               return F_GETFL;
    case RINGIO_C_F_SETFL:               return F_SETFL;
    case RINGIO_C_F_GETFD:               return F_GETFD;
    case RINGIO_C_F_SETFD:               return F_SETFD;
    case RINGIO_C_FD_CLOEXEC:            return FD_CLOEXEC;
    case RINGIO_C_F_DUPFD_CLOEXEC:       return F_DUPFD_CLOEXEC;
    case RINGIO_C_S_IFMT:                return S_IFMT;
    case RINGIO_C_S_IFREG:               return S_IFREG;
    case RINGIO_C_S_IFDIR:               return S_IFDIR;
    case RINGIO_C_S_IFIFO:               return S_IFIFO;
    case RINGIO_C_S_IFSOCK:              return S_IFSOCK;
    case RINGIO_C_S_IFCHR:               return S_IFCHR;
    case RINGIO_C_S_IFLNK:               return S_IFLNK;
    case RINGIO_C_S_IFBLK:               return S_IFBLK;
    case RINGIO_C_IOV_MAX:               return IOV_MAX;
    case RINGIO_C_RENAME_NOREPLACE:      return RENAME_NOREPLACE;
    case RINGIO_C_RENAME_EXCHANGE:       return RENAME_EXCHANGE;
    default:                             return LONG_MIN;
    }
}

/* ---- io_uring ring ----------------------------------------------------------------------- */

RINGIO_API long ringio_ring_create(int entries, int setup_flags, int cq_entries, long info_out)
{
    if (info_out == 0 || ((unsigned) setup_flags & RINGIO_SETUP_UNSUPPORTED) != 0)
        return -EINVAL;

    struct io_uring *ring = malloc(sizeof *ring);
    if (ring == NULL)
        return -ENOMEM;
    memset(ring, 0, sizeof *ring);

    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    p.flags = (unsigned) setup_flags;
    if (cq_entries > 0) {
        p.flags |= IORING_SETUP_CQSIZE;
        p.cq_entries = (unsigned) cq_entries;
    }

    int r = io_uring_queue_init_params((unsigned) entries, ring, &p);
    if (r < 0) {
        free(ring);
        return r;
    }

    for (unsigned i = 0; i < ring->sq.ring_entries; i++)
        ring->sq.array[i] = i;

    long *info = PTR(info_out);
    info[RINGIO_INFO_SQ_KHEAD]         = ADDR(ring->sq.khead);
    info[RINGIO_INFO_SQ_KTAIL]         = ADDR(ring->sq.ktail);
    info[RINGIO_INFO_SQ_RING_MASK]     = ring->sq.ring_mask;
    info[RINGIO_INFO_SQ_RING_ENTRIES]  = ring->sq.ring_entries;
    info[RINGIO_INFO_SQ_KFLAGS]        = ADDR(ring->sq.kflags);
    info[RINGIO_INFO_SQ_KDROPPED]      = ADDR(ring->sq.kdropped);
    info[RINGIO_INFO_SQ_ARRAY]         = ADDR(ring->sq.array);
    info[RINGIO_INFO_SQES]             = ADDR(ring->sq.sqes);
    info[RINGIO_INFO_CQ_KHEAD]         = ADDR(ring->cq.khead);
    info[RINGIO_INFO_CQ_KTAIL]         = ADDR(ring->cq.ktail);
    info[RINGIO_INFO_CQ_RING_MASK]     = ring->cq.ring_mask;
    info[RINGIO_INFO_CQ_RING_ENTRIES]  = ring->cq.ring_entries;
    info[RINGIO_INFO_CQ_KOVERFLOW]     = ADDR(ring->cq.koverflow);
    info[RINGIO_INFO_CQES]             = ADDR(ring->cq.cqes);
    info[RINGIO_INFO_CQ_KFLAGS]        = ring->cq.kflags != NULL ? ADDR(ring->cq.kflags) : 0;
    info[RINGIO_INFO_RING_FD]          = ring->ring_fd;
    info[RINGIO_INFO_FEATURES]         = ring->features;
    info[RINGIO_INFO_SETUP_FLAGS]      = ring->flags;

    return ADDR(ring);
}

RINGIO_API int ringio_ring_register_ring_fd(long ring)
{
    if (ring == 0)
        return -EINVAL;
    struct io_uring *r = PTR(ring);
    int ret = io_uring_register_ring_fd(r);
    if (ret < 0)
        return ret;
    if (ret != 1)
        return -EIO; /* the kernel registered nothing */
    return r->enter_ring_fd;
}

RINGIO_API int ringio_ring_register_buffers(long ring, long iovecs, int count)
{
    if (ring == 0 || count < 0)
        return -EINVAL;
    return io_uring_register_buffers(PTR(ring), PTR(iovecs), (unsigned) count);
}

RINGIO_API int ringio_ring_unregister_buffers(long ring)
{
    if (ring == 0)
        return -EINVAL;
    return io_uring_unregister_buffers(PTR(ring));
}

RINGIO_API int ringio_ring_register_iowq_max_workers(long ring, int bounded, int unbounded)
{
    if (ring == 0 || bounded < 0 || unbounded < 0)
        return -EINVAL;
    unsigned int values[2] = { (unsigned) bounded, (unsigned) unbounded };
    int r = io_uring_register_iowq_max_workers(PTR(ring), values);
    return r < 0 ? r : 0;
}

#define RINGIO_PROBE_OPS 256

RINGIO_API int ringio_ring_probe(long ring, long out, int len)
{
    if (ring == 0 || len < 0 || (len > 0 && out == 0))
        return -EINVAL;
    /*
     * io_uring_get_probe_ring mallocs and loses the error code; io_uring_register_probe into a
     * zeroed stack buffer of the same size (the kernel insists on zeroed input) does neither.
     */
    union {
        struct io_uring_probe probe;
        uint64_t raw[(sizeof(struct io_uring_probe)
                      + RINGIO_PROBE_OPS * sizeof(struct io_uring_probe_op) + 7) / 8];
    } u;
    memset(&u, 0, sizeof u);
    int r = io_uring_register_probe(PTR(ring), &u.probe, RINGIO_PROBE_OPS);
    if (r < 0)
        return r;

    unsigned char *o = PTR(out);
    unsigned last = u.probe.last_op;
    unsigned n = u.probe.ops_len;
    for (int op = 0; op < len; op++) {
        unsigned uop = (unsigned) op;
        o[op] = (uop <= last && uop < n && (u.probe.ops[uop].flags & IO_URING_OP_SUPPORTED)) ? 1 : 0;
    }
    return (int) last + 1;
}

RINGIO_API int ringio_ring_destroy(long ring)
{
    if (ring == 0)
        return -EINVAL;
    struct io_uring *r = PTR(ring);
    io_uring_queue_exit(r);
    free(r);
    return 0;
}

RINGIO_API int ringio_enter(int fd, int to_submit, int min_complete, int flags)
{
    long r = syscall(__NR_io_uring_enter, fd, (unsigned) to_submit, (unsigned) min_complete,
                     (unsigned) flags, NULL, 0);
    return (int) RET(r);
}

RINGIO_API int ringio_enter_timeout(int fd, int to_submit, int min_complete, int flags,
                                    long timeout_ns)
{
    if (timeout_ns < 0)
        return -EINVAL;
    struct __kernel_timespec ts = {
        .tv_sec = timeout_ns / 1000000000L,
        .tv_nsec = timeout_ns % 1000000000L,
    };
    struct io_uring_getevents_arg arg;
    memset(&arg, 0, sizeof arg);
    arg.sigmask = 0;
    arg.sigmask_sz = _NSIG / 8;
    arg.ts = (uint64_t) (uintptr_t) &ts;
    long r = syscall(__NR_io_uring_enter, fd, (unsigned) to_submit, (unsigned) min_complete,
                     (unsigned) flags | IORING_ENTER_EXT_ARG, &arg, sizeof arg);
    return (int) RET(r);
}

/* ---- plain syscalls ---------------------------------------------------------------------- */

RINGIO_API int ringio_close(int fd)
{
    int r = close(fd);
    return RET(r);
}

RINGIO_API int ringio_eventfd(int initval, int flags)
{
    int r = eventfd((unsigned) initval, flags);
    return RET(r);
}

RINGIO_API long ringio_read(int fd, long buf, long len)
{
    if (len < 0)
        return -EINVAL;
    ssize_t r = read(fd, PTR(buf), (size_t) len);
    return RET(r);
}

RINGIO_API long ringio_write(int fd, long buf, long len)
{
    if (len < 0)
        return -EINVAL;
    ssize_t r = write(fd, PTR(buf), (size_t) len);
    return RET(r);
}

RINGIO_API long ringio_pread(int fd, long buf, long len, long offset)
{
    if (len < 0)
        return -EINVAL;
    ssize_t r = pread(fd, PTR(buf), (size_t) len, (off_t) offset);
    return RET(r);
}

RINGIO_API long ringio_pwrite(int fd, long buf, long len, long offset)
{
    if (len < 0)
        return -EINVAL;
    ssize_t r = pwrite(fd, PTR(buf), (size_t) len, (off_t) offset);
    return RET(r);
}

RINGIO_API int ringio_pipe2(long fds_out, int flags)
{
    if (fds_out == 0)
        return -EINVAL;
    int r = pipe2(PTR(fds_out), flags);
    return RET(r);
}

RINGIO_API long ringio_lseek(int fd, long offset, int whence)
{
    off_t r = lseek(fd, (off_t) offset, whence);
    return RET(r);
}

RINGIO_API long ringio_getdents64(int fd, long buf, long len)
{
    if (len < 0)
        return -EINVAL;
    long r = syscall(SYS_getdents64, fd, PTR(buf), (size_t) len);
    return RET(r);
}

RINGIO_API long ringio_getrandom(long buf, long len, int flags)
{
    if (len < 0)
        return -EINVAL;
    ssize_t r = getrandom(PTR(buf), (size_t) len, (unsigned) flags);
    return RET(r);
}

RINGIO_API long ringio_fcntl(int fd, int cmd, long arg)
{
    int r = fcntl(fd, cmd, arg);
    return RET(r);
}

RINGIO_API int ringio_openat2(int dirfd, long path, long how, long size)
{
    if (size < 0)
        return -EINVAL;
    long r = syscall(SYS_openat2, dirfd, PTR(path), PTR(how), (size_t) size);
    return (int) RET(r);
}

RINGIO_API int ringio_ftruncate(int fd, long length)
{
    return ftruncate(fd, (off_t) length) < 0 ? -errno : 0;
}

RINGIO_API long ringio_fstat_mode(int fd)
{
    /* Raw fstat: glibc >= 2.33 exports fstat as a new symbol version; the x86-64 kernel's
     * struct stat is glibc's, and this keeps the library loadable on older glibc. */
    struct stat st;
    long r = syscall(SYS_fstat, fd, &st);
    if (r < 0)
        return -errno;
    return (long) st.st_mode;
}

RINGIO_API int ringio_strerror(int errnum, long buf, int len)
{
    if (buf == 0 || len <= 0)
        return -EINVAL;
    char tmp[256];
    /* GNU strerror_r: returns the message (maybe a static string, maybe tmp), never fails. */
    const char *msg = strerror_r(errnum, tmp, sizeof tmp);
    if (msg == NULL)
        msg = "Unknown error";
    size_t n = strlen(msg);
    if (n > (size_t) len - 1)
        n = (size_t) len - 1;
    char *out = PTR(buf);
    memcpy(out, msg, n);
    out[n] = '\0';
    return (int) n;
}

/* ---- fcntl, fd kinds, epoll (issue 13) ---- */
/* The public OS layer's calls (dev.ringio.os: Fcntl, FdKinds, Epoll, Pids) beyond the ones above
 * (ringio_fcntl, ringio_fstat_mode, ringio_epoll_*), and its constants by name. */

#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>

#include "named.h"

RINGIO_API long ringio_getpid(void)
{
    return (long) getpid(); /* never fails */
}

RINGIO_API long ringio_getppid(void)
{
    return (long) getppid(); /* never fails; 0 when the parent is outside this pid namespace */
}

/* timerfd_create(2). */
RINGIO_API int ringio_timerfd_create(int clockid, int flags)
{
    int r = timerfd_create(clockid, flags);
    return r < 0 ? -errno : r;
}

/*
 * syscall(2) with up to four arguments: for the tests that need a descriptor of a kind ringio has
 * no call for in this block (signalfd4, inotify_init1, pidfd_open, by the SYS_* numbers that
 * ringio_os_const exports). Returns the result or -errno.
 */
RINGIO_API long ringio_syscall4(long nr, long a1, long a2, long a3, long a4)
{
    long r = syscall(nr, a1, a2, a3, a4);
    return r < 0 ? -errno : r;
}

#define OS(x) { #x, (long) (x) }

static const struct named FD_OS_TABLE[] = {
    /* fcntl commands and fd flags */
    OS(F_DUPFD), OS(F_DUPFD_CLOEXEC), OS(F_GETFD), OS(F_SETFD), OS(F_GETFL), OS(F_SETFL), OS(FD_CLOEXEC),
    /* file status flags (F_GETFL / F_SETFL) and access modes */
    OS(O_ACCMODE), OS(O_RDONLY), OS(O_WRONLY), OS(O_RDWR), OS(O_CREAT), OS(O_EXCL), OS(O_NOCTTY),
    OS(O_TRUNC), OS(O_APPEND), OS(O_NONBLOCK), OS(O_DSYNC), OS(O_SYNC), OS(O_RSYNC), OS(O_ASYNC),
    OS(O_DIRECT), OS(O_LARGEFILE), OS(O_DIRECTORY), OS(O_NOFOLLOW), OS(O_NOATIME), OS(O_CLOEXEC),
    OS(O_PATH), OS(O_TMPFILE),
    /* file types (st_mode & S_IFMT) */
    OS(S_IFMT), OS(S_IFSOCK), OS(S_IFLNK), OS(S_IFREG), OS(S_IFBLK), OS(S_IFDIR), OS(S_IFCHR), OS(S_IFIFO),
    /* epoll (EPOLLET is 1u << 31: its unsigned value, as ringio_poll_const) */
    OS(EPOLLIN), OS(EPOLLPRI), OS(EPOLLOUT), OS(EPOLLERR), OS(EPOLLHUP), OS(EPOLLRDNORM), OS(EPOLLRDBAND),
    OS(EPOLLWRNORM), OS(EPOLLWRBAND), OS(EPOLLMSG), OS(EPOLLRDHUP), OS(EPOLLEXCLUSIVE), OS(EPOLLWAKEUP),
    OS(EPOLLONESHOT), OS(EPOLLET), OS(EPOLL_CTL_ADD), OS(EPOLL_CTL_MOD), OS(EPOLL_CTL_DEL), OS(EPOLL_CLOEXEC),
    { "sizeof(epoll_event)", (long) sizeof(struct epoll_event) },
    { "offsetof(epoll_event.events)", (long) offsetof(struct epoll_event, events) },
    { "offsetof(epoll_event.data)", (long) offsetof(struct epoll_event, data) },
    /* poll(2) revents, as awaitReadable / awaitWritable report them */
    OS(POLLIN), OS(POLLPRI), OS(POLLOUT), OS(POLLERR), OS(POLLHUP), OS(POLLNVAL), OS(POLLRDHUP),
    OS(POLLRDNORM), OS(POLLRDBAND), OS(POLLWRNORM), OS(POLLWRBAND), OS(POLLMSG),
    /* descriptors the tests make through ringio_timerfd_create / ringio_syscall4 */
    OS(CLOCK_MONOTONIC), OS(TFD_CLOEXEC), OS(TFD_NONBLOCK), OS(IN_CLOEXEC), OS(SFD_CLOEXEC),
    OS(SYS_signalfd4), OS(SYS_inotify_init1), OS(SYS_pidfd_open), OS(SYS_getpid), OS(SYS_getppid),
};

/* ---- inotify, signals, processes (issue 13) ---- */

#include <sched.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "named.h"

#ifndef CLONE_PIDFD                   /* Linux 5.2 */
#define CLONE_PIDFD 0x00001000
#endif
#ifndef P_PIDFD                       /* Linux 5.4 */
#define P_PIDFD 3
#endif
#ifndef SYS_pidfd_send_signal         /* Linux 5.1 */
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_close_range               /* Linux 5.9 */
#define SYS_close_range 436
#endif
#ifndef IN_MASK_CREATE                /* Linux 4.18 */
#define IN_MASK_CREATE 0x10000000
#endif

/* A 64-bit mask (bit n-1 = signal n, signals 1..64) as a sigset_t. */
static void os_bits_to_set(long bits, sigset_t *set)
{
    sigemptyset(set);
    for (int s = 1; s <= 64; s++) {
        if ((((unsigned long) bits) >> (s - 1)) & 1UL)
            sigaddset(set, s); /* glibc refuses its own 32 and 33: they stay out */
    }
}

static long os_set_to_bits(const sigset_t *set)
{
    unsigned long bits = 0;
    for (int s = 1; s <= 64; s++) {
        if (sigismember(set, s) == 1)
            bits |= 1UL << (s - 1);
    }
    return (long) bits;
}

RINGIO_API int ringio_inotify_init1(int flags)
{
    int r = inotify_init1(flags);
    return RET(r);
}

RINGIO_API int ringio_inotify_add_watch(int fd, long path, int mask)
{
    if (path == 0)
        return -EFAULT;
    int r = inotify_add_watch(fd, PTR(path), (uint32_t) mask);
    return RET(r);
}

RINGIO_API int ringio_inotify_rm_watch(int fd, int wd)
{
    int r = inotify_rm_watch(fd, wd);
    return RET(r);
}

RINGIO_API int ringio_kill(int pid, int sig)
{
    int r = kill(pid, sig);
    return RET(r);
}

RINGIO_API int ringio_tgkill(int tgid, int tid, int sig)
{
    long r = syscall(SYS_tgkill, tgid, tid, sig);
    return (int) RET(r);
}

RINGIO_API int ringio_gettid(void)
{
    return (int) syscall(SYS_gettid);
}

RINGIO_API int ringio_sig_rt(int max)
{
    return max ? SIGRTMAX : SIGRTMIN;
}

RINGIO_API int ringio_sigmask(int how, long bits, long old_out)
{
    sigset_t set, old;
    os_bits_to_set(bits, &set);
    int r = pthread_sigmask(how, how < 0 ? NULL : &set, &old);
    if (r != 0)
        return -r; /* pthread_* return the error number */
    if (old_out != 0)
        *(long *) PTR(old_out) = os_set_to_bits(&old);
    return 0;
}

RINGIO_API int ringio_sigpending(long out)
{
    sigset_t set;
    if (sigpending(&set) < 0)
        return -errno;
    *(long *) PTR(out) = os_set_to_bits(&set);
    return 0;
}

RINGIO_API int ringio_signalfd(int fd, long bits, int flags)
{
    sigset_t set;
    os_bits_to_set(bits, &set);
    int r = signalfd(fd, &set, flags);
    return RET(r);
}

/*
 * Signal handlers: one native handler for every signal ringio handles. It runs on whatever
 * thread the kernel picked and only writes a 16-byte record {signo, code, pid, uid} to the
 * notification pipe (a write of <= PIPE_BUF bytes is atomic; a full pipe drops the record, as
 * the kernel coalesces pending signals), then returns. Java reads the pipe on a thread of its own.
 */
static int sig_notify_fd = -1;
static int sig_in_flight;
static struct sigaction sig_saved[65];
static unsigned char sig_installed[65];

static void sig_notify(int sig, siginfo_t *si, void *uc)
{
    (void) uc;
    __atomic_add_fetch(&sig_in_flight, 1, __ATOMIC_SEQ_CST);
    int saved = errno;
    int fd = __atomic_load_n(&sig_notify_fd, __ATOMIC_SEQ_CST);
    if (fd >= 0) {
        int32_t rec[4] = { sig, si ? si->si_code : 0, si ? si->si_pid : 0, si ? (int32_t) si->si_uid : 0 };
        ssize_t w = write(fd, rec, sizeof rec);
        (void) w;
    }
    errno = saved;
    __atomic_sub_fetch(&sig_in_flight, 1, __ATOMIC_SEQ_CST);
}

/* Sets the descriptor the handler writes to (-1: none). Returns the previous one. */
RINGIO_API int ringio_sig_notify_fd(int fd)
{
    return __atomic_exchange_n(&sig_notify_fd, fd, __ATOMIC_SEQ_CST);
}

RINGIO_API int ringio_sig_handler_install(int sig)
{
    if (sig < 1 || sig > 64)
        return -EINVAL;
    if (sig_installed[sig])
        return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = sig_notify;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigfillset(&sa.sa_mask);
    if (sigaction(sig, &sa, &sig_saved[sig]) < 0)
        return -errno;
    sig_installed[sig] = 1;
    return 0;
}

RINGIO_API int ringio_sig_handler_restore(int sig)
{
    if (sig < 1 || sig > 64)
        return -EINVAL;
    if (!sig_installed[sig])
        return 0;
    if (sigaction(sig, &sig_saved[sig], NULL) < 0)
        return -errno;
    sig_installed[sig] = 0;
    return 0;
}

/* Waits until no thread runs the native handler (after its actions were restored). */
RINGIO_API int ringio_sig_quiesce(void)
{
    while (__atomic_load_n(&sig_in_flight, __ATOMIC_SEQ_CST) != 0)
        sched_yield();
    return 0;
}

/* The disposition of sig now: 0 SIG_DFL, 1 SIG_IGN, 2 a handler (3 when it is ringio's). */
RINGIO_API int ringio_sig_disposition(int sig)
{
    struct sigaction sa;
    if (sigaction(sig, NULL, &sa) < 0)
        return -errno;
    if (!(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_DFL)
        return 0;
    if (!(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_IGN)
        return 1;
    return (sa.sa_flags & SA_SIGINFO) && sa.sa_sigaction == sig_notify ? 3 : 2;
}

/*
 * Processes. ringio_spawn starts argv[0]'s program at `path` the way glibc's posix_spawn and
 * pidfd_spawn do: clone(CLONE_VM | CLONE_VFORK | CLONE_PIDFD) onto a private stack, so nothing of
 * the JVM's address space is copied and the pidfd comes with the child atomically (no pid-reuse
 * race). Every signal is blocked in the calling thread across the clone so no JVM handler can run
 * on the child's borrowed memory; the child puts every handled signal back to SIG_DFL, unblocks
 * all signals, installs the fd mapping (map: nmap pairs {source fd, target fd}; unmapped 0-2 get
 * /dev/null), closes every other descriptor, changes directory and execs. A failure in the child
 * is reported through the shared memory (the parent is suspended until exec or exit).
 */
struct spawn_args {
    const char *path;
    char *const *argv;
    char *const *envp;
    const char *cwd;
    const int *map;
    int nmap;
    volatile int err;
    volatile int stage; /* 1 fd setup, 2 chdir, 3 exec */
};

static int spawn_fail(struct spawn_args *a, int stage)
{
    a->err = errno;
    a->stage = stage;
    _exit(127);
}

static int spawn_child(void *p)
{
    struct spawn_args *a = p;
    for (int s = 1; s < NSIG; s++) {
        struct sigaction sa;
        if (sigaction(s, NULL, &sa) == 0 && ((sa.sa_flags & SA_SIGINFO) || sa.sa_handler != SIG_IGN)
                && ((sa.sa_flags & SA_SIGINFO) || sa.sa_handler != SIG_DFL)) {
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = SIG_DFL;
            sigaction(s, &sa, NULL);
        }
    }
    int maxt = 2;
    for (int i = 0; i < a->nmap; i++) {
        if (a->map[2 * i + 1] > maxt)
            maxt = a->map[2 * i + 1];
    }
    int tmp[a->nmap > 0 ? a->nmap : 1];
    for (int i = 0; i < a->nmap; i++) { /* sources out of the way of every target first */
        tmp[i] = fcntl(a->map[2 * i], F_DUPFD_CLOEXEC, maxt + 1);
        if (tmp[i] < 0)
            return spawn_fail(a, 1);
    }
    for (int i = 0; i < a->nmap; i++) { /* dup2 clears FD_CLOEXEC on the target */
        if (dup2(tmp[i], a->map[2 * i + 1]) < 0)
            return spawn_fail(a, 1);
    }
    int mapped_std[3] = { 0, 0, 0 };
    for (int i = 0; i < a->nmap; i++) {
        if (a->map[2 * i + 1] <= 2)
            mapped_std[a->map[2 * i + 1]] = 1;
    }
    if (!mapped_std[0] || !mapped_std[1] || !mapped_std[2]) {
        int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (nul < 0)
            return spawn_fail(a, 1);
        for (int s = 0; s <= 2; s++) {
            if (mapped_std[s])
                continue;
            if (nul == s ? fcntl(s, F_SETFD, 0) < 0 : dup2(nul, s) < 0)
                return spawn_fail(a, 1);
        }
    }
    for (int fd = 0; fd <= maxt; fd++) { /* every number below the highest target that is not one */
        int keep = fd <= 2;
        for (int i = 0; i < a->nmap && !keep; i++)
            keep = a->map[2 * i + 1] == fd;
        if (!keep)
            close(fd);
    }
    if (syscall(SYS_close_range, (unsigned) maxt + 1, ~0U, 0) < 0) {
        for (int fd = maxt + 1; fd < 65536; fd++) /* kernel < 5.9 */
            close(fd);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (a->cwd != NULL && chdir(a->cwd) < 0)
        return spawn_fail(a, 2);
    execve(a->path, a->argv, a->envp);
    return spawn_fail(a, 3);
}

RINGIO_API int ringio_spawn(long path, long argv, long envp, long cwd, long map, int nmap, long out)
{
    if (path == 0 || argv == 0 || envp == 0 || out == 0 || nmap < 0 || nmap > 1024 || (nmap > 0 && map == 0))
        return -EINVAL;
    struct spawn_args a = { PTR(path), PTR(argv), PTR(envp), PTR(cwd), PTR(map), nmap, 0, 0 };
    const size_t stack_size = 256 * 1024;
    char *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        return -errno;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int pidfd = -1;
    pid_t pid = clone(spawn_child, stack + stack_size, CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD, &a, &pidfd);
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    munmap(stack, stack_size);
    long *res = PTR(out);
    if (pid < 0)
        return -e;
    if (a.err != 0) {
        siginfo_t si;
        while (waitid(P_PIDFD, (id_t) pidfd, &si, WEXITED) < 0 && errno == EINTR)
            ;
        close(pidfd);
        res[1] = a.stage;
        return -a.err;
    }
    res[0] = pidfd;
    res[1] = 0;
    return pid;
}

RINGIO_API int ringio_pidfd_send_signal(int pidfd, int sig)
{
    long r = syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
    return (int) RET(r);
}

/* waitid(P_PIDFD, pidfd, options): writes {si_pid, si_code, si_status} at out (si_pid 0: no change). */
RINGIO_API int ringio_waitid_pidfd(int pidfd, int options, long out)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_PIDFD, (id_t) pidfd, &si, options) < 0)
        return -errno;
    int *o = PTR(out);
    o[0] = si.si_pid;
    o[1] = si.si_code;
    o[2] = si.si_status;
    return 0;
}

static const struct named PROC_OS_TABLE[] = {
    { "IN_ACCESS", IN_ACCESS }, { "IN_MODIFY", IN_MODIFY }, { "IN_ATTRIB", IN_ATTRIB },
    { "IN_CLOSE_WRITE", IN_CLOSE_WRITE }, { "IN_CLOSE_NOWRITE", IN_CLOSE_NOWRITE },
    { "IN_OPEN", IN_OPEN }, { "IN_MOVED_FROM", IN_MOVED_FROM }, { "IN_MOVED_TO", IN_MOVED_TO },
    { "IN_CREATE", IN_CREATE }, { "IN_DELETE", IN_DELETE }, { "IN_DELETE_SELF", IN_DELETE_SELF },
    { "IN_MOVE_SELF", IN_MOVE_SELF }, { "IN_UNMOUNT", IN_UNMOUNT }, { "IN_Q_OVERFLOW", IN_Q_OVERFLOW },
    { "IN_IGNORED", IN_IGNORED }, { "IN_ONLYDIR", IN_ONLYDIR }, { "IN_DONT_FOLLOW", IN_DONT_FOLLOW },
    { "IN_EXCL_UNLINK", IN_EXCL_UNLINK }, { "IN_MASK_CREATE", IN_MASK_CREATE },
    { "IN_MASK_ADD", IN_MASK_ADD }, { "IN_ISDIR", IN_ISDIR }, { "IN_ONESHOT", IN_ONESHOT },
    { "IN_ALL_EVENTS", IN_ALL_EVENTS }, { "IN_MOVE", IN_MOVE }, { "IN_CLOSE", IN_CLOSE },
    { "IN_NONBLOCK", IN_NONBLOCK }, { "IN_CLOEXEC", IN_CLOEXEC },
    { "sizeof(inotify_event)", sizeof(struct inotify_event) },
    { "SFD_NONBLOCK", SFD_NONBLOCK }, { "SFD_CLOEXEC", SFD_CLOEXEC },
    { "sizeof(signalfd_siginfo)", sizeof(struct signalfd_siginfo) },
    { "offsetof(signalfd_siginfo.ssi_errno)", offsetof(struct signalfd_siginfo, ssi_errno) },
    { "offsetof(signalfd_siginfo.ssi_code)", offsetof(struct signalfd_siginfo, ssi_code) },
    { "offsetof(signalfd_siginfo.ssi_pid)", offsetof(struct signalfd_siginfo, ssi_pid) },
    { "offsetof(signalfd_siginfo.ssi_uid)", offsetof(struct signalfd_siginfo, ssi_uid) },
    { "offsetof(signalfd_siginfo.ssi_fd)", offsetof(struct signalfd_siginfo, ssi_fd) },
    { "offsetof(signalfd_siginfo.ssi_tid)", offsetof(struct signalfd_siginfo, ssi_tid) },
    { "offsetof(signalfd_siginfo.ssi_band)", offsetof(struct signalfd_siginfo, ssi_band) },
    { "offsetof(signalfd_siginfo.ssi_overrun)", offsetof(struct signalfd_siginfo, ssi_overrun) },
    { "offsetof(signalfd_siginfo.ssi_trapno)", offsetof(struct signalfd_siginfo, ssi_trapno) },
    { "offsetof(signalfd_siginfo.ssi_status)", offsetof(struct signalfd_siginfo, ssi_status) },
    { "offsetof(signalfd_siginfo.ssi_int)", offsetof(struct signalfd_siginfo, ssi_int) },
    { "offsetof(signalfd_siginfo.ssi_ptr)", offsetof(struct signalfd_siginfo, ssi_ptr) },
    { "offsetof(signalfd_siginfo.ssi_utime)", offsetof(struct signalfd_siginfo, ssi_utime) },
    { "offsetof(signalfd_siginfo.ssi_stime)", offsetof(struct signalfd_siginfo, ssi_stime) },
    { "offsetof(signalfd_siginfo.ssi_addr)", offsetof(struct signalfd_siginfo, ssi_addr) },
    { "offsetof(signalfd_siginfo.ssi_addr_lsb)", offsetof(struct signalfd_siginfo, ssi_addr_lsb) },
    { "offsetof(signalfd_siginfo.ssi_syscall)", offsetof(struct signalfd_siginfo, ssi_syscall) },
    { "offsetof(signalfd_siginfo.ssi_call_addr)", offsetof(struct signalfd_siginfo, ssi_call_addr) },
    { "offsetof(signalfd_siginfo.ssi_arch)", offsetof(struct signalfd_siginfo, ssi_arch) },
    { "SIG_BLOCK", SIG_BLOCK }, { "SIG_UNBLOCK", SIG_UNBLOCK }, { "SIG_SETMASK", SIG_SETMASK },
    { "SIGHUP", SIGHUP }, { "SIGINT", SIGINT }, { "SIGQUIT", SIGQUIT }, { "SIGILL", SIGILL },
    { "SIGTRAP", SIGTRAP }, { "SIGABRT", SIGABRT }, { "SIGBUS", SIGBUS }, { "SIGFPE", SIGFPE },
    { "SIGKILL", SIGKILL }, { "SIGUSR1", SIGUSR1 }, { "SIGSEGV", SIGSEGV }, { "SIGUSR2", SIGUSR2 },
    { "SIGPIPE", SIGPIPE }, { "SIGALRM", SIGALRM }, { "SIGTERM", SIGTERM }, { "SIGSTKFLT", SIGSTKFLT },
    { "SIGCHLD", SIGCHLD }, { "SIGCONT", SIGCONT }, { "SIGSTOP", SIGSTOP }, { "SIGTSTP", SIGTSTP },
    { "SIGTTIN", SIGTTIN }, { "SIGTTOU", SIGTTOU }, { "SIGURG", SIGURG }, { "SIGXCPU", SIGXCPU },
    { "SIGXFSZ", SIGXFSZ }, { "SIGVTALRM", SIGVTALRM }, { "SIGPROF", SIGPROF }, { "SIGWINCH", SIGWINCH },
    { "SIGIO", SIGIO }, { "SIGPWR", SIGPWR }, { "SIGSYS", SIGSYS },
    { "CLD_EXITED", CLD_EXITED }, { "CLD_KILLED", CLD_KILLED }, { "CLD_DUMPED", CLD_DUMPED },
    { "WEXITED", WEXITED }, { "WNOHANG", WNOHANG },
};

/*
 * An OS-layer constant or layout by NUL-terminated name (fcntl, fd kinds, epoll, poll: FD_OS_TABLE;
 * inotify, signals, processes: PROC_OS_TABLE); LONG_MIN when unknown (as ringio_const).
 */
RINGIO_API long ringio_os_const(long name)
{
    long v = named_lookup(FD_OS_TABLE, sizeof FD_OS_TABLE / sizeof FD_OS_TABLE[0], name);
    return v != LONG_MIN ? v : named_lookup(PROC_OS_TABLE, sizeof PROC_OS_TABLE / sizeof PROC_OS_TABLE[0], name);
}
