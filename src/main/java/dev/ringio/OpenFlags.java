package dev.ringio;

/**
 * {@code open(2)} flags (Linux x86_64 values), for {@link IoEngine#openat2} and
 * {@link IoEngine#open}. Combine with {@code |}. ringio always adds {@link #O_CLOEXEC}.
 * The values are checked against the C headers at start-up.
 */
public final class OpenFlags {
    /** O_RDONLY: open for reading only. */
    public static final int O_RDONLY = 0;
    /** O_WRONLY: open for writing only. */
    public static final int O_WRONLY = 01;
    /** O_RDWR: open for reading and writing. */
    public static final int O_RDWR = 02;
    /**
     * O_ACCMODE: the mask of the access-mode bits ({@link #O_RDONLY}, {@link #O_WRONLY}, {@link
     * #O_RDWR}).
     */
    public static final int O_ACCMODE = 03;
    /** O_CREAT: create the file if it does not exist, with the given mode. */
    public static final int O_CREAT = 0100;
    /** O_EXCL: with O_CREAT, fail with EEXIST if the file exists. */
    public static final int O_EXCL = 0200;
    /** O_NOCTTY: a terminal opened does not become the controlling terminal. */
    public static final int O_NOCTTY = 0400;
    /** O_TRUNC: truncate an existing regular file opened for writing to length 0. */
    public static final int O_TRUNC = 01000;
    /** O_APPEND: every write appends at the end of the file. */
    public static final int O_APPEND = 02000;
    /** O_NONBLOCK: non-blocking mode (reads and writes fail with EAGAIN instead of waiting). */
    public static final int O_NONBLOCK = 04000;
    /**
     * O_DSYNC: each write returns once the data (and the metadata needed to read them) are on
     * stable storage.
     */
    public static final int O_DSYNC = 010000;
    /** O_DIRECT: bypass the page cache (buffers, offsets and lengths must be aligned). */
    public static final int O_DIRECT = 040000;
    /** O_DIRECTORY: fail with ENOTDIR unless the path is a directory. */
    public static final int O_DIRECTORY = 0200000;
    /** O_NOFOLLOW: fail with ELOOP if the last path component is a symbolic link. */
    public static final int O_NOFOLLOW = 0400000;
    /** O_NOATIME: do not update the access time on reads (owner or CAP_FOWNER only). */
    public static final int O_NOATIME = 01000000;
    /** O_CLOEXEC: close the descriptor on exec (ringio always adds it). */
    public static final int O_CLOEXEC = 02000000;
    /** O_SYNC: each write returns once data and metadata are on stable storage. */
    public static final int O_SYNC = 04010000;
    /** O_RSYNC: synchronized reads; the same value as {@link #O_SYNC} on Linux. */
    public static final int O_RSYNC = O_SYNC;
    /**
     * O_PATH: a descriptor that only locates a file (for *at calls, fstat, fchdir), without opening
     * it for I/O.
     */
    public static final int O_PATH = 010000000;
    /**
     * O_TMPFILE: create an unnamed temporary regular file in the given directory (link it with
     * linkat).
     */
    public static final int O_TMPFILE = 020200000;

    private OpenFlags() {
    }
}
