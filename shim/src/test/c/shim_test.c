/*
 * Self-test of libringio.so through its public header only (run by `make test`).
 * Drives a ring by hand the way Java does: SQE written through the RINGIO_INFO_* addresses at
 * ringio_layout offsets, tail published with a release store, CQ read with an acquire load.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/io_uring.h>
#include <linux/openat2.h>

#include "ringio.h"

#ifndef IORING_SETUP_TASKRUN_FLAG     /* Linux 5.19 */
#define IORING_SETUP_TASKRUN_FLAG (1U << 9)
#endif
#ifndef IORING_SETUP_SINGLE_ISSUER    /* Linux 6.0 */
#define IORING_SETUP_SINGLE_ISSUER (1U << 12)
#endif
#ifndef IORING_SETUP_DEFER_TASKRUN    /* Linux 6.1 */
#define IORING_SETUP_DEFER_TASKRUN (1U << 13)
#endif
#ifndef IORING_ENTER_REGISTERED_RING  /* Linux 5.18 */
#define IORING_ENTER_REGISTERED_RING (1U << 4)
#endif

#define P(x) ((void *) (uintptr_t) (x))
#define L(p) ((long) (uintptr_t) (p))

static int passed, failed;

#define CHECK(cond, ...)                                                           \
    do {                                                                           \
        if (cond) {                                                                \
            passed++;                                                              \
        } else {                                                                   \
            failed++;                                                              \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);        \
            fprintf(stderr, __VA_ARGS__);                                          \
            fputc('\n', stderr);                                                   \
        }                                                                          \
    } while (0)

/* Every id the header lists (keep in step with ringio.h). */
#define LAYOUT_IDS(X)                                                                        \
    X(RINGIO_L_SQE_SIZE) X(RINGIO_L_SQE_OPCODE) X(RINGIO_L_SQE_FLAGS) X(RINGIO_L_SQE_IOPRIO)   \
    X(RINGIO_L_SQE_FD) X(RINGIO_L_SQE_OFF) X(RINGIO_L_SQE_ADDR) X(RINGIO_L_SQE_LEN)           \
    X(RINGIO_L_SQE_OP_FLAGS) X(RINGIO_L_SQE_USER_DATA) X(RINGIO_L_SQE_BUF_INDEX)              \
    X(RINGIO_L_SQE_PERSONALITY) X(RINGIO_L_SQE_SPLICE_FD_IN) X(RINGIO_L_SQE_ADDR3)            \
    X(RINGIO_L_CQE_SIZE) X(RINGIO_L_CQE_USER_DATA) X(RINGIO_L_CQE_RES) X(RINGIO_L_CQE_FLAGS)  \
    X(RINGIO_L_STATX_SIZE) X(RINGIO_L_STATX_MASK) X(RINGIO_L_STATX_BLKSIZE)                   \
    X(RINGIO_L_STATX_ATTRIBUTES) X(RINGIO_L_STATX_NLINK) X(RINGIO_L_STATX_UID)                \
    X(RINGIO_L_STATX_GID) X(RINGIO_L_STATX_MODE) X(RINGIO_L_STATX_INO)                        \
    X(RINGIO_L_STATX_SIZE_FIELD) X(RINGIO_L_STATX_BLOCKS) X(RINGIO_L_STATX_ATIME)             \
    X(RINGIO_L_STATX_BTIME) X(RINGIO_L_STATX_CTIME) X(RINGIO_L_STATX_MTIME)                   \
    X(RINGIO_L_STATX_DEV_MAJOR) X(RINGIO_L_STATX_DEV_MINOR)                                   \
    X(RINGIO_L_OPEN_HOW_SIZE) X(RINGIO_L_OPEN_HOW_FLAGS) X(RINGIO_L_OPEN_HOW_MODE)            \
    X(RINGIO_L_OPEN_HOW_RESOLVE)                                                              \
    X(RINGIO_L_IOVEC_SIZE) X(RINGIO_L_IOVEC_BASE) X(RINGIO_L_IOVEC_LEN)                       \
    X(RINGIO_L_TIMESPEC_SIZE) X(RINGIO_L_TIMESPEC_SEC) X(RINGIO_L_TIMESPEC_NSEC)              \
    X(RINGIO_L_DIRENT64_INO) X(RINGIO_L_DIRENT64_OFF) X(RINGIO_L_DIRENT64_RECLEN)             \
    X(RINGIO_L_DIRENT64_TYPE) X(RINGIO_L_DIRENT64_NAME)                                       \
    X(RINGIO_C_AT_FDCWD) X(RINGIO_C_AT_REMOVEDIR) X(RINGIO_C_AT_SYMLINK_NOFOLLOW)             \
    X(RINGIO_C_AT_EMPTY_PATH) X(RINGIO_C_O_RDONLY) X(RINGIO_C_O_WRONLY) X(RINGIO_C_O_RDWR)    \
    X(RINGIO_C_O_CREAT) X(RINGIO_C_O_EXCL) X(RINGIO_C_O_TRUNC) X(RINGIO_C_O_APPEND)           \
    X(RINGIO_C_O_NONBLOCK) X(RINGIO_C_O_DIRECTORY) X(RINGIO_C_O_NOFOLLOW)                     \
    X(RINGIO_C_O_CLOEXEC) X(RINGIO_C_O_DIRECT) X(RINGIO_C_O_DSYNC) X(RINGIO_C_O_SYNC)         \
    X(RINGIO_C_O_TMPFILE) X(RINGIO_C_O_NOATIME) X(RINGIO_C_O_PATH)                            \
    X(RINGIO_C_RESOLVE_NO_XDEV) X(RINGIO_C_RESOLVE_NO_MAGICLINKS)                             \
    X(RINGIO_C_RESOLVE_NO_SYMLINKS) X(RINGIO_C_RESOLVE_BENEATH) X(RINGIO_C_RESOLVE_IN_ROOT)   \
    X(RINGIO_C_RESOLVE_CACHED) X(RINGIO_C_STATX_BASIC_STATS) X(RINGIO_C_STATX_BTIME)          \
    X(RINGIO_C_EFD_CLOEXEC) X(RINGIO_C_EFD_NONBLOCK) X(RINGIO_C_POLLIN) X(RINGIO_C_POLLOUT)   \
    X(RINGIO_C_POLLERR) X(RINGIO_C_POLLHUP) X(RINGIO_C_FALLOC_FL_KEEP_SIZE)                   \
    X(RINGIO_C_FALLOC_FL_PUNCH_HOLE) X(RINGIO_C_IORING_FSYNC_DATASYNC)                        \
    X(RINGIO_C_IORING_TIMEOUT_ABS) X(RINGIO_C_IORING_ASYNC_CANCEL_ALL)                        \
    X(RINGIO_C_IORING_ASYNC_CANCEL_FD) X(RINGIO_C_IORING_ASYNC_CANCEL_ANY)                    \
    X(RINGIO_C_IORING_OP_LAST) X(RINGIO_C_GRND_NONBLOCK) X(RINGIO_C_GRND_RANDOM)              \
    X(RINGIO_C_SEEK_SET) X(RINGIO_C_SEEK_CUR) X(RINGIO_C_SEEK_END) X(RINGIO_C_SEEK_DATA)      \
    X(RINGIO_C_SEEK_HOLE) X(RINGIO_C_F_GETFL) X(RINGIO_C_F_SETFL) X(RINGIO_C_F_GETFD)         \
    X(RINGIO_C_F_SETFD) X(RINGIO_C_FD_CLOEXEC) X(RINGIO_C_F_DUPFD_CLOEXEC) X(RINGIO_C_S_IFMT)  \
    X(RINGIO_C_S_IFREG) X(RINGIO_C_S_IFDIR) X(RINGIO_C_S_IFIFO) X(RINGIO_C_S_IFSOCK)          \
    X(RINGIO_C_S_IFCHR) X(RINGIO_C_S_IFLNK) X(RINGIO_C_S_IFBLK) X(RINGIO_C_IOV_MAX)           \
    X(RINGIO_C_RENAME_NOREPLACE) X(RINGIO_C_RENAME_EXCHANGE)

struct id_name { int id; const char *name; };
#define ID_ENTRY(n) { n, #n },
static const struct id_name layout_ids[] = { LAYOUT_IDS(ID_ENTRY) };
#define N_LAYOUT_IDS ((int) (sizeof layout_ids / sizeof layout_ids[0]))

struct ring {
    long handle;
    long info[RINGIO_INFO_COUNT];
    long sqe_size, cqe_size;
    long off_opcode, off_user_data, cqe_off_user_data, cqe_off_res;
};

/* Writes one NOP SQE at the tail and publishes it (release store of the tail). */
static void push_nop(struct ring *r, uint64_t user_data)
{
    unsigned *ktail = P(r->info[RINGIO_INFO_SQ_KTAIL]);
    unsigned tail = *ktail; /* only we write it */
    unsigned idx = tail & (unsigned) r->info[RINGIO_INFO_SQ_RING_MASK];
    unsigned char *sqe = (unsigned char *) P(r->info[RINGIO_INFO_SQES]) + idx * r->sqe_size;
    memset(sqe, 0, (size_t) r->sqe_size);
    sqe[r->off_opcode] = IORING_OP_NOP;
    memcpy(sqe + r->off_user_data, &user_data, sizeof user_data);
    __atomic_store_n(ktail, tail + 1, __ATOMIC_RELEASE);
}

/* Pops one CQE if there is one: returns 1 and fills res/user_data, else 0. */
static int pop_cqe(struct ring *r, int32_t *res, uint64_t *user_data)
{
    unsigned *khead = P(r->info[RINGIO_INFO_CQ_KHEAD]);
    unsigned *ktail = P(r->info[RINGIO_INFO_CQ_KTAIL]);
    unsigned head = *khead;
    unsigned tail = __atomic_load_n(ktail, __ATOMIC_ACQUIRE);
    if (head == tail)
        return 0;
    unsigned idx = head & (unsigned) r->info[RINGIO_INFO_CQ_RING_MASK];
    unsigned char *cqe = (unsigned char *) P(r->info[RINGIO_INFO_CQES]) + idx * r->cqe_size;
    memcpy(res, cqe + r->cqe_off_res, sizeof *res);
    memcpy(user_data, cqe + r->cqe_off_user_data, sizeof *user_data);
    __atomic_store_n(khead, head + 1, __ATOMIC_RELEASE);
    return 1;
}

static void test_layout(void)
{
    CHECK(ringio_abi_version() == RINGIO_ABI_VERSION, "%ld", ringio_abi_version());

    CHECK(ringio_layout(RINGIO_L_SQE_SIZE) == 64, "%ld", ringio_layout(RINGIO_L_SQE_SIZE));
    CHECK(ringio_layout(RINGIO_L_CQE_SIZE) == 16, "%ld", ringio_layout(RINGIO_L_CQE_SIZE));
    CHECK(ringio_layout(RINGIO_L_STATX_SIZE) == 256, "%ld", ringio_layout(RINGIO_L_STATX_SIZE));
    CHECK(ringio_layout(RINGIO_L_OPEN_HOW_SIZE) == 24, "%ld",
          ringio_layout(RINGIO_L_OPEN_HOW_SIZE));
    CHECK(ringio_layout(RINGIO_L_SQE_USER_DATA) == 32, "%ld",
          ringio_layout(RINGIO_L_SQE_USER_DATA));
    CHECK(ringio_layout(RINGIO_L_SQE_ADDR3) == 48, "%ld", ringio_layout(RINGIO_L_SQE_ADDR3));
    CHECK(ringio_layout(RINGIO_L_DIRENT64_NAME) == 19, "%ld",
          ringio_layout(RINGIO_L_DIRENT64_NAME));
    CHECK(ringio_layout(RINGIO_L_TIMESPEC_SIZE) == 16, "%ld",
          ringio_layout(RINGIO_L_TIMESPEC_SIZE));
    CHECK(ringio_layout(RINGIO_C_AT_FDCWD) == -100, "%ld", ringio_layout(RINGIO_C_AT_FDCWD));
    CHECK(ringio_layout(RINGIO_C_S_IFIFO) == S_IFIFO, "%ld", ringio_layout(RINGIO_C_S_IFIFO));
    CHECK(ringio_layout(RINGIO_C_IORING_OP_LAST) > IORING_OP_NOP, "%ld",
          ringio_layout(RINGIO_C_IORING_OP_LAST));

    /* Every listed id gives a value (>= 0, or AT_FDCWD's -100); every other id gives LONG_MIN. */
    int bad = 0;
    for (int id = -1; id <= RINGIO_L_END; id++) {
        const char *name = NULL;
        for (int i = 0; i < N_LAYOUT_IDS; i++)
            if (layout_ids[i].id == id)
                name = layout_ids[i].name;
        long v = ringio_layout(id);
        if (name != NULL) {
            int ok = id == RINGIO_C_AT_FDCWD ? v == -100 : v >= 0;
            if (!ok) {
                bad++;
                fprintf(stderr, "  layout %s (%d) = %ld\n", name, id, v);
            }
        } else if (v != LONG_MIN) {
            bad++;
            fprintf(stderr, "  layout unlisted id %d = %ld (want LONG_MIN)\n", id, v);
        }
    }
    CHECK(bad == 0, "%d bad layout ids", bad);
    CHECK(ringio_layout(100000) == LONG_MIN, "%ld", ringio_layout(100000));
}

static void test_ring(void)
{
    struct ring r;
    memset(&r, 0, sizeof r);
    r.sqe_size = ringio_layout(RINGIO_L_SQE_SIZE);
    r.cqe_size = ringio_layout(RINGIO_L_CQE_SIZE);
    r.off_opcode = ringio_layout(RINGIO_L_SQE_OPCODE);
    r.off_user_data = ringio_layout(RINGIO_L_SQE_USER_DATA);
    r.cqe_off_user_data = ringio_layout(RINGIO_L_CQE_USER_DATA);
    r.cqe_off_res = ringio_layout(RINGIO_L_CQE_RES);

    int flags = (int) (IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN
                       | IORING_SETUP_TASKRUN_FLAG);
    r.handle = ringio_ring_create(8, flags, 0, L(r.info));
    if (r.handle == -EINVAL) {
        fprintf(stderr, "  (kernel refused SINGLE_ISSUER|DEFER_TASKRUN|TASKRUN_FLAG; flags 0)\n");
        flags = 0;
        r.handle = ringio_ring_create(8, flags, 0, L(r.info));
    }
    CHECK(r.handle > 0, "ring_create: %ld", r.handle);
    if (r.handle <= 0)
        return;

    CHECK(r.info[RINGIO_INFO_SQ_RING_ENTRIES] == 8, "%ld", r.info[RINGIO_INFO_SQ_RING_ENTRIES]);
    CHECK(r.info[RINGIO_INFO_SQ_RING_MASK] == 7, "%ld", r.info[RINGIO_INFO_SQ_RING_MASK]);
    CHECK(r.info[RINGIO_INFO_CQ_RING_ENTRIES] == 16, "%ld", r.info[RINGIO_INFO_CQ_RING_ENTRIES]);
    CHECK(r.info[RINGIO_INFO_RING_FD] >= 0, "%ld", r.info[RINGIO_INFO_RING_FD]);
    CHECK(r.info[RINGIO_INFO_SETUP_FLAGS] == flags, "%ld", r.info[RINGIO_INFO_SETUP_FLAGS]);
    CHECK((r.info[RINGIO_INFO_FEATURES] & IORING_FEAT_EXT_ARG) != 0, "%lx",
          r.info[RINGIO_INFO_FEATURES]);
    {
        unsigned *array = P(r.info[RINGIO_INFO_SQ_ARRAY]);
        int identity = 1;
        for (unsigned i = 0; i < 8; i++)
            identity &= array[i] == i;
        CHECK(identity, "sq array is not the identity");
    }
    int fd = (int) r.info[RINGIO_INFO_RING_FD];

    /* A NOP by hand through the ring fd. */
    push_nop(&r, 42);
    int n = ringio_enter(fd, 1, 1, IORING_ENTER_GETEVENTS);
    CHECK(n == 1, "enter: %d", n);
    int32_t res = -1;
    uint64_t ud = 0;
    CHECK(pop_cqe(&r, &res, &ud) == 1, "no CQE");
    CHECK(res == 0, "res %d", res);
    CHECK(ud == 42, "user_data %llu", (unsigned long long) ud);
    CHECK(pop_cqe(&r, &res, &ud) == 0, "extra CQE");

    /* The timed wait with nothing in flight times out. */
    n = ringio_enter_timeout(fd, 0, 1, IORING_ENTER_GETEVENTS, 10 * 1000 * 1000L);
    CHECK(n == -ETIME, "enter_timeout: %d", n);

    /* Registered ring fd. */
    int idx = ringio_ring_register_ring_fd(r.handle);
    CHECK(idx >= 0, "register_ring_fd: %d", idx);
    if (idx >= 0) {
        push_nop(&r, 43);
        n = ringio_enter(idx, 1, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_REGISTERED_RING);
        CHECK(n == 1, "enter registered: %d", n);
        CHECK(pop_cqe(&r, &res, &ud) == 1 && res == 0 && ud == 43, "res %d ud %llu", res,
              (unsigned long long) ud);
        push_nop(&r, 44);
        n = ringio_enter_timeout(idx, 1, 1,
                                 IORING_ENTER_GETEVENTS | IORING_ENTER_REGISTERED_RING,
                                 1000 * 1000 * 1000L);
        CHECK(n == 1, "enter_timeout registered: %d", n);
        CHECK(pop_cqe(&r, &res, &ud) == 1 && res == 0 && ud == 44, "res %d ud %llu", res,
              (unsigned long long) ud);
    }

    /* Probe. */
    unsigned char ops[256];
    memset(ops, 0xee, sizeof ops);
    int last = ringio_ring_probe(r.handle, L(ops), (int) sizeof ops);
    CHECK(last > IORING_OP_NOP, "probe: %d", last);
    CHECK(ops[IORING_OP_NOP] == 1, "NOP unsupported? %d", ops[IORING_OP_NOP]);
    {
        int zero_or_one = 1;
        for (int i = 0; i < 256; i++)
            zero_or_one &= ops[i] <= 1 && (i < last || ops[i] == 0);
        CHECK(zero_or_one, "probe bytes not 0/1");
    }
    fprintf(stderr, "  probe: last_op + 1 = %d (headers: IORING_OP_LAST = %ld)\n", last,
            ringio_layout(RINGIO_C_IORING_OP_LAST));

    /* Fixed buffers: one 64 KiB page-aligned iovec. */
    void *mem = aligned_alloc(4096, 65536);
    CHECK(mem != NULL, "aligned_alloc");
    if (mem != NULL) {
        struct iovec iov = { .iov_base = mem, .iov_len = 65536 };
        int rr = ringio_ring_register_buffers(r.handle, L(&iov), 1);
        CHECK(rr == 0, "register_buffers: %d", rr);
        rr = ringio_ring_unregister_buffers(r.handle);
        CHECK(rr == 0, "unregister_buffers: %d", rr);
        rr = ringio_ring_unregister_buffers(r.handle);
        CHECK(rr == -ENXIO, "unregister_buffers twice: %d", rr);
        free(mem);
    }

    int w = ringio_ring_register_iowq_max_workers(r.handle, 0, 0);
    CHECK(w == 0, "iowq_max_workers: %d", w);

    CHECK(ringio_ring_destroy(r.handle) == 0, "destroy");
    CHECK(ringio_ring_destroy(0) == -EINVAL, "destroy(0)");

    /* Unsupported setup flags (liburing 2.3 would map the rings wrongly): refused. */
    long info[RINGIO_INFO_COUNT];
    CHECK(ringio_ring_create(8, 1 << 16, 0, L(info)) == -EINVAL, "NO_SQARRAY accepted");
    /* CQSIZE. */
    long h = ringio_ring_create(8, 0, 64, L(info));
    CHECK(h > 0 && info[RINGIO_INFO_CQ_RING_ENTRIES] == 64, "cq_entries: %ld %ld", h,
          info[RINGIO_INFO_CQ_RING_ENTRIES]);
    if (h > 0)
        ringio_ring_destroy(h);
    /* A bad size comes back as -errno. */
    CHECK(ringio_ring_create(0, 0, 0, L(info)) == -EINVAL, "entries 0");
}

static void test_syscalls(void)
{
    int fds[2] = { -1, -1 };
    int r = ringio_pipe2(L(fds), O_CLOEXEC);
    CHECK(r == 0 && fds[0] >= 0 && fds[1] >= 0, "pipe2: %d", r);
    if (r == 0) {
        const char msg[] = "hello";
        long wn = ringio_write(fds[1], L(msg), 5);
        CHECK(wn == 5, "write: %ld", wn);
        char buf[16] = { 0 };
        long rn = ringio_read(fds[0], L(buf), sizeof buf);
        CHECK(rn == 5 && memcmp(buf, "hello", 5) == 0, "read: %ld", rn);
        long mode = ringio_fstat_mode(fds[0]);
        CHECK(mode >= 0 && (mode & S_IFMT) == S_IFIFO, "fstat_mode: %lo", mode);
        CHECK(ringio_lseek(fds[0], 0, SEEK_CUR) == -ESPIPE, "lseek on a pipe");
        long fl = ringio_fcntl(fds[0], F_GETFD, 0);
        CHECK(fl == FD_CLOEXEC, "F_GETFD: %ld", fl);
        CHECK(ringio_close(fds[0]) == 0, "close");
        CHECK(ringio_close(fds[1]) == 0, "close");
        CHECK(ringio_close(fds[1]) == -EBADF, "close twice");
    }
    CHECK(ringio_read(-1, 0, 0) == -EBADF, "read(-1)");

    /* pread_nowait: a page-cached file answers at once; the end of the file is 0; a bad fd is EBADF. */
    char path[] = "/tmp/ringio-shim-test-XXXXXX";
    int tf = mkstemp(path);
    CHECK(tf >= 0, "mkstemp");
    if (tf >= 0) {
        unlink(path);
        CHECK(write(tf, "0123456789", 10) == 10, "write the test file");
        char got[8] = { 0 };
        long pn = ringio_pread_nowait(tf, L(got), 4, 3);
        CHECK(pn == 4 && memcmp(got, "3456", 4) == 0, "pread_nowait: %ld", pn);
        CHECK(ringio_pread_nowait(tf, L(got), 4, 10) == 0, "pread_nowait at the end");
        close(tf);
        CHECK(ringio_pread_nowait(tf, L(got), 4, 0) == -EBADF, "pread_nowait on a closed fd");
    }
    CHECK(ringio_enter(-1, 0, 0, 0) == -EBADF, "enter(-1): %d", ringio_enter(-1, 0, 0, 0));

    int efd = ringio_eventfd(3, 0);
    CHECK(efd >= 0, "eventfd: %d", efd);
    if (efd >= 0) {
        uint64_t v = 0;
        CHECK(ringio_read(efd, L(&v), 8) == 8 && v == 3, "eventfd read %llu",
              (unsigned long long) v);
        ringio_close(efd);
    }

    unsigned char rnd[32];
    CHECK(ringio_getrandom(L(rnd), sizeof rnd, 0) == (long) sizeof rnd, "getrandom");

    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    int dfd = ringio_openat2(AT_FDCWD, L("/"), L(&how), sizeof how);
    CHECK(dfd >= 0, "openat2: %d", dfd);
    if (dfd >= 0) {
        long mode = ringio_fstat_mode(dfd);
        CHECK((mode & S_IFMT) == S_IFDIR, "fstat_mode dir: %lo", mode);
        char dbuf[4096];
        long dn = ringio_getdents64(dfd, L(dbuf), sizeof dbuf);
        CHECK(dn > 0, "getdents64: %ld", dn);
        if (dn > 0) {
            unsigned short reclen;
            memcpy(&reclen, dbuf + ringio_layout(RINGIO_L_DIRENT64_RECLEN), sizeof reclen);
            CHECK(reclen > 19 && reclen <= dn, "reclen %u", reclen);
        }
        ringio_close(dfd);
    }
    CHECK(ringio_openat2(AT_FDCWD, L("/nonexistent-ringio"), L(&how), sizeof how) == -ENOENT,
          "openat2 ENOENT");

    char sbuf[128];
    int sl = ringio_strerror(ENOENT, L(sbuf), sizeof sbuf);
    CHECK(sl > 0 && (size_t) sl == strlen(sbuf), "strerror: %d '%s'", sl, sbuf);
    char tiny[4];
    sl = ringio_strerror(ENOENT, L(tiny), sizeof tiny);
    CHECK(sl == 3 && tiny[3] == '\0', "strerror truncated: %d", sl);
    sl = ringio_strerror(99999, L(sbuf), sizeof sbuf);
    CHECK(sl > 0 && strstr(sbuf, "99999") != NULL, "strerror unknown: '%s'", sbuf);
}

int main(void)
{
    test_layout();
    test_ring();
    test_syscalls();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
