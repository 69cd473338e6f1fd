package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import dev.ringio.Fd;
import dev.ringio.net.Domain;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * What {@link MsgHeader#message} makes of recvmsg's {@code msg_flags}. A real recvmsg fills the
 * header (a truncated datagram: MSG_TRUNC); a bit no {@link MsgFlag} names, which only a future
 * kernel would set, is then added to what the kernel wrote (the one thing here that is not the
 * kernel's own): the receive must not throw, the set holds the named flags, {@code flagBits} all.
 */
class MsgHeaderFlagsTest {

    /** A bit of msg_flags Linux does not define today. */
    private static final int FUTURE_BIT = 0x10000000;

    @Test
    void unknownReceivedFlagBitsAreKeptNotThrown() throws Exception {
        assertNotEquals(0, MsgFlag.unknownBits(FUTURE_BIT), "the bit must be one MsgFlag does not name");
        Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.DGRAM));
        try (Arena arena = Arena.ofConfined()) {
            Sockets.send(pair[0], ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}), java.util.Set.of());
            ByteBuffer small = ByteBuffer.allocateDirect(2);
            MsgHeader h = MsgHeader.forReceive("recvMsg", new ByteBuffer[] {small}, 0, arena);
            long n = Shim.get().recvmsg(pair[1].value(), h.address(), 0);
            assertEquals(2, n);
            MemorySegment msg = MemorySegment.ofAddress(h.address()).reinterpret(MsgHeader.MSGHDR_SIZE);
            int kernelFlags = msg.get(JAVA_INT, MsgHeader.MSG_FLAGS);
            assertEquals(MsgFlag.TRUNC.value(), kernelFlags & MsgFlag.TRUNC.value(), "the kernel said MSG_TRUNC");
            msg.set(JAVA_INT, MsgHeader.MSG_FLAGS, kernelFlags | FUTURE_BIT);
            h.completed(n);

            ReceivedMessage m = h.message((int) n);

            assertEquals(EnumSet.of(MsgFlag.TRUNC), m.flags());
            assertEquals(kernelFlags | FUTURE_BIT, m.flagBits());
            assertEquals(FUTURE_BIT, MsgFlag.unknownBits(m.flagBits()));
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void namedFlagsOnlyGiveFlagBitsOfTheSet() {
        ReceivedMessage m = new ReceivedMessage(3, null, java.util.List.of(), EnumSet.of(MsgFlag.CTRUNC, MsgFlag.EOR));
        assertEquals(MsgFlag.CTRUNC.value() | MsgFlag.EOR.value(), m.flagBits());
        assertEquals(EnumSet.of(MsgFlag.OOB), MsgFlag.ofKnown(MsgFlag.OOB.value() | FUTURE_BIT));
    }
}
