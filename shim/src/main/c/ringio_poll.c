/*
 * ringio shim, readiness half (issue 4): epoll for the readiness engine's Poller.
 * Same rules as ringio.c (see ringio.h): ints and longs only, >= 0 or -errno, no allocation per op,
 * no EINTR retry (the Java side decides).
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>

#include "ringio.h"
#include "named.h"

#define RINGIO_API __attribute__((visibility("default")))

/*
 * A function, not an expression macro: a macro that expands its argument twice would run the
 * syscall twice (ringio_net.c had that bug). Reads errno only when the call failed.
 */
static inline long poll_ret(long r)
{
    return r < 0 ? -errno : r;
}

/* epoll_create1(2); callers pass EPOLL_CLOEXEC. */
RINGIO_API int ringio_epoll_create(int flags)
{
    return (int) poll_ret(epoll_create1(flags));
}

/*
 * epoll_ctl(2) with a struct epoll_event built here on the stack: events = the EPOLL* bits,
 * data.u64 = the caller's 64-bit token. For EPOLL_CTL_DEL the event is ignored by the kernel
 * (Linux >= 2.6.9 accepts a non-NULL pointer there).
 */
RINGIO_API int ringio_epoll_ctl(int epfd, int op, int fd, int events, long data)
{
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = (uint32_t) events;
    ev.data.u64 = (uint64_t) data;
    return (int) poll_ret(epoll_ctl(epfd, op, fd, &ev));
}

/*
 * epoll_wait(2) into the caller's array of max struct epoll_event at events_out (packed on
 * x86_64: see ringio_poll_const). timeout_ms: -1 forever, 0 non-blocking. Returns the count or
 * -errno (-EINTR when a signal interrupted the wait).
 */
RINGIO_API int ringio_epoll_wait(int epfd, long events_out, int max, int timeout_ms)
{
    return (int) poll_ret(epoll_wait(epfd, (struct epoll_event *) (intptr_t) events_out, max, timeout_ms));
}

#define PC(x) { #x, (long) (x) }

static const struct named POLL_TABLE[] = {
    { "sizeof(epoll_event)", (long) sizeof(struct epoll_event) },
    { "offsetof(epoll_event.events)", (long) offsetof(struct epoll_event, events) },
    { "offsetof(epoll_event.data)", (long) offsetof(struct epoll_event, data) },
    PC(EPOLLIN), PC(EPOLLOUT), PC(EPOLLERR), PC(EPOLLHUP), PC(EPOLLRDHUP), PC(EPOLLPRI),
    PC(EPOLLET), PC(EPOLLONESHOT),
    PC(EPOLL_CTL_ADD), PC(EPOLL_CTL_MOD), PC(EPOLL_CTL_DEL), PC(EPOLL_CLOEXEC),
};

/*
 * The value of an epoll constant ("EPOLLIN") or layout ("sizeof(epoll_event)",
 * "offsetof(epoll_event.data)") by NUL-terminated name; LONG_MIN when unknown (as ringio_const).
 * EPOLLET is 1u << 31: returned as its unsigned value (2147483648), not sign-extended.
 */
RINGIO_API long ringio_poll_const(long name)
{
    return named_lookup(POLL_TABLE, sizeof POLL_TABLE / sizeof POLL_TABLE[0], name);
}
