package dev.ringio;

/** {@code AT_*}, {@code STATX_*}, {@code RENAME_*} and {@code FALLOC_FL_*} values (Linux). */
public final class AtFlags {
    /** "The current directory" as a directory descriptor. */
    public static final int AT_FDCWD = -100;
    /**
     * AT_SYMLINK_NOFOLLOW: do not follow a symbolic link in the last path component (stat the link
     * itself).
     */
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** AT_REMOVEDIR: unlinkat removes a directory (as rmdir) instead of a file. */
    public static final int AT_REMOVEDIR = 0x200;
    /** AT_SYMLINK_FOLLOW: linkat follows a symbolic link {@code oldPath} names (links its target). */
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    /** AT_EMPTY_PATH: with an empty path, operate on the directory descriptor itself. */
    public static final int AT_EMPTY_PATH = 0x1000;
    /**
     * STATX_BASIC_STATS: the fields of a classic {@code struct stat} (type, mode, nlink, uid, gid,
     * times, ino, size, blocks).
     */
    public static final int STATX_BASIC_STATS = 0x7ff;
    /** STATX_BTIME: the birth (creation) time. */
    public static final int STATX_BTIME = 0x800;
    /** STATX_ALL: {@link #STATX_BASIC_STATS} and {@link #STATX_BTIME}. */
    public static final int STATX_ALL = STATX_BASIC_STATS | STATX_BTIME;
    /** RENAME_NOREPLACE: renameat2 fails with EEXIST instead of replacing the new path. */
    public static final int RENAME_NOREPLACE = 1;
    /** RENAME_EXCHANGE: renameat2 atomically swaps the two paths (both must exist). */
    public static final int RENAME_EXCHANGE = 2;
    /** FALLOC_FL_KEEP_SIZE: allocate without changing the file size. */
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    /** FALLOC_FL_PUNCH_HOLE: deallocate the range, leaving a hole (with FALLOC_FL_KEEP_SIZE). */
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;

    private AtFlags() {
    }
}
