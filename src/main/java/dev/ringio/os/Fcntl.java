package dev.ringio.os;

import java.util.EnumSet;
import java.util.Set;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

/**
 * File descriptor control ({@code fcntl(2)}; Gerbil's {@code std/os/fcntl}, arew's
 * {@code fcntl}/{@code fcntl!}): status flags ({@code F_GETFL}/{@code F_SETFL}), descriptor flags
 * ({@code F_GETFD}/{@code F_SETFD}), non-blocking and close-on-exec switches, and {@code dup} with
 * a lowest number ({@code F_DUPFD}, {@code F_DUPFD_CLOEXEC}) on any {@link Fd}.
 *
 * <p>Every call holds the {@code Fd} for its duration (so a concurrent close cannot let the number
 * be reused under it) and fails with {@link NativeIoException} naming the command, e.g.
 * {@code fcntl(F_SETFL)}, and the errno: {@code EBADF} once the {@code Fd} is closed. Values are
 * Linux's; they are checked against the C headers in {@code FcntlTest}.
 *
 * <p>Mind that the status flags ({@link StatusFlag}, O_NONBLOCK among them) belong to the open file
 * description, which every {@code dup} of the descriptor, and a parent or child process that
 * inherited it, share; the descriptor flags ({@link FdFlag}, close-on-exec) belong to the number.
 * The readiness engine sets O_NONBLOCK on the pipes and sockets it works on.
 *
 * <p>Threading: any thread. Each call is one system call (two for a read-modify-write such as
 * {@link #setNonBlocking}, which is not atomic against another thread changing the same flags).
 */
public final class Fcntl {

    /** {@code F_DUPFD}: duplicate onto the lowest free number at or above the argument. */
    public static final int F_DUPFD = 0;
    /** {@code F_GETFD}: read the descriptor flags. */
    public static final int F_GETFD = 1;
    /** {@code F_SETFD}: set the descriptor flags. */
    public static final int F_SETFD = 2;
    /** {@code F_GETFL}: read the access mode and status flags. */
    public static final int F_GETFL = 3;
    /** {@code F_SETFL}: set the status flags (APPEND, ASYNC, DIRECT, NOATIME, NONBLOCK). */
    public static final int F_SETFL = 4;
    /** {@code F_DUPFD_CLOEXEC}: as {@link #F_DUPFD}, the new descriptor close-on-exec. */
    public static final int F_DUPFD_CLOEXEC = 1030;
    /** {@code FD_CLOEXEC}: the descriptor flag for close-on-exec. */
    public static final int FD_CLOEXEC = 1;

    private Fcntl() {
    }

    /**
     * {@code fcntl(fd, cmd, arg)} for any command that takes an integer argument (Gerbil's
     * {@code fcntl}); the result. Commands that take a pointer (locks, owners) want memory of the
     * caller's; a duplicating command's new descriptor is the caller's to close (prefer
     * {@link #dup(Fd, int, boolean)}, which wraps it in an {@code Fd}).
     *
     * @param fd the descriptor
     * @param cmd the {@code F_*} command
     * @param arg its integer argument
     * @return the command's result
     * @throws NativeIoException naming {@code fcntl(cmd N)} (or the command's name for the
     *                           commands above) and the errno: EINVAL for an unknown command
     */
    public static int fcntl(Fd fd, int cmd, long arg) throws NativeIoException {
        return call(fd, nameOf(cmd), cmd, arg);
    }

    // ---- status flags -----------------------------------------------------------------------

    /**
     * The access mode and status flags ({@code F_GETFL}; Gerbil's {@code fd-getfl}).
     *
     * @param fd the descriptor
     * @return the file status flags and access mode ({@code F_GETFL})
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static StatusFlags getStatusFlags(Fd fd) throws NativeIoException {
        return StatusFlags.of(call(fd, "F_GETFL", F_GETFL, 0));
    }

    /**
     * Sets the status flags to exactly {@code flags} ({@code F_SETFL}; Gerbil's {@code fd-setfl!}).
     * Only APPEND, ASYNC, DIRECT, NOATIME and NONBLOCK can change; the kernel ignores the others.
     * To change one flag and keep the rest, use {@link #addStatusFlags}/{@link #removeStatusFlags}.
     *
     * @param fd the descriptor
     * @param flags the status flags to have
     * @throws NativeIoException e.g. EPERM for NOATIME on a file the caller does not own, EINVAL
     *                           for DIRECT on a file system without it
     */
    public static void setStatusFlags(Fd fd, Set<StatusFlag> flags) throws NativeIoException {
        setStatusFlags(fd, StatusFlag.bits(flags));
    }

    /**
     * {@code F_SETFL} with a raw word (bits ringio does not name included).
     *
     * @param fd the descriptor
     * @param bits the {@code O_*} status bits to have
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static void setStatusFlags(Fd fd, int bits) throws NativeIoException {
        call(fd, "F_SETFL", F_SETFL, bits);
    }

    /**
     * Sets {@code flags} and keeps every other bit ({@code F_GETFL}, then {@code F_SETFL}); the new
     * word.
     *
     * @param fd the descriptor
     * @param flags the status flags to add
     * @return the flags now in effect
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static StatusFlags addStatusFlags(Fd fd, Set<StatusFlag> flags) throws NativeIoException {
        int old = call(fd, "F_GETFL", F_GETFL, 0);
        int bits = old | StatusFlag.bits(flags);
        if (bits != old) {
            call(fd, "F_SETFL", F_SETFL, bits);
        }
        return getStatusFlags(fd);
    }

    /**
     * Clears {@code flags} and keeps every other bit ({@code F_GETFL}, then {@code F_SETFL}); the
     * new word.
     *
     * @param fd the descriptor
     * @param flags the status flags to remove
     * @return the flags now in effect
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static StatusFlags removeStatusFlags(Fd fd, Set<StatusFlag> flags) throws NativeIoException {
        int old = call(fd, "F_GETFL", F_GETFL, 0);
        int bits = old & ~StatusFlag.bits(flags);
        if (bits != old) {
            call(fd, "F_SETFL", F_SETFL, bits);
        }
        return getStatusFlags(fd);
    }

    /**
     * Whether O_NONBLOCK is set on the open file description.
     *
     * @param fd the descriptor
     * @return whether {@code O_NONBLOCK} is set
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static boolean isNonBlocking(Fd fd) throws NativeIoException {
        return getStatusFlags(fd).has(StatusFlag.NONBLOCK);
    }

    /**
     * Sets or clears O_NONBLOCK, keeping the other status flags (Gerbil's {@code fd-set-nonblock}).
     * It changes the open file description, so every duplicate of the descriptor sees it.
     *
     * @param fd the descriptor
     * @param on true to set, false to clear
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static void setNonBlocking(Fd fd, boolean on) throws NativeIoException {
        if (on) {
            addStatusFlags(fd, EnumSet.of(StatusFlag.NONBLOCK));
        } else {
            removeStatusFlags(fd, EnumSet.of(StatusFlag.NONBLOCK));
        }
    }

    // ---- descriptor flags -------------------------------------------------------------------

    /**
     * The descriptor flags ({@code F_GETFD}; Gerbil's {@code fd-getfd}).
     *
     * @param fd the descriptor
     * @return the descriptor flags ({@code F_GETFD})
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static EnumSet<FdFlag> getFdFlags(Fd fd) throws NativeIoException {
        return FdFlag.of(getFdFlagsRaw(fd));
    }

    /**
     * The descriptor flags as the kernel gives them ({@code F_GETFD}).
     *
     * @param fd the descriptor
     * @return the {@code FD_*} bits
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static int getFdFlagsRaw(Fd fd) throws NativeIoException {
        return call(fd, "F_GETFD", F_GETFD, 0);
    }

    /**
     * Sets the descriptor flags to exactly {@code flags} ({@code F_SETFD}; Gerbil's {@code
     * fd-setfd!}).
     *
     * @param fd the descriptor
     * @param flags the descriptor flags to have
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static void setFdFlags(Fd fd, Set<FdFlag> flags) throws NativeIoException {
        setFdFlagsRaw(fd, FdFlag.bits(flags));
    }

    /**
     * {@code F_SETFD} with a raw word.
     *
     * @param fd the descriptor
     * @param bits the {@code FD_*} bits to have
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static void setFdFlagsRaw(Fd fd, int bits) throws NativeIoException {
        call(fd, "F_SETFD", F_SETFD, bits);
    }

    /**
     * Whether the descriptor is closed by {@code execve} ({@code FD_CLOEXEC}).
     *
     * @param fd the descriptor
     * @return whether {@code FD_CLOEXEC} is set
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static boolean isCloseOnExec(Fd fd) throws NativeIoException {
        return (getFdFlagsRaw(fd) & FD_CLOEXEC) != 0;
    }

    /**
     * Sets or clears {@code FD_CLOEXEC}, keeping any other descriptor flag (Gerbil's
     * {@code fd-set-closeonexec}). ringio opens everything close-on-exec; clear it only on a
     * descriptor a child process started with {@code ProcessBuilder} or {@code exec} must inherit.
     *
     * @param fd the descriptor
     * @param on true to set, false to clear
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static void setCloseOnExec(Fd fd, boolean on) throws NativeIoException {
        int old = getFdFlagsRaw(fd);
        int bits = on ? old | FD_CLOEXEC : old & ~FD_CLOEXEC;
        if (bits != old) {
            setFdFlagsRaw(fd, bits);
        }
    }

    // ---- dup --------------------------------------------------------------------------------

    /**
     * {@code dup(fd, 0, true)}: a close-on-exec duplicate on the lowest free number.
     *
     * @param fd the descriptor
     * @return the duplicate, which the caller owns
     * @throws NativeIoException naming the {@code fcntl} command, with the errno (EBADF once {@code
     *                           fd} is closed)
     */
    public static Fd dup(Fd fd) throws NativeIoException {
        return dup(fd, 0, true);
    }

    /**
     * Duplicates {@code fd} onto the lowest free number {@code >= minimum} ({@code F_DUPFD_CLOEXEC},
     * or {@code F_DUPFD} when {@code closeOnExec} is false). The new {@code Fd} shares the open file
     * description (offset, status flags) but is closed on its own; it has the same
     * {@link Fd#kind() kind}. The caller owns it.
     *
     * @param fd the descriptor
     * @param minimum the lowest number the duplicate may take, {@code >= 0}
     * @param closeOnExec whether the duplicate is close-on-exec
     * @return the duplicate, which the caller owns
     * @throws IllegalArgumentException if {@code minimum} is negative
     * @throws NativeIoException        EINVAL if {@code minimum} is at or above RLIMIT_NOFILE,
     *                                  EMFILE when no number is free, EBADF once {@code fd} is closed
     */
    public static Fd dup(Fd fd, int minimum, boolean closeOnExec) throws NativeIoException {
        if (minimum < 0) {
            throw new IllegalArgumentException("fcntl(F_DUPFD): negative minimum " + minimum);
        }
        int cmd = closeOnExec ? F_DUPFD_CLOEXEC : F_DUPFD;
        int copy = call(fd, closeOnExec ? "F_DUPFD_CLOEXEC" : "F_DUPFD", cmd, minimum);
        return Fd.adopt(copy, fd.kind());
    }

    // ---- internals --------------------------------------------------------------------------

    static String nameOf(int cmd) {
        return switch (cmd) {
            case F_DUPFD -> "F_DUPFD";
            case F_GETFD -> "F_GETFD";
            case F_SETFD -> "F_SETFD";
            case F_GETFL -> "F_GETFL";
            case F_SETFL -> "F_SETFL";
            case F_DUPFD_CLOEXEC -> "F_DUPFD_CLOEXEC";
            default -> "cmd " + cmd;
        };
    }

    /** {@code fcntl} holding {@code fd}; failures name {@code fcntl(NAME)}. */
    private static int call(Fd fd, String name, int cmd, long arg) throws NativeIoException {
        String op = "fcntl(" + name + ")";
        int raw = fd.acquire(op);
        try {
            return (int) NativeIoException.check(op, Shim.get().fcntl(raw, cmd, arg));
        } finally {
            fd.release();
        }
    }
}
