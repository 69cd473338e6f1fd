/*
 * nop_bench: the C baseline for ringio's NOP throughput (liburing, linked statically).
 *
 *   nop_bench BATCH SECONDS
 *
 * One ring of 256 entries (SINGLE_ISSUER | DEFER_TASKRUN | TASKRUN_FLAG, or no flags when the
 * kernel refuses them). Each round gets BATCH SQEs, preps NOPs, io_uring_submit_and_wait(BATCH)
 * and reaps every CQE. Runs 0.5 s of warmup, then SECONDS measured, and prints one line:
 *
 *   nop batch=B ops=N seconds=S ops_per_sec=X
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef IORING_SETUP_TASKRUN_FLAG     /* Linux 5.19 */
#define IORING_SETUP_TASKRUN_FLAG (1U << 9)
#endif
#ifndef IORING_SETUP_SINGLE_ISSUER    /* Linux 6.0 */
#define IORING_SETUP_SINGLE_ISSUER (1U << 12)
#endif
#ifndef IORING_SETUP_DEFER_TASKRUN    /* Linux 6.1 */
#define IORING_SETUP_DEFER_TASKRUN (1U << 13)
#endif

#define RING_ENTRIES 256

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static void die(const char *what, int err)
{
    fprintf(stderr, "nop_bench: %s: %s\n", what, strerror(err));
    exit(1);
}

/* Runs rounds until `seconds` have passed; returns the completed ops, *elapsed the time taken. */
static long long run(struct io_uring *ring, unsigned batch, double seconds, double *elapsed)
{
    /* Read the clock about every 1024 ops (vDSO, but not free at batch 1). */
    unsigned rounds_per_check = batch >= 1024 ? 1 : 1024 / batch;
    long long ops = 0;
    double start = now_sec(), end = start + seconds, t = start;

    while (t < end) {
        for (unsigned r = 0; r < rounds_per_check; r++) {
            for (unsigned i = 0; i < batch; i++) {
                struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
                if (sqe == NULL)
                    die("io_uring_get_sqe", EBUSY);
                io_uring_prep_nop(sqe);
            }
            int ret = io_uring_submit_and_wait(ring, batch);
            if (ret < 0)
                die("io_uring_submit_and_wait", -ret);

            unsigned head, seen = 0;
            struct io_uring_cqe *cqe;
            io_uring_for_each_cqe(ring, head, cqe) {
                if (cqe->res < 0)
                    die("nop completion", -cqe->res);
                seen++;
            }
            io_uring_cq_advance(ring, seen);
            ops += seen;
        }
        t = now_sec();
    }
    *elapsed = t - start;
    return ops;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: nop_bench BATCH SECONDS\n");
        return 2;
    }
    char *endp;
    long batch = strtol(argv[1], &endp, 10);
    if (*endp != '\0' || batch < 1 || batch > RING_ENTRIES) {
        fprintf(stderr, "nop_bench: BATCH must be 1..%d\n", RING_ENTRIES);
        return 2;
    }
    double seconds = strtod(argv[2], &endp);
    if (*endp != '\0' || !(seconds > 0)) {
        fprintf(stderr, "nop_bench: SECONDS must be > 0\n");
        return 2;
    }

    struct io_uring ring;
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
    int ret = io_uring_queue_init_params(RING_ENTRIES, &ring, &p);
    if (ret == -EINVAL) {
        fprintf(stderr, "nop_bench: kernel refused SINGLE_ISSUER|DEFER_TASKRUN; no flags\n");
        memset(&p, 0, sizeof p);
        ret = io_uring_queue_init_params(RING_ENTRIES, &ring, &p);
    }
    if (ret < 0)
        die("io_uring_queue_init_params", -ret);

    double elapsed;
    run(&ring, (unsigned) batch, 0.5, &elapsed); /* warmup */
    long long ops = run(&ring, (unsigned) batch, seconds, &elapsed);

    printf("nop batch=%ld ops=%lld seconds=%.3f ops_per_sec=%.0f\n", batch, ops, elapsed,
           (double) ops / elapsed);
    io_uring_queue_exit(&ring);
    return 0;
}
