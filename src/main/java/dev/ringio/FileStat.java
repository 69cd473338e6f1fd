package dev.ringio;

import java.time.Instant;

/**
 * What {@code statx(2)} tells about a file.
 *
 * @param mask        which fields the kernel filled ({@code STATX_*})
 * @param mode        type and permission bits ({@code st_mode})
 * @param inode       the inode number ({@code stx_ino})
 * @param links       the number of hard links ({@code stx_nlink})
 * @param uid         the owner's user id
 * @param gid         the owner's group id
 * @param size        size in bytes
 * @param blocks      the 512-byte blocks allocated ({@code stx_blocks})
 * @param blockSize   the preferred I/O block size ({@code stx_blksize})
 * @param accessed    last access time ({@code stx_atime})
 * @param modified    last modification of the contents ({@code stx_mtime})
 * @param changed     last status change ({@code stx_ctime})
 * @param btime       birth time, or {@code null} when the file system does not record it
 * @param deviceMajor the major number of the device holding the file ({@code stx_dev_major})
 * @param deviceMinor the minor number of the device holding the file ({@code stx_dev_minor})
 */
public record FileStat(int mask, int mode, long inode, long links, int uid, int gid, long size,
        long blocks, int blockSize, Instant accessed, Instant modified, Instant changed,
        Instant btime, int deviceMajor, int deviceMinor) {

    /**
     * Whether this is a regular file.
     *
     * @return true for a regular file
     */
    public boolean isRegularFile() {
        return (mode & 0170000) == 0100000;
    }

    /**
     * Whether this is a directory.
     *
     * @return true for a directory
     */
    public boolean isDirectory() {
        return (mode & 0170000) == 0040000;
    }

    /**
     * Whether this is a symbolic link (only seen with {@code AT_SYMLINK_NOFOLLOW}).
     *
     * @return true for a symbolic link
     */
    public boolean isSymbolicLink() {
        return (mode & 0170000) == 0120000;
    }

    /**
     * The permission bits ({@code mode & 07777}).
     *
     * @return the permission bits
     */
    public int permissions() {
        return mode & 07777;
    }
}
