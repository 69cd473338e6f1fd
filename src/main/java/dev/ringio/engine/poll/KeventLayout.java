package dev.ringio.engine.poll;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * The two {@code struct kevent} layouts {@link KqueuePoller} speaks, and the kqueue constants they
 * share, mirrored from the systems' {@code <sys/event.h>} for LP64 (8-byte {@code uintptr_t} and
 * pointers):
 * <pre>
 * FreeBSD 12+: { uintptr_t ident; short filter; unsigned short flags; unsigned int fflags;
 *                int64_t data; void *udata; uint64_t ext[4]; }            64 bytes
 * macOS:       { uintptr_t ident; int16_t filter; uint16_t flags; uint32_t fflags;
 *                intptr_t data; void *udata; }                            32 bytes
 * </pre>
 * The first 32 bytes have the same offsets in both; FreeBSD adds {@code ext[4]}. Neither layout
 * has been checked against a real BSD or macOS header at run time: {@link #mismatches} compares
 * them with the test-only emulation ({@code shim/src/kqemu}), whose C structs mirror the same
 * headers. Other BSDs (NetBSD's wider fields, FreeBSD before 12) are not mirrored.
 *
 * <p>Threading: immutable; any thread.
 */
enum KeventLayout {

    /** FreeBSD 12 and later (the 64-byte kevent with {@code ext[4]}). */
    FREEBSD(64, "ringio_kqemu_kevent_freebsd"),
    /** macOS ({@code struct kevent}, not {@code kevent64_s}). */
    MACOS(32, "ringio_kqemu_kevent_macos");

    // Field offsets, identical in both layouts.
    static final int IDENT = 0;
    static final int FILTER = 8;
    static final int FLAGS = 10;
    static final int FFLAGS = 12;
    static final int DATA = 16;
    static final int UDATA = 24;
    /** FreeBSD only: {@code uint64_t ext[4]}. */
    static final int FREEBSD_EXT = 32;

    // struct timespec (LP64): time_t tv_sec, long tv_nsec.
    static final int TIMESPEC_SIZE = 16;
    static final int TV_SEC = 0;
    static final int TV_NSEC = 8;

    // Filters (the same on FreeBSD and macOS).
    static final short EVFILT_READ = -1;
    static final short EVFILT_WRITE = -2;
    static final short EVFILT_TIMER = -7;

    // Flags (the same on FreeBSD and macOS).
    static final int EV_ADD = 0x0001;
    static final int EV_DELETE = 0x0002;
    static final int EV_ENABLE = 0x0004;
    static final int EV_DISABLE = 0x0008;
    static final int EV_ONESHOT = 0x0010;
    static final int EV_CLEAR = 0x0020;
    static final int EV_RECEIPT = 0x0040;
    static final int EV_ERROR = 0x4000;
    static final int EV_EOF = 0x8000;

    private final int size;
    private final String emulationSymbol;

    KeventLayout(int size, String emulationSymbol) {
        this.size = size;
        this.emulationSymbol = emulationSymbol;
    }

    /** {@code sizeof(struct kevent)}. */
    int size() {
        return size;
    }

    /** The emulation's kevent entry point for this layout. */
    String emulationSymbol() {
        return emulationSymbol;
    }

    /**
     * The layout of this operating system's kevent, or empty: FreeBSD 12+ and macOS on a 64-bit
     * JVM. Any thread.
     */
    static Optional<KeventLayout> forOs(String osName, String osVersion, String dataModel) {
        if (!"64".equals(dataModel)) {
            return Optional.empty();
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("mac") || os.contains("darwin")) {
            return Optional.of(MACOS);
        }
        if (os.contains("freebsd")) {
            int major;
            try {
                major = Integer.parseInt(osVersion.split("[.-]")[0]);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            return major >= 12 ? Optional.of(FREEBSD) : Optional.empty(); // 11 had the 32-byte kevent
        }
        return Optional.empty();
    }

    // ---- one entry of a kevent array -------------------------------------------------------------

    /** Writes entry {@code i} of {@code array}; FreeBSD's {@code ext} is zeroed. */
    void put(MemorySegment array, int i, long ident, short filter, int flags, int fflags, long data, long udata) {
        long base = (long) i * size;
        array.set(JAVA_LONG_UNALIGNED, base + IDENT, ident);
        array.set(JAVA_SHORT_UNALIGNED, base + FILTER, filter);
        array.set(JAVA_SHORT_UNALIGNED, base + FLAGS, (short) flags);
        array.set(JAVA_INT_UNALIGNED, base + FFLAGS, fflags);
        array.set(JAVA_LONG_UNALIGNED, base + DATA, data);
        array.set(JAVA_LONG_UNALIGNED, base + UDATA, udata);
        if (this == FREEBSD) {
            for (int k = 0; k < 4; k++) {
                array.set(JAVA_LONG_UNALIGNED, base + FREEBSD_EXT + 8L * k, 0L);
            }
        }
    }

    long ident(MemorySegment array, int i) {
        return array.get(JAVA_LONG_UNALIGNED, (long) i * size + IDENT);
    }

    short filter(MemorySegment array, int i) {
        return array.get(JAVA_SHORT_UNALIGNED, (long) i * size + FILTER);
    }

    /** The flags as an unsigned 16-bit value (EV_EOF is the top bit). */
    int flags(MemorySegment array, int i) {
        return Short.toUnsignedInt(array.get(JAVA_SHORT_UNALIGNED, (long) i * size + FLAGS));
    }

    int fflags(MemorySegment array, int i) {
        return array.get(JAVA_INT_UNALIGNED, (long) i * size + FFLAGS);
    }

    long data(MemorySegment array, int i) {
        return array.get(JAVA_LONG_UNALIGNED, (long) i * size + DATA);
    }

    long udata(MemorySegment array, int i) {
        return array.get(JAVA_LONG_UNALIGNED, (long) i * size + UDATA);
    }

    /** FreeBSD's {@code ext[k]}. */
    long ext(MemorySegment array, int i, int k) {
        if (this != FREEBSD) {
            throw new UnsupportedOperationException("macOS struct kevent has no ext[]");
        }
        return array.get(JAVA_LONG_UNALIGNED, (long) i * size + FREEBSD_EXT + 8L * k);
    }

    // ---- the check -------------------------------------------------------------------------------

    /**
     * Each value of this class that differs from {@code constValue}'s (the emulation's
     * {@code ringio_kqemu_const}, which returns {@code Long.MIN_VALUE} for unknown names); empty
     * when all agree. Any thread.
     */
    static List<String> mismatches(ToLongFunction<String> constValue) {
        List<String> out = new ArrayList<>();
        for (KeventLayout l : values()) {
            String s = l == FREEBSD ? "freebsd" : "macos";
            check(out, constValue, "sizeof(kevent." + s + ")", l.size);
            check(out, constValue, "offsetof(kevent." + s + ".ident)", IDENT);
            check(out, constValue, "offsetof(kevent." + s + ".filter)", FILTER);
            check(out, constValue, "offsetof(kevent." + s + ".flags)", FLAGS);
            check(out, constValue, "offsetof(kevent." + s + ".fflags)", FFLAGS);
            check(out, constValue, "offsetof(kevent." + s + ".data)", DATA);
            check(out, constValue, "offsetof(kevent." + s + ".udata)", UDATA);
        }
        check(out, constValue, "offsetof(kevent.freebsd.ext)", FREEBSD_EXT);
        check(out, constValue, "sizeof(timespec)", TIMESPEC_SIZE);
        check(out, constValue, "EVFILT_READ", EVFILT_READ);
        check(out, constValue, "EVFILT_WRITE", EVFILT_WRITE);
        check(out, constValue, "EVFILT_TIMER", EVFILT_TIMER);
        check(out, constValue, "EV_ADD", EV_ADD);
        check(out, constValue, "EV_DELETE", EV_DELETE);
        check(out, constValue, "EV_ENABLE", EV_ENABLE);
        check(out, constValue, "EV_DISABLE", EV_DISABLE);
        check(out, constValue, "EV_ONESHOT", EV_ONESHOT);
        check(out, constValue, "EV_CLEAR", EV_CLEAR);
        check(out, constValue, "EV_RECEIPT", EV_RECEIPT);
        check(out, constValue, "EV_ERROR", EV_ERROR);
        check(out, constValue, "EV_EOF", EV_EOF);
        return out;
    }

    private static void check(List<String> out, ToLongFunction<String> constValue, String name, long javaValue) {
        long c = constValue.applyAsLong(name);
        if (c != javaValue) {
            out.add(name + ": java " + javaValue + ", C " + (c == Long.MIN_VALUE ? "unknown" : Long.toString(c)));
        }
    }
}
