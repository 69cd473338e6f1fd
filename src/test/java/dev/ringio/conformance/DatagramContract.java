package dev.ringio.conformance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Ipv6SockAddr;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.SockAddr;
import dev.ringio.net.UnixSockAddr;
import dev.ringio.testing.KernelFeatures;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Datagram sockets: sendTo / recvFrom over UDP (IPv4, IPv6) and Unix datagrams, with their failures. */
public abstract class DatagramContract extends ContractBase {

    private Fd udp(SockAddr bind) {
        Fd s = track(await(engine.socket(bind.domain(), DGRAM, bind.domain() == Domain.UNIX ? Protocol.DEFAULT : Protocol.UDP)));
        await(engine.bind(s, bind));
        return s;
    }

    @Test
    void udpSendToAndRecvFromCarryAddresses() {
        Fd a = udp(Ipv4SockAddr.loopback(0));
        Fd b = udp(Ipv4SockAddr.loopback(0));
        ByteBuffer out = text("to-b-v4");
        assertEquals(7, await(engine.sendTo(a, out, NO_FLAGS, localAddress(b))));
        assertEquals(7, out.position());
        ByteBuffer got = ByteBuffer.allocate(64);
        ReceivedMessage m = await(engine.recvFrom(b, got, NO_FLAGS));
        assertEquals(7, m.bytes());
        assertEquals(localAddress(a), m.sender());
        assertEquals(7, got.position());
        assertEquals("to-b-v4", new String(got.array(), 0, 7, StandardCharsets.UTF_8));
        assertTrue(m.fds().isEmpty());
    }

    @Test
    void udpOverIpv6AndATruncatedDatagramIsFlagged() {
        KernelFeatures.assumeIpv6Loopback();
        Fd a = udp(Ipv6SockAddr.loopback(0));
        Fd b = udp(Ipv6SockAddr.loopback(0));
        await(engine.sendTo(a, text("0123456789"), NO_FLAGS, localAddress(b)));
        ReceivedMessage m = await(engine.recvFrom(b, ByteBuffer.allocate(4), NO_FLAGS));
        assertEquals(4, m.bytes());
        assertTrue(m.flags().contains(MsgFlag.TRUNC), m.toString());
        assertEquals(localAddress(a), m.sender());
    }

    @Test
    void datagramBoundariesArePreservedAndAnEmptyDatagramIsZeroNotEnd() {
        Fd a = udp(Ipv4SockAddr.loopback(0));
        Fd b = udp(Ipv4SockAddr.loopback(0));
        SockAddr to = localAddress(b);
        await(engine.sendTo(a, text("one"), NO_FLAGS, to));
        await(engine.sendTo(a, text("three"), NO_FLAGS, to));
        assertEquals(0, await(engine.sendTo(a, ByteBuffer.allocate(0), NO_FLAGS, to)));
        assertEquals(3, await(engine.recvFrom(b, ByteBuffer.allocate(64), NO_FLAGS)).bytes());
        assertEquals(5, await(engine.recv(b, ByteBuffer.allocate(64), NO_FLAGS)));
        assertEquals(0, await(engine.recvFrom(b, ByteBuffer.allocate(64), NO_FLAGS)).bytes(),
                "an empty datagram is 0 bytes");
    }

    @Test
    void unixDatagramsCarryThePathOfTheSender() {
        UnixSockAddr aAddr = UnixSockAddr.ofPath(dir.resolve("a").toString());
        UnixSockAddr bAddr = UnixSockAddr.ofPath(dir.resolve("b").toString());
        Fd a = udp(aAddr);
        Fd b = udp(bAddr);
        assertEquals(5, await(engine.sendTo(a, text("hello"), NO_FLAGS, bAddr)));
        ByteBuffer got = ByteBuffer.allocateDirect(16);
        ReceivedMessage m = await(engine.recvFrom(b, got, NO_FLAGS));
        assertEquals(5, m.bytes());
        assertEquals(aAddr, m.sender());
        assertEquals("hello", string(got, 5));
    }

    @Test
    void sendToFailures() {
        Fd a = udp(Ipv4SockAddr.loopback(0));
        // a datagram larger than the maximum UDP payload
        failure(engine.sendTo(a, ByteBuffer.allocate(70_000), NO_FLAGS, localAddress(a)), Errno.EMSGSIZE, "sendTo");
        // an IPv6 destination on an IPv4 socket
        failure(engine.sendTo(a, text("x"), NO_FLAGS, Ipv6SockAddr.loopback(9)), Errno.EAFNOSUPPORT, "sendTo");
        // a Unix path nobody is bound to
        Fd u = udp(UnixSockAddr.ofPath(dir.resolve("u").toString()));
        failure(engine.sendTo(u, text("x"), NO_FLAGS, UnixSockAddr.ofPath(dir.resolve("nobody").toString())),
                Errno.ENOENT, "sendTo");
        assertThrows(NullPointerException.class, () -> engine.sendTo(a, null, NO_FLAGS, localAddress(a)));
        assertThrows(IllegalArgumentException.class,
                () -> engine.recvFrom(a, ByteBuffer.allocate(4).asReadOnlyBuffer(), NO_FLAGS));
        assertEquals(0, a.users());
    }

    @Test
    void recvFromWithDontwaitOnAnEmptySocketIsEagain() {
        Fd a = udp(Ipv4SockAddr.loopback(0));
        failure(engine.recvFrom(a, ByteBuffer.allocate(4), java.util.EnumSet.of(MsgFlag.DONTWAIT)), Errno.EAGAIN, "recvFrom");
    }
}
