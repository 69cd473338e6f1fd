package dev.ringio.net;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import dev.ringio.engine.PathCoding;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A Unix-domain socket address ({@code struct sockaddr_un}: family 0, path 2; 110 bytes): a
 * file-system path, a name in Linux's abstract namespace (no file; the kernel sees a leading NUL),
 * or unnamed.
 *
 * @param name     the path or abstract name, as bytes (no NUL); empty when unnamed
 * @param abstractName whether {@code name} is in the abstract namespace
 */
public record UnixSockAddr(byte[] name, boolean abstractName) implements SockAddr {

    /** {@code sizeof(sun_path)}: the longest path, including its terminating NUL. */
    public static final int UNIX_MAX_PATH = 108;
    static final int PATH_OFFSET = 2;
    /** An unnamed socket (e.g. either end of a socketpair, or an unbound client). */
    public static final UnixSockAddr UNNAMED = new UnixSockAddr(new byte[0], false);

    /**
     * Checks the components and copies {@code name}.
     *
     * @param name the path or abstract name, as bytes (no NUL); empty when unnamed
     * @param abstractName whether {@code name} is in the abstract namespace
     * @throws IllegalArgumentException for a name too long, or a path with a NUL byte
     */
    public UnixSockAddr {
        Objects.requireNonNull(name, "name");
        // A path needs room for its NUL; an abstract name uses the leading NUL instead.
        if (name.length > UNIX_MAX_PATH - 1) {
            throw new IllegalArgumentException((abstractName ? "abstract name" : "Unix socket path") + " of "
                    + name.length + " bytes exceeds " + (UNIX_MAX_PATH - 1) + " (UNIX_MAX_PATH " + UNIX_MAX_PATH + ")");
        }
        for (byte b : name) {
            if (b == 0 && !abstractName) {
                throw new IllegalArgumentException("Unix socket path contains a NUL byte");
            }
        }
        name = name.clone();
    }

    /**
     * A file-system path, e.g. {@code /run/app.sock}, encoded as every path ringio hands the
     * kernel is (UTF-8; a lone U+DC80..U+DCFF stands for the undecodable byte a directory listing
     * gave it).
     *
     * @param path the socket's path
     * @return the address
     * @throws java.nio.file.InvalidPathException (an IllegalArgumentException) if {@code path}
     *         holds an unpaired surrogate UTF-8 cannot encode, or a NUL character
     */
    public static UnixSockAddr ofPath(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty Unix socket path");
        }
        return new UnixSockAddr(PathCoding.encodePath("Unix socket path", path), false);
    }

    /**
     * A name in Linux's abstract namespace (shown as {@code @name}), encoded as {@link #ofPath}
     * encodes a path, except that a NUL character is allowed (it is the byte 0).
     *
     * @param name the abstract name (without the leading NUL)
     * @return the address
     * @throws java.nio.file.InvalidPathException (an IllegalArgumentException) if {@code name}
     *         holds an unpaired surrogate UTF-8 cannot encode
     */
    public static UnixSockAddr ofAbstract(String name) {
        Objects.requireNonNull(name, "name");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(name.length());
        int from = 0;
        for (int nul = name.indexOf('\0'); ; nul = name.indexOf('\0', from)) {
            int to = nul < 0 ? name.length() : nul;
            bytes.writeBytes(PathCoding.encodePath("abstract Unix socket name", name.substring(from, to)));
            if (nul < 0) {
                break;
            }
            bytes.write(0);
            from = nul + 1;
        }
        return new UnixSockAddr(bytes.toByteArray(), true);
    }

    /**
     * The path or abstract name as bytes, a copy.
     *
     * @return the name bytes
     */
    @Override
    public byte[] name() {
        return name.clone();
    }

    /**
     * The path or abstract name as text.
     *
     * @return the name
     */
    public String nameString() {
        return new String(name, StandardCharsets.UTF_8);
    }

    /**
     * Whether this is the unnamed address.
     *
     * @return true for the unnamed address
     */
    public boolean isUnnamed() {
        return name.length == 0 && !abstractName;
    }

    @Override
    public Domain domain() {
        return Domain.UNIX;
    }

    /**
     * A {@link java.net.UnixDomainSocketAddress}: the path, or an empty path when unnamed.
     *
     * @throws UnsupportedOperationException for an abstract name ({@code java.net} has no form for it)
     */
    @Override
    public java.net.UnixDomainSocketAddress toJava() {
        if (abstractName) {
            throw new UnsupportedOperationException("abstract Unix address " + this + " has no java.net form");
        }
        return java.net.UnixDomainSocketAddress.of(nameString());
    }

    @Override
    public int encode(MemorySegment dst) {
        dst.asSlice(0, PATH_OFFSET + UNIX_MAX_PATH).fill((byte) 0);
        dst.set(JAVA_SHORT, 0, (short) Domain.UNIX.value());
        if (isUnnamed()) {
            return PATH_OFFSET;
        }
        if (abstractName) {
            // Abstract: a leading NUL, then the name; the length counts exactly these bytes.
            MemorySegment.copy(name, 0, dst, JAVA_BYTE, PATH_OFFSET + 1, name.length);
            return PATH_OFFSET + 1 + name.length;
        }
        MemorySegment.copy(name, 0, dst, JAVA_BYTE, PATH_OFFSET, name.length);
        return PATH_OFFSET + name.length + 1;
    }

    static UnixSockAddr decode(MemorySegment src, int length) {
        int n = Math.min(length, PATH_OFFSET + UNIX_MAX_PATH) - PATH_OFFSET;
        if (n <= 0) {
            return UNNAMED;
        }
        byte[] raw = new byte[n];
        MemorySegment.copy(src, JAVA_BYTE, PATH_OFFSET, raw, 0, n);
        if (raw[0] == 0) {
            return new UnixSockAddr(Arrays.copyOfRange(raw, 1, n), true);
        }
        int end = 0;
        while (end < n && raw[end] != 0) {
            end++;
        }
        return new UnixSockAddr(Arrays.copyOf(raw, end), false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnixSockAddr other && abstractName == other.abstractName && Arrays.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(name) * 2 + (abstractName ? 1 : 0);
    }

    /** The path, {@code @name} for an abstract name, or {@code (unnamed)}. */
    @Override
    public String toString() {
        return isUnnamed() ? "(unnamed)" : (abstractName ? "@" : "") + nameString();
    }
}
