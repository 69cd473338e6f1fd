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
    /** EPERM: Operation not permitted. */
    EPERM(1),
    /** ENOENT: No such file or directory. */
    ENOENT(2),
    /** ESRCH: No such process. */
    ESRCH(3),
    /** EINTR: Interrupted system call. */
    EINTR(4),
    /** EIO: Input/output error. */
    EIO(5),
    /** ENXIO: No such device or address. */
    ENXIO(6),
    /** E2BIG: Argument list too long. */
    E2BIG(7),
    /** ENOEXEC: Exec format error. */
    ENOEXEC(8),
    /** EBADF: Bad file descriptor. */
    EBADF(9),
    /** ECHILD: No child processes. */
    ECHILD(10),
    /** EAGAIN: Resource temporarily unavailable. */
    EAGAIN(11),
    /** ENOMEM: Cannot allocate memory. */
    ENOMEM(12),
    /** EACCES: Permission denied. */
    EACCES(13),
    /** EFAULT: Bad address. */
    EFAULT(14),
    /** ENOTBLK: Block device required. */
    ENOTBLK(15),
    /** EBUSY: Device or resource busy. */
    EBUSY(16),
    /** EEXIST: File exists. */
    EEXIST(17),
    /** EXDEV: Invalid cross-device link. */
    EXDEV(18),
    /** ENODEV: No such device. */
    ENODEV(19),
    /** ENOTDIR: Not a directory. */
    ENOTDIR(20),
    /** EISDIR: Is a directory. */
    EISDIR(21),
    /** EINVAL: Invalid argument. */
    EINVAL(22),
    /** ENFILE: Too many open files in system. */
    ENFILE(23),
    /** EMFILE: Too many open files. */
    EMFILE(24),
    /** ENOTTY: Inappropriate ioctl for device. */
    ENOTTY(25),
    /** ETXTBSY: Text file busy. */
    ETXTBSY(26),
    /** EFBIG: File too large. */
    EFBIG(27),
    /** ENOSPC: No space left on device. */
    ENOSPC(28),
    /** ESPIPE: Illegal seek. */
    ESPIPE(29),
    /** EROFS: Read-only file system. */
    EROFS(30),
    /** EMLINK: Too many links. */
    EMLINK(31),
    /** EPIPE: Broken pipe. */
    EPIPE(32),
    /** EDOM: Numerical argument out of domain. */
    EDOM(33),
    /** ERANGE: Numerical result out of range. */
    ERANGE(34),
    /** EDEADLK: Resource deadlock avoided. */
    EDEADLK(35),
    /** ENAMETOOLONG: File name too long. */
    ENAMETOOLONG(36),
    /** ENOLCK: No locks available. */
    ENOLCK(37),
    /** ENOSYS: Function not implemented. */
    ENOSYS(38),
    /** ENOTEMPTY: Directory not empty. */
    ENOTEMPTY(39),
    /** ELOOP: Too many levels of symbolic links. */
    ELOOP(40),
    /** EWOULDBLOCK: Resource temporarily unavailable. The same value as {@link #EAGAIN}. */
    EWOULDBLOCK(11),
    /** ENOMSG: No message of desired type. */
    ENOMSG(42),
    /** EIDRM: Identifier removed. */
    EIDRM(43),
    /** ENODATA: No data available. */
    ENODATA(61),
    /** ETIME: Timer expired. */
    ETIME(62),
    /** ENOLINK: Link has been severed. */
    ENOLINK(67),
    /** EPROTO: Protocol error. */
    EPROTO(71),
    /** EBADMSG: Bad message. */
    EBADMSG(74),
    /** EOVERFLOW: Value too large for defined data type. */
    EOVERFLOW(75),
    /** EBADFD: File descriptor in bad state. */
    EBADFD(77),
    /** EILSEQ: Invalid or incomplete multibyte or wide character. */
    EILSEQ(84),
    /** EUSERS: Too many users. */
    EUSERS(87),
    /** ENOTSOCK: Socket operation on non-socket. */
    ENOTSOCK(88),
    /** EDESTADDRREQ: Destination address required. */
    EDESTADDRREQ(89),
    /** EMSGSIZE: Message too long. */
    EMSGSIZE(90),
    /** EPROTOTYPE: Protocol wrong type for socket. */
    EPROTOTYPE(91),
    /** ENOPROTOOPT: Protocol not available. */
    ENOPROTOOPT(92),
    /** EPROTONOSUPPORT: Protocol not supported. */
    EPROTONOSUPPORT(93),
    /** ESOCKTNOSUPPORT: Socket type not supported. */
    ESOCKTNOSUPPORT(94),
    /** EOPNOTSUPP: Operation not supported. */
    EOPNOTSUPP(95),
    /** ENOTSUP: Operation not supported. The same value as {@link #EOPNOTSUPP}. */
    ENOTSUP(95),
    /** EPFNOSUPPORT: Protocol family not supported. */
    EPFNOSUPPORT(96),
    /** EAFNOSUPPORT: Address family not supported by protocol. */
    EAFNOSUPPORT(97),
    /** EADDRINUSE: Address already in use. */
    EADDRINUSE(98),
    /** EADDRNOTAVAIL: Cannot assign requested address. */
    EADDRNOTAVAIL(99),
    /** ENETDOWN: Network is down. */
    ENETDOWN(100),
    /** ENETUNREACH: Network is unreachable. */
    ENETUNREACH(101),
    /** ENETRESET: Network dropped connection on reset. */
    ENETRESET(102),
    /** ECONNABORTED: Software caused connection abort. */
    ECONNABORTED(103),
    /** ECONNRESET: Connection reset by peer. */
    ECONNRESET(104),
    /** ENOBUFS: No buffer space available. */
    ENOBUFS(105),
    /** EISCONN: Transport endpoint is already connected. */
    EISCONN(106),
    /** ENOTCONN: Transport endpoint is not connected. */
    ENOTCONN(107),
    /** ESHUTDOWN: Cannot send after transport endpoint shutdown. */
    ESHUTDOWN(108),
    /** ETOOMANYREFS: Too many references: cannot splice. */
    ETOOMANYREFS(109),
    /** ETIMEDOUT: Connection timed out. */
    ETIMEDOUT(110),
    /** ECONNREFUSED: Connection refused. */
    ECONNREFUSED(111),
    /** EHOSTDOWN: Host is down. */
    EHOSTDOWN(112),
    /** EHOSTUNREACH: No route to host. */
    EHOSTUNREACH(113),
    /** EALREADY: Operation already in progress. */
    EALREADY(114),
    /** EINPROGRESS: Operation now in progress. */
    EINPROGRESS(115),
    /** ESTALE: Stale file handle. */
    ESTALE(116),
    /** EDQUOT: Disk quota exceeded. */
    EDQUOT(122),
    /** ECANCELED: Operation canceled. */
    ECANCELED(125),
    /** EOWNERDEAD: Owner died. */
    EOWNERDEAD(130),
    /** ENOTRECOVERABLE: State not recoverable. */
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

    /**
     * The positive errno number.
     *
     * @return the errno number, {@code > 0}
     */
    public int value() {
        return value;
    }

    /**
     * The C library's text for this errno ({@code strerror}). Any thread.
     *
     * @return the description, e.g. {@code "No such file or directory"}
     */
    public String description() {
        return describe(value);
    }

    /**
     * The constant for a positive errno value, if ringio names it. Any thread.
     *
     * @param value an errno number
     * @return the constant, or empty if {@code value} is not one ringio names
     */
    public static Optional<Errno> of(int value) {
        return Optional.ofNullable(lookup(value));
    }

    static Errno lookup(int value) {
        return value > 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    /**
     * The symbolic name of an errno value ({@code "ENOENT"}), or {@code "errno N"} if unnamed.
     *
     * @param value an errno number
     * @return the constant's name, or {@code "errno N"}
     */
    public static String nameOf(int value) {
        Errno e = lookup(value);
        return e != null ? e.name() : "errno " + value;
    }

    /**
     * {@code strerror(value)} from the C library. Any thread.
     *
     * @param value an errno number
     * @return the C library's description, or {@code "errno N"} if the library cannot be loaded
     */
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
