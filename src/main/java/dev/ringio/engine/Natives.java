package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.ringio.AtFlags;
import dev.ringio.Errno;
import dev.ringio.FileStat;
import dev.ringio.NativeIoException;
import dev.ringio.engine.uring.Layouts;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
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

    /**
     * A NUL-terminated copy of the path {@code s} in the bytes {@link #encodePath} gives;
     * IllegalArgumentException (naming {@code op}) if it contains NUL or cannot be encoded.
     */
    public static MemorySegment cString(Arena arena, String op, String s) {
        byte[] bytes = encodePath(op, s);
        MemorySegment m = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, m, JAVA_BYTE, 0, bytes.length);
        return m;
    }

    /**
     * The bytes of the file name or path {@code s}: UTF-8, except that a lone low surrogate
     * U+DC80..U+DCFF stands for the one byte 0x80..0xFF that {@link #decodeName} could not decode
     * (a name that is not valid UTF-8), so every name {@code readDir} returns opens the same file.
     * Any other unpaired surrogate cannot be encoded and is refused, as the JDK's
     * {@code Path.of} refuses it, with an {@link InvalidPathException} (an
     * IllegalArgumentException) naming {@code op}; so is a NUL character.
     */
    public static byte[] encodePath(String op, String s) {
        int len = s.length();
        byte[] out = new byte[len * 3];
        int n = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new InvalidPathException(s, op + ": path contains a NUL character", i);
            } else if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xc0 | c >> 6);
                out[n++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[n++] = (byte) (0xf0 | cp >> 18);
                out[n++] = (byte) (0x80 | cp >> 12 & 0x3f);
                out[n++] = (byte) (0x80 | cp >> 6 & 0x3f);
                out[n++] = (byte) (0x80 | cp & 0x3f);
            } else if (c >= ESCAPED_BYTE_MIN && c <= ESCAPED_BYTE_MAX) {
                out[n++] = (byte) c; // a byte decodeName escaped
            } else if (Character.isSurrogate(c)) {
                throw new InvalidPathException(s, op + ": unpaired surrogate U+" + Integer.toHexString(c).toUpperCase()
                        + " cannot be encoded in a file name", i);
            } else {
                out[n++] = (byte) (0xe0 | c >> 12);
                out[n++] = (byte) (0x80 | c >> 6 & 0x3f);
                out[n++] = (byte) (0x80 | c & 0x3f);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The path string of {@code path} for {@link #cString}. A path of the default file system
     * keeps a name's bytes, and its {@code toString()} turns the bytes that are not valid in
     * {@code sun.jnu.encoding} into U+FFFD, which would name another file; only then are the bytes
     * taken from its {@code file:} URI, which percent-encodes them, so a {@code Path} that
     * {@code Files.list} returned for such a name opens here as it does with the JDK. The URI is
     * absolute (against {@code user.dir}, the process's working directory).
     */
    public static String pathString(Path path) {
        String s = path.toString();
        if (s.indexOf('\uFFFD') < 0 || path.getFileSystem() != FileSystems.getDefault()) {
            return s;
        }
        URI uri = path.toAbsolutePath().toUri();
        String raw = uri.getRawPath();
        byte[] bytes = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                bytes[n++] = (byte) Integer.parseInt(raw, i + 1, i + 3, 16);
                i += 2;
            } else {
                bytes[n++] = (byte) c; // a URI's raw path is ASCII
            }
        }
        if (n > 1 && bytes[n - 1] == '/' && !s.endsWith("/")) {
            n--; // toUri adds a slash after an existing directory's name
        }
        return decodeName(bytes, 0, n);
    }

    /** The lone low surrogates that stand for the undecodable bytes 0x80..0xFF of a file name. */
    private static final char ESCAPED_BYTE_MIN = '\uDC80';
    private static final char ESCAPED_BYTE_MAX = '\uDCFF';

    /**
     * The file name {@code b[from, to)} as a string: strict UTF-8 (no overlong forms, no encoded
     * surrogates, nothing above U+10FFFF), each byte that is not part of a valid sequence becoming
     * the lone surrogate U+DC00 + byte (PEP 383's "surrogateescape"). {@link #encodePath} gives the
     * same bytes back, so a name that is not valid UTF-8 still round-trips.
     */
    public static String decodeName(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int b0 = b[i] & 0xff;
            int need;
            int cp;
            int min;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            } else if (b0 >= 0xc2 && b0 <= 0xdf) {
                need = 1;
                cp = b0 & 0x1f;
                min = 0x80;
            } else if (b0 >= 0xe0 && b0 <= 0xef) {
                need = 2;
                cp = b0 & 0x0f;
                min = 0x800;
            } else if (b0 >= 0xf0 && b0 <= 0xf4) {
                need = 3;
                cp = b0 & 0x07;
                min = 0x10000;
            } else {
                sb.append((char) (0xdc00 | b0));
                i++;
                continue;
            }
            boolean ok = i + need < to;
            for (int k = 1; ok && k <= need; k++) {
                int bk = b[i + k] & 0xff;
                if ((bk & 0xc0) != 0x80) {
                    ok = false;
                } else {
                    cp = cp << 6 | bk & 0x3f;
                }
            }
            if (!ok || cp < min || cp > Character.MAX_CODE_POINT || cp >= 0xd800 && cp <= 0xdfff) {
                sb.append((char) (0xdc00 | b0));
                i++;
                continue;
            }
            sb.appendCodePoint(cp);
            i += need + 1;
        }
        return sb.toString();
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
                    String name = direntName(buf, off + Layouts.DIRENT64_NAME, off + reclen);
                    if (!name.equals(".") && !name.equals("..")) {
                        names.add(name);
                    }
                    off += reclen;
                }
            }
        }
    }

    /** The NUL-terminated name at {@code from} (before {@code end}), decoded by {@link #decodeName}. */
    private static String direntName(MemorySegment buf, long from, long end) {
        long to = from;
        while (to < end && buf.get(JAVA_BYTE, to) != 0) {
            to++;
        }
        byte[] bytes = buf.asSlice(from, to - from).toArray(JAVA_BYTE);
        return decodeName(bytes, 0, bytes.length);
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
