package dev.ringio;

/** {@code AT_*}, {@code STATX_*}, {@code RENAME_*} and {@code FALLOC_FL_*} values (Linux). */
public final class AtFlags {
    /** "The current directory" as a directory descriptor. */
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final int STATX_BTIME = 0x800;
    public static final int STATX_ALL = STATX_BASIC_STATS | STATX_BTIME;
    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;

    private AtFlags() {
    }
}
