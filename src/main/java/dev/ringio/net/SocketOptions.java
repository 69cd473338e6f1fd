package dev.ringio.net;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.ringio.net.SocketConstants.IPPROTO_IP;
import static dev.ringio.net.SocketConstants.IPPROTO_IPV6;
import static dev.ringio.net.SocketConstants.IPPROTO_TCP;
import static dev.ringio.net.SocketConstants.SOL_SOCKET;

/**
 * The socket-option table of Gerbil's socket reference, typed, with Linux's semantics: one
 * constant per option. Switches are {@code Boolean}; counts, sizes and enumerated values are
 * {@code Integer} (signed: {@code PEEK_OFF} reads -1 when off); {@code LINGER} is a {@link Linger},
 * the timeouts a {@link Duration} ({@code struct timeval}), {@code PEERCRED} a {@link Ucred}; device
 * and algorithm names are {@code String}s; IP options and IPv6 extension headers raw {@code byte[]};
 * multicast membership takes {@link IpMreq}, {@link IpMreqSource} or {@link Ipv6Mreq}.
 *
 * <p>Socket-level options drop the {@code SO_} prefix ({@link #REUSEADDR}); the others keep their C
 * names ({@link #IP_TTL}, {@link #IPV6_V6ONLY}, {@link #TCP_NODELAY}). Read-only options
 * ({@link #ACCEPTCONN}, {@link #DOMAIN}, {@link #ERROR}, {@link #PEERCRED}, {@link #PROTOCOL},
 * {@link #TYPE}, {@link #IP_MTU}) and write-only ones (the membership options,
 * {@link #IP_MULTICAST_IF}, {@link #IPV6_ADDRFORM}) refuse the other direction with
 * {@link UnsupportedOperationException} before any system call.
 *
 * <p>Where Linux differs from Gerbil's table, Linux wins: {@code SO_OOBINLINE} (Gerbil:
 * {@code SO_OOBLINE}); {@code SO_USELOOPBACK} is left out (BSD only); {@code SO_PROTOCOL} and
 * {@code SO_TYPE} are read-only; {@code IP_PKTINFO} is a switch (Linux takes an {@code int};
 * {@code struct in_pktinfo} only travels as ancillary data); {@code IPV6_RTHDR},
 * {@code IPV6_DSTOPTS} and {@code IPV6_HOPOPTS} are the raw sticky extension headers; a
 * {@code TCP_CONGESTION} read gives the algorithm's name. Some entries are accepted only on some
 * sockets, as the kernel decides (e.g. {@code IP_HDRINCL} on raw sockets: ENOPROTOOPT elsewhere;
 * {@code SNDLOWAT} cannot be changed on Linux: ENOPROTOOPT; {@code IPV6_AUTHHDR} and
 * {@code IPV6_HOPLIMIT} exist only as numbers: ENOPROTOOPT).
 */
public final class SocketOptions {

    private SocketOptions() {
    }

    // Longest names the kernel keeps: IFNAMSIZ - 1 and TCP_CA_NAME_MAX - 1.
    private static final int IFNAME_MAX = 15;
    private static final int CA_NAME_MAX = 15;
    // IP options are at most 40 bytes; an IPv6 extension header at most (255 + 1) * 8.
    private static final int IP_OPTIONS_MAX = 40;
    private static final int IPV6_EXT_HEADER_MAX = 2048;

    // ---- SOL_SOCKET ------------------------------------------------------------------------------

    /** {@code SO_ACCEPTCONN}: whether the socket is listening. Read-only. */
    public static final SocketOption<Boolean> ACCEPTCONN = ro("SO_ACCEPTCONN", SOL_SOCKET, 30, OptionCodec.BOOLEAN);
    /** {@code SO_BINDTODEVICE}: the interface the socket is bound to ("" for none; write "" to unbind). */
    public static final SocketOption<String> BINDTODEVICE = rw("SO_BINDTODEVICE", SOL_SOCKET, 25, OptionCodec.string(IFNAME_MAX));
    /** {@code SO_BROADCAST}: datagrams may go to broadcast addresses. */
    public static final SocketOption<Boolean> BROADCAST = rw("SO_BROADCAST", SOL_SOCKET, 6, OptionCodec.BOOLEAN);
    /** {@code SO_DEBUG}: socket debugging (turning it on needs CAP_NET_ADMIN: EACCES otherwise). */
    public static final SocketOption<Boolean> DEBUG = rw("SO_DEBUG", SOL_SOCKET, 1, OptionCodec.BOOLEAN);
    /** {@code SO_DOMAIN}: the address family ({@code AF_*}; see {@link Sockets#domain}). Read-only. */
    public static final SocketOption<Integer> DOMAIN = ro("SO_DOMAIN", SOL_SOCKET, 39, OptionCodec.INT);
    /** {@code SO_DONTROUTE}: send only to directly connected hosts. */
    public static final SocketOption<Boolean> DONTROUTE = rw("SO_DONTROUTE", SOL_SOCKET, 5, OptionCodec.BOOLEAN);
    /** {@code SO_ERROR}: the pending error (an errno value, 0 for none); reading clears it. Read-only. */
    public static final SocketOption<Integer> ERROR = ro("SO_ERROR", SOL_SOCKET, 4, OptionCodec.INT);
    /** {@code SO_KEEPALIVE}: send keep-alive probes on an idle connection. */
    public static final SocketOption<Boolean> KEEPALIVE = rw("SO_KEEPALIVE", SOL_SOCKET, 9, OptionCodec.BOOLEAN);
    /** {@code SO_LINGER}: how close treats unsent data. */
    public static final SocketOption<Linger> LINGER = rw("SO_LINGER", SOL_SOCKET, 13, OptionCodec.LINGER);
    /** {@code SO_OOBINLINE}: out-of-band data arrives in the normal stream. */
    public static final SocketOption<Boolean> OOBINLINE = rw("SO_OOBINLINE", SOL_SOCKET, 10, OptionCodec.BOOLEAN);
    /** {@code SO_PASSCRED}: receive SCM_CREDENTIALS (Unix sockets). */
    public static final SocketOption<Boolean> PASSCRED = rw("SO_PASSCRED", SOL_SOCKET, 16, OptionCodec.BOOLEAN);
    /** {@code SO_PEERCRED}: the connected peer's pid, uid and gid (Unix sockets). Read-only. */
    public static final SocketOption<Ucred> PEERCRED = ro("SO_PEERCRED", SOL_SOCKET, 17, OptionCodec.UCRED);
    /** {@code SO_PEEK_OFF}: the offset MSG_PEEK reads from; -1 (the default) turns it off. */
    public static final SocketOption<Integer> PEEK_OFF = rw("SO_PEEK_OFF", SOL_SOCKET, 42, OptionCodec.INT);
    /** {@code SO_PROTOCOL}: the protocol ({@code IPPROTO_*}). Read-only. */
    public static final SocketOption<Integer> PROTOCOL = ro("SO_PROTOCOL", SOL_SOCKET, 38, OptionCodec.INT);
    /** {@code SO_RCVBUF}: receive buffer size; the kernel doubles what is written (socket(7)). */
    public static final SocketOption<Integer> RCVBUF = rw("SO_RCVBUF", SOL_SOCKET, 8, OptionCodec.INT);
    /** {@code SO_SNDBUF}: send buffer size; the kernel doubles what is written (socket(7)). */
    public static final SocketOption<Integer> SNDBUF = rw("SO_SNDBUF", SOL_SOCKET, 7, OptionCodec.INT);
    /** {@code SO_RCVLOWAT}: bytes a receive waits for. */
    public static final SocketOption<Integer> RCVLOWAT = rw("SO_RCVLOWAT", SOL_SOCKET, 18, OptionCodec.INT);
    /** {@code SO_SNDLOWAT}: always 1 on Linux; writing it fails with ENOPROTOOPT (socket(7)). */
    public static final SocketOption<Integer> SNDLOWAT = rw("SO_SNDLOWAT", SOL_SOCKET, 19, OptionCodec.INT);
    /** {@code SO_RCVTIMEO}: receive timeout ({@link Duration#ZERO}: none); a timed-out call fails with EAGAIN. */
    public static final SocketOption<Duration> RCVTIMEO = rw("SO_RCVTIMEO", SOL_SOCKET, 20, OptionCodec.TIMEVAL);
    /** {@code SO_SNDTIMEO}: send (and blocking connect) timeout ({@link Duration#ZERO}: none). */
    public static final SocketOption<Duration> SNDTIMEO = rw("SO_SNDTIMEO", SOL_SOCKET, 21, OptionCodec.TIMEVAL);
    /** {@code SO_REUSEADDR}: bind may reuse a local address (e.g. one in TIME_WAIT). */
    public static final SocketOption<Boolean> REUSEADDR = rw("SO_REUSEADDR", SOL_SOCKET, 2, OptionCodec.BOOLEAN);
    /** {@code SO_REUSEPORT}: several sockets may bind the same address and share its traffic. */
    public static final SocketOption<Boolean> REUSEPORT = rw("SO_REUSEPORT", SOL_SOCKET, 15, OptionCodec.BOOLEAN);
    /** {@code SO_TYPE}: the socket type ({@code SOCK_*}; see {@link Sockets#type}). Read-only. */
    public static final SocketOption<Integer> TYPE = ro("SO_TYPE", SOL_SOCKET, 3, OptionCodec.INT);
    /** {@code SO_TIMESTAMP}: receive SCM_TIMESTAMP control messages. */
    public static final SocketOption<Boolean> TIMESTAMP = rw("SO_TIMESTAMP", SOL_SOCKET, 29, OptionCodec.BOOLEAN);

    // ---- IPPROTO_IP ------------------------------------------------------------------------------

    /** {@code IP_ADD_MEMBERSHIP}: join a multicast group. Write-only. */
    public static final SocketOption<IpMreq> IP_ADD_MEMBERSHIP = wo("IP_ADD_MEMBERSHIP", IPPROTO_IP, 35, OptionCodec.IP_MREQ);
    /** {@code IP_DROP_MEMBERSHIP}: leave a multicast group (EADDRNOTAVAIL if not joined). Write-only. */
    public static final SocketOption<IpMreq> IP_DROP_MEMBERSHIP = wo("IP_DROP_MEMBERSHIP", IPPROTO_IP, 36, OptionCodec.IP_MREQ);
    /** {@code IP_ADD_SOURCE_MEMBERSHIP}: join a group, receiving from one source only. Write-only. */
    public static final SocketOption<IpMreqSource> IP_ADD_SOURCE_MEMBERSHIP =
            wo("IP_ADD_SOURCE_MEMBERSHIP", IPPROTO_IP, 39, OptionCodec.IP_MREQ_SOURCE);
    /** {@code IP_DROP_SOURCE_MEMBERSHIP}: stop receiving a group from a source. Write-only. */
    public static final SocketOption<IpMreqSource> IP_DROP_SOURCE_MEMBERSHIP =
            wo("IP_DROP_SOURCE_MEMBERSHIP", IPPROTO_IP, 40, OptionCodec.IP_MREQ_SOURCE);
    /** {@code IP_BLOCK_SOURCE}: in a joined group, ignore one source. Write-only. */
    public static final SocketOption<IpMreqSource> IP_BLOCK_SOURCE = wo("IP_BLOCK_SOURCE", IPPROTO_IP, 38, OptionCodec.IP_MREQ_SOURCE);
    /** {@code IP_UNBLOCK_SOURCE}: undo {@link #IP_BLOCK_SOURCE}. Write-only. */
    public static final SocketOption<IpMreqSource> IP_UNBLOCK_SOURCE = wo("IP_UNBLOCK_SOURCE", IPPROTO_IP, 37, OptionCodec.IP_MREQ_SOURCE);
    /** {@code IP_FREEBIND}: bind to an address not (yet) on any interface. */
    public static final SocketOption<Boolean> IP_FREEBIND = rw("IP_FREEBIND", IPPROTO_IP, 15, OptionCodec.BOOLEAN);
    /** {@code IP_HDRINCL}: the application supplies the IP header (raw sockets only: ENOPROTOOPT elsewhere). */
    public static final SocketOption<Boolean> IP_HDRINCL = rw("IP_HDRINCL", IPPROTO_IP, 3, OptionCodec.BOOLEAN);
    /** {@code IP_MTU}: the path MTU of a connected socket (ENOTCONN otherwise). Read-only. */
    public static final SocketOption<Integer> IP_MTU = ro("IP_MTU", IPPROTO_IP, 14, OptionCodec.INT);
    /** {@code IP_MTU_DISCOVER}: path MTU discovery ({@code IP_PMTUDISC_*}). */
    public static final SocketOption<Integer> IP_MTU_DISCOVER = rw("IP_MTU_DISCOVER", IPPROTO_IP, 10, OptionCodec.INT);
    /** {@code IP_MULTICAST_ALL}: receive from every group joined on the host, not just this socket's. */
    public static final SocketOption<Boolean> IP_MULTICAST_ALL = rw("IP_MULTICAST_ALL", IPPROTO_IP, 49, OptionCodec.BOOLEAN);
    /** {@code IP_MULTICAST_IF}: the interface multicast is sent through (EINVAL on stream sockets). Write-only. */
    public static final SocketOption<IpMreq> IP_MULTICAST_IF = wo("IP_MULTICAST_IF", IPPROTO_IP, 32, OptionCodec.IP_MREQ);
    /** {@code IP_MULTICAST_LOOP}: multicast sent is looped back to local listeners. */
    public static final SocketOption<Boolean> IP_MULTICAST_LOOP = rw("IP_MULTICAST_LOOP", IPPROTO_IP, 34, OptionCodec.BOOLEAN);
    /** {@code IP_MULTICAST_TTL}: time to live of outgoing multicast (0..255). */
    public static final SocketOption<Integer> IP_MULTICAST_TTL = rw("IP_MULTICAST_TTL", IPPROTO_IP, 33, OptionCodec.INT);
    /** {@code IP_NODEFRAG}: do not reassemble fragments (raw sockets only: ENOPROTOOPT elsewhere). */
    public static final SocketOption<Boolean> IP_NODEFRAG = rw("IP_NODEFRAG", IPPROTO_IP, 22, OptionCodec.BOOLEAN);
    /** {@code IP_OPTIONS}: the IP options sent with every packet (up to 40 bytes; empty for none). */
    public static final SocketOption<byte[]> IP_OPTIONS = rw("IP_OPTIONS", IPPROTO_IP, 4, OptionCodec.bytes(IP_OPTIONS_MAX));
    /** {@code IP_PKTINFO}: receive IP_PKTINFO control messages (a switch on Linux). */
    public static final SocketOption<Boolean> IP_PKTINFO = rw("IP_PKTINFO", IPPROTO_IP, 8, OptionCodec.BOOLEAN);
    /** {@code IP_RECVERR}: queue extended errors (read with MSG_ERRQUEUE). */
    public static final SocketOption<Boolean> IP_RECVERR = rw("IP_RECVERR", IPPROTO_IP, 11, OptionCodec.BOOLEAN);
    /** {@code IP_RECVORIGDSTADDR}: receive the original destination address (transparent proxies). */
    public static final SocketOption<Boolean> IP_RECVORIGDSTADDR = rw("IP_RECVORIGDSTADDR", IPPROTO_IP, 20, OptionCodec.BOOLEAN);
    /** {@code IP_RECVOPTS}: receive incoming IP options as control messages. */
    public static final SocketOption<Boolean> IP_RECVOPTS = rw("IP_RECVOPTS", IPPROTO_IP, 6, OptionCodec.BOOLEAN);
    /** {@code IP_RECVTOS}: receive the TOS field as a control message. */
    public static final SocketOption<Boolean> IP_RECVTOS = rw("IP_RECVTOS", IPPROTO_IP, 13, OptionCodec.BOOLEAN);
    /** {@code IP_RECVTTL}: receive the TTL field as a control message. */
    public static final SocketOption<Boolean> IP_RECVTTL = rw("IP_RECVTTL", IPPROTO_IP, 12, OptionCodec.BOOLEAN);
    /** {@code IP_RETOPTS}: receive raw IP options (unprocessed) as control messages. */
    public static final SocketOption<Boolean> IP_RETOPTS = rw("IP_RETOPTS", IPPROTO_IP, 7, OptionCodec.BOOLEAN);
    /** {@code IP_ROUTER_ALERT}: receive router-alert packets (raw sockets, not IPPROTO_RAW: EINVAL otherwise). */
    public static final SocketOption<Boolean> IP_ROUTER_ALERT = rw("IP_ROUTER_ALERT", IPPROTO_IP, 5, OptionCodec.BOOLEAN);
    /** {@code IP_TOS}: the type-of-service byte ({@code IPTOS_*}). */
    public static final SocketOption<Integer> IP_TOS = rw("IP_TOS", IPPROTO_IP, 1, OptionCodec.INT);
    /** {@code IP_TTL}: time to live of outgoing unicast (1..255). */
    public static final SocketOption<Integer> IP_TTL = rw("IP_TTL", IPPROTO_IP, 2, OptionCodec.INT);

    // ---- IPPROTO_IPV6 ----------------------------------------------------------------------------

    /** {@code IPV6_ADDRFORM}: turn a connected IPv6 socket with a v4-mapped peer into IPv4 (value {@code AF_INET}). Write-only. */
    public static final SocketOption<Integer> IPV6_ADDRFORM = wo("IPV6_ADDRFORM", IPPROTO_IPV6, 1, OptionCodec.INT);
    /** {@code IPV6_ADD_MEMBERSHIP}: join a multicast group. Write-only. */
    public static final SocketOption<Ipv6Mreq> IPV6_ADD_MEMBERSHIP = wo("IPV6_ADD_MEMBERSHIP", IPPROTO_IPV6, 20, OptionCodec.IPV6_MREQ);
    /** {@code IPV6_DROP_MEMBERSHIP}: leave a multicast group (EADDRNOTAVAIL if not joined). Write-only. */
    public static final SocketOption<Ipv6Mreq> IPV6_DROP_MEMBERSHIP = wo("IPV6_DROP_MEMBERSHIP", IPPROTO_IPV6, 21, OptionCodec.IPV6_MREQ);
    /** {@code IPV6_MTU}: read: the path MTU of a connected socket (ENOTCONN otherwise); write: the size to fragment at (>= 1280). */
    public static final SocketOption<Integer> IPV6_MTU = rw("IPV6_MTU", IPPROTO_IPV6, 24, OptionCodec.INT);
    /** {@code IPV6_MTU_DISCOVER}: path MTU discovery ({@code IPV6_PMTUDISC_*}, same values as IPv4's). */
    public static final SocketOption<Integer> IPV6_MTU_DISCOVER = rw("IPV6_MTU_DISCOVER", IPPROTO_IPV6, 23, OptionCodec.INT);
    /** {@code IPV6_MULTICAST_HOPS}: hop limit of outgoing multicast (-1: the route's default). */
    public static final SocketOption<Integer> IPV6_MULTICAST_HOPS = rw("IPV6_MULTICAST_HOPS", IPPROTO_IPV6, 18, OptionCodec.INT);
    /** {@code IPV6_MULTICAST_IF}: the index of the interface multicast is sent through. */
    public static final SocketOption<Integer> IPV6_MULTICAST_IF = rw("IPV6_MULTICAST_IF", IPPROTO_IPV6, 17, OptionCodec.INT);
    /** {@code IPV6_MULTICAST_LOOP}: multicast sent is looped back to local listeners. */
    public static final SocketOption<Boolean> IPV6_MULTICAST_LOOP = rw("IPV6_MULTICAST_LOOP", IPPROTO_IPV6, 19, OptionCodec.BOOLEAN);
    /** {@code IPV6_RECVPKTINFO}: receive IPV6_PKTINFO control messages. */
    public static final SocketOption<Boolean> IPV6_RECVPKTINFO = rw("IPV6_RECVPKTINFO", IPPROTO_IPV6, 49, OptionCodec.BOOLEAN);
    /** {@code IPV6_RTHDR}: the sticky routing header sent with every packet (raw bytes; empty for none). */
    public static final SocketOption<byte[]> IPV6_RTHDR = rw("IPV6_RTHDR", IPPROTO_IPV6, 57, OptionCodec.bytes(IPV6_EXT_HEADER_MAX));
    /** {@code IPV6_AUTHHDR}: a number in the headers only; Linux implements no such option (ENOPROTOOPT). */
    public static final SocketOption<Integer> IPV6_AUTHHDR = rw("IPV6_AUTHHDR", IPPROTO_IPV6, 10, OptionCodec.INT);
    /** {@code IPV6_DSTOPTS}: the sticky destination-options header (raw bytes; setting one needs CAP_NET_RAW). */
    public static final SocketOption<byte[]> IPV6_DSTOPTS = rw("IPV6_DSTOPTS", IPPROTO_IPV6, 59, OptionCodec.bytes(IPV6_EXT_HEADER_MAX));
    /** {@code IPV6_HOPOPTS}: the sticky hop-by-hop options header (raw bytes; setting one needs CAP_NET_RAW). */
    public static final SocketOption<byte[]> IPV6_HOPOPTS = rw("IPV6_HOPOPTS", IPPROTO_IPV6, 54, OptionCodec.bytes(IPV6_EXT_HEADER_MAX));
    /** {@code IPV6_FLOWINFO}: receive the flow information as a control message. */
    public static final SocketOption<Boolean> IPV6_FLOWINFO = rw("IPV6_FLOWINFO", IPPROTO_IPV6, 11, OptionCodec.BOOLEAN);
    /** {@code IPV6_HOPLIMIT}: the control-message type only; as an option Linux refuses it (ENOPROTOOPT; use IPV6_RECVHOPLIMIT). */
    public static final SocketOption<Integer> IPV6_HOPLIMIT = rw("IPV6_HOPLIMIT", IPPROTO_IPV6, 52, OptionCodec.INT);
    /** {@code IPV6_ROUTER_ALERT}: receive router-alert packets with this value (IPPROTO_RAW raw sockets only: ENOPROTOOPT elsewhere). */
    public static final SocketOption<Integer> IPV6_ROUTER_ALERT = rw("IPV6_ROUTER_ALERT", IPPROTO_IPV6, 22, OptionCodec.INT);
    /** {@code IPV6_UNICAST_HOPS}: hop limit of outgoing unicast (-1: the route's default). */
    public static final SocketOption<Integer> IPV6_UNICAST_HOPS = rw("IPV6_UNICAST_HOPS", IPPROTO_IPV6, 16, OptionCodec.INT);
    /** {@code IPV6_V6ONLY}: IPv6 only, no v4-mapped traffic (set before bind). */
    public static final SocketOption<Boolean> IPV6_V6ONLY = rw("IPV6_V6ONLY", IPPROTO_IPV6, 26, OptionCodec.BOOLEAN);

    // ---- IPPROTO_TCP -----------------------------------------------------------------------------

    /** {@code TCP_CONGESTION}: the congestion-control algorithm, e.g. "cubic" (ENOENT for an unknown one). */
    public static final SocketOption<String> TCP_CONGESTION = rw("TCP_CONGESTION", IPPROTO_TCP, 13, OptionCodec.string(CA_NAME_MAX));
    /** {@code TCP_CORK}: hold partial frames until uncorked (or 200 ms). */
    public static final SocketOption<Boolean> TCP_CORK = rw("TCP_CORK", IPPROTO_TCP, 3, OptionCodec.BOOLEAN);
    /** {@code TCP_DEFER_ACCEPT}: seconds a listener waits for data before accepting (rounded to retransmissions). */
    public static final SocketOption<Integer> TCP_DEFER_ACCEPT = rw("TCP_DEFER_ACCEPT", IPPROTO_TCP, 9, OptionCodec.INT);
    /** {@code TCP_KEEPCNT}: keep-alive probes before the connection is dropped (1..127). */
    public static final SocketOption<Integer> TCP_KEEPCNT = rw("TCP_KEEPCNT", IPPROTO_TCP, 6, OptionCodec.INT);
    /** {@code TCP_KEEPIDLE}: idle seconds before the first keep-alive probe (1..32767). */
    public static final SocketOption<Integer> TCP_KEEPIDLE = rw("TCP_KEEPIDLE", IPPROTO_TCP, 4, OptionCodec.INT);
    /** {@code TCP_KEEPINTVL}: seconds between keep-alive probes (1..32767). */
    public static final SocketOption<Integer> TCP_KEEPINTVL = rw("TCP_KEEPINTVL", IPPROTO_TCP, 5, OptionCodec.INT);
    /** {@code TCP_MAXSEG}: the maximum segment size. */
    public static final SocketOption<Integer> TCP_MAXSEG = rw("TCP_MAXSEG", IPPROTO_TCP, 2, OptionCodec.INT);
    /** {@code TCP_NODELAY}: send small segments at once (no Nagle). */
    public static final SocketOption<Boolean> TCP_NODELAY = rw("TCP_NODELAY", IPPROTO_TCP, 1, OptionCodec.BOOLEAN);
    /** {@code TCP_SYNCNT}: SYN retransmissions before connect gives up (1..255). */
    public static final SocketOption<Integer> TCP_SYNCNT = rw("TCP_SYNCNT", IPPROTO_TCP, 7, OptionCodec.INT);

    private static final List<SocketOption<?>> ALL = collect();

    /**
     * Every option above (an unmodifiable list).
     *
     * @return every option
     */
    public static List<SocketOption<?>> all() {
        return ALL;
    }

    private static <T> SocketOption<T> rw(String name, int level, int optname, OptionCodec<T> codec) {
        return new SocketOption<>(name, level, optname, codec, true, true);
    }

    private static <T> SocketOption<T> ro(String name, int level, int optname, OptionCodec<T> codec) {
        return new SocketOption<>(name, level, optname, codec, true, false);
    }

    private static <T> SocketOption<T> wo(String name, int level, int optname, OptionCodec<T> codec) {
        return new SocketOption<>(name, level, optname, codec, false, true);
    }

    private static List<SocketOption<?>> collect() {
        List<SocketOption<?>> list = new ArrayList<>();
        for (Field f : SocketOptions.class.getDeclaredFields()) {
            if (f.getType() == SocketOption.class && Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers())) {
                try {
                    list.add((SocketOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return Collections.unmodifiableList(list);
    }
}
