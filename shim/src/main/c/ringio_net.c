/*
 * ringio shim, network half: socket syscalls, the resolver, provided buffer rings, and the
 * by-name table of constants and struct layouts that Java's socket layer mirrors.
 * Same rules as ringio.c (see ringio.h): ints and longs only, >= 0 or -errno, no allocation per op.
 */
#define _GNU_SOURCE 1

#include <liburing.h>

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/time.h>
#include <fcntl.h>
#include <unistd.h>

#include "ringio.h"
#include "named.h"

/* glibc 2.28+ marks AI_IDN_ALLOW_UNASSIGNED and AI_IDN_USE_STD3_ASCII_RULES deprecated (libidn2
 * ignores them) with a warning built into the macro itself, which -Werror turns into an error and no
 * diagnostic pragma silences. Their values are still glibc's ABI (arew names them), so read them with
 * that warning macro emptied. */
#undef __glibc_macro_warning
#define __glibc_macro_warning(msg)

#define RINGIO_API __attribute__((visibility("default")))
/* A function, not an expression macro: RET(bind(...)) must run the syscall exactly once. */
static inline long ringio_ret(long r)
{
    return r < 0 ? -errno : r;
}
#define RET(r) ringio_ret(r)

/* Kernel values for names Debian bookworm's glibc/kernel headers may lack (all are Linux ABI). */
#ifndef IPV6_FLOWINFO
#define IPV6_FLOWINFO 11
#endif
#ifndef IP_RECVORIGDSTADDR
#define IP_RECVORIGDSTADDR 20
#endif
#ifndef IP_NODEFRAG
#define IP_NODEFRAG 22
#endif
#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL 49
#endif
#ifndef IPV6_AUTHHDR
#define IPV6_AUTHHDR 10
#endif
#ifndef IORING_RECV_MULTISHOT
#define IORING_RECV_MULTISHOT (1U << 1)  /* kernel 6.0 */
#endif
#ifndef IORING_ACCEPT_MULTISHOT
#define IORING_ACCEPT_MULTISHOT (1U << 0) /* kernel 5.19 */
#endif
#ifndef IORING_CQE_F_NOTIF
#define IORING_CQE_F_NOTIF (1U << 3)      /* kernel 6.0 */
#endif

/* ---- sockets ------------------------------------------------------------------------------ */

RINGIO_API int ringio_socket(int domain, int type, int protocol)
{
    return RET(socket(domain, type, protocol));
}

RINGIO_API int ringio_socketpair(int domain, int type, int protocol, long fds_out)
{
    return RET(socketpair(domain, type, protocol, (int *) (intptr_t) fds_out));
}

RINGIO_API int ringio_bind(int fd, long addr, int addrlen)
{
    return RET(bind(fd, (const struct sockaddr *) (intptr_t) addr, (socklen_t) addrlen));
}

RINGIO_API int ringio_listen(int fd, int backlog)
{
    return RET(listen(fd, backlog));
}

RINGIO_API int ringio_connect(int fd, long addr, int addrlen)
{
    return RET(connect(fd, (const struct sockaddr *) (intptr_t) addr, (socklen_t) addrlen));
}

RINGIO_API int ringio_accept4(int fd, long addr, long addrlen_ptr, int flags)
{
    return RET(accept4(fd, (struct sockaddr *) (intptr_t) addr, (socklen_t *) (intptr_t) addrlen_ptr, flags));
}

RINGIO_API int ringio_getsockname(int fd, long addr, long addrlen_ptr)
{
    return RET(getsockname(fd, (struct sockaddr *) (intptr_t) addr, (socklen_t *) (intptr_t) addrlen_ptr));
}

RINGIO_API int ringio_getpeername(int fd, long addr, long addrlen_ptr)
{
    return RET(getpeername(fd, (struct sockaddr *) (intptr_t) addr, (socklen_t *) (intptr_t) addrlen_ptr));
}

RINGIO_API int ringio_setsockopt(int fd, int level, int name, long value, int len)
{
    return RET(setsockopt(fd, level, name, (const void *) (intptr_t) value, (socklen_t) len));
}

RINGIO_API int ringio_getsockopt(int fd, int level, int name, long value, long len_ptr)
{
    return RET(getsockopt(fd, level, name, (void *) (intptr_t) value, (socklen_t *) (intptr_t) len_ptr));
}

RINGIO_API int ringio_shutdown(int fd, int how)
{
    return RET(shutdown(fd, how));
}

RINGIO_API long ringio_sendmsg(int fd, long msg, int flags)
{
    return RET(sendmsg(fd, (const struct msghdr *) (intptr_t) msg, flags));
}

RINGIO_API long ringio_recvmsg(int fd, long msg, int flags)
{
    return RET(recvmsg(fd, (struct msghdr *) (intptr_t) msg, flags));
}

/* ---- resolver ----------------------------------------------------------------------------- */

/*
 * getaddrinfo(node, service, hints, res_out). The one exception to the -errno rule: returns 0,
 * or glibc's (negative) EAI_* code; for EAI_SYSTEM it returns -(10000 + errno) so the errno
 * survives. node/service may be 0 (NULL). The result list belongs to the caller until
 * ringio_freeaddrinfo.
 */
RINGIO_API int ringio_getaddrinfo(long node, long service, long hints, long res_out)
{
    int r = getaddrinfo((const char *) (intptr_t) node, (const char *) (intptr_t) service,
                        (const struct addrinfo *) (intptr_t) hints, (struct addrinfo **) (intptr_t) res_out);
    if (r == EAI_SYSTEM)
        return -(10000 + errno);
    return r;
}

RINGIO_API int ringio_freeaddrinfo(long res)
{
    if (res != 0)
        freeaddrinfo((struct addrinfo *) (intptr_t) res);
    return 0;
}

/* gai_strerror(code) into buf, NUL-terminated; returns its length. */
RINGIO_API int ringio_gai_strerror(int code, long buf, int len)
{
    const char *s = gai_strerror(code);
    char *out = (char *) (intptr_t) buf;
    if (len <= 0 || out == NULL)
        return -EINVAL;
    size_t n = strlen(s);
    if (n >= (size_t) len)
        n = (size_t) len - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    return (int) n;
}

/* ---- provided buffer rings (kernel 5.19) ---------------------------------------------------- */

/* io_uring_register_buf_ring: ring memory at addr (page-aligned, entries a power of two). */
RINGIO_API int ringio_ring_register_buf_ring(long ring, long addr, int entries, int bgid)
{
    if (ring == 0)
        return -EINVAL;
    struct io_uring_buf_reg reg;
    memset(&reg, 0, sizeof reg);
    reg.ring_addr = (uint64_t) addr;
    reg.ring_entries = (uint32_t) entries;
    reg.bgid = (uint16_t) bgid;
    return io_uring_register_buf_ring((struct io_uring *) (intptr_t) ring, &reg, 0);
}

RINGIO_API int ringio_ring_unregister_buf_ring(long ring, int bgid)
{
    if (ring == 0)
        return -EINVAL;
    return io_uring_unregister_buf_ring((struct io_uring *) (intptr_t) ring, bgid);
}

/* ---- constants and layouts by name ---------------------------------------------------------- */

#define C(x) { #x, (long) (x) }
#define SIZE(name, type) { "sizeof(" name ")", (long) sizeof(type) }
#define OFF(name, type, field) { "offsetof(" name "." #field ")", (long) offsetof(type, field) }

static const struct named TABLE[] = {
    /* domains, types */
    C(AF_UNSPEC), C(AF_INET), C(AF_INET6), C(AF_UNIX), C(AF_LOCAL), C(AF_NETLINK), C(AF_PACKET), C(AF_ALG),
    C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_SEQPACKET), C(SOCK_RDM), C(SOCK_NONBLOCK), C(SOCK_CLOEXEC),
    C(SOCK_DCCP), C(SOCK_PACKET),
    /* message flags */
    C(MSG_CONFIRM), C(MSG_CTRUNC), C(MSG_DONTROUTE), C(MSG_DONTWAIT), C(MSG_EOR), C(MSG_ERRQUEUE), C(MSG_MORE),
    C(MSG_NOSIGNAL), C(MSG_OOB), C(MSG_PEEK), C(MSG_TRUNC), C(MSG_WAITALL), C(MSG_CMSG_CLOEXEC),
    C(MSG_PROXY), C(MSG_FIN), C(MSG_SYN), C(MSG_RST), C(MSG_WAITFORONE), C(MSG_BATCH), C(MSG_FASTOPEN),
    C(MSG_TRYHARD),
    /* protocols */
    C(IPPROTO_IP), C(IPPROTO_IPV6), C(IPPROTO_TCP), C(IPPROTO_UDP), C(IPPROTO_ICMP), C(IPPROTO_ICMPV6),
    C(IPPROTO_IGMP), C(IPPROTO_SCTP), C(IPPROTO_UDPLITE), C(IPPROTO_RAW),
    C(IPPROTO_IPIP), C(IPPROTO_EGP), C(IPPROTO_PUP), C(IPPROTO_IDP), C(IPPROTO_TP), C(IPPROTO_DCCP),
    C(IPPROTO_RSVP), C(IPPROTO_GRE), C(IPPROTO_ESP), C(IPPROTO_AH), C(IPPROTO_MTP), C(IPPROTO_BEETPH),
    C(IPPROTO_ENCAP), C(IPPROTO_PIM), C(IPPROTO_COMP), C(IPPROTO_MPLS), C(IPPROTO_ETHERNET), C(IPPROTO_MPTCP),
    /* SOL_SOCKET options */
    C(SOL_SOCKET), C(SO_ACCEPTCONN), C(SO_BINDTODEVICE), C(SO_BROADCAST), C(SO_DEBUG), C(SO_DOMAIN),
    C(SO_DONTROUTE), C(SO_ERROR), C(SO_KEEPALIVE), C(SO_LINGER), C(SO_OOBINLINE), C(SO_PASSCRED),
    C(SO_PEERCRED), C(SO_PEEK_OFF), C(SO_PROTOCOL), C(SO_RCVBUF), C(SO_SNDBUF), C(SO_RCVLOWAT),
    C(SO_SNDLOWAT), C(SO_RCVTIMEO), C(SO_SNDTIMEO), C(SO_REUSEADDR), C(SO_REUSEPORT), C(SO_TYPE),
    C(SO_TIMESTAMP),
    /* IPPROTO_IP options */
    C(IP_ADD_MEMBERSHIP), C(IP_DROP_MEMBERSHIP), C(IP_ADD_SOURCE_MEMBERSHIP), C(IP_DROP_SOURCE_MEMBERSHIP),
    C(IP_BLOCK_SOURCE), C(IP_UNBLOCK_SOURCE), C(IP_FREEBIND), C(IP_HDRINCL), C(IP_MTU), C(IP_MTU_DISCOVER),
    C(IP_MULTICAST_ALL), C(IP_MULTICAST_IF), C(IP_MULTICAST_LOOP), C(IP_MULTICAST_TTL), C(IP_NODEFRAG),
    C(IP_OPTIONS), C(IP_PKTINFO), C(IP_RECVERR), C(IP_RECVORIGDSTADDR), C(IP_RECVOPTS), C(IP_RECVTOS),
    C(IP_RECVTTL), C(IP_RETOPTS), C(IP_ROUTER_ALERT), C(IP_TOS), C(IP_TTL),
    C(IP_PMTUDISC_DONT), C(IP_PMTUDISC_WANT), C(IP_PMTUDISC_DO), C(IP_PMTUDISC_PROBE),
    C(IPTOS_LOWDELAY), C(IPTOS_THROUGHPUT), C(IPTOS_RELIABILITY), C(IPTOS_MINCOST),
    /* IPPROTO_IPV6 options */
    C(IPV6_ADDRFORM), C(IPV6_ADD_MEMBERSHIP), C(IPV6_DROP_MEMBERSHIP), C(IPV6_MTU), C(IPV6_MTU_DISCOVER),
    C(IPV6_MULTICAST_HOPS), C(IPV6_MULTICAST_IF), C(IPV6_MULTICAST_LOOP), C(IPV6_RECVPKTINFO), C(IPV6_RTHDR),
    C(IPV6_AUTHHDR), C(IPV6_DSTOPTS), C(IPV6_HOPOPTS), C(IPV6_FLOWINFO), C(IPV6_HOPLIMIT),
    C(IPV6_ROUTER_ALERT), C(IPV6_UNICAST_HOPS), C(IPV6_V6ONLY),
    /* IPPROTO_TCP options */
    C(TCP_CONGESTION), C(TCP_CORK), C(TCP_DEFER_ACCEPT), C(TCP_KEEPCNT), C(TCP_KEEPIDLE), C(TCP_KEEPINTVL),
    C(TCP_MAXSEG), C(TCP_NODELAY), C(TCP_SYNCNT),
    /* misc */
    C(SHUT_RD), C(SHUT_WR), C(SHUT_RDWR), C(SCM_RIGHTS), C(SCM_CREDENTIALS), C(SOMAXCONN),
    { "UNIX_MAX_PATH", (long) sizeof(((struct sockaddr_un *) 0)->sun_path) },
    C(INADDR_ANY), C(INADDR_LOOPBACK),
    /* getaddrinfo */
    C(AI_PASSIVE), C(AI_CANONNAME), C(AI_NUMERICHOST), C(AI_V4MAPPED), C(AI_ALL), C(AI_ADDRCONFIG),
    C(AI_NUMERICSERV), C(AI_IDN), C(AI_CANONIDN), C(AI_IDN_ALLOW_UNASSIGNED), C(AI_IDN_USE_STD3_ASCII_RULES),
    C(EAI_AGAIN), C(EAI_BADFLAGS), C(EAI_FAIL), C(EAI_FAMILY), C(EAI_MEMORY),
    C(EAI_NONAME), C(EAI_SERVICE), C(EAI_SOCKTYPE), C(EAI_SYSTEM), C(EAI_OVERFLOW), C(EAI_NODATA),
    C(EAI_ADDRFAMILY),
    /* io_uring network flags */
    C(IORING_ACCEPT_MULTISHOT), C(IORING_RECV_MULTISHOT), C(IORING_RECVSEND_POLL_FIRST),
    C(IORING_CQE_F_BUFFER), C(IORING_CQE_F_MORE), C(IORING_CQE_F_NOTIF), C(IORING_CQE_BUFFER_SHIFT),
    C(IOSQE_BUFFER_SELECT), C(SPLICE_F_NONBLOCK), C(SPLICE_F_MOVE), C(SPLICE_F_MORE),
    /* layouts */
    SIZE("sockaddr_in", struct sockaddr_in), OFF("sockaddr_in", struct sockaddr_in, sin_family),
    OFF("sockaddr_in", struct sockaddr_in, sin_port), OFF("sockaddr_in", struct sockaddr_in, sin_addr),
    SIZE("sockaddr_in6", struct sockaddr_in6), OFF("sockaddr_in6", struct sockaddr_in6, sin6_family),
    OFF("sockaddr_in6", struct sockaddr_in6, sin6_port), OFF("sockaddr_in6", struct sockaddr_in6, sin6_flowinfo),
    OFF("sockaddr_in6", struct sockaddr_in6, sin6_addr), OFF("sockaddr_in6", struct sockaddr_in6, sin6_scope_id),
    SIZE("sockaddr_un", struct sockaddr_un), OFF("sockaddr_un", struct sockaddr_un, sun_family),
    OFF("sockaddr_un", struct sockaddr_un, sun_path), SIZE("sockaddr_storage", struct sockaddr_storage),
    SIZE("msghdr", struct msghdr), OFF("msghdr", struct msghdr, msg_name),
    OFF("msghdr", struct msghdr, msg_namelen), OFF("msghdr", struct msghdr, msg_iov),
    OFF("msghdr", struct msghdr, msg_iovlen), OFF("msghdr", struct msghdr, msg_control),
    OFF("msghdr", struct msghdr, msg_controllen), OFF("msghdr", struct msghdr, msg_flags),
    SIZE("cmsghdr", struct cmsghdr), OFF("cmsghdr", struct cmsghdr, cmsg_len),
    OFF("cmsghdr", struct cmsghdr, cmsg_level), OFF("cmsghdr", struct cmsghdr, cmsg_type),
    { "CMSG_DATA_OFFSET", (long) CMSG_LEN(0) }, { "CMSG_SPACE(4)", (long) CMSG_SPACE(4) },
    SIZE("addrinfo", struct addrinfo), OFF("addrinfo", struct addrinfo, ai_flags),
    OFF("addrinfo", struct addrinfo, ai_family), OFF("addrinfo", struct addrinfo, ai_socktype),
    OFF("addrinfo", struct addrinfo, ai_protocol), OFF("addrinfo", struct addrinfo, ai_addrlen),
    OFF("addrinfo", struct addrinfo, ai_addr), OFF("addrinfo", struct addrinfo, ai_canonname),
    OFF("addrinfo", struct addrinfo, ai_next),
    SIZE("linger", struct linger), OFF("linger", struct linger, l_onoff), OFF("linger", struct linger, l_linger),
    SIZE("timeval", struct timeval), OFF("timeval", struct timeval, tv_usec),
    SIZE("ucred", struct ucred), OFF("ucred", struct ucred, pid), OFF("ucred", struct ucred, uid),
    OFF("ucred", struct ucred, gid),
    SIZE("ip_mreq", struct ip_mreq), SIZE("ip_mreqn", struct ip_mreqn), SIZE("ip_mreq_source", struct ip_mreq_source),
    OFF("ip_mreq_source", struct ip_mreq_source, imr_multiaddr),
    OFF("ip_mreq_source", struct ip_mreq_source, imr_interface),
    OFF("ip_mreq_source", struct ip_mreq_source, imr_sourceaddr),
    SIZE("ipv6_mreq", struct ipv6_mreq), OFF("ipv6_mreq", struct ipv6_mreq, ipv6mr_interface),
    SIZE("io_uring_buf", struct io_uring_buf), OFF("io_uring_buf", struct io_uring_buf, addr),
    OFF("io_uring_buf", struct io_uring_buf, len), OFF("io_uring_buf", struct io_uring_buf, bid),
    { "offsetof(io_uring_buf_ring.tail)", (long) offsetof(struct io_uring_buf_ring, tail) },
};

/*
 * The value of a constant ("SO_REUSEADDR") or layout ("sizeof(sockaddr_in6)",
 * "offsetof(msghdr.msg_control)") by NUL-terminated name; LONG_MIN when the name is unknown
 * (values may be negative, so -errno cannot signal that).
 */
RINGIO_API long ringio_const(long name)
{
    return named_lookup(TABLE, sizeof TABLE / sizeof TABLE[0], name);
}

/* How many names ringio_const knows, and the i-th name into buf (for tests that list them all). */
RINGIO_API int ringio_const_count(void)
{
    return (int) (sizeof TABLE / sizeof TABLE[0]);
}

RINGIO_API int ringio_const_name(int index, long buf, int len)
{
    if (index < 0 || index >= ringio_const_count() || len <= 0 || buf == 0)
        return -EINVAL;
    const char *s = TABLE[index].name;
    size_t n = strlen(s);
    if (n >= (size_t) len)
        n = (size_t) len - 1;
    memcpy((char *) (intptr_t) buf, s, n);
    ((char *) (intptr_t) buf)[n] = '\0';
    return (int) n;
}
