/*
 * Self-test of the TEST-ONLY kqueue emulation libringio-kqemu.so (run by `make test`). Every case
 * runs twice, once per struct kevent layout (FreeBSD 12+, macOS), through the public header only.
 * The emulation itself has never been compared against a real BSD kernel: these tests check it
 * against what kqueue(2) documents.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kqemu.h"

static int passed, failed;
static const char *layout_name;
static int layout; /* 0 FreeBSD, 1 macOS */

#define CHECK(cond) do { \
        if (cond) { passed++; } else { failed++; \
            fprintf(stderr, "FAIL [%s] %s:%d: %s (errno %d %s)\n", layout_name, __FILE__, __LINE__, #cond, \
                    errno, strerror(errno)); } \
    } while (0)

/* A kevent in neither layout; converted by kev(). ext2/ext3: FreeBSD's ext[2], ext[3]. */
struct k {
    uint64_t ident;
    int16_t filter;
    uint16_t flags;
    uint32_t fflags;
    int64_t data;
    uint64_t udata;
    uint64_t ext2, ext3;
};

static struct k mk(uint64_t ident, int16_t filter, uint16_t flags, int64_t data, uint64_t udata) {
    struct k k = { .ident = ident, .filter = filter, .flags = flags, .data = data, .udata = udata };
    return k;
}

/* kevent() in the layout under test. timeout_ms < 0: NULL (forever). */
static int kev(int kq, const struct k *ch, int nch, struct k *ev, int nev, long timeout_ms) {
    struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
    const struct timespec *t = timeout_ms < 0 ? NULL : &ts;
    int r, saved;
    if (layout == 0) {
        struct ringio_kevent_freebsd c[16], e[16];
        memset(c, 0, sizeof c);
        memset(e, 0x5A, sizeof e);
        for (int i = 0; i < nch; i++) {
            c[i].ident = ch[i].ident;
            c[i].filter = ch[i].filter;
            c[i].flags = ch[i].flags;
            c[i].fflags = ch[i].fflags;
            c[i].data = ch[i].data;
            c[i].udata = (void *) (uintptr_t) ch[i].udata;
            c[i].ext[2] = ch[i].ext2;
            c[i].ext[3] = ch[i].ext3;
        }
        r = ringio_kqemu_kevent_freebsd(kq, nch ? c : NULL, nch, nev ? e : NULL, nev, t);
        saved = errno;
        for (int i = 0; i < r; i++) {
            ev[i] = (struct k) { e[i].ident, e[i].filter, e[i].flags, e[i].fflags, e[i].data,
                                 (uint64_t) (uintptr_t) e[i].udata, e[i].ext[2], e[i].ext[3] };
            CHECK(e[i].ext[0] == 0 && e[i].ext[1] == 0);
        }
        if (r >= 0 && r < 16) {
            CHECK(e[r].ident == 0x5A5A5A5A5A5A5A5AULL); /* nothing written past the r events */
        }
    } else {
        struct ringio_kevent_macos c[16], e[16];
        memset(c, 0, sizeof c);
        memset(e, 0x5A, sizeof e);
        for (int i = 0; i < nch; i++) {
            c[i].ident = ch[i].ident;
            c[i].filter = ch[i].filter;
            c[i].flags = ch[i].flags;
            c[i].fflags = ch[i].fflags;
            c[i].data = ch[i].data;
            c[i].udata = (void *) (uintptr_t) ch[i].udata;
        }
        r = ringio_kqemu_kevent_macos(kq, nch ? c : NULL, nch, nev ? e : NULL, nev, t);
        saved = errno;
        for (int i = 0; i < r; i++) {
            ev[i] = (struct k) { e[i].ident, e[i].filter, e[i].flags, e[i].fflags, e[i].data,
                                 (uint64_t) (uintptr_t) e[i].udata, 0, 0 };
        }
        if (r >= 0 && r < 16) {
            CHECK(e[r].ident == 0x5A5A5A5A5A5A5A5AULL);
        }
    }
    errno = saved;
    return r;
}

static int change(int kq, uint64_t ident, int16_t filter, uint16_t flags, int64_t data, uint64_t udata) {
    struct k c = mk(ident, filter, flags, data, udata);
    return kev(kq, &c, 1, NULL, 0, 0);
}

static int64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void put(int fd, const char *s) {
    CHECK(write(fd, s, strlen(s)) == (ssize_t) strlen(s));
}

static void drain(int fd) {
    char buf[256];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

/* ---- cases ------------------------------------------------------------------------------------ */

static void test_read_level(void) {
    int kq = ringio_kqemu_kqueue(), p[2];
    CHECK(kq >= 0);
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    CHECK((fcntl(kq, F_GETFD) & FD_CLOEXEC) != 0);
    struct k ev[4];
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD, 0, 0xCAFEF00DDEADBEEFULL) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 0);
    put(p[1], "hello");
    CHECK(kev(kq, NULL, 0, ev, 4, 1000) == 1);
    CHECK(ev[0].ident == (uint64_t) p[0] && ev[0].filter == KQEMU_EVFILT_READ);
    CHECK(ev[0].data == 5 && ev[0].udata == 0xCAFEF00DDEADBEEFULL);
    CHECK((ev[0].flags & (KQEMU_EV_EOF | KQEMU_EV_ERROR)) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 1); /* level-triggered: again */
    drain(p[0]);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 0);
    /* EV_ADD on the existing knote updates udata and does not duplicate it. */
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD, 0, 77) == 0);
    put(p[1], "x");
    CHECK(kev(kq, NULL, 0, ev, 4, 1000) == 1 && ev[0].udata == 77);
    /* The kqueue descriptor is pollable for new activity. */
    put(p[1], "y");
    struct pollfd pf = { .fd = kq, .events = POLLIN };
    CHECK(poll(&pf, 1, 1000) == 1 && (pf.revents & POLLIN));
    CHECK(ringio_kqemu_close(kq) == 0);
    close(p[0]);
    close(p[1]);
}

static void test_write_and_separate_knotes(void) {
    int kq = ringio_kqemu_kqueue(), s[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, s) == 0);
    struct k ch[2] = { mk(s[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD, 0, 1), mk(s[0], KQEMU_EVFILT_WRITE, KQEMU_EV_ADD, 0, 2) };
    struct k ev[4];
    CHECK(kev(kq, ch, 2, NULL, 0, 0) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 1);
    CHECK(ev[0].filter == KQEMU_EVFILT_WRITE && ev[0].udata == 2 && ev[0].data > 0);
    put(s[1], "abc");
    CHECK(kev(kq, NULL, 0, ev, 4, 1000) == 2);
    CHECK(ev[0].filter != ev[1].filter && ev[0].ident == (uint64_t) s[0] && ev[1].ident == (uint64_t) s[0]);
    for (int i = 0; i < 2; i++) {
        CHECK(ev[i].udata == (ev[i].filter == KQEMU_EVFILT_READ ? 1u : 2u));
        if (ev[i].filter == KQEMU_EVFILT_READ) {
            CHECK(ev[i].data == 3);
        }
    }
    /* (ident, filter) is the key: deleting the read knote leaves the write knote. */
    CHECK(change(kq, s[0], KQEMU_EVFILT_READ, KQEMU_EV_DELETE, 0, 0) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 1 && ev[0].filter == KQEMU_EVFILT_WRITE);
    /* Room for only one of two ready knotes: one now, the other next time. */
    CHECK(change(kq, s[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD, 0, 1) == 0);
    CHECK(kev(kq, NULL, 0, ev, 1, 0) == 1);
    int16_t first = ev[0].filter;
    CHECK(kev(kq, NULL, 0, ev, 1, 0) == 1 && ev[0].filter != first);
    ringio_kqemu_close(kq);
    close(s[0]);
    close(s[1]);
}

static void test_clear(void) {
    int kq = ringio_kqemu_kqueue(), p[2];
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    struct k ev[4];
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD | KQEMU_EV_CLEAR, 0, 5) == 0);
    put(p[1], "a");
    CHECK(kev(kq, NULL, 0, ev, 4, 1000) == 1 && (ev[0].flags & KQEMU_EV_CLEAR) && ev[0].data == 1);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 0); /* edge: not again while nothing new arrives */
    CHECK(kev(kq, NULL, 0, ev, 4, 30) == 0);
    put(p[1], "b");
    CHECK(kev(kq, NULL, 0, ev, 4, 1000) == 1 && ev[0].data == 2); /* new data: again, all of it */
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 0);
    ringio_kqemu_close(kq);
    close(p[0]);
    close(p[1]);
}

static void test_oneshot(void) {
    int kq = ringio_kqemu_kqueue(), p[2];
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    struct k ev[4];
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD | KQEMU_EV_ONESHOT, 0, 6) == 0);
    put(p[1], "a");
    CHECK(kev(kq, NULL, 0, ev, 4, 1000) == 1 && (ev[0].flags & KQEMU_EV_ONESHOT) && ev[0].udata == 6);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 0); /* still readable, but the knote is gone */
    errno = 0;
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_DELETE, 0, 0) == -1 && errno == ENOENT);
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD | KQEMU_EV_ONESHOT, 0, 7) == 0); /* re-add */
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 1 && ev[0].udata == 7);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 0);
    ringio_kqemu_close(kq);
    close(p[0]);
    close(p[1]);
}

static void test_disable_enable(void) {
    int kq = ringio_kqemu_kqueue(), p[2];
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    struct k ev[4];
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD | KQEMU_EV_DISABLE, 0, 8) == 0); /* added disabled */
    put(p[1], "a");
    CHECK(kev(kq, NULL, 0, ev, 4, 30) == 0);
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_ENABLE, 0, 0) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 1000) == 1 && ev[0].udata == 8); /* udata kept from EV_ADD */
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_DISABLE, 0, 0) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 0);
    put(p[1], "b");
    CHECK(kev(kq, NULL, 0, ev, 4, 30) == 0); /* disabled: kept, not delivered */
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_DELETE, 0, 0) == 0); /* still there to delete */
    errno = 0;
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_ENABLE, 0, 0) == -1 && errno == ENOENT);
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_DISABLE, 0, 0) == -1 && errno == ENOENT);
    ringio_kqemu_close(kq);
    close(p[0]);
    close(p[1]);
}

static void test_eof(void) {
    int kq = ringio_kqemu_kqueue(), p[2], q[2];
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    CHECK(pipe2(q, O_NONBLOCK | O_CLOEXEC) == 0);
    struct k ev[4];
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD, 0, 1) == 0);
    put(p[1], "xy");
    close(p[1]); /* no writer left: EV_EOF, data = what is still unread */
    CHECK(kev(kq, NULL, 0, ev, 4, 1000) == 1);
    CHECK((ev[0].flags & KQEMU_EV_EOF) && ev[0].data == 2 && ev[0].fflags == 0);
    drain(p[0]);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 1 && (ev[0].flags & KQEMU_EV_EOF) && ev[0].data == 0);
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_DELETE, 0, 0) == 0);
    /* The write end of a pipe whose reader is gone: EV_EOF on EVFILT_WRITE. */
    CHECK(change(kq, q[1], KQEMU_EVFILT_WRITE, KQEMU_EV_ADD | KQEMU_EV_CLEAR, 0, 2) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 1 && !(ev[0].flags & KQEMU_EV_EOF));
    close(q[0]);
    CHECK(kev(kq, NULL, 0, ev, 4, 1000) == 1 && (ev[0].flags & KQEMU_EV_EOF) && ev[0].udata == 2);
    /* A socket whose peer shut down its writing side. */
    int s[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, s) == 0);
    CHECK(change(kq, s[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD, 0, 3) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 0); /* q[1]'s EV_CLEAR knote was delivered already */
    CHECK(shutdown(s[1], SHUT_WR) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 1000) == 1 && ev[0].udata == 3 && (ev[0].flags & KQEMU_EV_EOF));
    ringio_kqemu_close(kq);
    close(p[0]);
    close(q[1]);
    close(s[0]);
    close(s[1]);
}

static void test_timer(void) {
    int kq = ringio_kqemu_kqueue();
    struct k ev[4];
    /* Periodic, 10 ms: data counts the expirations since the last delivery. */
    int64_t t0 = now_ms();
    CHECK(change(kq, 42, KQEMU_EVFILT_TIMER, KQEMU_EV_ADD, 10, 0x42) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 1000) == 1);
    CHECK(ev[0].ident == 42 && ev[0].filter == KQEMU_EVFILT_TIMER && ev[0].udata == 0x42 && ev[0].data >= 1);
    CHECK(now_ms() - t0 >= 9);
    usleep(45 * 1000);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 1 && ev[0].data >= 3);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 0 || ev[0].data == 1); /* cleared by the delivery */
    /* Disabled: counts on, delivered on enable. */
    CHECK(change(kq, 42, KQEMU_EVFILT_TIMER, KQEMU_EV_DISABLE, 0, 0) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 40) == 0);
    CHECK(change(kq, 42, KQEMU_EVFILT_TIMER, KQEMU_EV_ENABLE, 0, 0) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 1 && ev[0].data >= 2);
    CHECK(change(kq, 42, KQEMU_EVFILT_TIMER, KQEMU_EV_DELETE, 0, 0) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 30) == 0);
    /* One-shot, waited for with no timeout at all (NULL). A timer ident is not a descriptor. */
    CHECK(change(kq, 1u << 30, KQEMU_EVFILT_TIMER, KQEMU_EV_ADD | KQEMU_EV_ONESHOT, 20, 9) == 0);
    t0 = now_ms();
    CHECK(kev(kq, NULL, 0, ev, 4, -1) == 1 && ev[0].data == 1 && ev[0].udata == 9 && ev[0].ident == 1u << 30);
    CHECK(now_ms() - t0 >= 19);
    errno = 0;
    CHECK(change(kq, 1u << 30, KQEMU_EVFILT_TIMER, KQEMU_EV_DELETE, 0, 0) == -1 && errno == ENOENT);
    /* Bad period. */
    errno = 0;
    CHECK(change(kq, 1, KQEMU_EVFILT_TIMER, KQEMU_EV_ADD, -1, 0) == -1 && errno == EINVAL);
    ringio_kqemu_close(kq);
}

static void test_errors(void) {
    int kq = ringio_kqemu_kqueue(), p[2];
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    struct k ev[4];
    /* With room in the eventlist: EV_ERROR events, data = errno, the other changes applied. */
    struct k ch[3] = {
        mk(p[0], KQEMU_EVFILT_READ, KQEMU_EV_DELETE, 0, 11),        /* ENOENT */
        mk(p[1], KQEMU_EVFILT_WRITE, KQEMU_EV_ADD, 0, 12),          /* fine */
        mk(p[0], 99, KQEMU_EV_ADD, 0, 13),                           /* EINVAL: no such filter */
    };
    CHECK(kev(kq, ch, 3, ev, 4, 1000) == 2); /* errors only: no events collected in that call */
    CHECK(ev[0].data == ENOENT && ev[0].udata == 11 && ev[0].ident == (uint64_t) p[0]);
    CHECK(ev[1].data == EINVAL && ev[1].udata == 13 && ev[1].filter == 99);
    for (int i = 0; i < 2; i++) {
        if (layout == 0) {
            CHECK(ev[i].flags == KQEMU_EV_ERROR); /* FreeBSD replaces the flags */
        } else {
            CHECK(ev[i].flags == (uint16_t) (ch[i == 0 ? 0 : 2].flags | KQEMU_EV_ERROR)); /* macOS adds */
        }
    }
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 1 && ev[0].udata == 12); /* the good change was applied */
    /* Without room: -1 and errno, later changes not applied. */
    struct k ch2[2] = { mk(p[0], KQEMU_EVFILT_READ, KQEMU_EV_ENABLE, 0, 0), mk(p[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD, 0, 0) };
    errno = 0;
    CHECK(kev(kq, ch2, 2, NULL, 0, 0) == -1 && errno == ENOENT);
    errno = 0;
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_DELETE, 0, 0) == -1 && errno == ENOENT);
    /* Not a descriptor; a regular file (epoll refuses it, unlike BSD: documented). */
    errno = 0;
    CHECK(change(kq, 1u << 20, KQEMU_EVFILT_READ, KQEMU_EV_ADD, 0, 0) == -1 && errno == EBADF);
    int f = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    errno = 0;
    CHECK(change(kq, f, KQEMU_EVFILT_READ, KQEMU_EV_ADD, 0, 0) == -1 && errno == EPERM);
    close(f);
    /* EV_RECEIPT: every change answered, data 0 on success, nothing collected. */
    put(p[1], "z");
    struct k ch3[2] = { mk(p[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD | KQEMU_EV_RECEIPT, 0, 21),
                        mk(p[0], KQEMU_EVFILT_WRITE, KQEMU_EV_DELETE | KQEMU_EV_RECEIPT, 0, 22) };
    CHECK(kev(kq, ch3, 2, ev, 2, 0) == 2);
    CHECK((ev[0].flags & KQEMU_EV_ERROR) && ev[0].data == 0 && ev[0].udata == 21);
    CHECK((ev[1].flags & KQEMU_EV_ERROR) && ev[1].data == ENOENT);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 2); /* then the pipe's read and write knotes */
    /* Bad arguments and a descriptor that is not a kqueue. */
    errno = 0;
    CHECK(kev(p[0], NULL, 0, ev, 4, 0) == -1 && errno == EBADF);
    errno = 0;
    CHECK(ringio_kqemu_kevent_macos(kq, NULL, -1, NULL, 0, NULL) == -1 && errno == EINVAL);
    struct timespec bad = { 0, 1000000000L };
    errno = 0;
    CHECK(ringio_kqemu_kevent_freebsd(kq, NULL, 0, NULL, 0, &bad) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(ringio_kqemu_kevent_freebsd(kq, NULL, 1, NULL, 0, NULL) == -1 && errno == EFAULT);
    CHECK(ringio_kqemu_close(kq) == 0);
    errno = 0;
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == -1 && errno == EBADF); /* closed */
    close(p[0]);
    close(p[1]);
}

static void test_timeouts_and_ext(void) {
    int kq = ringio_kqemu_kqueue(), p[2];
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    struct k ev[4];
    int64_t t0 = now_ms();
    CHECK(kev(kq, NULL, 0, ev, 4, 50) == 0);
    CHECK(now_ms() - t0 >= 49);
    struct k c = mk(p[1], KQEMU_EVFILT_WRITE, KQEMU_EV_ADD, 0, 1);
    c.ext2 = 0x1111;
    c.ext3 = 0x2222;
    CHECK(kev(kq, &c, 1, NULL, 0, 0) == 0);
    CHECK(kev(kq, NULL, 0, ev, 4, 0) == 1);
    if (layout == 0) {
        CHECK(ev[0].ext2 == 0x1111 && ev[0].ext3 == 0x2222); /* FreeBSD passes ext[2], ext[3] through */
    }
    /* A descriptor closed without EV_DELETE, its number reused: EV_ADD takes the new file. */
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD, 0, 30) == 0);
    int old = p[0];
    close(p[0]);
    close(p[1]);
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    CHECK(p[0] == old);
    CHECK(change(kq, p[0], KQEMU_EVFILT_READ, KQEMU_EV_ADD, 0, 31) == 0);
    put(p[1], "n");
    int n = kev(kq, NULL, 0, ev, 4, 1000);
    CHECK(n >= 1);
    int seen = 0;
    for (int i = 0; i < n; i++) {
        seen |= ev[i].ident == (uint64_t) p[0] && ev[i].udata == 31;
    }
    CHECK(seen);
    /* A kqueue closed with plain close() whose number comes back. */
    int kq2 = ringio_kqemu_kqueue();
    close(kq2);
    int kq3 = ringio_kqemu_kqueue();
    CHECK(kq3 == kq2);
    CHECK(kev(kq3, NULL, 0, ev, 4, 0) == 0);
    CHECK(ringio_kqemu_close(kq3) == 0);
    ringio_kqemu_close(kq);
    close(p[0]);
    close(p[1]);
}

static void test_consts(void) {
    CHECK(ringio_kqemu_const("sizeof(kevent.freebsd)") == 64);
    CHECK(ringio_kqemu_const("sizeof(kevent.macos)") == 32);
    CHECK(ringio_kqemu_const("offsetof(kevent.macos.data)") == 16);
    CHECK(ringio_kqemu_const("EV_EOF") == 0x8000);
    CHECK(ringio_kqemu_const("EVFILT_TIMER") == -7);
    CHECK(ringio_kqemu_const("nope") == INT64_MIN);
    CHECK(ringio_kqemu_const(NULL) == INT64_MIN);
}

int main(void) {
    static const char *names[] = { "freebsd", "macos" };
    for (layout = 0; layout < 2; layout++) {
        layout_name = names[layout];
        test_read_level();
        test_write_and_separate_knotes();
        test_clear();
        test_oneshot();
        test_disable_enable();
        test_eof();
        test_timer();
        test_errors();
        test_timeouts_and_ext();
        test_consts();
    }
    printf("kqemu_test: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
