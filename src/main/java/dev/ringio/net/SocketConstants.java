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
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_UNIX = 1;
    public static final int AF_LOCAL = 1;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int AF_ALG = 38;

    // ---- Socket types and flags ----
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_RDM = 4;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int SOCK_DCCP = 6;
    public static final int SOCK_PACKET = 10;

    // ---- Message flags ----
    public static final int MSG_CONFIRM = 0x800;
    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_DONTROUTE = 0x4;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_EOR = 0x80;
    public static final int MSG_ERRQUEUE = 0x2000;
    public static final int MSG_MORE = 0x8000;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    public static final int MSG_PROXY = 0x10;
    public static final int MSG_FIN = 0x200;
    public static final int MSG_SYN = 0x400;
    public static final int MSG_RST = 0x1000;
    public static final int MSG_WAITFORONE = 0x10000;
    public static final int MSG_BATCH = 0x40000;
    public static final int MSG_FASTOPEN = 0x20000000;
    /** The old name of {@link #MSG_DONTROUTE}. */
    public static final int MSG_TRYHARD = MSG_DONTROUTE;

    // ---- Protocols (and option levels) ----
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IPPROTO_IGMP = 2;
    public static final int IPPROTO_SCTP = 132;
    public static final int IPPROTO_UDPLITE = 136;
    public static final int IPPROTO_RAW = 255;
    public static final int IPPROTO_IPIP = 4;
    public static final int IPPROTO_EGP = 8;
    public static final int IPPROTO_PUP = 12;
    public static final int IPPROTO_IDP = 22;
    public static final int IPPROTO_TP = 29;
    public static final int IPPROTO_DCCP = 33;
    public static final int IPPROTO_RSVP = 46;
    public static final int IPPROTO_GRE = 47;
    public static final int IPPROTO_ESP = 50;
    public static final int IPPROTO_AH = 51;
    public static final int IPPROTO_MTP = 92;
    public static final int IPPROTO_BEETPH = 94;
    public static final int IPPROTO_ENCAP = 98;
    public static final int IPPROTO_PIM = 103;
    public static final int IPPROTO_COMP = 108;
    public static final int IPPROTO_MPLS = 137;
    public static final int IPPROTO_ETHERNET = 143;
    public static final int IPPROTO_MPTCP = 262;

    // ---- Option level of socket-wide options ----
    public static final int SOL_SOCKET = 1;

    // ---- SOL_SOCKET options ----
    public static final int SO_ACCEPTCONN = 30;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_BROADCAST = 6;
    public static final int SO_DEBUG = 1;
    public static final int SO_DOMAIN = 39;
    public static final int SO_DONTROUTE = 5;
    public static final int SO_ERROR = 4;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_LINGER = 13;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_PASSCRED = 16;
    public static final int SO_PEERCRED = 17;
    public static final int SO_PEEK_OFF = 42;
    public static final int SO_PROTOCOL = 38;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_SNDLOWAT = 19;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDTIMEO = 21;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_TYPE = 3;
    public static final int SO_TIMESTAMP = 29;

    // ---- IPPROTO_IP options ----
    public static final int IP_ADD_MEMBERSHIP = 35;
    public static final int IP_DROP_MEMBERSHIP = 36;
    public static final int IP_ADD_SOURCE_MEMBERSHIP = 39;
    public static final int IP_DROP_SOURCE_MEMBERSHIP = 40;
    public static final int IP_BLOCK_SOURCE = 38;
    public static final int IP_UNBLOCK_SOURCE = 37;
    public static final int IP_FREEBIND = 15;
    public static final int IP_HDRINCL = 3;
    public static final int IP_MTU = 14;
    public static final int IP_MTU_DISCOVER = 10;
    public static final int IP_MULTICAST_ALL = 49;
    public static final int IP_MULTICAST_IF = 32;
    public static final int IP_MULTICAST_LOOP = 34;
    public static final int IP_MULTICAST_TTL = 33;
    public static final int IP_NODEFRAG = 22;
    public static final int IP_OPTIONS = 4;
    public static final int IP_PKTINFO = 8;
    public static final int IP_RECVERR = 11;
    public static final int IP_RECVORIGDSTADDR = 20;
    public static final int IP_RECVOPTS = 6;
    public static final int IP_RECVTOS = 13;
    public static final int IP_RECVTTL = 12;
    public static final int IP_RETOPTS = 7;
    public static final int IP_ROUTER_ALERT = 5;
    public static final int IP_TOS = 1;
    public static final int IP_TTL = 2;

    // ---- IP_MTU_DISCOVER values ----
    public static final int IP_PMTUDISC_DONT = 0;
    public static final int IP_PMTUDISC_WANT = 1;
    public static final int IP_PMTUDISC_DO = 2;
    public static final int IP_PMTUDISC_PROBE = 3;

    // ---- IP_TOS values ----
    public static final int IPTOS_LOWDELAY = 0x10;
    public static final int IPTOS_THROUGHPUT = 0x8;
    public static final int IPTOS_RELIABILITY = 0x4;
    public static final int IPTOS_MINCOST = 0x2;

    // ---- IPPROTO_IPV6 options ----
    public static final int IPV6_ADDRFORM = 1;
    public static final int IPV6_ADD_MEMBERSHIP = 20;
    public static final int IPV6_DROP_MEMBERSHIP = 21;
    public static final int IPV6_MTU = 24;
    public static final int IPV6_MTU_DISCOVER = 23;
    public static final int IPV6_MULTICAST_HOPS = 18;
    public static final int IPV6_MULTICAST_IF = 17;
    public static final int IPV6_MULTICAST_LOOP = 19;
    public static final int IPV6_RECVPKTINFO = 49;
    public static final int IPV6_RTHDR = 57;
    public static final int IPV6_AUTHHDR = 10;
    public static final int IPV6_DSTOPTS = 59;
    public static final int IPV6_HOPOPTS = 54;
    public static final int IPV6_FLOWINFO = 11;
    public static final int IPV6_HOPLIMIT = 52;
    public static final int IPV6_ROUTER_ALERT = 22;
    public static final int IPV6_UNICAST_HOPS = 16;
    public static final int IPV6_V6ONLY = 26;

    // ---- IPPROTO_TCP options ----
    public static final int TCP_CONGESTION = 13;
    public static final int TCP_CORK = 3;
    public static final int TCP_DEFER_ACCEPT = 9;
    public static final int TCP_KEEPCNT = 6;
    public static final int TCP_KEEPIDLE = 4;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_MAXSEG = 2;
    public static final int TCP_NODELAY = 1;
    public static final int TCP_SYNCNT = 7;

    // ---- shutdown(2) halves ----
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    // ---- Control-message types ----
    public static final int SCM_RIGHTS = 1;
    public static final int SCM_CREDENTIALS = 2;

    // ---- getaddrinfo flags ----
    public static final int AI_PASSIVE = 0x1;
    public static final int AI_CANONNAME = 0x2;
    public static final int AI_NUMERICHOST = 0x4;
    public static final int AI_V4MAPPED = 0x8;
    public static final int AI_ALL = 0x10;
    public static final int AI_ADDRCONFIG = 0x20;
    public static final int AI_NUMERICSERV = 0x400;
    public static final int AI_IDN = 0x40;
    public static final int AI_CANONIDN = 0x80;
    /** Deprecated by glibc 2.28 (ignored); the ABI value. */
    public static final int AI_IDN_ALLOW_UNASSIGNED = 0x100;
    /** Deprecated by glibc 2.28 (ignored); the ABI value. */
    public static final int AI_IDN_USE_STD3_ASCII_RULES = 0x200;

    // ---- getaddrinfo errors (glibc's negative codes) ----
    public static final int EAI_AGAIN = -3;
    public static final int EAI_BADFLAGS = -1;
    public static final int EAI_FAIL = -4;
    public static final int EAI_FAMILY = -6;
    public static final int EAI_MEMORY = -10;
    public static final int EAI_NONAME = -2;
    public static final int EAI_SERVICE = -8;
    public static final int EAI_SOCKTYPE = -7;
    public static final int EAI_SYSTEM = -11;
    public static final int EAI_OVERFLOW = -12;
    public static final int EAI_NODATA = -5;
    public static final int EAI_ADDRFAMILY = -9;

    // ---- Miscellaneous ----
    public static final int SOMAXCONN = 4096;
    public static final int UNIX_MAX_PATH = 108;
    public static final int INADDR_ANY = 0x0;
    public static final int INADDR_LOOPBACK = 0x7f000001;
}
