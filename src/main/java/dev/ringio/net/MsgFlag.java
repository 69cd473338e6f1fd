package dev.ringio.net;

import java.util.EnumSet;
import java.util.Set;

/**
 * Flags of {@code send}/{@code recv}/{@code sendmsg}/{@code recvmsg} and of {@code msg_flags}
 * ({@code MSG_*}, Linux values), used as {@code Set<MsgFlag>}.
 *
 * <p>Values are checked against the C headers in {@code SocketConstantsTest}.
 */
public enum MsgFlag {
    /** {@code MSG_CONFIRM}: the link layer made forward progress (datagram sends). */
    CONFIRM(0x800),
    /** {@code MSG_CTRUNC} (returned): control data was cut short. */
    CTRUNC(0x8),
    /** {@code MSG_DONTROUTE}: send only to directly connected hosts. */
    DONTROUTE(0x4),
    /** {@code MSG_DONTWAIT}: do not block for this call only. */
    DONTWAIT(0x40),
    /** {@code MSG_EOR}: end of record (SEQPACKET). */
    EOR(0x80),
    /** {@code MSG_ERRQUEUE}: receive from the socket's error queue. */
    ERRQUEUE(0x2000),
    /** {@code MSG_MORE}: more data follows (cork this send). */
    MORE(0x8000),
    /** {@code MSG_NOSIGNAL}: EPIPE instead of SIGPIPE; ringio adds it to every send. */
    NOSIGNAL(0x4000),
    /** {@code MSG_OOB}: out-of-band data. */
    OOB(0x1),
    /** {@code MSG_PEEK}: receive without removing the data from the queue. */
    PEEK(0x2),
    /** {@code MSG_TRUNC}: report a datagram's real length (argument); it was cut short (returned). */
    TRUNC(0x20),
    /** {@code MSG_WAITALL}: block until the whole buffer is filled. */
    WAITALL(0x100),
    /** {@code MSG_CMSG_CLOEXEC}: descriptors received with SCM_RIGHTS are close-on-exec. */
    CMSG_CLOEXEC(0x40000000);

    private final int value;

    MsgFlag(int value) {
        this.value = value;
    }

    /** The C value ({@code MSG_*}). */
    public int value() {
        return value;
    }

    /** The C {@code int} for a set of flags (0 for an empty set). */
    public static int bits(Set<MsgFlag> flags) {
        int bits = 0;
        for (MsgFlag f : flags) {
            bits |= f.value;
        }
        return bits;
    }

    /** The flags set in a C {@code int}; bits ringio does not name are ignored. */
    public static EnumSet<MsgFlag> of(int bits) {
        EnumSet<MsgFlag> set = EnumSet.noneOf(MsgFlag.class);
        for (MsgFlag f : values()) {
            if ((bits & f.value) != 0) {
                set.add(f);
            }
        }
        return set;
    }
}
