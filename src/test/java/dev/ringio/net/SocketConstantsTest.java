package dev.ringio.net;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.sys.Shim;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.net.NetTesting.constKnown;
import static dev.ringio.net.NetTesting.constNames;
import static dev.ringio.net.NetTesting.constValue;
import static org.junit.jupiter.api.Assertions.*;

/** Every constant and struct layout the socket layer hard-codes agrees with the C headers (ringio_const). */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class SocketConstantsTest {

    private static Map<String, Integer> socketConstants() throws IllegalAccessException {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        for (Field f : SocketConstants.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == int.class) {
                m.put(f.getName(), f.getInt(null));
            }
        }
        return m;
    }

    @Test
    void everySocketConstantHasTheCValue() throws Exception {
        Map<String, Integer> mine = socketConstants();
        assertTrue(mine.size() > 140, "only " + mine.size() + " constants");
        List<String> wrong = new ArrayList<>();
        mine.forEach((name, value) -> {
            if (!constKnown(name)) {
                wrong.add(name + ": unknown to ringio_const");
            } else if (constValue(name) != value) {
                wrong.add(name + ": Java " + value + ", C " + constValue(name));
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void everySocketConstantOfTheShimIsMirrored() throws Exception {
        Set<String> mine = socketConstants().keySet();
        List<String> missing = new ArrayList<>();
        for (String name : constNames()) {
            boolean engineOnly = name.startsWith("IORING_") || name.startsWith("IOSQE_") || name.startsWith("SPLICE_")
                    || name.startsWith("CMSG_") || name.startsWith("sizeof(") || name.startsWith("offsetof(");
            if (!engineOnly && !mine.contains(name)) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "ringio_const names SocketConstants lacks");
    }

    @Test
    void inventoryConstantsArePresent() throws Exception {
        // INVENTORY.md "socket": the constants Gerbil's reference lists.
        Set<String> mine = socketConstants().keySet();
        for (String n : List.of("AF_UNSPEC", "AF_INET", "AF_INET6", "AF_UNIX", "AF_LOCAL", "AF_NETLINK", "AF_PACKET", "AF_ALG",
                "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_SEQPACKET", "SOCK_RDM", "MSG_CONFIRM", "MSG_CTRUNC",
                "MSG_DONTROUTE", "MSG_DONTWAIT", "MSG_EOR", "MSG_ERRQUEUE", "MSG_MORE", "MSG_NOSIGNAL", "MSG_OOB", "MSG_PEEK",
                "MSG_TRUNC", "MSG_WAITALL", "IPPROTO_IP", "IPPROTO_IPV6", "IPPROTO_TCP", "IPPROTO_UDP", "IP_PMTUDISC_WANT",
                "IP_PMTUDISC_DONT", "IP_PMTUDISC_DO", "IP_PMTUDISC_PROBE", "IPTOS_LOWDELAY", "IPTOS_THROUGHPUT",
                "IPTOS_RELIABILITY", "IPTOS_MINCOST", "UNIX_MAX_PATH", "SOL_SOCKET", "SHUT_RD", "SHUT_WR", "SHUT_RDWR",
                "SCM_RIGHTS", "AI_PASSIVE", "AI_CANONNAME", "AI_NUMERICHOST", "AI_V4MAPPED", "AI_ALL", "AI_ADDRCONFIG",
                "AI_NUMERICSERV", "EAI_NONAME", "EAI_AGAIN", "EAI_SYSTEM")) {
            assertTrue(mine.contains(n), n);
        }
    }

    @Test
    void structLayoutsMatchTheHeaders() {
        assertEquals(List.of(), NetLayouts.mismatches(Shim.get()));
        assertDoesNotThrow(NetLayouts::verify);
        assertEquals(UnixSockAddr.UNIX_MAX_PATH, constValue("UNIX_MAX_PATH"));
        assertEquals(SockAddr.MAX_SIZE, constValue("sizeof(sockaddr_storage)"));
    }

    @Test
    void domains() {
        for (Domain d : Domain.values()) {
            assertEquals(constValue("AF_" + d.name()), d.value(), d.name());
            assertSame(d, Domain.of(d.value()));
        }
        assertEquals(constValue("AF_LOCAL"), Domain.LOCAL.value());
    }

    @Test
    void socketTypes() {
        for (SocketType t : SocketType.values()) {
            assertEquals(constValue("SOCK_" + t.name()), t.value(), t.name());
        }
        assertFalse(SocketType.STREAM.isFlag());
        assertTrue(SocketType.NONBLOCK.isFlag());
        assertTrue(SocketType.CLOEXEC.isFlag());
        assertEquals(constValue("SOCK_STREAM") | constValue("SOCK_NONBLOCK") | constValue("SOCK_CLOEXEC"),
                SocketType.bits(EnumSet.of(SocketType.STREAM, SocketType.NONBLOCK, SocketType.CLOEXEC)));
        assertEquals(2, SocketType.bits(Set.of(SocketType.DGRAM)));
        assertEquals(EnumSet.of(SocketType.SEQPACKET, SocketType.NONBLOCK), SocketType.setOf(5 | 04000));
        assertEquals(SocketType.DGRAM, SocketType.of(2 | 02000000));
        // Flag bits ringio does not name are ignored, as setOf's Javadoc says (0x100: no SOCK_* flag).
        assertEquals(EnumSet.of(SocketType.STREAM, SocketType.CLOEXEC), SocketType.setOf(1 | 0x100 | 02000000));
        assertThrows(IllegalArgumentException.class, () -> SocketType.setOf(0xe)); // no such base type
        for (SocketType t : SocketType.values()) {
            if (!t.isFlag()) {
                assertEquals(t, SocketType.of(t.value()));
                assertEquals(EnumSet.of(t), SocketType.setOf(t.value()));
            }
        }
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> SocketType.bits(EnumSet.of(SocketType.NONBLOCK)));
        assertTrue(none.getMessage().contains("no base type"), none.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> SocketType.bits(EnumSet.of(SocketType.STREAM, SocketType.DGRAM)));
        assertTrue(two.getMessage().contains("two base types"), two.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SocketType.of(99));
    }

    @Test
    void protocols() {
        for (Protocol p : Protocol.values()) {
            String name = p == Protocol.DEFAULT ? "IPPROTO_IP" : "IPPROTO_" + p.name();
            assertEquals(constValue(name), p.value(), p.name());
            assertSame(p, Protocol.of(p.value()));
        }
        assertEquals(0, Protocol.DEFAULT.value());
        assertSame(Protocol.DEFAULT, Protocol.IP);
        // arew's list: ipv4 (IPPROTO_IP) icmp igmp ipip gcp (its spelling of tcp) egp pup udp idp tp dccp ipv6
        // rsvp gre esp ah beetph encap pim comp sctp udplite mpls raw; plus ICMPV6, and glibc's MTP, ETHERNET, MPTCP.
        assertEquals(Set.of("DEFAULT", "ICMP", "IGMP", "IPIP", "TCP", "EGP", "PUP", "UDP", "IDP", "TP", "DCCP", "IPV6", "RSVP",
                "GRE", "ESP", "AH", "ICMPV6", "MTP", "BEETPH", "ENCAP", "PIM", "COMP", "SCTP", "UDPLITE", "MPLS", "ETHERNET", "RAW",
                "MPTCP"), enumNames(Protocol.class));
        assertSame(Protocol.DEFAULT, Protocol.IPV4);
        assertThrows(IllegalArgumentException.class, () -> Protocol.of(250));
    }

    @Test
    void messageFlags() {
        for (MsgFlag f : MsgFlag.values()) {
            assertEquals(constValue("MSG_" + f.name()), f.value(), f.name());
            assertEquals(EnumSet.of(f), MsgFlag.of(f.value()));
        }
        assertEquals(Set.of("CONFIRM", "CTRUNC", "DONTROUTE", "DONTWAIT", "EOR", "ERRQUEUE", "MORE", "NOSIGNAL", "OOB", "PEEK",
                "TRUNC", "WAITALL", "CMSG_CLOEXEC", "PROXY", "FIN", "SYN", "RST", "WAITFORONE", "BATCH", "FASTOPEN"),
                enumNames(MsgFlag.class));
        EnumSet<MsgFlag> all = EnumSet.allOf(MsgFlag.class);
        assertEquals(all, MsgFlag.of(MsgFlag.bits(all)));
        assertEquals(0, MsgFlag.bits(Set.of()));
        // TRYHARD is the alias it is in C: DONTROUTE's bit.
        assertSame(MsgFlag.DONTROUTE, MsgFlag.TRYHARD);
        assertEquals(constValue("MSG_TRYHARD"), MsgFlag.TRYHARD.value());
        // Unnamed bits are refused, never silently dropped.
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> MsgFlag.of(0x2 | 0x10000000));
        assertTrue(unknown.getMessage().contains("0x10000000"), unknown.getMessage());
        assertEquals(0x10000000, MsgFlag.unknownBits(0x2 | 0x10000000));
        assertEquals(0, MsgFlag.unknownBits(MsgFlag.bits(all)));
    }

    @Test
    void shutdownHow() {
        assertEquals(constValue("SHUT_RD"), ShutdownHow.READ.value());
        assertEquals(constValue("SHUT_WR"), ShutdownHow.WRITE.value());
        assertEquals(constValue("SHUT_RDWR"), ShutdownHow.BOTH.value());
    }

    @Test
    void addrinfoFlagsAndErrors() throws Exception {
        for (AiFlag f : AiFlag.values()) {
            assertEquals(constValue("AI_" + f.name()), f.value(), f.name());
        }
        assertEquals(EnumSet.allOf(AiFlag.class), AiFlag.of(AiFlag.bits(EnumSet.allOf(AiFlag.class))));
        assertTrue(EnumSet.allOf(AiFlag.class).containsAll(EnumSet.of(AiFlag.IDN, AiFlag.CANONIDN, AiFlag.IDN_ALLOW_UNASSIGNED,
                AiFlag.IDN_USE_STD3_ASCII_RULES)));
        assertThrows(IllegalArgumentException.class, () -> AiFlag.of(0x1 | 0x8000));
        for (Map.Entry<String, Integer> e : socketConstants().entrySet()) {
            if (e.getKey().startsWith("EAI_")) {
                assertEquals(e.getKey(), ResolverException.nameOf(e.getValue()));
            }
        }
        assertEquals("EAI_UNKNOWN(-999)", ResolverException.nameOf(-999));
    }

    @Test
    void socketOptionNumbersAndLevels() {
        List<String> wrong = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (SocketOption<?> o : SocketOptions.all()) {
            assertTrue(names.add(o.name()), "duplicate " + o.name());
            if (constValue(o.name()) != o.optname()) {
                wrong.add(o + ": optname " + o.optname() + ", C " + constValue(o.name()));
            }
            if (constValue(o.levelName()) != o.level()) {
                wrong.add(o + ": level " + o.level() + ", C " + constValue(o.levelName()));
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static <E extends Enum<E>> Set<String> enumNames(Class<E> type) {
        Set<String> s = new HashSet<>();
        for (E e : type.getEnumConstants()) {
            s.add(e.name());
        }
        return s;
    }
}
