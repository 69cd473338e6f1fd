/*
 * read_bench: the C floor for ringio's 4 KiB random reads (and writes) of a file (liburing,
 * linked statically).
 *
 *   read_bench FILE QD SECONDS [fixed] [direct] [write]
 *
 * Opens FILE O_RDONLY (O_RDWR with `write`; O_DIRECT with `direct`, else the page cache is what is
 * measured) and keeps exactly QD reads (or writes) of 4096 bytes in flight, each at a random 4 KiB-aligned offset inside the file (xorshift64
 * with a fixed seed, so every run reads the same sequence). One ring of QD entries
 * (SINGLE_ISSUER | DEFER_TASKRUN | TASKRUN_FLAG, or no flags when the kernel refuses them), one
 * 4096-byte buffer per slot. Each round is io_uring_submit_and_wait(1), then every available CQE is
 * reaped, checked (res must be 4096) and its slot re-armed with a read at a new offset into the
 * same buffer; the next round's submit sends them.
 *
 * With `fixed` the QD buffers are registered (io_uring_prep_read_fixed) and so is the file
 * (IOSQE_FIXED_FILE); without it, plain io_uring_prep_read on the plain fd.
 *
 * With `write` every op writes its buffer (random bytes, never fsynced) instead of reading.
 *
 * Runs 0.5 s of warmup (not counted), then SECONDS measured; after the deadline no new op is
 * submitted and the ones in flight are drained (and counted). Prints one line, where cpu_sec is
 * the CPU time (user + system, every thread of the process, io-wq workers included) spent in the
 * measured window:
 *
 *   ops_per_sec=X ops=N seconds=S cpu_sec=C
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef IORING_SETUP_TASKRUN_FLAG     /* Linux 5.19 */
#define IORING_SETUP_TASKRUN_FLAG (1U << 9)
#endif
#ifndef IORING_SETUP_SINGLE_ISSUER    /* Linux 6.0 */
#define IORING_SETUP_SINGLE_ISSUER (1U << 12)
#endif
#ifndef IORING_SETUP_DEFER_TASKRUN    /* Linux 6.1 */
#define IORING_SETUP_DEFER_TASKRUN (1U << 13)
#endif

#define BLOCK 4096
#define MAX_QD 4096

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

/* User + system CPU seconds of every thread of this process so far. */
static double cpu_sec(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
           + (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

static void die(const char *what, int err)
{
    fprintf(stderr, "read_bench: %s: %s\n", what, strerror(err));
    exit(1);
}

/* xorshift64: cheap, deterministic, good enough to scatter offsets over the file. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t next_random(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x;
}

struct bench {
    struct io_uring ring;
    int fd;            /* the plain fd, or index 0 of the registered files when fixed */
    int fixed;
    int write;         /* writes instead of reads */
    uint64_t blocks;   /* number of whole 4 KiB blocks in the file */
    char **bufs;       /* QD buffers; slot i uses bufs[i] (and registered buffer index i) */
};

/* Gets an SQE and preps slot `slot`'s read at a new random block; user_data is the slot. */
static void arm(struct bench *b, unsigned slot)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&b->ring);
    if (sqe == NULL)
        die("io_uring_get_sqe", EBUSY);
    uint64_t off = (next_random() % b->blocks) * BLOCK;
    if (b->fixed && b->write) {
        io_uring_prep_write_fixed(sqe, 0, b->bufs[slot], BLOCK, off, (int) slot);
    } else if (b->fixed) {
        io_uring_prep_read_fixed(sqe, 0, b->bufs[slot], BLOCK, off, (int) slot);
    } else if (b->write) {
        io_uring_prep_write(sqe, b->fd, b->bufs[slot], BLOCK, off);
    } else {
        io_uring_prep_read(sqe, b->fd, b->bufs[slot], BLOCK, off);
    }
    if (b->fixed)
        sqe->flags |= IOSQE_FIXED_FILE;
    io_uring_sqe_set_data64(sqe, slot);
}

/*
 * Reaps every available CQE; re-arms its slot unless `rearm` is 0. Returns how many were reaped.
 */
static unsigned reap(struct bench *b, int rearm)
{
    unsigned head, seen = 0;
    struct io_uring_cqe *cqe;
    io_uring_for_each_cqe(&b->ring, head, cqe) {
        if (cqe->res < 0)
            die(b->write ? "write completion" : "read completion", -cqe->res);
        if (cqe->res != BLOCK) {
            fprintf(stderr, "read_bench: short %s: %d bytes instead of %d\n", b->write ? "write" : "read",
                    cqe->res, BLOCK);
            exit(1);
        }
        if (rearm)
            arm(b, (unsigned) io_uring_cqe_get_data64(cqe));
        seen++;
    }
    io_uring_cq_advance(&b->ring, seen);
    return seen;
}

int main(int argc, char **argv)
{
    int fixed = 0, direct = 0, write = 0;
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "fixed") == 0)
            fixed = 1;
        else if (strcmp(argv[i], "direct") == 0)
            direct = 1;
        else if (strcmp(argv[i], "write") == 0)
            write = 1;
        else
            argc = 0; /* unknown word: usage */
    }
    if (argc < 4) {
        fprintf(stderr, "usage: read_bench FILE QD SECONDS [fixed] [direct] [write]\n");
        return 2;
    }
    char *endp;
    long qd = strtol(argv[2], &endp, 10);
    if (*endp != '\0' || qd < 1 || qd > MAX_QD) {
        fprintf(stderr, "read_bench: QD must be 1..%d\n", MAX_QD);
        return 2;
    }
    double seconds = strtod(argv[3], &endp);
    if (*endp != '\0' || !(seconds > 0)) {
        fprintf(stderr, "read_bench: SECONDS must be > 0\n");
        return 2;
    }

    struct bench b;
    memset(&b, 0, sizeof b);
    b.fixed = fixed;
    b.write = write;

    b.fd = open(argv[1], (write ? O_RDWR : O_RDONLY) | (direct ? O_DIRECT : 0) | O_CLOEXEC);
    if (b.fd < 0)
        die("open", errno);
    struct stat st;
    if (fstat(b.fd, &st) < 0)
        die("fstat", errno);
    b.blocks = (uint64_t) st.st_size / BLOCK;
    if (b.blocks == 0) {
        fprintf(stderr, "read_bench: %s is smaller than %d bytes\n", argv[1], BLOCK);
        return 1;
    }

    b.bufs = calloc((size_t) qd, sizeof *b.bufs);
    struct iovec *iov = calloc((size_t) qd, sizeof *iov);
    if (b.bufs == NULL || iov == NULL)
        die("calloc", ENOMEM);
    for (long i = 0; i < qd; i++) {
        b.bufs[i] = aligned_alloc(BLOCK, BLOCK);
        if (b.bufs[i] == NULL)
            die("aligned_alloc", ENOMEM);
        for (int k = 0; k < BLOCK; k++) /* fault the pages in before the clock starts */
            b.bufs[i][k] = (char) next_random();
        iov[i].iov_base = b.bufs[i];
        iov[i].iov_len = BLOCK;
    }

    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
    int ret = io_uring_queue_init_params((unsigned) qd, &b.ring, &p);
    if (ret == -EINVAL) {
        fprintf(stderr, "read_bench: kernel refused SINGLE_ISSUER|DEFER_TASKRUN; no flags\n");
        memset(&p, 0, sizeof p);
        ret = io_uring_queue_init_params((unsigned) qd, &b.ring, &p);
    }
    if (ret < 0)
        die("io_uring_queue_init_params", -ret);

    if (b.fixed) {
        ret = io_uring_register_buffers(&b.ring, iov, (unsigned) qd);
        if (ret < 0)
            die("io_uring_register_buffers", -ret);
        ret = io_uring_register_files(&b.ring, &b.fd, 1);
        if (ret < 0)
            die("io_uring_register_files", -ret);
    }

    /* Fill the queue, then keep it full; the clock is read once per round. */
    for (unsigned i = 0; i < (unsigned) qd; i++)
        arm(&b, i);

    double warm_end = now_sec() + 0.5, start = 0, end = 0, cpu_start = 0;
    long long ops = 0;
    int measuring = 0;
    unsigned inflight = (unsigned) qd;
    for (;;) {
        ret = io_uring_submit_and_wait(&b.ring, 1);
        if (ret < 0)
            die("io_uring_submit_and_wait", -ret);
        double t = now_sec();
        int stop = measuring && t >= end;
        unsigned n = reap(&b, !stop); /* past the deadline: reap without re-arming */
        if (measuring)
            ops += n;
        if (stop) {
            inflight -= n;
            break;
        }
        if (!measuring && t >= warm_end) { /* the CQEs reaped above completed before `start` */
            measuring = 1;
            start = t;
            cpu_start = cpu_sec();
            end = t + seconds;
        }
    }

    /* Drain the reads still in flight (they were submitted before the deadline: counted). */
    while (inflight > 0) {
        ret = io_uring_submit_and_wait(&b.ring, 1);
        if (ret < 0)
            die("io_uring_submit_and_wait", -ret);
        unsigned n = reap(&b, 0);
        inflight -= n;
        ops += n;
    }
    double elapsed = now_sec() - start;
    double cpu = cpu_sec() - cpu_start;

    printf("ops_per_sec=%.0f ops=%lld seconds=%.3f cpu_sec=%.3f\n", (double) ops / elapsed, ops, elapsed, cpu);

    io_uring_queue_exit(&b.ring);
    close(b.fd);
    for (long i = 0; i < qd; i++)
        free(b.bufs[i]);
    free(b.bufs);
    free(iov);
    return 0;
}
