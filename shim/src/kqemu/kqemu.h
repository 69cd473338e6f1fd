/*
 * libringio-kqemu.so: a TEST-ONLY emulation of BSD kqueue(2)/kevent(2) over Linux epoll, so that
 * ringio's KqueuePoller can run on Linux (issue 4). It is not linked into libringio.so and is not
 * a kqueue implementation anyone should use for anything else. See docs/kqueue.md for what it
 * covers and what it does not.
 *
 * Two kevent entry points, one per struct layout, mirrored from the systems' <sys/event.h>
 * (LP64 only: uintptr_t and pointers are 8 bytes):
 *   FreeBSD 12+  struct kevent { uintptr_t ident; short filter; unsigned short flags;
 *                                unsigned int fflags; int64_t data; void *udata; uint64_t ext[4]; }
 *                64 bytes
 *   macOS        struct kevent { uintptr_t ident; int16_t filter; uint16_t flags; uint32_t fflags;
 *                                intptr_t data; void *udata; }
 *                32 bytes
 * The first 32 bytes have the same offsets in both.
 *
 * Error convention: the LIBC one, on purpose. Every function returns -1 and sets errno on failure,
 * exactly like the real kqueue()/kevent()/close(), so the Java binding reads errno the same way
 * (FFM captureCallState("errno"), JNR SaveError) whether it is bound to this library or to a real
 * BSD libc. The Java binding (dev.ringio.sys.Kqueue) converts to ringio's ">= 0 or -errno".
 *
 * A kqueue made here must be closed with ringio_kqemu_close(), which frees the knote table; a
 * plain close() leaks that table until the descriptor number is reused by another
 * ringio_kqemu_kqueue().
 */
#ifndef RINGIO_KQEMU_H
#define RINGIO_KQEMU_H

#include <stdint.h>
#include <time.h>

#define RINGIO_KQEMU_API __attribute__((visibility("default")))

/* Filters and flags: the values FreeBSD and macOS share. */
#define KQEMU_EVFILT_READ   (-1)
#define KQEMU_EVFILT_WRITE  (-2)
#define KQEMU_EVFILT_TIMER  (-7)

#define KQEMU_EV_ADD      0x0001
#define KQEMU_EV_DELETE   0x0002
#define KQEMU_EV_ENABLE   0x0004
#define KQEMU_EV_DISABLE  0x0008
#define KQEMU_EV_ONESHOT  0x0010
#define KQEMU_EV_CLEAR    0x0020
#define KQEMU_EV_RECEIPT  0x0040
#define KQEMU_EV_ERROR    0x4000
#define KQEMU_EV_EOF      0x8000

/* FreeBSD 12+ <sys/event.h> */
struct ringio_kevent_freebsd {
    uintptr_t ident;
    short filter;
    unsigned short flags;
    unsigned int fflags;
    int64_t data;
    void *udata;
    uint64_t ext[4];
};

/* macOS <sys/event.h> (struct kevent, not kevent64_s) */
struct ringio_kevent_macos {
    uintptr_t ident;
    int16_t filter;
    uint16_t flags;
    uint32_t fflags;
    intptr_t data;
    void *udata;
};

/* kqueue(): a new kqueue, close-on-exec. The descriptor is an epoll descriptor: poll() on it
 * reports new activity. -1/errno. */
RINGIO_KQEMU_API int ringio_kqemu_kqueue(void);

/* kevent() with the FreeBSD 12+ layout. timeout NULL waits forever. -1/errno. */
RINGIO_KQEMU_API int ringio_kqemu_kevent_freebsd(int kq, const struct ringio_kevent_freebsd *changelist,
        int nchanges, struct ringio_kevent_freebsd *eventlist, int nevents, const struct timespec *timeout);

/* kevent() with the macOS layout. timeout NULL waits forever. -1/errno. */
RINGIO_KQEMU_API int ringio_kqemu_kevent_macos(int kq, const struct ringio_kevent_macos *changelist,
        int nchanges, struct ringio_kevent_macos *eventlist, int nevents, const struct timespec *timeout);

/* close() for a kqueue made by ringio_kqemu_kqueue() (frees its knotes and timers); any other
 * descriptor is simply closed. -1/errno. */
RINGIO_KQEMU_API int ringio_kqemu_close(int kq);

/* "sizeof(kevent.freebsd)", "offsetof(kevent.macos.udata)", "EVFILT_READ", ...: what this library
 * was compiled with, for the Java layout check. INT64_MIN for an unknown name or NULL. */
RINGIO_KQEMU_API int64_t ringio_kqemu_const(const char *name);

#endif
