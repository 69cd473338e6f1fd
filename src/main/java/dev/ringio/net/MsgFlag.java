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
    CMSG_CLOEXEC(0x40000000),
    /** {@code MSG_PROXY}: historical (supply or ask for the second address); unused by Linux today. */
    PROXY(0x10),
    /** {@code MSG_FIN}: TCP FIN (defined by glibc; not a flag the socket calls act on). */
    FIN(0x200),
    /** {@code MSG_SYN}: TCP SYN (defined by glibc; not a flag the socket calls act on). */
    SYN(0x400),
    /** {@code MSG_RST}: TCP RST (defined by glibc; not a flag the socket calls act on). */
    RST(0x1000),
    /** {@code MSG_WAITFORONE} ({@code recvmmsg}): block for the first message only. */
    WAITFORONE(0x10000),
    /** {@code MSG_BATCH} ({@code sendmmsg}): more messages follow. */
    BATCH(0x40000),
    /** {@code MSG_FASTOPEN}: send data in the SYN (TCP Fast Open, an unconnected stream socket's sendto). */
    FASTOPEN(0x20000000);

    /** {@code MSG_TRYHARD}: the old name of {@code MSG_DONTROUTE} (the same bit), as arew's {@code tryhard}. */
    public static final MsgFlag TRYHARD = DONTROUTE;

    private final int value;

    MsgFlag(int value) {
        this.value = value;
    }

    /**
     * The C value ({@code MSG_*}).
     *
     * @return the {@code MSG_*} value
     */
    public int value() {
        return value;
    }

    /**
     * The C {@code int} for a set of flags (0 for an empty set).
     *
     * @param flags the flags
     * @return their bits OR-ed together
     */
    public static int bits(Set<MsgFlag> flags) {
        int bits = 0;
        for (MsgFlag f : flags) {
            bits |= f.value;
        }
        return bits;
    }

    /**
     * The flags set in a C {@code int}.
     *
     * @param bits {@code MSG_*} bits
     * @return the flags, a new set
     * @throws IllegalArgumentException if a bit is set that no constant names: bits are never
     *                                  silently dropped ({@link #unknownBits(int)} tells which)
     */
    public static EnumSet<MsgFlag> of(int bits) {
        int unknown = unknownBits(bits);
        if (unknown != 0) {
            throw new IllegalArgumentException("message flags 0x" + Integer.toHexString(bits)
                    + " have bits ringio does not name: 0x" + Integer.toHexString(unknown));
        }
        EnumSet<MsgFlag> set = EnumSet.noneOf(MsgFlag.class);
        for (MsgFlag f : values()) {
            if ((bits & f.value) != 0) {
                set.add(f);
            }
        }
        return set;
    }

    /**
     * The named flags set in a C {@code int}, ignoring bits no constant names: for what the kernel
     * reports ({@code recvmsg}'s {@code msg_flags}), where a newer kernel may set a bit this ringio
     * does not know ({@link ReceivedMessage#flagBits()} keeps every bit).
     *
     * @param bits {@code MSG_*} bits
     * @return the named flags among them, a new set
     */
    public static EnumSet<MsgFlag> ofKnown(int bits) {
        EnumSet<MsgFlag> set = EnumSet.noneOf(MsgFlag.class);
        for (MsgFlag f : values()) {
            if ((bits & f.value) != 0) {
                set.add(f);
            }
        }
        return set;
    }

    /**
     * The bits of {@code bits} that no constant names (0 when {@link #of(int)} accepts them).
     *
     * @param bits {@code MSG_*} bits
     * @return the unnamed bits
     */
    public static int unknownBits(int bits) {
        int known = 0;
        for (MsgFlag f : values()) {
            known |= f.value;
        }
        return bits & ~known;
    }
}
