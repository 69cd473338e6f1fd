package dev.ringio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.ringio.sys.Shim;

/**
 * Linux errno values (x86_64 / asm-generic numbering), with their names and the C library's
 * description.
 *
 * <p>{@link #EWOULDBLOCK} has the same value as {@link #EAGAIN} and {@link #ENOTSUP} as
 * {@link #EOPNOTSUPP}; {@link #of(int)} returns the first of each pair, as {@code errno(3)} does.
 */
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), ENOEXEC(8), EBADF(9),
    ECHILD(10), EAGAIN(11), ENOMEM(12), EACCES(13), EFAULT(14), ENOTBLK(15), EBUSY(16), EEXIST(17),
    EXDEV(18), ENODEV(19), ENOTDIR(20), EISDIR(21), EINVAL(22), ENFILE(23), EMFILE(24), ENOTTY(25),
    ETXTBSY(26), EFBIG(27), ENOSPC(28), ESPIPE(29), EROFS(30), EMLINK(31), EPIPE(32), EDOM(33),
    ERANGE(34), EDEADLK(35), ENAMETOOLONG(36), ENOLCK(37), ENOSYS(38), ENOTEMPTY(39), ELOOP(40),
    EWOULDBLOCK(11), ENOMSG(42), EIDRM(43), ENODATA(61), ETIME(62), ENOLINK(67), EPROTO(71),
    EBADMSG(74), EOVERFLOW(75), EBADFD(77), EILSEQ(84), EUSERS(87), ENOTSOCK(88), EDESTADDRREQ(89),
    EMSGSIZE(90), EPROTOTYPE(91), ENOPROTOOPT(92), EPROTONOSUPPORT(93), ESOCKTNOSUPPORT(94),
    EOPNOTSUPP(95), ENOTSUP(95), EPFNOSUPPORT(96), EAFNOSUPPORT(97), EADDRINUSE(98),
    EADDRNOTAVAIL(99), ENETDOWN(100), ENETUNREACH(101), ENETRESET(102), ECONNABORTED(103),
    ECONNRESET(104), ENOBUFS(105), EISCONN(106), ENOTCONN(107), ESHUTDOWN(108), ETOOMANYREFS(109),
    ETIMEDOUT(110), ECONNREFUSED(111), EHOSTDOWN(112), EHOSTUNREACH(113), EALREADY(114),
    EINPROGRESS(115), ESTALE(116), EDQUOT(122), ECANCELED(125), EOWNERDEAD(130),
    ENOTRECOVERABLE(131);

    private static final Errno[] BY_VALUE = new Errno[256];

    static {
        for (Errno e : values()) {
            if (BY_VALUE[e.value] == null) {
                BY_VALUE[e.value] = e;
            }
        }
    }

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    /** The positive errno number. */
    public int value() {
        return value;
    }

    /** The C library's text for this errno ({@code strerror}). Any thread. */
    public String description() {
        return describe(value);
    }

    /** The constant for a positive errno value, if ringio names it. Any thread. */
    public static Optional<Errno> of(int value) {
        return Optional.ofNullable(lookup(value));
    }

    static Errno lookup(int value) {
        return value > 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    /** The symbolic name of an errno value ({@code "ENOENT"}), or {@code "errno N"} if unnamed. */
    public static String nameOf(int value) {
        Errno e = lookup(value);
        return e != null ? e.name() : "errno " + value;
    }

    /** {@code strerror(value)} from the C library. Any thread. */
    public static String describe(int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            int n = Shim.get().strerror(value, buf.address(), (int) buf.byteSize());
            return new String(buf.asSlice(0, Math.max(0, n)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
        } catch (RuntimeException | LinkageError e) {
            // Library not loadable: still give a usable message.
            return "errno " + value;
        }
    }
}
