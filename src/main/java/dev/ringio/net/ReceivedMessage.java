package dev.ringio.net;

import java.util.List;
import java.util.Set;

import dev.ringio.Fd;

/**
 * What one {@code recvmsg} delivered.
 *
 * @param bytes  bytes received into the buffers (0 at end of stream on a stream socket)
 * @param sender the sender's address (datagram sockets), or {@code null} when the kernel gave none
 * @param fds    descriptors passed with SCM_RIGHTS, already close-on-exec; the caller owns them
 * @param flags  the message flags the kernel returned (TRUNC, CTRUNC, ...) that {@link MsgFlag}
 *               names
 * @param flagBits every bit of the {@code msg_flags} the kernel returned, including bits no
 *               {@link MsgFlag} names (a flag of a newer kernel): those are kept here, never a
 *               reason for the receive to fail ({@link MsgFlag#unknownBits} picks them out)
 */
public record ReceivedMessage(long bytes, SockAddr sender, List<Fd> fds, Set<MsgFlag> flags, int flagBits) {

    /**
     * A message whose flags are all named: {@code flagBits} is {@code MsgFlag.bits(flags)}.
     *
     * @param bytes bytes received into the buffers (0 at end of stream on a stream socket)
     * @param sender the sender's address (datagram sockets), or {@code null} when the kernel gave
     *               none
     * @param fds descriptors passed with SCM_RIGHTS, already close-on-exec; the caller owns them
     * @param flags the message flags the kernel returned (TRUNC, CTRUNC, ...)
     */
    public ReceivedMessage(long bytes, SockAddr sender, List<Fd> fds, Set<MsgFlag> flags) {
        this(bytes, sender, fds, flags, MsgFlag.bits(flags));
    }

    /**
     * Copies {@code fds} and {@code flags}.
     *
     * @param bytes bytes received into the buffers (0 at end of stream on a stream socket)
     * @param sender the sender's address (datagram sockets), or {@code null} when the kernel gave
     *               none
     * @param fds descriptors passed with SCM_RIGHTS, already close-on-exec; the caller owns them
     * @param flags the message flags the kernel returned (TRUNC, CTRUNC, ...) that {@link MsgFlag}
     *              names
     * @param flagBits every bit of the {@code msg_flags} the kernel returned, named or not
     */
    public ReceivedMessage {
        fds = List.copyOf(fds);
        flags = Set.copyOf(flags);
    }
}
