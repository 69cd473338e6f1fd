package dev.ringio.os;

import java.util.EnumSet;
import java.util.Set;

/**
 * The bits of an inotify watch mask and of an event's mask ({@code <sys/inotify.h>}), Gerbil's
 * {@code IN_*}. Events to watch: {@link #ACCESS} .. {@link #MOVE_SELF}; flags of
 * {@code inotify_add_watch}: {@link #DONT_FOLLOW} .. {@link #ONESHOT}; bits only the kernel sets in
 * events: {@link #UNMOUNT}, {@link #Q_OVERFLOW}, {@link #IGNORED}, {@link #ISDIR}. The combined masks
 * are ints on {@link Inotify} ({@link Inotify#IN_ALL_EVENTS}, {@link Inotify#IN_MOVE},
 * {@link Inotify#IN_CLOSE}); every call that takes a set also takes the raw int.
 */
public enum InotifyMask {
    /** File was accessed (read). */
    ACCESS(0x00000001),
    /** File was modified. */
    MODIFY(0x00000002),
    /** Metadata changed (permissions, timestamps, link count, owner, ...). */
    ATTRIB(0x00000004),
    /** A file opened for writing was closed. */
    CLOSE_WRITE(0x00000008),
    /** A file not opened for writing was closed. */
    CLOSE_NOWRITE(0x00000010),
    /** File was opened. */
    OPEN(0x00000020),
    /** A file was moved out of the watched directory (paired with MOVED_TO by cookie). */
    MOVED_FROM(0x00000040),
    /** A file was moved into the watched directory. */
    MOVED_TO(0x00000080),
    /** A file was created in the watched directory. */
    CREATE(0x00000100),
    /** A file was deleted from the watched directory. */
    DELETE(0x00000200),
    /** The watched file or directory itself was deleted. */
    DELETE_SELF(0x00000400),
    /** The watched file or directory itself was moved. */
    MOVE_SELF(0x00000800),
    /** Event only: the file system of the watched object was unmounted. */
    UNMOUNT(0x00002000),
    /** Event only (wd -1): the event queue overflowed and events were lost. */
    Q_OVERFLOW(0x00004000),
    /** Event only: the watch was removed (explicitly, or the file was deleted or unmounted). */
    IGNORED(0x00008000),
    /** Watch flag: only watch the path if it is a directory (else ENOTDIR). */
    ONLYDIR(0x01000000),
    /** Watch flag: do not follow a symbolic link at the path. */
    DONT_FOLLOW(0x02000000),
    /** Watch flag: no events for children after they are unlinked from the watched directory. */
    EXCL_UNLINK(0x04000000),
    /** Watch flag: fail with EEXIST if the path is watched already (Linux 4.18). */
    MASK_CREATE(0x10000000),
    /** Watch flag: add to the existing watch's mask instead of replacing it. */
    MASK_ADD(0x20000000),
    /** Event only: the subject of this event is a directory. */
    ISDIR(0x40000000),
    /** Watch flag: remove the watch after its first event (an IN_IGNORED follows). */
    ONESHOT(0x80000000);

    private final int bit;

    InotifyMask(int bit) {
        this.bit = bit;
    }

    /**
     * The bit ({@code IN_*} value).
     *
     * @return the {@code IN_*} bit
     */
    public int bit() {
        return bit;
    }

    /**
     * The bits of {@code set} or-ed together.
     *
     * @param set the bits
     * @return their bits OR-ed together
     */
    public static int bits(Set<InotifyMask> set) {
        int m = 0;
        for (InotifyMask b : set) {
            m |= b.bit;
        }
        return m;
    }

    /**
     * The named bits of {@code mask}; bits ringio does not name are left out (keep the int for
     * them).
     *
     * @param mask an {@code IN_*} mask
     * @return the named bits, a new set
     */
    public static EnumSet<InotifyMask> of(int mask) {
        EnumSet<InotifyMask> s = EnumSet.noneOf(InotifyMask.class);
        for (InotifyMask b : values()) {
            if ((mask & b.bit) != 0) {
                s.add(b);
            }
        }
        return s;
    }
}
