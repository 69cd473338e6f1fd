package dev.ringio.engine.uring;

import java.util.ArrayList;
import java.util.List;

import dev.ringio.AtFlags;
import dev.ringio.OpenFlags;
import dev.ringio.Resolve;
import dev.ringio.Whence;
import dev.ringio.sys.Shim;

/**
 * Checks every struct offset and constant ringio hard-codes against the values the shim was
 * compiled with ({@code ringio_layout}, ids from {@code shim/include/ringio.h}). A mismatch means
 * a Java layout class is wrong for this platform, so the engine refuses to start.
 */
public final class Layouts {

    // struct statx (include/uapi/linux/stat.h)
    public static final int STATX_SIZE = 256;
    public static final int STATX_MASK = 0;
    public static final int STATX_BLKSIZE = 4;
    public static final int STATX_NLINK = 16;
    public static final int STATX_UID = 20;
    public static final int STATX_GID = 24;
    public static final int STATX_MODE = 28;
    public static final int STATX_INO = 32;
    public static final int STATX_SIZE_FIELD = 40;
    public static final int STATX_BLOCKS = 48;
    public static final int STATX_ATIME = 64;
    public static final int STATX_BTIME = 80;
    public static final int STATX_CTIME = 96;
    public static final int STATX_MTIME = 112;
    public static final int STATX_DEV_MAJOR = 136;
    public static final int STATX_DEV_MINOR = 140;
    // struct open_how (include/uapi/linux/openat2.h)
    public static final int OPEN_HOW_SIZE = 24;
    public static final int OPEN_HOW_FLAGS = 0;
    public static final int OPEN_HOW_MODE = 8;
    public static final int OPEN_HOW_RESOLVE = 16;
    // struct iovec
    public static final int IOVEC_SIZE = 16;
    public static final int IOVEC_BASE = 0;
    public static final int IOVEC_LEN = 8;
    // struct __kernel_timespec
    public static final int TIMESPEC_SIZE = 16;
    // struct linux_dirent64
    public static final int DIRENT64_RECLEN = 16;
    public static final int DIRENT64_TYPE = 18;
    public static final int DIRENT64_NAME = 19;

    public static final int POLLIN = 0x001;
    public static final int POLLOUT = 0x004;
    public static final int IOV_MAX = 1024;

    private record Check(int id, long expected, String what) {
    }

    private static final List<Check> CHECKS = List.of(
            new Check(0, SqeLayout.SIZE, "sizeof(io_uring_sqe)"),
            new Check(1, SqeLayout.OPCODE, "sqe.opcode"),
            new Check(2, SqeLayout.FLAGS, "sqe.flags"),
            new Check(3, SqeLayout.IOPRIO, "sqe.ioprio"),
            new Check(4, SqeLayout.FD, "sqe.fd"),
            new Check(5, SqeLayout.OFF, "sqe.off"),
            new Check(6, SqeLayout.ADDR, "sqe.addr"),
            new Check(7, SqeLayout.LEN, "sqe.len"),
            new Check(8, SqeLayout.OP_FLAGS, "sqe.rw_flags"),
            new Check(9, SqeLayout.USER_DATA, "sqe.user_data"),
            new Check(10, SqeLayout.BUF_INDEX, "sqe.buf_index"),
            new Check(11, SqeLayout.PERSONALITY, "sqe.personality"),
            new Check(12, SqeLayout.SPLICE_FD_IN, "sqe.splice_fd_in"),
            new Check(13, SqeLayout.ADDR3, "sqe.addr3"),
            new Check(20, CqeLayout.SIZE, "sizeof(io_uring_cqe)"),
            new Check(21, CqeLayout.USER_DATA, "cqe.user_data"),
            new Check(22, CqeLayout.RES, "cqe.res"),
            new Check(23, CqeLayout.FLAGS, "cqe.flags"),
            new Check(30, STATX_SIZE, "sizeof(statx)"),
            new Check(31, STATX_MASK, "statx.stx_mask"),
            new Check(32, STATX_BLKSIZE, "statx.stx_blksize"),
            new Check(34, STATX_NLINK, "statx.stx_nlink"),
            new Check(35, STATX_UID, "statx.stx_uid"),
            new Check(36, STATX_GID, "statx.stx_gid"),
            new Check(37, STATX_MODE, "statx.stx_mode"),
            new Check(38, STATX_INO, "statx.stx_ino"),
            new Check(39, STATX_SIZE_FIELD, "statx.stx_size"),
            new Check(40, STATX_BLOCKS, "statx.stx_blocks"),
            new Check(41, STATX_ATIME, "statx.stx_atime"),
            new Check(42, STATX_BTIME, "statx.stx_btime"),
            new Check(43, STATX_CTIME, "statx.stx_ctime"),
            new Check(44, STATX_MTIME, "statx.stx_mtime"),
            new Check(45, STATX_DEV_MAJOR, "statx.stx_dev_major"),
            new Check(46, STATX_DEV_MINOR, "statx.stx_dev_minor"),
            new Check(50, OPEN_HOW_SIZE, "sizeof(open_how)"),
            new Check(51, OPEN_HOW_FLAGS, "open_how.flags"),
            new Check(52, OPEN_HOW_MODE, "open_how.mode"),
            new Check(53, OPEN_HOW_RESOLVE, "open_how.resolve"),
            new Check(60, IOVEC_SIZE, "sizeof(iovec)"),
            new Check(61, IOVEC_BASE, "iovec.iov_base"),
            new Check(62, IOVEC_LEN, "iovec.iov_len"),
            new Check(70, TIMESPEC_SIZE, "sizeof(__kernel_timespec)"),
            new Check(71, 0, "timespec.tv_sec"),
            new Check(72, 8, "timespec.tv_nsec"),
            new Check(82, DIRENT64_RECLEN, "dirent64.d_reclen"),
            new Check(83, DIRENT64_TYPE, "dirent64.d_type"),
            new Check(84, DIRENT64_NAME, "dirent64.d_name"),
            new Check(100, AtFlags.AT_FDCWD, "AT_FDCWD"),
            new Check(101, AtFlags.AT_REMOVEDIR, "AT_REMOVEDIR"),
            new Check(102, AtFlags.AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"),
            new Check(103, AtFlags.AT_EMPTY_PATH, "AT_EMPTY_PATH"),
            new Check(104, OpenFlags.O_RDONLY, "O_RDONLY"),
            new Check(105, OpenFlags.O_WRONLY, "O_WRONLY"),
            new Check(106, OpenFlags.O_RDWR, "O_RDWR"),
            new Check(107, OpenFlags.O_CREAT, "O_CREAT"),
            new Check(108, OpenFlags.O_EXCL, "O_EXCL"),
            new Check(109, OpenFlags.O_TRUNC, "O_TRUNC"),
            new Check(110, OpenFlags.O_APPEND, "O_APPEND"),
            new Check(111, OpenFlags.O_NONBLOCK, "O_NONBLOCK"),
            new Check(112, OpenFlags.O_DIRECTORY, "O_DIRECTORY"),
            new Check(113, OpenFlags.O_NOFOLLOW, "O_NOFOLLOW"),
            new Check(114, OpenFlags.O_CLOEXEC, "O_CLOEXEC"),
            new Check(115, OpenFlags.O_DIRECT, "O_DIRECT"),
            new Check(116, OpenFlags.O_DSYNC, "O_DSYNC"),
            new Check(117, OpenFlags.O_SYNC, "O_SYNC"),
            new Check(118, OpenFlags.O_TMPFILE, "O_TMPFILE"),
            new Check(119, OpenFlags.O_NOATIME, "O_NOATIME"),
            new Check(120, OpenFlags.O_PATH, "O_PATH"),
            new Check(121, Resolve.NO_XDEV.bit(), "RESOLVE_NO_XDEV"),
            new Check(122, Resolve.NO_MAGICLINKS.bit(), "RESOLVE_NO_MAGICLINKS"),
            new Check(123, Resolve.NO_SYMLINKS.bit(), "RESOLVE_NO_SYMLINKS"),
            new Check(124, Resolve.BENEATH.bit(), "RESOLVE_BENEATH"),
            new Check(125, Resolve.IN_ROOT.bit(), "RESOLVE_IN_ROOT"),
            new Check(126, Resolve.CACHED.bit(), "RESOLVE_CACHED"),
            new Check(127, AtFlags.STATX_BASIC_STATS, "STATX_BASIC_STATS"),
            new Check(128, AtFlags.STATX_BTIME, "STATX_BTIME"),
            new Check(131, POLLIN, "POLLIN"),
            new Check(132, POLLOUT, "POLLOUT"),
            new Check(135, AtFlags.FALLOC_FL_KEEP_SIZE, "FALLOC_FL_KEEP_SIZE"),
            new Check(136, AtFlags.FALLOC_FL_PUNCH_HOLE, "FALLOC_FL_PUNCH_HOLE"),
            new Check(137, Uring.FSYNC_DATASYNC, "IORING_FSYNC_DATASYNC"),
            new Check(138, Uring.TIMEOUT_ABS, "IORING_TIMEOUT_ABS"),
            new Check(145, Whence.SET.value(), "SEEK_SET"),
            new Check(146, Whence.CUR.value(), "SEEK_CUR"),
            new Check(147, Whence.END.value(), "SEEK_END"),
            new Check(148, Whence.DATA.value(), "SEEK_DATA"),
            new Check(149, Whence.HOLE.value(), "SEEK_HOLE"),
            new Check(164, IOV_MAX, "IOV_MAX"),
            new Check(165, AtFlags.RENAME_NOREPLACE, "RENAME_NOREPLACE"),
            new Check(166, AtFlags.RENAME_EXCHANGE, "RENAME_EXCHANGE"));

    private Layouts() {
    }

    /** The mismatches between ringio's Java layouts and the shim's; empty when all agree. */
    public static List<String> mismatches(Shim shim) {
        List<String> bad = new ArrayList<>();
        for (Check c : CHECKS) {
            long actual = shim.layout(c.id);
            if (actual != c.expected) {
                bad.add(c.what + ": Java has " + c.expected + ", C has " + actual);
            }
        }
        return bad;
    }

    private static volatile boolean verified;

    /** Throws if any layout or constant disagrees with the shim; checked once per process. */
    public static void verify(Shim shim) {
        if (verified) {
            return;
        }
        List<String> bad = mismatches(shim);
        if (!bad.isEmpty()) {
            throw new IllegalStateException("ringio's struct layouts do not match libringio: " + bad);
        }
        verified = true;
    }
}
