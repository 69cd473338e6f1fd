package dev.ringio.net;

import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

/**
 * arew's socket surface on the real kernel: {@code socket()} with any protocol number (a raw GRE
 * socket; an unnamed IP protocol), and the DCCP and PACKET socket types. Raw and packet sockets
 * need CAP_NET_RAW and DCCP a kernel module: each test probes and is skipped, naming what is
 * missing, where the kernel refuses.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class AnyProtocolSocketsTest {

    /** errnos meaning "not here": no privilege, family or type or protocol not built or loaded. */
    private static final Set<Integer> ABSENT = Set.of(1 /* EPERM */, 13 /* EACCES */, 93 /* EPROTONOSUPPORT */,
            94 /* ESOCKTNOSUPPORT */, 97 /* EAFNOSUPPORT */);

    private static Fd open(String feature, Domain domain, Set<SocketType> type, int protocol) throws NativeIoException {
        try {
            return Sockets.socket(domain, type, protocol);
        } catch (NativeIoException e) {
            KernelFeatures.assume(!ABSENT.contains(e.errno()), feature + " (" + e.getMessage() + ")");
            throw e;
        }
    }

    @Test
    void rawGreSocketByNumberAndByName() throws Exception {
        try (Fd gre = open("raw IPv4 sockets (CAP_NET_RAW)", Domain.INET, EnumSet.of(SocketType.RAW), 47)) {
            assertEquals(Fd.Kind.SOCKET, gre.kind());
            assertEquals(47, Sockets.protocolNumber(gre));
            assertEquals(Protocol.GRE, Sockets.protocol(gre));
            assertEquals(SocketType.RAW, Sockets.type(gre));
        }
        try (Fd gre = Sockets.socket(Domain.INET, EnumSet.of(SocketType.RAW), Protocol.GRE)) {
            assertEquals(Protocol.GRE.value(), Sockets.protocolNumber(gre));
        }
    }

    @Test
    void aProtocolNumberNoConstantNames() throws Exception {
        // 253 is reserved for experiments (RFC 3692): a raw socket takes it, Protocol has no name for it.
        try (Fd raw = open("raw IPv4 sockets (CAP_NET_RAW)", Domain.INET, EnumSet.of(SocketType.RAW), 253)) {
            assertEquals(253, Sockets.protocolNumber(raw));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sockets.protocol(raw));
            assertTrue(e.getMessage().contains("253"), e.getMessage());
        }
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> Sockets.socket(Domain.INET, EnumSet.of(SocketType.RAW), -1));
        assertTrue(neg.getMessage().contains("socket"), neg.getMessage());
    }

    @Test
    void packetSocketOfTheObsoleteType() throws Exception {
        // SOCK_PACKET with a link-layer protocol in network byte order (ETH_P_ALL = 0x0003).
        try (Fd p = open("AF_PACKET SOCK_PACKET sockets (CAP_NET_RAW)", Domain.PACKET, EnumSet.of(SocketType.PACKET), 0x0300)) {
            assertEquals(SocketType.PACKET, Sockets.type(p));
            assertEquals(Domain.PACKET, Sockets.domain(p));
        }
    }

    @Test
    void dccpSocket() throws Exception {
        try (Fd d = open("DCCP (the dccp kernel module)", Domain.INET, EnumSet.of(SocketType.DCCP), Protocol.DCCP.value())) {
            assertEquals(SocketType.DCCP, Sockets.type(d));
            assertEquals(Protocol.DCCP, Sockets.protocol(d));
        }
    }
}
