package dev.ringio.net;

import java.util.Objects;

/**
 * One socket option: its C name, level and number, the Java type of its value, and whether it
 * can be read ({@code getsockopt}) and written ({@code setsockopt}). {@link SocketOptions} holds the
 * whole table; read and write them with {@link Sockets#getOption(dev.ringio.Fd, SocketOption)} and
 * {@link Sockets#setOption(dev.ringio.Fd, SocketOption, Object)}. The factories make options the
 * table lacks, e.g. {@code SocketOption.ofInt("TCP_USER_TIMEOUT", SocketConstants.IPPROTO_TCP, 18)}.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param <T> the value type: {@code Boolean} for switches, {@code Integer} for numbers, or a
 *            record/array/{@code String}/{@code Duration} for structured values
 */
public final class SocketOption<T> {

    private final String name;
    private final int level;
    private final int optname;
    private final OptionCodec<T> codec;
    private final boolean readable;
    private final boolean writable;

    SocketOption(String name, int level, int optname, OptionCodec<T> codec, boolean readable, boolean writable) {
        this.name = Objects.requireNonNull(name, "name");
        this.level = level;
        this.optname = optname;
        this.codec = codec;
        this.readable = readable;
        this.writable = writable;
    }

    /**
     * A readable and writable option whose value is a C {@code int}.
     *
     * @param name the C name, e.g. {@code "SO_REUSEADDR"}
     * @param level the option level, e.g. {@link SocketConstants#SOL_SOCKET}
     * @param optname the option number within its level
     * @return the option
     */
    public static SocketOption<Integer> ofInt(String name, int level, int optname) {
        return new SocketOption<>(name, level, optname, OptionCodec.INT, true, true);
    }

    /**
     * A readable and writable option whose value is a C {@code int} used as a switch (0 / 1).
     *
     * @param name the C name, e.g. {@code "SO_REUSEADDR"}
     * @param level the option level, e.g. {@link SocketConstants#SOL_SOCKET}
     * @param optname the option number within its level
     * @return the option
     */
    public static SocketOption<Boolean> ofBoolean(String name, int level, int optname) {
        return new SocketOption<>(name, level, optname, OptionCodec.BOOLEAN, true, true);
    }

    /**
     * A readable and writable option whose value is raw bytes; reads return at most
     * {@code maxLength} bytes.
     *
     * @param name the C name, e.g. {@code "SO_REUSEADDR"}
     * @param level the option level, e.g. {@link SocketConstants#SOL_SOCKET}
     * @param optname the option number within its level
     * @param maxLength the most bytes a read returns
     * @return the option
     */
    public static SocketOption<byte[]> ofBytes(String name, int level, int optname, int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength " + maxLength);
        }
        return new SocketOption<>(name, level, optname, OptionCodec.bytes(maxLength), true, true);
    }

    /**
     * The C name, e.g. {@code "SO_REUSEADDR"}.
     *
     * @return the C name
     */
    public String name() {
        return name;
    }

    /**
     * The level ({@code SOL_SOCKET}, {@code IPPROTO_IP}, {@code IPPROTO_IPV6}, {@code IPPROTO_TCP},
     * ...).
     *
     * @return the level
     */
    public int level() {
        return level;
    }

    /**
     * The level's C name, or its number when ringio does not name it.
     *
     * @return the level's name
     */
    public String levelName() {
        return switch (level) {
            case SocketConstants.SOL_SOCKET -> "SOL_SOCKET";
            case SocketConstants.IPPROTO_IP -> "IPPROTO_IP";
            case SocketConstants.IPPROTO_IPV6 -> "IPPROTO_IPV6";
            case SocketConstants.IPPROTO_TCP -> "IPPROTO_TCP";
            case SocketConstants.IPPROTO_UDP -> "IPPROTO_UDP";
            default -> Integer.toString(level);
        };
    }

    /**
     * The option number within its level.
     *
     * @return the option number
     */
    public int optname() {
        return optname;
    }

    /**
     * The Java type of the value.
     *
     * @return the value's class
     */
    public Class<T> type() {
        return codec.type();
    }

    /**
     * Whether {@code getsockopt} is allowed (false for write-only options such as
     * IP_ADD_MEMBERSHIP).
     *
     * @return true if the option can be read
     */
    public boolean isReadable() {
        return readable;
    }

    /**
     * Whether {@code setsockopt} is allowed (false for read-only options such as SO_TYPE).
     *
     * @return true if the option can be set
     */
    public boolean isWritable() {
        return writable;
    }

    OptionCodec<T> codec() {
        return codec;
    }

    /** E.g. {@code "SO_REUSEADDR (SOL_SOCKET)"}. */
    @Override
    public String toString() {
        return name + " (" + levelName() + ")";
    }
}
