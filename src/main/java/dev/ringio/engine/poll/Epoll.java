package dev.ringio.engine.poll;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import dev.ringio.sys.Shim;

/**
 * epoll's constants and the layout of {@code struct epoll_event}, mirrored from
 * {@code <sys/epoll.h>} (glibc) / {@code <linux/eventpoll.h>} for Linux x86_64, and checked once
 * against the values the shim was compiled with ({@code ringio_poll_const}).
 *
 * <p>{@code struct epoll_event} is {@code __attribute__((packed))} on x86_64 (the kernel's
 * {@code EPOLL_PACKED}): 12 bytes, {@code events} (u32) at 0, {@code data} (u64) at 4, so the
 * 64-bit token is unaligned and must be read with an unaligned access. Other architectures pad it
 * to 16 bytes with {@code data} at 8; {@link #mismatches()} catches that.
 */
final class Epoll {

    // struct epoll_event
    static final int EVENT_SIZE = 12;
    static final int EVENT_EVENTS = 0;
    static final int EVENT_DATA = 4;

    // events bits
    static final int EPOLLIN = 0x001;
    static final int EPOLLPRI = 0x002;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLONESHOT = 1 << 30;
    static final int EPOLLET = 1 << 31;

    // epoll_ctl ops
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;

    // epoll_create1 flags (= O_CLOEXEC)
    static final int EPOLL_CLOEXEC = 02000000;

    private Epoll() {
    }

    /**
     * Each Java value above that differs from the shim's ({@code "EPOLLET: java 0x80000000, C ..."}),
     * empty when all agree. Any thread.
     */
    static List<String> mismatches() {
        List<String> out = new ArrayList<>();
        check(out, "sizeof(epoll_event)", EVENT_SIZE);
        check(out, "offsetof(epoll_event.events)", EVENT_EVENTS);
        check(out, "offsetof(epoll_event.data)", EVENT_DATA);
        check(out, "EPOLLIN", EPOLLIN);
        check(out, "EPOLLPRI", EPOLLPRI);
        check(out, "EPOLLOUT", EPOLLOUT);
        check(out, "EPOLLERR", EPOLLERR);
        check(out, "EPOLLHUP", EPOLLHUP);
        check(out, "EPOLLRDHUP", EPOLLRDHUP);
        check(out, "EPOLLONESHOT", EPOLLONESHOT);
        check(out, "EPOLLET", EPOLLET);
        check(out, "EPOLL_CTL_ADD", EPOLL_CTL_ADD);
        check(out, "EPOLL_CTL_DEL", EPOLL_CTL_DEL);
        check(out, "EPOLL_CTL_MOD", EPOLL_CTL_MOD);
        check(out, "EPOLL_CLOEXEC", EPOLL_CLOEXEC);
        return out;
    }

    /** {@code ringio_poll_const(name)}: Long.MIN_VALUE when the shim does not know the name. Any thread. */
    static long constValue(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return Shim.get().pollConst(arena.allocateFrom(name).address());
        }
    }

    private static void check(List<String> out, String name, int javaValue) {
        long c = constValue(name);
        // The C side returns the unsigned 32-bit value (EPOLLET is 1u << 31); compare as unsigned.
        if (c != Integer.toUnsignedLong(javaValue)) {
            out.add(name + ": java " + Integer.toUnsignedLong(javaValue)
                    + ", C " + (c == Long.MIN_VALUE ? "unknown" : Long.toString(c)));
        }
    }
}
