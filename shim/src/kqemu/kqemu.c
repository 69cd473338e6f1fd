/*
 * TEST-ONLY kqueue emulation over epoll (issue 4). See kqemu.h for the interface and docs/kqueue.md
 * for the coverage. Written from the FreeBSD kqueue(2) manual page; no BSD code is copied.
 *
 * Model (the one the BSD kernels use, in miniature):
 *  - a knote per (ident, filter); descriptor knotes in a table indexed by descriptor, timer knotes
 *    in a list keyed by ident (their own namespace, as on BSD);
 *  - an "active queue" of knotes that may be ready. A knote is queued when epoll reports activity
 *    on its descriptor (or timer), when it is added, updated or enabled. Collecting events pops
 *    each queued knote and evaluates its filter with poll(2) (zero timeout): not ready -> dropped
 *    from the queue; ready -> delivered, then deleted (EV_ONESHOT), left off the queue (EV_CLEAR,
 *    timers), or queued again at the tail (level-triggered, the default) so the next kevent()
 *    evaluates it again;
 *  - epoll keys by descriptor and kqueue by (ident, filter), so each descriptor has ONE epoll
 *    registration, edge-triggered, whose mask is the union of its enabled knotes (EPOLLIN|EPOLLRDHUP
 *    for EVFILT_READ, EPOLLOUT for EVFILT_WRITE). Edge-triggered because the level is the active
 *    queue's business; epoll only has to say "something happened here";
 *  - timers are timerfds (CLOCK_MONOTONIC), registered in the same epoll.
 *
 * The epoll data of a registration is the descriptor number (descriptor knotes) or TIMER_TAG|serial
 * (timers), never a pointer: kevent() waits with the lock released, and a knote may be deleted by
 * another thread meanwhile; the number is looked up again under the lock.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/sockios.h>

#include "kqemu.h"

_Static_assert(sizeof(struct ringio_kevent_freebsd) == 64, "FreeBSD 12+ struct kevent is 64 bytes");
_Static_assert(sizeof(struct ringio_kevent_macos) == 32, "macOS struct kevent is 32 bytes");
_Static_assert(offsetof(struct ringio_kevent_freebsd, udata) == 24, "udata at 24");
_Static_assert(offsetof(struct ringio_kevent_macos, udata) == 24, "udata at 24");
_Static_assert(offsetof(struct ringio_kevent_freebsd, ext) == 32, "ext at 32");

#define TIMER_TAG (1ULL << 63)
/* Flags a knote keeps from its creation (FreeBSD clears the action bits, keeps the rest). */
#define ACTION_FLAGS (KQEMU_EV_ADD | KQEMU_EV_DELETE | KQEMU_EV_ENABLE | KQEMU_EV_DISABLE)

enum layout { FREEBSD, MACOS };

/* Either layout, widened. ext[2..3] are FreeBSD's user-owned extension words. */
struct kev {
    uint64_t ident;
    int16_t filter;
    uint16_t flags;
    uint32_t fflags;
    int64_t data;
    uint64_t udata;
    uint64_t ext2, ext3;
};

struct knote {
    uint64_t ident;
    int16_t filter;
    uint16_t flags;          /* creation flags minus ACTION_FLAGS */
    uint32_t sfflags;
    int64_t sdata;
    uint64_t udata;
    uint64_t ext2, ext3;
    int disabled;
    int queued;              /* on the active queue */
    struct knote *qprev, *qnext;
    /* EVFILT_TIMER */
    int timerfd;
    uint64_t serial;
    uint64_t fired;          /* expirations not yet delivered */
    struct knote *tnext;
};

struct fdent {
    struct knote *rd, *wr;
    int in_epoll;
};

struct kq {
    int epfd;
    int refs;                /* the registry's + one per kevent() in progress */
    pthread_mutex_t lock;
    struct fdent **fds;
    size_t nfds;
    struct knote *timers;
    uint64_t next_serial;
    struct knote *qhead, *qtail;
    size_t qlen;
};

/* ---- the registry: kqueue descriptor -> struct kq -------------------------------------------- */

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kq **reg;
static size_t nreg;

static void kq_destroy(struct kq *q);

static struct kq *kq_get(int fd) {
    struct kq *q = NULL;
    pthread_mutex_lock(&reg_lock);
    if (fd >= 0 && (size_t) fd < nreg && reg[fd] != NULL) {
        q = reg[fd];
        q->refs++;
    }
    pthread_mutex_unlock(&reg_lock);
    return q;
}

static void kq_put(struct kq *q) {
    pthread_mutex_lock(&reg_lock);
    int last = --q->refs == 0;
    pthread_mutex_unlock(&reg_lock);
    if (last) {
        kq_destroy(q);
    }
}

/* ---- the active queue ------------------------------------------------------------------------- */

static void q_push(struct kq *q, struct knote *kn) {
    if (kn->queued) {
        return;
    }
    kn->queued = 1;
    kn->qnext = NULL;
    kn->qprev = q->qtail;
    if (q->qtail) {
        q->qtail->qnext = kn;
    } else {
        q->qhead = kn;
    }
    q->qtail = kn;
    q->qlen++;
}

static void q_remove(struct kq *q, struct knote *kn) {
    if (!kn->queued) {
        return;
    }
    if (kn->qprev) {
        kn->qprev->qnext = kn->qnext;
    } else {
        q->qhead = kn->qnext;
    }
    if (kn->qnext) {
        kn->qnext->qprev = kn->qprev;
    } else {
        q->qtail = kn->qprev;
    }
    kn->queued = 0;
    kn->qprev = kn->qnext = NULL;
    q->qlen--;
}

/* ---- descriptor knotes ------------------------------------------------------------------------ */

static struct fdent *fd_entry(struct kq *q, int fd, int create) {
    if ((size_t) fd >= q->nfds) {
        if (!create) {
            return NULL;
        }
        size_t n = q->nfds ? q->nfds : 64;
        while (n <= (size_t) fd) {
            n *= 2;
        }
        struct fdent **grown = realloc(q->fds, n * sizeof *grown);
        if (!grown) {
            return NULL;
        }
        memset(grown + q->nfds, 0, (n - q->nfds) * sizeof *grown);
        q->fds = grown;
        q->nfds = n;
    }
    if (!q->fds[fd] && create) {
        q->fds[fd] = calloc(1, sizeof(struct fdent));
    }
    return q->fds[fd];
}

/* Makes epoll's registration of fd match its knotes: the union of the enabled filters, or none. */
static int fd_sync(struct kq *q, int fd) {
    struct fdent *e = fd_entry(q, fd, 0);
    if (!e) {
        return 0;
    }
    if (!e->rd && !e->wr) {
        if (e->in_epoll) {
            /* ENOENT/EBADF: the descriptor was closed, which took it out of the epoll set already. */
            epoll_ctl(q->epfd, EPOLL_CTL_DEL, fd, NULL);
        }
        free(e);
        q->fds[fd] = NULL;
        return 0;
    }
    struct epoll_event ev = { .events = EPOLLET, .data.u64 = (uint64_t) fd };
    if (e->rd && !e->rd->disabled) {
        ev.events |= EPOLLIN | EPOLLRDHUP;
    }
    if (e->wr && !e->wr->disabled) {
        ev.events |= EPOLLOUT;
    }
    if (e->in_epoll) {
        if (epoll_ctl(q->epfd, EPOLL_CTL_MOD, fd, &ev) == 0) {
            return 0;
        }
        if (errno != ENOENT) {
            return errno;
        }
        /* The descriptor was closed and its number reused while its knotes lingered (a real kqueue
         * drops knotes on close; this one cannot see close): register the new file. */
    }
    if (epoll_ctl(q->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        return errno;
    }
    e->in_epoll = 1;
    return 0;
}

/* ---- timers ----------------------------------------------------------------------------------- */

static struct knote *timer_find(struct kq *q, uint64_t ident) {
    for (struct knote *kn = q->timers; kn; kn = kn->tnext) {
        if (kn->ident == ident) {
            return kn;
        }
    }
    return NULL;
}

static struct knote *timer_by_serial(struct kq *q, uint64_t serial) {
    for (struct knote *kn = q->timers; kn; kn = kn->tnext) {
        if (kn->serial == serial) {
            return kn;
        }
    }
    return NULL;
}

/* (Re)starts a timer: data milliseconds, periodic unless EV_ONESHOT. fflags (units) unsupported. */
static int timer_arm(struct knote *kn) {
    int64_t ms = kn->sdata;
    struct itimerspec its = { 0 };
    its.it_value.tv_sec = ms / 1000;
    its.it_value.tv_nsec = (ms % 1000) * 1000000L;
    if (ms == 0) {
        its.it_value.tv_nsec = 1; /* 0 would disarm a timerfd; BSD fires a 0 ms timer at once */
    }
    if (!(kn->flags & KQEMU_EV_ONESHOT)) {
        its.it_interval = its.it_value;
    }
    kn->fired = 0;
    return timerfd_settime(kn->timerfd, 0, &its, NULL) == 0 ? 0 : errno;
}

/* Adds what the timerfd counted since the last read. */
static void timer_collect(struct knote *kn) {
    uint64_t n;
    if (read(kn->timerfd, &n, sizeof n) == (ssize_t) sizeof n) {
        kn->fired += n;
    }
}

/* ---- knote lifetime --------------------------------------------------------------------------- */

static void knote_drop(struct kq *q, struct knote *kn) {
    q_remove(q, kn);
    if (kn->filter == KQEMU_EVFILT_TIMER) {
        for (struct knote **p = &q->timers; *p; p = &(*p)->tnext) {
            if (*p == kn) {
                *p = kn->tnext;
                break;
            }
        }
        epoll_ctl(q->epfd, EPOLL_CTL_DEL, kn->timerfd, NULL);
        close(kn->timerfd);
    } else {
        int fd = (int) kn->ident;
        struct fdent *e = fd_entry(q, fd, 0);
        if (e) {
            if (e->rd == kn) {
                e->rd = NULL;
            }
            if (e->wr == kn) {
                e->wr = NULL;
            }
            fd_sync(q, fd);
        }
    }
    free(kn);
}

static struct knote *knote_find(struct kq *q, uint64_t ident, int16_t filter) {
    if (filter == KQEMU_EVFILT_TIMER) {
        return timer_find(q, ident);
    }
    if (ident > INT_MAX) {
        return NULL;
    }
    struct fdent *e = fd_entry(q, (int) ident, 0);
    if (!e) {
        return NULL;
    }
    return filter == KQEMU_EVFILT_READ ? e->rd : e->wr;
}

static int knote_create(struct kq *q, const struct kev *c, struct knote **out) {
    struct knote *kn = calloc(1, sizeof *kn);
    if (!kn) {
        return ENOMEM;
    }
    kn->ident = c->ident;
    kn->filter = c->filter;
    kn->flags = c->flags & ~ACTION_FLAGS;
    kn->sfflags = c->fflags;
    kn->sdata = c->data;
    kn->udata = c->udata;
    kn->ext2 = c->ext2;
    kn->ext3 = c->ext3;
    kn->disabled = (c->flags & KQEMU_EV_DISABLE) != 0;
    kn->timerfd = -1;
    if (c->filter == KQEMU_EVFILT_TIMER) {
        if (c->data < 0 || c->fflags != 0) {
            free(kn);
            return EINVAL; /* negative period; unit flags (NOTE_SECONDS...) are not emulated */
        }
        kn->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (kn->timerfd < 0) {
            int err = errno;
            free(kn);
            return err;
        }
        kn->serial = ++q->next_serial;
        struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u64 = TIMER_TAG | kn->serial };
        int err = epoll_ctl(q->epfd, EPOLL_CTL_ADD, kn->timerfd, &ev) == 0 ? 0 : errno;
        if (!err) {
            err = timer_arm(kn);
        }
        if (err) {
            close(kn->timerfd);
            free(kn);
            return err;
        }
        kn->tnext = q->timers;
        q->timers = kn;
    } else {
        int fd = (int) c->ident;
        struct fdent *e = fd_entry(q, fd, 1);
        if (!e) {
            free(kn);
            return ENOMEM;
        }
        if (c->filter == KQEMU_EVFILT_READ) {
            e->rd = kn;
        } else {
            e->wr = kn;
        }
        int err = fd_sync(q, fd);
        if (err) {
            /* Undo: EBADF, EPERM (a regular file: epoll refuses what BSD would accept), ... */
            if (c->filter == KQEMU_EVFILT_READ) {
                e->rd = NULL;
            } else {
                e->wr = NULL;
            }
            fd_sync(q, fd);
            free(kn);
            return err;
        }
    }
    *out = kn;
    return 0;
}

/* One change; 0 or an errno value. */
static int apply(struct kq *q, const struct kev *c) {
    switch (c->filter) {
    case KQEMU_EVFILT_READ:
    case KQEMU_EVFILT_WRITE:
        if (c->ident > INT_MAX) {
            return EBADF;
        }
        if (fcntl((int) c->ident, F_GETFD) < 0) {
            /* BSD: the ident must be an open descriptor (fget). A knote left from before the close
             * (this emulation cannot see close) goes now, as BSD would have dropped it then. */
            struct knote *lingering = knote_find(q, c->ident, c->filter);
            if (lingering) {
                knote_drop(q, lingering);
            }
            return EBADF;
        }
        break;
    case KQEMU_EVFILT_TIMER:
        break;
    default:
        return EINVAL;
    }
    struct knote *kn = knote_find(q, c->ident, c->filter);
    if (c->flags & KQEMU_EV_DELETE) {
        if (!kn) {
            return ENOENT;
        }
        knote_drop(q, kn);
        return 0;
    }
    if (!kn) {
        if (!(c->flags & KQEMU_EV_ADD)) {
            return ENOENT;
        }
        int err = knote_create(q, c, &kn);
        if (err) {
            return err;
        }
        if (!kn->disabled) {
            q_push(q, kn);
        }
        return 0;
    }
    int err = 0;
    if (c->flags & KQEMU_EV_ADD) {
        /* Re-adding updates the parameters, not EV_ONESHOT/EV_CLEAR (FreeBSD keeps the creation
         * flags), and enables unless EV_DISABLE says otherwise (kqueue(2): "Adding an event
         * automatically enables it"). */
        kn->sfflags = c->fflags;
        kn->sdata = c->data;
        kn->udata = c->udata;
        kn->ext2 = c->ext2;
        kn->ext3 = c->ext3;
        if (kn->filter == KQEMU_EVFILT_TIMER) {
            if (c->data < 0 || c->fflags != 0) {
                return EINVAL;
            }
            err = timer_arm(kn);
        }
    }
    if (c->flags & KQEMU_EV_DISABLE) {
        kn->disabled = 1;
        q_remove(q, kn);
    } else if (c->flags & (KQEMU_EV_ENABLE | KQEMU_EV_ADD)) {
        kn->disabled = 0;
    }
    if (kn->filter != KQEMU_EVFILT_TIMER) {
        int e2 = fd_sync(q, (int) kn->ident);
        if (!err) {
            err = e2;
        }
    }
    if (!kn->disabled) {
        q_push(q, kn); /* re-evaluated at the next collection */
    }
    return err;
}

/* ---- evaluating a filter ---------------------------------------------------------------------- */

static int64_t space_to_write(int fd) {
    struct stat st;
    int queued = 0;
    if (fstat(fd, &st) != 0) {
        return 0;
    }
    if (S_ISFIFO(st.st_mode)) {
        int size = fcntl(fd, F_GETPIPE_SZ);
        if (size > 0 && ioctl(fd, FIONREAD, &queued) == 0 && queued <= size) {
            return size - queued;
        }
        return 0;
    }
    if (S_ISSOCK(st.st_mode)) {
        int sndbuf = 0;
        socklen_t len = sizeof sndbuf;
        if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) == 0 && ioctl(fd, SIOCOUTQ, &queued) == 0
                && queued <= sndbuf) {
            return sndbuf - queued;
        }
    }
    return 0;
}

/* Is kn ready? Fills out (flags EV_EOF, data) if so. */
static int evaluate(struct knote *kn, struct kev *out) {
    memset(out, 0, sizeof *out);
    out->ident = kn->ident;
    out->filter = kn->filter;
    out->flags = kn->flags;
    out->udata = kn->udata;
    out->ext2 = kn->ext2;
    out->ext3 = kn->ext3;
    if (kn->filter == KQEMU_EVFILT_TIMER) {
        timer_collect(kn);
        if (kn->fired == 0) {
            return 0;
        }
        out->data = (int64_t) kn->fired; /* expirations since the last delivery */
        return 1;
    }
    int fd = (int) kn->ident;
    struct pollfd p = { .fd = fd, .events = kn->filter == KQEMU_EVFILT_READ ? POLLIN | POLLRDHUP : POLLOUT };
    if (poll(&p, 1, 0) <= 0 || (p.revents & POLLNVAL)) {
        return 0; /* not ready, or the descriptor is gone (a lingering knote) */
    }
    if (kn->filter == KQEMU_EVFILT_READ) {
        if (!(p.revents & (POLLIN | POLLRDHUP | POLLHUP | POLLERR))) {
            return 0;
        }
        int avail = 0;
        if (ioctl(fd, FIONREAD, &avail) == 0) {
            out->data = avail;          /* bytes readable */
        } else if (p.revents & POLLIN) {
            out->data = 1;              /* e.g. a listener: BSD counts the backlog, Linux cannot say */
        }
        if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) {
            /* No more data will come. BSD also puts the socket error in fflags; Linux's SO_ERROR
             * is read-and-clear, so it is left for the caller's getsockopt and fflags stays 0. */
            out->flags |= KQEMU_EV_EOF;
        }
        return 1;
    }
    if (!(p.revents & (POLLOUT | POLLERR | POLLHUP))) {
        return 0;
    }
    if (p.revents & (POLLERR | POLLHUP)) {
        out->flags |= KQEMU_EV_EOF;     /* a pipe without reader, a socket that cannot send more */
    } else {
        out->data = space_to_write(fd);
    }
    return 1;
}

/* ---- layouts ---------------------------------------------------------------------------------- */

static void kev_read(enum layout l, const void *array, int i, struct kev *k) {
    memset(k, 0, sizeof *k);
    if (l == FREEBSD) {
        const struct ringio_kevent_freebsd *e = (const struct ringio_kevent_freebsd *) array + i;
        k->ident = e->ident;
        k->filter = e->filter;
        k->flags = e->flags;
        k->fflags = e->fflags;
        k->data = e->data;
        k->udata = (uint64_t) (uintptr_t) e->udata;
        k->ext2 = e->ext[2];
        k->ext3 = e->ext[3];
    } else {
        const struct ringio_kevent_macos *e = (const struct ringio_kevent_macos *) array + i;
        k->ident = e->ident;
        k->filter = e->filter;
        k->flags = e->flags;
        k->fflags = e->fflags;
        k->data = e->data;
        k->udata = (uint64_t) (uintptr_t) e->udata;
    }
}

static void kev_write(enum layout l, void *array, int i, const struct kev *k) {
    if (l == FREEBSD) {
        struct ringio_kevent_freebsd *e = (struct ringio_kevent_freebsd *) array + i;
        e->ident = (uintptr_t) k->ident;
        e->filter = k->filter;
        e->flags = k->flags;
        e->fflags = k->fflags;
        e->data = k->data;
        e->udata = (void *) (uintptr_t) k->udata;
        e->ext[0] = 0;          /* filter-specific on FreeBSD; none of the emulated filters uses them */
        e->ext[1] = 0;
        e->ext[2] = k->ext2;    /* passed through from the registration */
        e->ext[3] = k->ext3;
    } else {
        struct ringio_kevent_macos *e = (struct ringio_kevent_macos *) array + i;
        e->ident = (uintptr_t) k->ident;
        e->filter = k->filter;
        e->flags = k->flags;
        e->fflags = k->fflags;
        e->data = (intptr_t) k->data;
        e->udata = (void *) (uintptr_t) k->udata;
    }
}

/* ---- collecting ------------------------------------------------------------------------------- */

/* Queues the knotes epoll says saw activity. */
static void take_epoll_events(struct kq *q, const struct epoll_event *evs, int n) {
    for (int i = 0; i < n; i++) {
        uint64_t d = evs[i].data.u64;
        uint32_t m = evs[i].events;
        if (d & TIMER_TAG) {
            struct knote *kn = timer_by_serial(q, d & ~TIMER_TAG);
            if (kn) {
                timer_collect(kn); /* counts even while disabled, delivered when enabled */
                if (kn->fired && !kn->disabled) {
                    q_push(q, kn);
                }
            }
            continue;
        }
        struct fdent *e = fd_entry(q, (int) d, 0);
        if (!e) {
            continue;
        }
        if (e->rd && !e->rd->disabled && (m & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
            q_push(q, e->rd);
        }
        if (e->wr && !e->wr->disabled && (m & (EPOLLOUT | EPOLLHUP | EPOLLERR))) {
            q_push(q, e->wr);
        }
    }
}

/* Non-blocking: moves everything epoll has ready onto the active queue. */
static void drain_epoll(struct kq *q) {
    struct epoll_event evs[64];
    int n;
    do {
        n = epoll_wait(q->epfd, evs, 64, 0);
        if (n > 0) {
            take_epoll_events(q, evs, n);
        }
    } while (n == 64);
}

/* Pops each queued knote once, delivering the ready ones into events[n..nevents). */
static int scan(struct kq *q, enum layout l, void *events, int n, int nevents) {
    size_t todo = q->qlen;
    while (todo-- > 0 && n < nevents && q->qhead) {
        struct knote *kn = q->qhead;
        q_remove(q, kn);
        struct kev out;
        if (kn->disabled || !evaluate(kn, &out)) {
            continue;
        }
        kev_write(l, events, n++, &out);
        if (kn->flags & KQEMU_EV_ONESHOT) {
            knote_drop(q, kn);
        } else if (kn->filter == KQEMU_EVFILT_TIMER) {
            kn->fired = 0;             /* timers are EV_CLEAR by nature */
        } else if (!(kn->flags & KQEMU_EV_CLEAR)) {
            q_push(q, kn);             /* level-triggered: evaluated again next time */
        }
    }
    return n;
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int kevent_common(enum layout l, int kqfd, const void *changes, int nchanges, void *events,
        int nevents, const struct timespec *timeout) {
    if (nchanges < 0 || nevents < 0) {
        errno = EINVAL;
        return -1;
    }
    if ((nchanges > 0 && !changes) || (nevents > 0 && !events)) {
        errno = EFAULT;
        return -1;
    }
    if (timeout && (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000L)) {
        errno = EINVAL;
        return -1;
    }
    struct kq *q = kq_get(kqfd);
    if (!q) {
        errno = EBADF;
        return -1;
    }
    pthread_mutex_lock(&q->lock);
    int n = 0;
    int result_errno = 0;
    /* Changes in order. An error (or any result, with EV_RECEIPT) is written to the eventlist as
     * an EV_ERROR event with data = errno while there is room; without room kevent() fails with
     * that errno and the later changes are not applied (FreeBSD's kern_kevent). */
    for (int i = 0; i < nchanges; i++) {
        struct kev c;
        kev_read(l, changes, i, &c);
        int err = apply(q, &c);
        if (err || (c.flags & KQEMU_EV_RECEIPT)) {
            if (n >= nevents) {
                if (err) {
                    result_errno = err;
                    break;
                }
                continue;
            }
            /* FreeBSD replaces the flags with EV_ERROR; macOS adds it. */
            c.flags = l == FREEBSD ? KQEMU_EV_ERROR : (uint16_t) (c.flags | KQEMU_EV_ERROR);
            c.data = err;
            kev_write(l, events, n++, &c);
        }
    }
    /* As on FreeBSD: when changes produced results, those are returned and nothing is collected. */
    if (result_errno || n > 0 || nevents == 0) {
        pthread_mutex_unlock(&q->lock);
        kq_put(q);
        if (result_errno) {
            errno = result_errno;
            return -1;
        }
        return n;
    }
    int64_t deadline = timeout ? now_ns() + (int64_t) timeout->tv_sec * 1000000000LL + timeout->tv_nsec : 0;
    for (;;) {
        drain_epoll(q);
        n = scan(q, l, events, 0, nevents);
        if (n > 0) {
            break;
        }
        struct timespec left, *leftp = NULL;
        if (timeout) {
            int64_t rem = deadline - now_ns();
            if (rem <= 0) {
                break;
            }
            left.tv_sec = rem / 1000000000LL;
            left.tv_nsec = rem % 1000000000LL;
            leftp = &left;
        }
        /* Wait without the lock, so other threads can change the kqueue meanwhile. */
        struct epoll_event evs[64];
        pthread_mutex_unlock(&q->lock);
        int r = epoll_pwait2(q->epfd, evs, 64, leftp, NULL);
        int werr = errno;
        pthread_mutex_lock(&q->lock);
        if (r < 0) {
            if (werr == ENOSYS) { /* before Linux 5.11: millisecond resolution, rounded up */
                int ms = leftp ? (int) ((deadline - now_ns() + 999999) / 1000000) : -1;
                pthread_mutex_unlock(&q->lock);
                r = epoll_wait(q->epfd, evs, 64, ms < 0 && leftp ? 0 : ms);
                werr = errno;
                pthread_mutex_lock(&q->lock);
            }
            if (r < 0) {
                result_errno = werr; /* EINTR, as BSD's kevent() reports a signal */
                break;
            }
        }
        take_epoll_events(q, evs, r);
    }
    pthread_mutex_unlock(&q->lock);
    kq_put(q);
    if (result_errno) {
        errno = result_errno;
        return -1;
    }
    return n;
}

/* ---- the entry points ------------------------------------------------------------------------- */

RINGIO_KQEMU_API int ringio_kqemu_kqueue(void) {
    struct kq *q = calloc(1, sizeof *q);
    if (!q) {
        errno = ENOMEM;
        return -1;
    }
    q->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (q->epfd < 0) {
        int err = errno;
        free(q);
        errno = err;
        return -1;
    }
    pthread_mutex_init(&q->lock, NULL);
    q->refs = 1;
    struct kq *stale = NULL;
    pthread_mutex_lock(&reg_lock);
    if ((size_t) q->epfd >= nreg) {
        size_t n = nreg ? nreg : 64;
        while (n <= (size_t) q->epfd) {
            n *= 2;
        }
        struct kq **grown = realloc(reg, n * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&reg_lock);
            close(q->epfd);
            pthread_mutex_destroy(&q->lock);
            free(q);
            errno = ENOMEM;
            return -1;
        }
        memset(grown + nreg, 0, (n - nreg) * sizeof *grown);
        reg = grown;
        nreg = n;
    }
    /* A kqueue closed with plain close(): its number came back. Forget it without closing the
     * number, which is ours now. */
    stale = reg[q->epfd];
    if (stale) {
        stale->epfd = -1;
    }
    reg[q->epfd] = q;
    pthread_mutex_unlock(&reg_lock);
    if (stale) {
        kq_put(stale);
    }
    return q->epfd;
}

static void kq_destroy(struct kq *q) {
    while (q->timers) {
        struct knote *kn = q->timers;
        q->timers = kn->tnext;
        close(kn->timerfd);
        free(kn);
    }
    for (size_t i = 0; i < q->nfds; i++) {
        if (q->fds[i]) {
            free(q->fds[i]->rd);
            free(q->fds[i]->wr);
            free(q->fds[i]);
        }
    }
    free(q->fds);
    if (q->epfd >= 0) {
        close(q->epfd);
    }
    pthread_mutex_destroy(&q->lock);
    free(q);
}

RINGIO_KQEMU_API int ringio_kqemu_close(int kq) {
    struct kq *q = NULL;
    pthread_mutex_lock(&reg_lock);
    if (kq >= 0 && (size_t) kq < nreg && reg[kq]) {
        q = reg[kq];
        reg[kq] = NULL;
    }
    pthread_mutex_unlock(&reg_lock);
    if (!q) {
        return close(kq);
    }
    kq_put(q); /* closes the epoll descriptor once no kevent() is using it */
    return 0;
}

RINGIO_KQEMU_API int ringio_kqemu_kevent_freebsd(int kq, const struct ringio_kevent_freebsd *changelist,
        int nchanges, struct ringio_kevent_freebsd *eventlist, int nevents, const struct timespec *timeout) {
    return kevent_common(FREEBSD, kq, changelist, nchanges, eventlist, nevents, timeout);
}

RINGIO_KQEMU_API int ringio_kqemu_kevent_macos(int kq, const struct ringio_kevent_macos *changelist,
        int nchanges, struct ringio_kevent_macos *eventlist, int nevents, const struct timespec *timeout) {
    return kevent_common(MACOS, kq, changelist, nchanges, eventlist, nevents, timeout);
}

RINGIO_KQEMU_API int64_t ringio_kqemu_const(const char *name) {
    static const struct {
        const char *name;
        int64_t value;
    } table[] = {
        { "sizeof(kevent.freebsd)", sizeof(struct ringio_kevent_freebsd) },
        { "offsetof(kevent.freebsd.ident)", offsetof(struct ringio_kevent_freebsd, ident) },
        { "offsetof(kevent.freebsd.filter)", offsetof(struct ringio_kevent_freebsd, filter) },
        { "offsetof(kevent.freebsd.flags)", offsetof(struct ringio_kevent_freebsd, flags) },
        { "offsetof(kevent.freebsd.fflags)", offsetof(struct ringio_kevent_freebsd, fflags) },
        { "offsetof(kevent.freebsd.data)", offsetof(struct ringio_kevent_freebsd, data) },
        { "offsetof(kevent.freebsd.udata)", offsetof(struct ringio_kevent_freebsd, udata) },
        { "offsetof(kevent.freebsd.ext)", offsetof(struct ringio_kevent_freebsd, ext) },
        { "sizeof(kevent.macos)", sizeof(struct ringio_kevent_macos) },
        { "offsetof(kevent.macos.ident)", offsetof(struct ringio_kevent_macos, ident) },
        { "offsetof(kevent.macos.filter)", offsetof(struct ringio_kevent_macos, filter) },
        { "offsetof(kevent.macos.flags)", offsetof(struct ringio_kevent_macos, flags) },
        { "offsetof(kevent.macos.fflags)", offsetof(struct ringio_kevent_macos, fflags) },
        { "offsetof(kevent.macos.data)", offsetof(struct ringio_kevent_macos, data) },
        { "offsetof(kevent.macos.udata)", offsetof(struct ringio_kevent_macos, udata) },
        { "sizeof(timespec)", sizeof(struct timespec) },
        { "EVFILT_READ", KQEMU_EVFILT_READ },
        { "EVFILT_WRITE", KQEMU_EVFILT_WRITE },
        { "EVFILT_TIMER", KQEMU_EVFILT_TIMER },
        { "EV_ADD", KQEMU_EV_ADD },
        { "EV_DELETE", KQEMU_EV_DELETE },
        { "EV_ENABLE", KQEMU_EV_ENABLE },
        { "EV_DISABLE", KQEMU_EV_DISABLE },
        { "EV_ONESHOT", KQEMU_EV_ONESHOT },
        { "EV_CLEAR", KQEMU_EV_CLEAR },
        { "EV_RECEIPT", KQEMU_EV_RECEIPT },
        { "EV_ERROR", KQEMU_EV_ERROR },
        { "EV_EOF", KQEMU_EV_EOF },
    };
    if (!name) {
        return INT64_MIN;
    }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(table[i].name, name) == 0) {
            return table[i].value;
        }
    }
    return INT64_MIN;
}
