package dev.ringio.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * How one kind of socket-option value travels to and from the kernel: the Java type, the bytes
 * {@code setsockopt} gets, and how the bytes {@code getsockopt} wrote become a value.
 *
 * @param <T> the Java value type
 */
abstract class OptionCodec<T> {

    private final Class<T> type;

    OptionCodec(Class<T> type) {
        this.type = type;
    }

    final Class<T> type() {
        return type;
    }

    /** Bytes to offer {@code getsockopt}. */
    abstract int capacity();

    /** The value from the {@code length} bytes {@code getsockopt} wrote at the start of {@code src}. */
    abstract T decode(MemorySegment src, int length);

    /**
     * The bytes to hand {@code setsockopt}, allocated in {@code arena}.
     *
     * @throws IllegalArgumentException for a value the C type cannot hold (named with {@code option})
     */
    abstract MemorySegment encode(T value, Arena arena, String option);

    // ---- the codecs ------------------------------------------------------------------------------

    /** A C {@code int}, signed. A 1-byte answer (some IP options give one to a short buffer) is unsigned. */
    static final OptionCodec<Integer> INT = new OptionCodec<>(Integer.class) {
        @Override
        int capacity() {
            return 4;
        }

        @Override
        Integer decode(MemorySegment src, int length) {
            return intOf(src, length);
        }

        @Override
        MemorySegment encode(Integer value, Arena arena, String option) {
            return arena.allocateFrom(JAVA_INT, value);
        }
    };

    /** A C {@code int} used as a switch: 0 is false, anything else true; written as 0 or 1. */
    static final OptionCodec<Boolean> BOOLEAN = new OptionCodec<>(Boolean.class) {
        @Override
        int capacity() {
            return 4;
        }

        @Override
        Boolean decode(MemorySegment src, int length) {
            return intOf(src, length) != 0;
        }

        @Override
        MemorySegment encode(Boolean value, Arena arena, String option) {
            return arena.allocateFrom(JAVA_INT, value ? 1 : 0);
        }
    };

    private static int intOf(MemorySegment src, int length) {
        if (length >= 4) {
            return src.get(JAVA_INT, 0);
        }
        if (length >= 1) {
            return Byte.toUnsignedInt(src.get(JAVA_BYTE, 0));
        }
        return 0;
    }

    /** {@code struct linger}. */
    static final OptionCodec<Linger> LINGER = new OptionCodec<>(Linger.class) {
        @Override
        int capacity() {
            return NetLayouts.LingerStruct.SIZE;
        }

        @Override
        Linger decode(MemorySegment src, int length) {
            // The kernel reports l_linger even when lingering is off; off is off.
            return src.get(JAVA_INT, NetLayouts.LingerStruct.ONOFF) == 0 ? Linger.off()
                    : Linger.seconds(src.get(JAVA_INT, NetLayouts.LingerStruct.LINGER));
        }

        @Override
        MemorySegment encode(Linger value, Arena arena, String option) {
            MemorySegment s = arena.allocate(NetLayouts.LingerStruct.SIZE, 4);
            s.set(JAVA_INT, NetLayouts.LingerStruct.ONOFF, value.enabled() ? 1 : 0);
            s.set(JAVA_INT, NetLayouts.LingerStruct.LINGER, value.seconds());
            return s;
        }
    };

    /**
     * {@code struct timeval}: a timeout, {@link Duration#ZERO} meaning none (block forever). Written
     * in whole microseconds, rounded up so a tiny timeout never becomes "none"; the kernel keeps
     * it in scheduler ticks, so what reads back is rounded up to a tick.
     */
    static final OptionCodec<Duration> TIMEVAL = new OptionCodec<>(Duration.class) {
        @Override
        int capacity() {
            return NetLayouts.Timeval.SIZE;
        }

        @Override
        Duration decode(MemorySegment src, int length) {
            return Duration.ofSeconds(src.get(JAVA_LONG, NetLayouts.Timeval.SEC),
                    src.get(JAVA_LONG, NetLayouts.Timeval.USEC) * 1000);
        }

        @Override
        MemorySegment encode(Duration value, Arena arena, String option) {
            if (value.isNegative()) {
                throw new IllegalArgumentException(option + ": negative timeout " + value);
            }
            long seconds = value.getSeconds();
            long micros = (value.getNano() + 999) / 1000;
            if (micros == 1_000_000) {
                seconds++;
                micros = 0;
            }
            MemorySegment s = arena.allocate(NetLayouts.Timeval.SIZE, 8);
            s.set(JAVA_LONG, NetLayouts.Timeval.SEC, seconds);
            s.set(JAVA_LONG, NetLayouts.Timeval.USEC, micros);
            return s;
        }
    };

    /** {@code struct ucred} (read-only: SO_PEERCRED). */
    static final OptionCodec<Ucred> UCRED = new OptionCodec<>(Ucred.class) {
        @Override
        int capacity() {
            return NetLayouts.UcredStruct.SIZE;
        }

        @Override
        Ucred decode(MemorySegment src, int length) {
            return new Ucred(src.get(JAVA_INT, NetLayouts.UcredStruct.PID), src.get(JAVA_INT, NetLayouts.UcredStruct.UID),
                    src.get(JAVA_INT, NetLayouts.UcredStruct.GID));
        }

        @Override
        MemorySegment encode(Ucred value, Arena arena, String option) {
            throw new UnsupportedOperationException(option + ": read-only option");
        }
    };

    /**
     * A short name, NUL-terminated by the kernel (interface names, congestion-control algorithms:
     * both at most 15 bytes, IFNAMSIZ and TCP_CA_NAME_MAX being 16). A longer name is refused here,
     * because the kernel would silently cut it and act on a different name.
     */
    static OptionCodec<String> string(int maxBytes) {
        return new OptionCodec<>(String.class) {
            @Override
            int capacity() {
                return maxBytes + 1;
            }

            @Override
            String decode(MemorySegment src, int length) {
                int n = 0;
                while (n < length && src.get(JAVA_BYTE, n) != 0) {
                    n++;
                }
                byte[] b = new byte[n];
                MemorySegment.copy(src, JAVA_BYTE, 0, b, 0, n);
                return new String(b, StandardCharsets.UTF_8);
            }

            @Override
            MemorySegment encode(String value, Arena arena, String option) {
                byte[] b = value.getBytes(StandardCharsets.UTF_8);
                if (b.length > maxBytes) {
                    throw new IllegalArgumentException(option + ": \"" + value + "\" is " + b.length
                            + " bytes, longer than the kernel's limit of " + maxBytes);
                }
                for (byte x : b) {
                    if (x == 0) {
                        throw new IllegalArgumentException(option + ": name contains a NUL byte");
                    }
                }
                // The bytes without a NUL: the kernel copies optlen bytes and terminates them itself.
                MemorySegment s = arena.allocate(Math.max(1, b.length));
                MemorySegment.copy(b, 0, s, JAVA_BYTE, 0, b.length);
                return s.asSlice(0, b.length);
            }
        };
    }

    /** Raw bytes (IP_OPTIONS, the IPv6 extension headers), at most {@code capacity} read back. */
    static OptionCodec<byte[]> bytes(int capacity) {
        return new OptionCodec<>(byte[].class) {
            @Override
            int capacity() {
                return capacity;
            }

            @Override
            byte[] decode(MemorySegment src, int length) {
                byte[] b = new byte[Math.min(length, capacity)];
                MemorySegment.copy(src, JAVA_BYTE, 0, b, 0, b.length);
                return b;
            }

            @Override
            MemorySegment encode(byte[] value, Arena arena, String option) {
                MemorySegment s = arena.allocate(Math.max(1, value.length), 8);
                MemorySegment.copy(value, 0, s, JAVA_BYTE, 0, value.length);
                return s.asSlice(0, value.length);
            }
        };
    }

    /** {@code struct ip_mreq}, or {@code struct ip_mreqn} when an interface index is given (write-only). */
    static final OptionCodec<IpMreq> IP_MREQ = new OptionCodec<>(IpMreq.class) {
        @Override
        int capacity() {
            return NetLayouts.IpMreqStruct.SIZE_N;
        }

        @Override
        IpMreq decode(MemorySegment src, int length) {
            throw new UnsupportedOperationException("ip_mreq is write-only");
        }

        @Override
        MemorySegment encode(IpMreq value, Arena arena, String option) {
            boolean n = value.interfaceIndex() != 0;
            MemorySegment s = arena.allocate(n ? NetLayouts.IpMreqStruct.SIZE_N : NetLayouts.IpMreqStruct.SIZE, 4);
            MemorySegment.copy(value.group().getAddress(), 0, s, JAVA_BYTE, NetLayouts.IpMreqStruct.MULTIADDR, 4);
            MemorySegment.copy(value.interfaceAddress().getAddress(), 0, s, JAVA_BYTE, NetLayouts.IpMreqStruct.INTERFACE, 4);
            if (n) {
                s.set(JAVA_INT, NetLayouts.IpMreqStruct.IFINDEX, value.interfaceIndex());
            }
            return s;
        }
    };

    /** {@code struct ip_mreq_source} (write-only). */
    static final OptionCodec<IpMreqSource> IP_MREQ_SOURCE = new OptionCodec<>(IpMreqSource.class) {
        @Override
        int capacity() {
            return NetLayouts.IpMreqSourceStruct.SIZE;
        }

        @Override
        IpMreqSource decode(MemorySegment src, int length) {
            throw new UnsupportedOperationException("ip_mreq_source is write-only");
        }

        @Override
        MemorySegment encode(IpMreqSource value, Arena arena, String option) {
            MemorySegment s = arena.allocate(NetLayouts.IpMreqSourceStruct.SIZE, 4);
            MemorySegment.copy(value.group().getAddress(), 0, s, JAVA_BYTE, NetLayouts.IpMreqSourceStruct.MULTIADDR, 4);
            MemorySegment.copy(value.interfaceAddress().getAddress(), 0, s, JAVA_BYTE, NetLayouts.IpMreqSourceStruct.INTERFACE, 4);
            MemorySegment.copy(value.source().getAddress(), 0, s, JAVA_BYTE, NetLayouts.IpMreqSourceStruct.SOURCEADDR, 4);
            return s;
        }
    };

    /** {@code struct ipv6_mreq} (write-only). */
    static final OptionCodec<Ipv6Mreq> IPV6_MREQ = new OptionCodec<>(Ipv6Mreq.class) {
        @Override
        int capacity() {
            return NetLayouts.Ipv6MreqStruct.SIZE;
        }

        @Override
        Ipv6Mreq decode(MemorySegment src, int length) {
            throw new UnsupportedOperationException("ipv6_mreq is write-only");
        }

        @Override
        MemorySegment encode(Ipv6Mreq value, Arena arena, String option) {
            MemorySegment s = arena.allocate(NetLayouts.Ipv6MreqStruct.SIZE, 4);
            MemorySegment.copy(value.group().getAddress(), 0, s, JAVA_BYTE, NetLayouts.Ipv6MreqStruct.MULTIADDR, 16);
            s.set(JAVA_INT, NetLayouts.Ipv6MreqStruct.INTERFACE, value.interfaceIndex());
            return s;
        }
    };
}
