package dev.ringio.conformance;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.net.Domain;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.UnixSockAddr;
import dev.ringio.os.Pipe;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sendMsg / recvMsg / recvMsgWithFds: scatter-gather, addresses, and descriptors passed with SCM_RIGHTS. */
public abstract class MessageContract extends ContractBase {

    @Test
    void unixDatagramsWithScatterGather() {
        Fd a = track(await(engine.socket(Domain.UNIX, DGRAM, Protocol.DEFAULT)));
        Fd b = track(await(engine.socket(Domain.UNIX, DGRAM, Protocol.DEFAULT)));
        UnixSockAddr aAddr = UnixSockAddr.ofPath(dir.resolve("a").toString());
        UnixSockAddr bAddr = UnixSockAddr.ofPath(dir.resolve("b").toString());
        await(engine.bind(a, aAddr));
        await(engine.bind(b, bAddr));
        ByteBuffer head = text("head-");
        ByteBuffer body = ByteBuffer.allocateDirect(4).put(text("body")).flip();
        assertEquals(9L, await(engine.sendMsg(a, new ByteBuffer[] {head, body}, List.of(), bAddr)));
        assertEquals(5, head.position());
        assertEquals(4, body.position());
        ByteBuffer h = ByteBuffer.allocate(5);
        ByteBuffer t = ByteBuffer.allocateDirect(10);
        ReceivedMessage m = await(engine.recvMsg(b, new ByteBuffer[] {h, t}));
        assertEquals(9, m.bytes());
        assertEquals(aAddr, m.sender());
        assertEquals("head-", string(h, 5));
        assertEquals(4, t.position());
        assertEquals("body", string(t, 4));
        assertTrue(m.fds().isEmpty());
    }

    @Test
    void descriptorsPassOverAUnixSocketpairAndArriveCloseOnExec() throws Exception {
        Fd[] p = socketPair(STREAM);
        Pipe pipe = pipe();
        long sent = await(engine.sendMsg(p[0], new ByteBuffer[] {text("fds")}, List.of(pipe.readEnd(), pipe.writeEnd()), null));
        assertEquals(3, sent);
        ByteBuffer into = ByteBuffer.allocate(8);
        ReceivedMessage m = await(engine.recvMsgWithFds(p[1], 4, new ByteBuffer[] {into}));
        assertEquals(3, m.bytes());
        assertEquals("fds", string(into, 3));
        assertEquals(2, m.fds().size());
        m.fds().forEach(this::track);
        for (Fd f : m.fds()) {
            assertEquals(Fd.Kind.PIPE, f.kind());
            assertCloexec(f); // MSG_CMSG_CLOEXEC
        }
        // The passed write end really is the pipe: write through it, read from our read end.
        await(engine.write(m.fds().get(1), text("via-passed-fd"), -1));
        ByteBuffer got = ByteBuffer.allocate(32);
        assertEquals(13, await(engine.read(pipe.readEnd(), got, -1)));
        assertEquals("via-passed-fd", string(got, 13));
    }

    @Test
    void aNullDescriptorToPassFailsAtOnceAndLeavesNothingHeld() throws Exception {
        // Found merging the engines' copies: both held the descriptors already taken (and the
        // socket's bounce memory) when a later entry was null, so the socket and the pipe stayed in use.
        Fd[] p = socketPair(STREAM);
        Pipe pipe = pipe();
        java.util.List<Fd> fds = java.util.Arrays.asList(pipe.readEnd(), null);
        assertThrows(NullPointerException.class,
                () -> engine.sendMsg(p[0], new ByteBuffer[] {ByteBuffer.wrap(new byte[] {1})}, fds, null));
        assertEquals(0, pipe.readEnd().users(), "the descriptor taken before the null one is released");
        assertEquals(0, p[0].users(), "the socket is not held");
        // And the socket still works.
        assertEquals(1L, await(engine.sendMsg(p[0], new ByteBuffer[] {text("x")}, List.of(pipe.readEnd()), null)));
        ReceivedMessage m = await(engine.recvMsgWithFds(p[1], 1, new ByteBuffer[] {ByteBuffer.allocate(1)}));
        m.fds().forEach(this::track);
        assertEquals(1, m.fds().size());
    }

    @Test
    void descriptorsPassOverAConnectedUnixStreamMadeByTheEngine() throws Exception {
        Fd[] p = connectedPair(UnixSockAddr.ofAbstract("ringio-contract-fds-" + System.nanoTime()));
        Fd f = open(file("passed.txt", "passed".getBytes()), RO);
        await(engine.sendMsg(p[0], new ByteBuffer[] {text("f")}, List.of(f), null));
        ReceivedMessage m = await(engine.recvMsgWithFds(p[1], 1, new ByteBuffer[] {ByteBuffer.allocate(1)}));
        assertEquals(1, m.fds().size());
        Fd received = track(m.fds().getFirst());
        ByteBuffer b = ByteBuffer.allocate(16);
        assertEquals(6, await(engine.read(received, b, 0)));
        assertEquals("passed", string(b, 6));
    }

    @Test
    void recvMsgWithoutRoomForDescriptorsClosesThemAndFlagsCtrunc() throws Exception {
        Fd[] p = socketPair(STREAM);
        Pipe pipe = pipe();
        await(engine.sendMsg(p[0], new ByteBuffer[] {text("x")}, List.of(pipe.readEnd()), null));
        ReceivedMessage m = await(engine.recvMsg(p[1], new ByteBuffer[] {ByteBuffer.allocate(8)}));
        assertEquals(1, m.bytes());
        assertTrue(m.fds().isEmpty());
        assertTrue(m.flags().contains(MsgFlag.CTRUNC), m.toString());
        // the per-test descriptor check proves the kernel closed the descriptor it could not deliver
    }

    @Test
    void recvMsgWithFdsWithMoreDescriptorsThanRoomKeepsWhatFitsAndFlagsCtrunc() throws Exception {
        Fd[] p = socketPair(STREAM);
        Pipe a = pipe();
        Pipe b = pipe();
        await(engine.sendMsg(p[0], new ByteBuffer[] {text("y")}, List.of(a.readEnd(), a.writeEnd(), b.readEnd()), null));
        ReceivedMessage m = await(engine.recvMsgWithFds(p[1], 2, new ByteBuffer[] {ByteBuffer.allocate(8)}));
        m.fds().forEach(this::track);
        assertEquals(2, m.fds().size(), m.toString());
        assertTrue(m.flags().contains(MsgFlag.CTRUNC), m.toString());
    }

    @Test
    void recvMsgSeesEndOfStream() throws Exception {
        Fd[] p = socketPair(STREAM);
        await(engine.close(p[0]));
        ReceivedMessage m = await(engine.recvMsgWithFds(p[1], 2, new ByteBuffer[] {ByteBuffer.allocate(8)}));
        assertEquals(0, m.bytes(), "end of stream: 0 bytes");
        assertTrue(m.fds().isEmpty());
    }

    @Test
    void sendMsgFailures() throws Exception {
        Fd[] p = socketPair(STREAM);
        Pipe spare = Pipe.open();
        spare.close();
        // a closed descriptor to pass
        failure(engine.sendMsg(p[0], new ByteBuffer[] {text("x")}, List.of(spare.readEnd()), null), Errno.EBADF, "sendMsg");
        // a connected socket after its peer is gone
        await(engine.close(p[1]));
        failure(engine.sendMsg(p[0], new ByteBuffer[] {text("x")}, List.of(), null), Errno.EPIPE, "sendMsg");
        Fd f = open(file("notsock", new byte[0]), RW);
        failure(engine.sendMsg(f, new ByteBuffer[] {text("x")}, List.of(), null), Errno.ENOTSOCK, "sendMsg");
        failure(engine.recvMsg(f, new ByteBuffer[] {ByteBuffer.allocate(1)}), Errno.ENOTSOCK, "recvMsg");
        assertEquals(0, p[0].users());
    }

    @Test
    void badArgumentsFailBeforeTheKernel() throws Exception {
        Fd[] p = socketPair(STREAM);
        assertThrows(IllegalArgumentException.class, () -> engine.recvMsgWithFds(p[0], 0, new ByteBuffer[] {ByteBuffer.allocate(1)}));
        assertThrows(IllegalArgumentException.class, () -> engine.recvMsgWithFds(p[0], 254, new ByteBuffer[] {ByteBuffer.allocate(1)}));
        assertThrows(IllegalArgumentException.class,
                () -> engine.recvMsg(p[0], new ByteBuffer[] {ByteBuffer.allocate(1).asReadOnlyBuffer()}));
        assertThrows(NullPointerException.class, () -> engine.sendMsg(p[0], null, List.of(), null));
        assertThrows(NullPointerException.class, () -> engine.sendMsg(p[0], new ByteBuffer[] {null}, List.of(), null));
        assertThrows(NullPointerException.class, () -> engine.sendMsg(p[0], new ByteBuffer[0], null, null));
        assertThrows(NullPointerException.class, () -> engine.recvMsg(p[0], null));
        assertEquals(0, p[0].users());
    }
}
