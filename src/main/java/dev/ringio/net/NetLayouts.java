package dev.ringio.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ringio.sys.Shim;

/**
 * The kernel and C-library structs the socket layer builds by hand, Linux x86_64 offsets and sizes
 * ({@code <sys/socket.h>}, {@code <bits/types/struct_iovec.h>}, {@code <netdb.h>},
 * {@code <netinet/in.h>}, {@code <sys/un.h>}, {@code <sys/time.h>}). One nested class per struct;
 * {@link #mismatches(Shim)} compares every number with what the shim was compiled with
 * ({@code ringio_const}, and {@code ringio_layout} for iovec), and {@link #verify()} runs that
 * once before the first socket call, so a wrong layout fails loudly instead of corrupting memory.
 */
final class NetLayouts {

    private NetLayouts() {
    }

    /** {@code struct msghdr}. */
    static final class Msghdr {
        static final int SIZE = 56;
        static final int NAME = 0;
        static final int NAMELEN = 8;
        static final int IOV = 16;
        static final int IOVLEN = 24;
        static final int CONTROL = 32;
        static final int CONTROLLEN = 40;
        static final int FLAGS = 48;

        private Msghdr() {
        }
    }

    /** {@code struct iovec}. */
    static final class Iovec {
        static final int SIZE = 16;
        static final int BASE = 0;
        static final int LEN = 8;

        private Iovec() {
        }
    }

    /** {@code struct addrinfo}. */
    static final class Addrinfo {
        static final int SIZE = 48;
        static final int FLAGS = 0;
        static final int FAMILY = 4;
        static final int SOCKTYPE = 8;
        static final int PROTOCOL = 12;
        static final int ADDRLEN = 16;
        static final int ADDR = 24;
        static final int CANONNAME = 32;
        static final int NEXT = 40;

        private Addrinfo() {
        }
    }

    /** {@code struct linger}. */
    static final class LingerStruct {
        static final int SIZE = 8;
        static final int ONOFF = 0;
        static final int LINGER = 4;

        private LingerStruct() {
        }
    }

    /** {@code struct timeval} (64-bit {@code time_t} and {@code suseconds_t}). */
    static final class Timeval {
        static final int SIZE = 16;
        static final int SEC = 0;
        static final int USEC = 8;

        private Timeval() {
        }
    }

    /** {@code struct ucred}. */
    static final class UcredStruct {
        static final int SIZE = 12;
        static final int PID = 0;
        static final int UID = 4;
        static final int GID = 8;

        private UcredStruct() {
        }
    }

    /** {@code struct ip_mreq} and {@code struct ip_mreqn} (which adds the interface index). */
    static final class IpMreqStruct {
        static final int SIZE = 8;
        static final int SIZE_N = 12;
        static final int MULTIADDR = 0;
        static final int INTERFACE = 4;
        static final int IFINDEX = 8;

        private IpMreqStruct() {
        }
    }

    /** {@code struct ip_mreq_source}. */
    static final class IpMreqSourceStruct {
        static final int SIZE = 12;
        static final int MULTIADDR = 0;
        static final int INTERFACE = 4;
        static final int SOURCEADDR = 8;

        private IpMreqSourceStruct() {
        }
    }

    /** {@code struct ipv6_mreq}. */
    static final class Ipv6MreqStruct {
        static final int SIZE = 20;
        static final int MULTIADDR = 0;
        static final int INTERFACE = 16;

        private Ipv6MreqStruct() {
        }
    }

    // ringio_layout ids of struct iovec (shim/include/ringio.h: RINGIO_L_IOVEC_SIZE = 60, BASE, LEN).
    private static final int LAYOUT_IOVEC_SIZE = 60;

    /** Every number above (and the sockaddr sizes the address records use), by its shim name. */
    static Map<String, Long> expected() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("sizeof(msghdr)", (long) Msghdr.SIZE);
        m.put("offsetof(msghdr.msg_name)", (long) Msghdr.NAME);
        m.put("offsetof(msghdr.msg_namelen)", (long) Msghdr.NAMELEN);
        m.put("offsetof(msghdr.msg_iov)", (long) Msghdr.IOV);
        m.put("offsetof(msghdr.msg_iovlen)", (long) Msghdr.IOVLEN);
        m.put("offsetof(msghdr.msg_control)", (long) Msghdr.CONTROL);
        m.put("offsetof(msghdr.msg_controllen)", (long) Msghdr.CONTROLLEN);
        m.put("offsetof(msghdr.msg_flags)", (long) Msghdr.FLAGS);
        m.put("sizeof(addrinfo)", (long) Addrinfo.SIZE);
        m.put("offsetof(addrinfo.ai_flags)", (long) Addrinfo.FLAGS);
        m.put("offsetof(addrinfo.ai_family)", (long) Addrinfo.FAMILY);
        m.put("offsetof(addrinfo.ai_socktype)", (long) Addrinfo.SOCKTYPE);
        m.put("offsetof(addrinfo.ai_protocol)", (long) Addrinfo.PROTOCOL);
        m.put("offsetof(addrinfo.ai_addrlen)", (long) Addrinfo.ADDRLEN);
        m.put("offsetof(addrinfo.ai_addr)", (long) Addrinfo.ADDR);
        m.put("offsetof(addrinfo.ai_canonname)", (long) Addrinfo.CANONNAME);
        m.put("offsetof(addrinfo.ai_next)", (long) Addrinfo.NEXT);
        m.put("sizeof(linger)", (long) LingerStruct.SIZE);
        m.put("offsetof(linger.l_onoff)", (long) LingerStruct.ONOFF);
        m.put("offsetof(linger.l_linger)", (long) LingerStruct.LINGER);
        m.put("sizeof(timeval)", (long) Timeval.SIZE);
        m.put("offsetof(timeval.tv_usec)", (long) Timeval.USEC);
        m.put("sizeof(ucred)", (long) UcredStruct.SIZE);
        m.put("offsetof(ucred.pid)", (long) UcredStruct.PID);
        m.put("offsetof(ucred.uid)", (long) UcredStruct.UID);
        m.put("offsetof(ucred.gid)", (long) UcredStruct.GID);
        m.put("sizeof(ip_mreq)", (long) IpMreqStruct.SIZE);
        m.put("sizeof(ip_mreqn)", (long) IpMreqStruct.SIZE_N);
        m.put("sizeof(ip_mreq_source)", (long) IpMreqSourceStruct.SIZE);
        m.put("offsetof(ip_mreq_source.imr_multiaddr)", (long) IpMreqSourceStruct.MULTIADDR);
        m.put("offsetof(ip_mreq_source.imr_interface)", (long) IpMreqSourceStruct.INTERFACE);
        m.put("offsetof(ip_mreq_source.imr_sourceaddr)", (long) IpMreqSourceStruct.SOURCEADDR);
        m.put("sizeof(ipv6_mreq)", (long) Ipv6MreqStruct.SIZE);
        m.put("offsetof(ipv6_mreq.ipv6mr_interface)", (long) Ipv6MreqStruct.INTERFACE);
        m.put("sizeof(sockaddr_in)", (long) Ipv4SockAddr.SIZE);
        m.put("offsetof(sockaddr_in.sin_family)", 0L);
        m.put("offsetof(sockaddr_in.sin_port)", 2L);
        m.put("offsetof(sockaddr_in.sin_addr)", 4L);
        m.put("sizeof(sockaddr_in6)", (long) Ipv6SockAddr.SIZE);
        m.put("offsetof(sockaddr_in6.sin6_family)", 0L);
        m.put("offsetof(sockaddr_in6.sin6_port)", 2L);
        m.put("offsetof(sockaddr_in6.sin6_flowinfo)", 4L);
        m.put("offsetof(sockaddr_in6.sin6_addr)", 8L);
        m.put("offsetof(sockaddr_in6.sin6_scope_id)", 24L);
        m.put("sizeof(sockaddr_un)", (long) (UnixSockAddr.PATH_OFFSET + UnixSockAddr.UNIX_MAX_PATH));
        m.put("offsetof(sockaddr_un.sun_family)", 0L);
        m.put("offsetof(sockaddr_un.sun_path)", (long) UnixSockAddr.PATH_OFFSET);
        m.put("UNIX_MAX_PATH", (long) UnixSockAddr.UNIX_MAX_PATH);
        m.put("sizeof(sockaddr_storage)", (long) SockAddr.MAX_SIZE);
        return m;
    }

    /** The value the shim gives for a constant or layout name; {@code Long.MIN_VALUE} if unknown. Any thread. */
    static long constValue(Shim shim, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = arena.allocateFrom(name);
            return shim.constValue(c.address());
        }
    }

    /** One line per number that differs from the shim's; empty when all agree. */
    static List<String> mismatches(Shim shim) {
        List<String> out = new ArrayList<>();
        expected().forEach((name, want) -> {
            long got = constValue(shim, name);
            if (got != want) {
                out.add(name + ": Java " + want + ", C " + (got == Long.MIN_VALUE ? "unknown" : got));
            }
        });
        long[] iovec = {Iovec.SIZE, Iovec.BASE, Iovec.LEN};
        String[] names = {"sizeof(iovec)", "offsetof(iovec.iov_base)", "offsetof(iovec.iov_len)"};
        for (int i = 0; i < iovec.length; i++) {
            long got = shim.layout(LAYOUT_IOVEC_SIZE + i);
            if (got != iovec[i]) {
                out.add(names[i] + ": Java " + iovec[i] + ", C " + got);
            }
        }
        return out;
    }

    private static volatile boolean verified;

    /**
     * Checks the layouts against the loaded shim, once per process. Any thread.
     *
     * @throws IllegalStateException listing every mismatch
     */
    static void verify() {
        if (verified) {
            return;
        }
        List<String> bad = mismatches(Shim.get());
        if (!bad.isEmpty()) {
            throw new IllegalStateException("ringio's socket structs do not match this platform's C headers: " + bad);
        }
        verified = true;
    }
}
