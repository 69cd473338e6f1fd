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
 * @param flags  the message flags the kernel returned (TRUNC, CTRUNC, ...)
 */
public record ReceivedMessage(long bytes, SockAddr sender, List<Fd> fds, Set<MsgFlag> flags) {

    /**
     * Copies {@code fds} and {@code flags}.
     *
     * @param bytes bytes received into the buffers (0 at end of stream on a stream socket)
     * @param sender the sender's address (datagram sockets), or {@code null} when the kernel gave
     *               none
     * @param fds descriptors passed with SCM_RIGHTS, already close-on-exec; the caller owns them
     * @param flags the message flags the kernel returned (TRUNC, CTRUNC, ...)
     */
    public ReceivedMessage {
        fds = List.copyOf(fds);
        flags = Set.copyOf(flags);
    }
}
