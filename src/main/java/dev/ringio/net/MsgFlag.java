package dev.ringio.net;

import java.util.EnumSet;
import java.util.Set;

/** Message flags ({@code MSG_*}, Linux values) for send and receive operations. */
public enum MsgFlag {
    OOB(0x01), PEEK(0x02), DONTROUTE(0x04), CTRUNC(0x08), TRUNC(0x20), DONTWAIT(0x40), EOR(0x80),
    WAITALL(0x100), CONFIRM(0x800), ERRQUEUE(0x2000), NOSIGNAL(0x4000), MORE(0x8000),
    CMSG_CLOEXEC(0x40000000);

    private final int value;

    MsgFlag(int value) {
        this.value = value;
    }

    /** The C value. */
    public int value() {
        return value;
    }

    /** The C bits of a set of flags. */
    public static int bits(Set<MsgFlag> flags) {
        int bits = 0;
        for (MsgFlag f : flags) {
            bits |= f.value;
        }
        return bits;
    }

    /** The flags set in C bits (unknown bits are ignored). */
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
