/*
 * ringio shim, synchronous half (issue 4): the plain syscalls the readiness engines make where
 * io_uring would take an SQE. Same rules as ringio.c (see ringio.h): ints and longs only,
 * >= 0 or -errno, no allocation, no EINTR retry (the Java side decides).
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>  /* renameat2 */
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ringio.h"

#define RINGIO_API __attribute__((visibility("default")))

static inline long sync_ret(long r)
{
    return r < 0 ? -errno : r;
}

RINGIO_API long ringio_preadv(int fd, long iov, int iovcnt, long offset)
{
    return sync_ret(preadv2(fd, (const struct iovec *) (intptr_t) iov, iovcnt, (off_t) offset, 0));
}

RINGIO_API long ringio_pread_nowait(int fd, long buf, long len, long offset)
{
    struct iovec iov = { .iov_base = (void *) (intptr_t) buf, .iov_len = (size_t) len };
    return sync_ret(preadv2(fd, &iov, 1, (off_t) offset, RWF_NOWAIT));
}

RINGIO_API long ringio_pwritev(int fd, long iov, int iovcnt, long offset)
{
    return sync_ret(pwritev2(fd, (const struct iovec *) (intptr_t) iov, iovcnt, (off_t) offset, 0));
}

RINGIO_API int ringio_fsync(int fd, int datasync)
{
    return (int) sync_ret(datasync ? fdatasync(fd) : fsync(fd));
}

RINGIO_API int ringio_fallocate(int fd, int mode, long offset, long len)
{
    return (int) sync_ret(fallocate(fd, mode, (off_t) offset, (off_t) len));
}

RINGIO_API int ringio_statx(int dirfd, long path, int flags, int mask, long buf)
{
    return (int) sync_ret(statx(dirfd, (const char *) (intptr_t) path, flags, (unsigned) mask,
                                (struct statx *) (intptr_t) buf));
}

RINGIO_API int ringio_unlinkat(int dirfd, long path, int flags)
{
    return (int) sync_ret(unlinkat(dirfd, (const char *) (intptr_t) path, flags));
}

RINGIO_API int ringio_mkdirat(int dirfd, long path, int mode)
{
    return (int) sync_ret(mkdirat(dirfd, (const char *) (intptr_t) path, (mode_t) mode));
}

RINGIO_API int ringio_renameat2(int olddirfd, long oldpath, int newdirfd, long newpath, int flags)
{
    return (int) sync_ret(renameat2(olddirfd, (const char *) (intptr_t) oldpath, newdirfd,
                                    (const char *) (intptr_t) newpath, (unsigned) flags));
}

RINGIO_API int ringio_symlinkat(long target, int newdirfd, long linkpath)
{
    return (int) sync_ret(symlinkat((const char *) (intptr_t) target, newdirfd,
                                    (const char *) (intptr_t) linkpath));
}

RINGIO_API long ringio_splice(int fd_in, int fd_out, long len, int flags)
{
    return sync_ret(splice(fd_in, NULL, fd_out, NULL, (size_t) len, (unsigned) flags));
}

RINGIO_API long ringio_sendto(int fd, long buf, long len, int flags, long addr, int addr_len)
{
    return sync_ret(sendto(fd, (const void *) (intptr_t) buf, (size_t) len, flags,
                           (const struct sockaddr *) (intptr_t) addr, (socklen_t) addr_len));
}

RINGIO_API long ringio_recvfrom(int fd, long buf, long len, int flags, long addr, long addr_len_ptr)
{
    return sync_ret(recvfrom(fd, (void *) (intptr_t) buf, (size_t) len, flags,
                             (struct sockaddr *) (intptr_t) addr, (socklen_t *) (intptr_t) addr_len_ptr));
}

RINGIO_API int ringio_poll1(int fd, int events, int timeout_ms)
{
    struct pollfd p = { .fd = fd, .events = (short) events, .revents = 0 };
    int r = poll(&p, 1, timeout_ms);
    if (r < 0) {
        return -errno;
    }
    return r == 0 ? 0 : (p.revents & 0xffff);
}

/* ---- ops: permissions, ownership, hard links, in-kernel copies (issue 13, engine ops) -------
 * io_uring has opcodes for none of these but linkat (IORING_OP_LINKAT, kernel 5.15): the io_uring
 * engine runs them off its loop, the readiness engines on their file pool. */

#include <sys/sendfile.h>

RINGIO_API int ringio_fchmodat(int dirfd, long path, int mode, int flags)
{
    return (int) sync_ret(fchmodat(dirfd, (const char *) (intptr_t) path, (mode_t) mode, flags));
}

RINGIO_API int ringio_fchmod(int fd, int mode)
{
    return (int) sync_ret(fchmod(fd, (mode_t) mode));
}

RINGIO_API int ringio_fchownat(int dirfd, long path, int uid, int gid, int flags)
{
    return (int) sync_ret(fchownat(dirfd, (const char *) (intptr_t) path, (uid_t) uid, (gid_t) gid, flags));
}

RINGIO_API int ringio_fchown(int fd, int uid, int gid)
{
    return (int) sync_ret(fchown(fd, (uid_t) uid, (gid_t) gid));
}

RINGIO_API int ringio_linkat(int olddirfd, long oldpath, int newdirfd, long newpath, int flags)
{
    return (int) sync_ret(linkat(olddirfd, (const char *) (intptr_t) oldpath, newdirfd,
                                 (const char *) (intptr_t) newpath, flags));
}

RINGIO_API long ringio_copy_file_range(int fd_in, long off_in, int fd_out, long off_out, long len)
{
    /* off -1: the descriptor's own position (NULL), which the kernel advances. */
    loff_t in = (loff_t) off_in;
    loff_t out = (loff_t) off_out;
    return sync_ret(copy_file_range(fd_in, off_in < 0 ? NULL : &in, fd_out, off_out < 0 ? NULL : &out,
                                    (size_t) len, 0));
}

RINGIO_API long ringio_sendfile(int out_fd, int in_fd, long offset, long count)
{
    /* offset -1: in_fd's own position (NULL), which the kernel advances. */
    off_t off = (off_t) offset;
    return sync_ret(sendfile(out_fd, in_fd, offset < 0 ? NULL : &off, (size_t) count));
}
