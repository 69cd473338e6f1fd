package dev.ringio.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

/** Helpers of the OS-layer tests: C constants by name, raw descriptors of every kind. */
final class OsTesting {

    private OsTesting() {
    }

    /** {@code ringio_os_const(name)}; fails the test for a name the shim does not know. */
    static long c(String name) {
        long v = OsConstants.value(name);
        if (v == Long.MIN_VALUE) {
            throw new AssertionError(name + " unknown to ringio_os_const");
        }
        return v;
    }

    /** A raw copy (F_DUPFD_CLOEXEC) of {@code fd}'s number, adopted with {@link Fd#adopt(int)}: its kind is detected. */
    static Fd adoptCopy(Fd fd) throws NativeIoException {
        int raw = (int) NativeIoException.check("dup", Shim.get().fcntl(fd.value(), (int) c("F_DUPFD_CLOEXEC"), 0));
        return Fd.adopt(raw);
    }

    /** Adopts a raw result, or throws naming {@code op}. */
    static Fd adopt(String op, long raw) throws NativeIoException {
        return Fd.adopt((int) NativeIoException.check(op, raw));
    }

    static Fd eventfd() throws NativeIoException {
        return adopt("eventfd", Shim.get().eventfd(0, 02000000));
    }

    static Fd timerfd() throws NativeIoException {
        return adopt("timerfd_create", Shim.get().timerfdCreate((int) c("CLOCK_MONOTONIC"), (int) c("TFD_CLOEXEC")));
    }

    static Fd inotify() throws NativeIoException {
        return adopt("inotify_init1", Shim.get().syscall4(c("SYS_inotify_init1"), c("IN_CLOEXEC"), 0, 0, 0));
    }

    /** A signalfd for the empty signal set (it never becomes readable). */
    static Fd signalfd() throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(8); // zeroed: the empty sigset_t the kernel reads (8 bytes)
            return adopt("signalfd4", Shim.get().syscall4(c("SYS_signalfd4"), -1, mask.address(), 8, c("SFD_CLOEXEC")));
        }
    }

    static Fd pidfd(long pid) throws NativeIoException {
        return adopt("pidfd_open", Shim.get().syscall4(c("SYS_pidfd_open"), pid, 0, 0, 0));
    }

    static Fd epollFd() throws NativeIoException {
        return adopt("epoll_create1", Shim.get().epollCreate(02000000));
    }
}
