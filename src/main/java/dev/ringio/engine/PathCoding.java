package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * How ringio turns file names and paths into the bytes the kernel takes, and names the kernel
 * returns back into strings: UTF-8, with PEP 383's "surrogateescape" for bytes that are not valid
 * UTF-8, so every name {@code readDir} returns opens the same file. Every path operation (and the
 * Unix socket addresses) encodes through here; {@link ReadDirOp} decodes through here.
 *
 * <p>Threading: stateless; any thread.
 */
public final class PathCoding {

    private PathCoding() {
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
}
