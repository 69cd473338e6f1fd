package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.ringio.AtFlags;
import dev.ringio.Errno;
import dev.ringio.FileStat;
import dev.ringio.NativeIoException;
import dev.ringio.engine.uring.Layouts;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Native-memory helpers every engine shares: C strings, the {@code struct statx} decoder, and the blocking directory / random-number reads. Stateless;
 * any thread.
 */
public final class Natives {

    private Natives() {
    }

    /** A NUL-terminated UTF-8 copy of {@code s}; IllegalArgumentException (naming {@code op}) if it contains NUL. */
    public static MemorySegment cString(Arena arena, String op, String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(op + ": path contains a NUL character");
        }
        return arena.allocateFrom(s, StandardCharsets.UTF_8);
    }

    /** Decodes a {@code struct statx} the kernel filled. */
    public static FileStat parseStatx(MemorySegment b) {
        int mask = b.get(JAVA_INT, Layouts.STATX_MASK);
        Instant btime = (mask & AtFlags.STATX_BTIME) != 0 ? timestamp(b, Layouts.STATX_BTIME) : null;
        return new FileStat(mask, Short.toUnsignedInt(b.get(JAVA_SHORT, Layouts.STATX_MODE)),
                b.get(JAVA_LONG, Layouts.STATX_INO), Integer.toUnsignedLong(b.get(JAVA_INT, Layouts.STATX_NLINK)),
                b.get(JAVA_INT, Layouts.STATX_UID), b.get(JAVA_INT, Layouts.STATX_GID),
                b.get(JAVA_LONG, Layouts.STATX_SIZE_FIELD), b.get(JAVA_LONG, Layouts.STATX_BLOCKS),
                b.get(JAVA_INT, Layouts.STATX_BLKSIZE), timestamp(b, Layouts.STATX_ATIME),
                timestamp(b, Layouts.STATX_MTIME), timestamp(b, Layouts.STATX_CTIME), btime,
                b.get(JAVA_INT, Layouts.STATX_DEV_MAJOR), b.get(JAVA_INT, Layouts.STATX_DEV_MINOR));
    }

    private static Instant timestamp(MemorySegment b, int offset) {
        return Instant.ofEpochSecond(b.get(JAVA_LONG, offset), Integer.toUnsignedLong(b.get(JAVA_INT, offset + 8)));
    }

    /** Every name in the directory {@code rawFd} (without "." and ".."), read from the start with getdents64. Blocks. */
    public static List<String> readDirNames(Shim shim, int rawFd) throws NativeIoException {
        try (Arena a = Arena.ofConfined()) {
            NativeIoException.check("readDir", shim.lseek(rawFd, 0, 0));
            MemorySegment buf = a.allocate(32 * 1024, 8);
            List<String> names = new ArrayList<>();
            while (true) {
                long n = shim.getdents64(rawFd, buf.address(), buf.byteSize());
                if (n == -Errno.EINTR.value()) {
                    continue;
                }
                NativeIoException.check("readDir", n);
                if (n == 0) {
                    return names;
                }
                long off = 0;
                while (off < n) {
                    int reclen = Short.toUnsignedInt(buf.get(JAVA_SHORT, off + Layouts.DIRENT64_RECLEN));
                    String name = buf.getString(off + Layouts.DIRENT64_NAME, StandardCharsets.UTF_8);
                    if (!name.equals(".") && !name.equals("..")) {
                        names.add(name);
                    }
                    off += reclen;
                }
            }
        }
    }

    /** Fills all of {@code dst} from getrandom(2) (memory not used in place, see {@link Bounce}, through a buffer of ours); the count. Blocks. */
    public static int fillRandom(Shim shim, MemorySegment dst) throws NativeIoException {
        // Only memory the caller cannot free meanwhile is filled in place (see Bounce); the rest
        // through a buffer of ours, copied out at the end (a scoped copy: a closed arena throws).
        boolean inPlace = Bounce.inPlace(dst);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment target = inPlace ? dst : a.allocate(Math.max(1, dst.byteSize()));
            long done = 0;
            long size = dst.byteSize();
            while (done < size) {
                long n = shim.getrandom(target.address() + done, size - done, 0);
                if (n == -Errno.EINTR.value()) {
                    continue;
                }
                done += NativeIoException.check("getrandom", n);
            }
            if (!inPlace) {
                MemorySegment.copy(target, 0, dst, 0, size);
            }
            return (int) Math.min(done, Integer.MAX_VALUE);
        }
    }
}
