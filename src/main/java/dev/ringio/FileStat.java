package dev.ringio;

import java.time.Instant;

/**
 * What {@code statx(2)} tells about a file.
 *
 * @param mask      which fields the kernel filled ({@code STATX_*})
 * @param mode      type and permission bits ({@code st_mode})
 * @param size      size in bytes
 * @param btime     birth time, or {@code null} when the file system does not record it
 */
public record FileStat(int mask, int mode, long inode, long links, int uid, int gid, long size,
        long blocks, int blockSize, Instant accessed, Instant modified, Instant changed,
        Instant btime, int deviceMajor, int deviceMinor) {

    /** Whether this is a regular file. */
    public boolean isRegularFile() {
        return (mode & 0170000) == 0100000;
    }

    /** Whether this is a directory. */
    public boolean isDirectory() {
        return (mode & 0170000) == 0040000;
    }

    /** Whether this is a symbolic link (only seen with {@code AT_SYMLINK_NOFOLLOW}). */
    public boolean isSymbolicLink() {
        return (mode & 0170000) == 0120000;
    }

    /** The permission bits ({@code mode & 07777}). */
    public int permissions() {
        return mode & 07777;
    }
}
