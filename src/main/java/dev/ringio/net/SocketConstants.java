package dev.ringio.net;

/**
 * The C constants of the socket layer, Linux x86_64 values, under their C names: address
 * families, socket types, message flags, protocols, option levels and option numbers, IP_MTU_DISCOVER
 * and IP_TOS values, {@code shutdown} halves, {@code SCM_RIGHTS}, {@code getaddrinfo} flags and
 * errors. Every value is checked against the shim's {@code ringio_const} (compiled from the C
 * headers) in {@code SocketConstantsTest}.
 *
 * <p>The typed API ({@link Domain}, {@link SocketType}, {@link Protocol}, {@link MsgFlag},
 * {@link ShutdownHow}, {@link SocketOptions}, {@link AiFlag}) is what ringio's methods take; these
 * are for code that mirrors C, and for {@link SocketOption#ofInt(String, int, int)}.
 *
 * <p>Linux spells the out-of-band option {@code SO_OOBINLINE} (Gerbil's table says
 * {@code SO_OOBLINE}); Gerbil's {@code SO_USELOOPBACK} is a BSD option Linux does not have.
 */
public final class SocketConstants {

    private SocketConstants() {
    }

    // ---- Address families (socket domains) ----
    /** AF_UNSPEC: no particular address family (getaddrinfo: any). */
    public static final int AF_UNSPEC = 0;
    /** AF_INET: IPv4. */
    public static final int AF_INET = 2;
    /** AF_INET6: IPv6. */
    public static final int AF_INET6 = 10;
    /** AF_UNIX: Unix domain sockets (local, named by a path or abstract name). */
    public static final int AF_UNIX = 1;
    /** AF_LOCAL: the POSIX name of {@link #AF_UNIX}. */
    public static final int AF_LOCAL = 1;
    /** AF_NETLINK: kernel/user-space messaging (routing, uevents, ...). */
    public static final int AF_NETLINK = 16;
    /** AF_PACKET: raw link-level packets. */
    public static final int AF_PACKET = 17;
    /** AF_ALG: the kernel crypto API. */
    public static final int AF_ALG = 38;

    // ---- Socket types and flags ----
    /** SOCK_STREAM: a reliable, ordered, connected byte stream (TCP). */
    public static final int SOCK_STREAM = 1;
    /** SOCK_DGRAM: connectionless datagrams of a fixed maximum length (UDP). */
    public static final int SOCK_DGRAM = 2;
    /** SOCK_RAW: raw network-protocol access. */
    public static final int SOCK_RAW = 3;
    /** SOCK_SEQPACKET: reliable, ordered, connected datagrams with record boundaries. */
    public static final int SOCK_SEQPACKET = 5;
    /** SOCK_RDM: reliable datagrams without ordering. */
    public static final int SOCK_RDM = 4;
    /** SOCK_NONBLOCK: type modifier, open the socket with O_NONBLOCK. */
    public static final int SOCK_NONBLOCK = 04000;
    /** SOCK_CLOEXEC: type modifier, open the socket with close-on-exec (O_CLOEXEC). */
    public static final int SOCK_CLOEXEC = 02000000;
    /** SOCK_DCCP: Datagram Congestion Control Protocol sockets. */
    public static final int SOCK_DCCP = 6;
    /** SOCK_PACKET: obsolete link-level packet sockets (use {@link #AF_PACKET}). */
    public static final int SOCK_PACKET = 10;

    // ---- Message flags ----
    /** MSG_CONFIRM: tell the link layer the peer answered (no ARP/neighbour probe needed). */
    public static final int MSG_CONFIRM = 0x800;
    /** MSG_CTRUNC: (recvmsg result) control data was truncated for lack of room. */
    public static final int MSG_CTRUNC = 0x8;
    /** MSG_DONTROUTE: send only to hosts on directly connected networks. */
    public static final int MSG_DONTROUTE = 0x4;
    /** MSG_DONTWAIT: do not block for this call (per-call non-blocking). */
    public static final int MSG_DONTWAIT = 0x40;
    /** MSG_EOR: end of record (SOCK_SEQPACKET). */
    public static final int MSG_EOR = 0x80;
    /** MSG_ERRQUEUE: receive queued errors from the socket's error queue. */
    public static final int MSG_ERRQUEUE = 0x2000;
    /** MSG_MORE: more data follows; the kernel may hold this send to coalesce it. */
    public static final int MSG_MORE = 0x8000;
    /** MSG_NOSIGNAL: a send on a broken stream fails with EPIPE without raising SIGPIPE. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** MSG_OOB: send or receive out-of-band (TCP urgent) data. */
    public static final int MSG_OOB = 0x1;
    /** MSG_PEEK: return data without removing it from the receive queue. */
    public static final int MSG_PEEK = 0x2;
    /**
     * MSG_TRUNC: (recv) return a datagram's real length even if longer than the buffer; (result) it
     * was truncated.
     */
    public static final int MSG_TRUNC = 0x20;
    /**
     * MSG_WAITALL: block until the full request is satisfied (or an error, signal or end of
     * stream).
     */
    public static final int MSG_WAITALL = 0x100;
    /** MSG_CMSG_CLOEXEC: set close-on-exec on descriptors received with SCM_RIGHTS. */
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** MSG_PROXY: internal kernel flag (supply or ask for a proxy address); the ABI value. */
    public static final int MSG_PROXY = 0x10;
    /** MSG_FIN: internal TCP flag; the ABI value. */
    public static final int MSG_FIN = 0x200;
    /** MSG_SYN: internal TCP flag; the ABI value. */
    public static final int MSG_SYN = 0x400;
    /** MSG_RST: internal TCP flag; the ABI value. */
    public static final int MSG_RST = 0x1000;
    /** MSG_WAITFORONE: recvmmsg, turn on MSG_DONTWAIT after the first message. */
    public static final int MSG_WAITFORONE = 0x10000;
    /** MSG_BATCH: sendmmsg, more messages follow in this batch. */
    public static final int MSG_BATCH = 0x40000;
    /** MSG_FASTOPEN: send data in the SYN (TCP Fast Open), connecting on the way. */
    public static final int MSG_FASTOPEN = 0x20000000;
    /** The old name of {@link #MSG_DONTROUTE}. */
    public static final int MSG_TRYHARD = MSG_DONTROUTE;

    // ---- Protocols (and option levels) ----
    /** IPPROTO_IP: dummy protocol for IP (the default), and the IPv4 option level. */
    public static final int IPPROTO_IP = 0;
    /** IPPROTO_IPV6: IPv6, and the IPv6 option level. */
    public static final int IPPROTO_IPV6 = 41;
    /** IPPROTO_TCP: TCP, and the TCP option level. */
    public static final int IPPROTO_TCP = 6;
    /** IPPROTO_UDP: UDP, and the UDP option level. */
    public static final int IPPROTO_UDP = 17;
    /** IPPROTO_ICMP: Internet Control Message Protocol. */
    public static final int IPPROTO_ICMP = 1;
    /** IPPROTO_ICMPV6: ICMP for IPv6. */
    public static final int IPPROTO_ICMPV6 = 58;
    /** IPPROTO_IGMP: Internet Group Management Protocol. */
    public static final int IPPROTO_IGMP = 2;
    /** IPPROTO_SCTP: Stream Control Transmission Protocol. */
    public static final int IPPROTO_SCTP = 132;
    /** IPPROTO_UDPLITE: UDP-Lite. */
    public static final int IPPROTO_UDPLITE = 136;
    /** IPPROTO_RAW: raw IP packets (the caller writes the IP header). */
    public static final int IPPROTO_RAW = 255;
    /** IPPROTO_IPIP: IP-in-IP tunnelling. */
    public static final int IPPROTO_IPIP = 4;
    /** IPPROTO_EGP: Exterior Gateway Protocol. */
    public static final int IPPROTO_EGP = 8;
    /** IPPROTO_PUP: PUP protocol. */
    public static final int IPPROTO_PUP = 12;
    /** IPPROTO_IDP: XNS IDP protocol. */
    public static final int IPPROTO_IDP = 22;
    /** IPPROTO_TP: ISO Transport Protocol Class 4. */
    public static final int IPPROTO_TP = 29;
    /** IPPROTO_DCCP: Datagram Congestion Control Protocol. */
    public static final int IPPROTO_DCCP = 33;
    /** IPPROTO_RSVP: Resource Reservation Protocol. */
    public static final int IPPROTO_RSVP = 46;
    /** IPPROTO_GRE: Generic Routing Encapsulation. */
    public static final int IPPROTO_GRE = 47;
    /** IPPROTO_ESP: IPsec Encapsulating Security Payload. */
    public static final int IPPROTO_ESP = 50;
    /** IPPROTO_AH: IPsec Authentication Header. */
    public static final int IPPROTO_AH = 51;
    /** IPPROTO_MTP: Multicast Transport Protocol. */
    public static final int IPPROTO_MTP = 92;
    /** IPPROTO_BEETPH: IP option pseudo-header for IPsec BEET mode. */
    public static final int IPPROTO_BEETPH = 94;
    /** IPPROTO_ENCAP: encapsulation header. */
    public static final int IPPROTO_ENCAP = 98;
    /** IPPROTO_PIM: Protocol Independent Multicast. */
    public static final int IPPROTO_PIM = 103;
    /** IPPROTO_COMP: IP payload compression. */
    public static final int IPPROTO_COMP = 108;
    /** IPPROTO_MPLS: MPLS in IP. */
    public static final int IPPROTO_MPLS = 137;
    /** IPPROTO_ETHERNET: Ethernet-within-IPv6 encapsulation. */
    public static final int IPPROTO_ETHERNET = 143;
    /** IPPROTO_MPTCP: Multipath TCP (a SOCK_STREAM protocol). */
    public static final int IPPROTO_MPTCP = 262;

    // ---- Option level of socket-wide options ----
    /** SOL_SOCKET: the option level of socket-wide ({@code SO_*}) options. */
    public static final int SOL_SOCKET = 1;

    // ---- SOL_SOCKET options ----
    /** SO_ACCEPTCONN: (read-only) whether the socket is listening. */
    public static final int SO_ACCEPTCONN = 30;
    /** SO_BINDTODEVICE: bind the socket to a network interface by name. */
    public static final int SO_BINDTODEVICE = 25;
    /** SO_BROADCAST: allow datagrams to broadcast addresses. */
    public static final int SO_BROADCAST = 6;
    /** SO_DEBUG: enable protocol debugging (needs CAP_NET_ADMIN). */
    public static final int SO_DEBUG = 1;
    /** SO_DOMAIN: (read-only) the socket's address family. */
    public static final int SO_DOMAIN = 39;
    /**
     * SO_DONTROUTE: send only to directly connected hosts (as {@link #MSG_DONTROUTE} on every
     * send).
     */
    public static final int SO_DONTROUTE = 5;
    /** SO_ERROR: (read-only) get and clear the pending socket error. */
    public static final int SO_ERROR = 4;
    /** SO_KEEPALIVE: send keep-alive probes on an idle connection. */
    public static final int SO_KEEPALIVE = 9;
    /** SO_LINGER: how close and shutdown wait for unsent data (a {@code struct linger}). */
    public static final int SO_LINGER = 13;
    /** SO_OOBINLINE: deliver out-of-band data in line with normal data. */
    public static final int SO_OOBINLINE = 10;
    /** SO_PASSCRED: receive SCM_CREDENTIALS messages (Unix sockets). */
    public static final int SO_PASSCRED = 16;
    /** SO_PEERCRED: (read-only) the peer process's credentials (Unix sockets). */
    public static final int SO_PEERCRED = 17;
    /** SO_PEEK_OFF: the offset at which MSG_PEEK reads, advanced by each peek. */
    public static final int SO_PEEK_OFF = 42;
    /** SO_PROTOCOL: (read-only) the socket's protocol. */
    public static final int SO_PROTOCOL = 38;
    /** SO_RCVBUF: the receive buffer size in bytes (the kernel doubles the value set). */
    public static final int SO_RCVBUF = 8;
    /** SO_SNDBUF: the send buffer size in bytes (the kernel doubles the value set). */
    public static final int SO_SNDBUF = 7;
    /** SO_RCVLOWAT: the fewest bytes a receive waits for. */
    public static final int SO_RCVLOWAT = 18;
    /** SO_SNDLOWAT: the fewest bytes a send waits for (not changeable on Linux). */
    public static final int SO_SNDLOWAT = 19;
    /** SO_RCVTIMEO: the timeout of a blocking receive (a {@code struct timeval}). */
    public static final int SO_RCVTIMEO = 20;
    /** SO_SNDTIMEO: the timeout of a blocking send (a {@code struct timeval}). */
    public static final int SO_SNDTIMEO = 21;
    /** SO_REUSEADDR: allow binding a local address still in TIME_WAIT. */
    public static final int SO_REUSEADDR = 2;
    /**
     * SO_REUSEPORT: let several sockets bind the same address and port, the kernel balancing
     * between them.
     */
    public static final int SO_REUSEPORT = 15;
    /** SO_TYPE: (read-only) the socket type. */
    public static final int SO_TYPE = 3;
    /** SO_TIMESTAMP: receive a SCM_TIMESTAMP control message with each datagram. */
    public static final int SO_TIMESTAMP = 29;

    // ---- IPPROTO_IP options ----
    /** IP_ADD_MEMBERSHIP: join a multicast group (a {@code struct ip_mreqn}). */
    public static final int IP_ADD_MEMBERSHIP = 35;
    /** IP_DROP_MEMBERSHIP: leave a multicast group. */
    public static final int IP_DROP_MEMBERSHIP = 36;
    /**
     * IP_ADD_SOURCE_MEMBERSHIP: join a multicast group for one source (a {@code struct
     * ip_mreq_source}).
     */
    public static final int IP_ADD_SOURCE_MEMBERSHIP = 39;
    /** IP_DROP_SOURCE_MEMBERSHIP: leave a source-specific multicast group. */
    public static final int IP_DROP_SOURCE_MEMBERSHIP = 40;
    /** IP_BLOCK_SOURCE: stop receiving a joined group's data from one source. */
    public static final int IP_BLOCK_SOURCE = 38;
    /** IP_UNBLOCK_SOURCE: receive a joined group's data from a blocked source again. */
    public static final int IP_UNBLOCK_SOURCE = 37;
    /** IP_FREEBIND: allow binding an address that is not (yet) local. */
    public static final int IP_FREEBIND = 15;
    /** IP_HDRINCL: (raw sockets) the caller supplies the IP header. */
    public static final int IP_HDRINCL = 3;
    /** IP_MTU: (read-only, connected) the current known path MTU. */
    public static final int IP_MTU = 14;
    /** IP_MTU_DISCOVER: the path-MTU discovery mode ({@code IP_PMTUDISC_*}). */
    public static final int IP_MTU_DISCOVER = 10;
    /** IP_MULTICAST_ALL: receive every joined group's datagrams, not only this socket's groups. */
    public static final int IP_MULTICAST_ALL = 49;
    /** IP_MULTICAST_IF: the interface outgoing multicast leaves by. */
    public static final int IP_MULTICAST_IF = 32;
    /** IP_MULTICAST_LOOP: whether outgoing multicast loops back to local listeners. */
    public static final int IP_MULTICAST_LOOP = 34;
    /** IP_MULTICAST_TTL: the time-to-live of outgoing multicast. */
    public static final int IP_MULTICAST_TTL = 33;
    /** IP_NODEFRAG: (raw sockets) do not reassemble fragments. */
    public static final int IP_NODEFRAG = 22;
    /** IP_OPTIONS: the IP options sent with every packet. */
    public static final int IP_OPTIONS = 4;
    /**
     * IP_PKTINFO: receive an IP_PKTINFO control message (interface, addresses) with each datagram.
     */
    public static final int IP_PKTINFO = 8;
    /** IP_RECVERR: queue extended errors on the error queue (read with MSG_ERRQUEUE). */
    public static final int IP_RECVERR = 11;
    /** IP_RECVORIGDSTADDR: receive the original destination address (transparent proxying). */
    public static final int IP_RECVORIGDSTADDR = 20;
    /** IP_RECVOPTS: receive incoming IP options in a control message. */
    public static final int IP_RECVOPTS = 6;
    /** IP_RECVTOS: receive the TOS field in a control message. */
    public static final int IP_RECVTOS = 13;
    /** IP_RECVTTL: receive the TTL field in a control message. */
    public static final int IP_RECVTTL = 12;
    /** IP_RETOPTS: as IP_RECVOPTS, raw options without timestamp and route records filled in. */
    public static final int IP_RETOPTS = 7;
    /** IP_ROUTER_ALERT: (raw sockets) receive packets with the Router Alert option. */
    public static final int IP_ROUTER_ALERT = 5;
    /** IP_TOS: the type-of-service (DSCP/ECN) byte of outgoing packets. */
    public static final int IP_TOS = 1;
    /** IP_TTL: the time-to-live of outgoing unicast packets. */
    public static final int IP_TTL = 2;

    // ---- IP_MTU_DISCOVER values ----
    /** IP_PMTUDISC_DONT: never send with Don't Fragment. */
    public static final int IP_PMTUDISC_DONT = 0;
    /** IP_PMTUDISC_WANT: use per-route hints for path-MTU discovery. */
    public static final int IP_PMTUDISC_WANT = 1;
    /** IP_PMTUDISC_DO: always send with Don't Fragment. */
    public static final int IP_PMTUDISC_DO = 2;
    /** IP_PMTUDISC_PROBE: set Don't Fragment but ignore the path MTU. */
    public static final int IP_PMTUDISC_PROBE = 3;

    // ---- IP_TOS values ----
    /** IPTOS_LOWDELAY: IP_TOS minimize delay. */
    public static final int IPTOS_LOWDELAY = 0x10;
    /** IPTOS_THROUGHPUT: IP_TOS maximize throughput. */
    public static final int IPTOS_THROUGHPUT = 0x8;
    /** IPTOS_RELIABILITY: IP_TOS maximize reliability. */
    public static final int IPTOS_RELIABILITY = 0x4;
    /** IPTOS_MINCOST: IP_TOS minimize monetary cost. */
    public static final int IPTOS_MINCOST = 0x2;

    // ---- IPPROTO_IPV6 options ----
    /**
     * IPV6_ADDRFORM: turn an IPv6 socket connected to a v4-mapped address into an AF_INET socket.
     */
    public static final int IPV6_ADDRFORM = 1;
    /** IPV6_ADD_MEMBERSHIP: join an IPv6 multicast group (a {@code struct ipv6_mreq}). */
    public static final int IPV6_ADD_MEMBERSHIP = 20;
    /** IPV6_DROP_MEMBERSHIP: leave an IPv6 multicast group. */
    public static final int IPV6_DROP_MEMBERSHIP = 21;
    /** IPV6_MTU: the MTU of the socket (read: the current known path MTU). */
    public static final int IPV6_MTU = 24;
    /** IPV6_MTU_DISCOVER: the path-MTU discovery mode (as {@link #IP_MTU_DISCOVER}). */
    public static final int IPV6_MTU_DISCOVER = 23;
    /** IPV6_MULTICAST_HOPS: the hop limit of outgoing multicast. */
    public static final int IPV6_MULTICAST_HOPS = 18;
    /** IPV6_MULTICAST_IF: the interface index outgoing multicast leaves by. */
    public static final int IPV6_MULTICAST_IF = 17;
    /** IPV6_MULTICAST_LOOP: whether outgoing multicast loops back to local listeners. */
    public static final int IPV6_MULTICAST_LOOP = 19;
    /** IPV6_RECVPKTINFO: receive an IPV6_PKTINFO control message with each datagram. */
    public static final int IPV6_RECVPKTINFO = 49;
    /** IPV6_RTHDR: deliver the routing header in a control message. */
    public static final int IPV6_RTHDR = 57;
    /** IPV6_AUTHHDR: deliver the authentication header (obsolete); the ABI value. */
    public static final int IPV6_AUTHHDR = 10;
    /** IPV6_DSTOPTS: deliver the destination options in a control message. */
    public static final int IPV6_DSTOPTS = 59;
    /** IPV6_HOPOPTS: deliver the hop-by-hop options in a control message. */
    public static final int IPV6_HOPOPTS = 54;
    /** IPV6_FLOWINFO: deliver the flow label in a control message. */
    public static final int IPV6_FLOWINFO = 11;
    /** IPV6_HOPLIMIT: deliver the hop limit in a control message. */
    public static final int IPV6_HOPLIMIT = 52;
    /** IPV6_ROUTER_ALERT: (raw sockets) receive packets with the Router Alert option. */
    public static final int IPV6_ROUTER_ALERT = 22;
    /** IPV6_UNICAST_HOPS: the hop limit of outgoing unicast packets. */
    public static final int IPV6_UNICAST_HOPS = 16;
    /** IPV6_V6ONLY: restrict an AF_INET6 socket to IPv6 (no v4-mapped addresses). */
    public static final int IPV6_V6ONLY = 26;

    // ---- IPPROTO_TCP options ----
    /** TCP_CONGESTION: the congestion-control algorithm, by name. */
    public static final int TCP_CONGESTION = 13;
    /** TCP_CORK: hold partial frames until uncorked (or 200 ms pass). */
    public static final int TCP_CORK = 3;
    /** TCP_DEFER_ACCEPT: wake a listener only when data arrives, up to this many seconds. */
    public static final int TCP_DEFER_ACCEPT = 9;
    /** TCP_KEEPCNT: the keep-alive probes sent before the connection is dropped. */
    public static final int TCP_KEEPCNT = 6;
    /** TCP_KEEPIDLE: the idle seconds before keep-alive probes start. */
    public static final int TCP_KEEPIDLE = 4;
    /** TCP_KEEPINTVL: the seconds between keep-alive probes. */
    public static final int TCP_KEEPINTVL = 5;
    /** TCP_MAXSEG: the maximum segment size of outgoing TCP packets. */
    public static final int TCP_MAXSEG = 2;
    /** TCP_NODELAY: send at once, turning off Nagle's algorithm. */
    public static final int TCP_NODELAY = 1;
    /** TCP_SYNCNT: the SYN retransmits before a connect gives up. */
    public static final int TCP_SYNCNT = 7;

    // ---- shutdown(2) halves ----
    /** SHUT_RD: shut down the receiving half. */
    public static final int SHUT_RD = 0;
    /** SHUT_WR: shut down the sending half (the peer reads end of stream). */
    public static final int SHUT_WR = 1;
    /** SHUT_RDWR: shut down both halves. */
    public static final int SHUT_RDWR = 2;

    // ---- Control-message types ----
    /** SCM_RIGHTS: control message passing open file descriptors (Unix sockets). */
    public static final int SCM_RIGHTS = 1;
    /** SCM_CREDENTIALS: control message passing process credentials (Unix sockets). */
    public static final int SCM_CREDENTIALS = 2;

    // ---- getaddrinfo flags ----
    /** AI_PASSIVE: with a null node, return wildcard addresses for bind. */
    public static final int AI_PASSIVE = 0x1;
    /** AI_CANONNAME: return the host's canonical name in the first result. */
    public static final int AI_CANONNAME = 0x2;
    /** AI_NUMERICHOST: the node is a numeric address; never resolve a name. */
    public static final int AI_NUMERICHOST = 0x4;
    /** AI_V4MAPPED: with AF_INET6 and no IPv6 address, return IPv4-mapped IPv6 addresses. */
    public static final int AI_V4MAPPED = 0x8;
    /** AI_ALL: with AI_V4MAPPED, return both IPv6 and IPv4-mapped addresses. */
    public static final int AI_ALL = 0x10;
    /** AI_ADDRCONFIG: return an address family only if the host has an address of it configured. */
    public static final int AI_ADDRCONFIG = 0x20;
    /** AI_NUMERICSERV: the service is a port number; never look a name up. */
    public static final int AI_NUMERICSERV = 0x400;
    /** AI_IDN: convert an internationalized node name to IDN form first. */
    public static final int AI_IDN = 0x40;
    /** AI_CANONIDN: convert the canonical name from IDN form. */
    public static final int AI_CANONIDN = 0x80;
    /** Deprecated by glibc 2.28 (ignored); the ABI value. */
    public static final int AI_IDN_ALLOW_UNASSIGNED = 0x100;
    /** Deprecated by glibc 2.28 (ignored); the ABI value. */
    public static final int AI_IDN_USE_STD3_ASCII_RULES = 0x200;

    // ---- getaddrinfo errors (glibc's negative codes) ----
    /** EAI_AGAIN: temporary failure in name resolution; try again later. */
    public static final int EAI_AGAIN = -3;
    /** EAI_BADFLAGS: invalid {@code ai_flags}. */
    public static final int EAI_BADFLAGS = -1;
    /** EAI_FAIL: non-recoverable failure in name resolution. */
    public static final int EAI_FAIL = -4;
    /** EAI_FAMILY: the address family is not supported. */
    public static final int EAI_FAMILY = -6;
    /** EAI_MEMORY: out of memory. */
    public static final int EAI_MEMORY = -10;
    /** EAI_NONAME: the node or service is not known. */
    public static final int EAI_NONAME = -2;
    /** EAI_SERVICE: the service is not available for the socket type. */
    public static final int EAI_SERVICE = -8;
    /** EAI_SOCKTYPE: the socket type is not supported. */
    public static final int EAI_SOCKTYPE = -7;
    /** EAI_SYSTEM: a system error, in errno. */
    public static final int EAI_SYSTEM = -11;
    /** EAI_OVERFLOW: an argument buffer overflowed. */
    public static final int EAI_OVERFLOW = -12;
    /** EAI_NODATA: the host exists but has no address. */
    public static final int EAI_NODATA = -5;
    /** EAI_ADDRFAMILY: the host has no address in the requested family. */
    public static final int EAI_ADDRFAMILY = -9;

    // ---- Miscellaneous ----
    /**
     * SOMAXCONN: the default of {@code net.core.somaxconn}, the cap on a listen backlog (4096
     * since Linux 5.4).
     */
    public static final int SOMAXCONN = 4096;
    /** UNIX_MAX_PATH: the size of {@code sun_path} in {@code struct sockaddr_un}. */
    public static final int UNIX_MAX_PATH = 108;
    /** INADDR_ANY: the IPv4 wildcard address 0.0.0.0. */
    public static final int INADDR_ANY = 0x0;
    /** INADDR_LOOPBACK: the IPv4 loopback address 127.0.0.1, in host byte order. */
    public static final int INADDR_LOOPBACK = 0x7f000001;
}
