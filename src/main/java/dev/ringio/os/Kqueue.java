package dev.ringio.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import dev.ringio.NativeIoException;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * A BSD kqueue ({@code kqueue(2)}, {@code kevent(2)}; Gerbil's {@code std/os/kqueue}): register
 * filters on identifiers with a change list, collect events into an event list, each a
 * {@code struct kevent} read and written through {@link Kevents}.
 *
 * <p>kqueue exists on FreeBSD, OpenBSD, NetBSD and macOS, not on Linux: there {@link #open()}
 * throws {@link UnsupportedOperationException}. ringio's tests run this class against the
 * test-only emulation of kqueue over epoll ({@code shim/src/kqemu}, which implements the read,
 * write and timer filters), as they run the readiness engine's kqueue poller; see
 * {@code docs/kqueue.md} for how the library binds libc's {@code kqueue} on a BSD or macOS.
 *
 * <pre>{@code
 * try (Kqueue kq = Kqueue.open(); Kqueue.Kevents events = kq.newKevents(8)) {
 *     kq.add(pipeReadFd, Kqueue.Filter.READ, EnumSet.noneOf(Kqueue.Flag.class), 0, 0, 42);
 *     int n = kq.poll(events, Duration.ofSeconds(1));
 *     for (int i = 0; i < n; i++) { events.udata(i); events.data(i); events.flagSet(i); }
 * }
 * }</pre>
 *
 * <p>The constants are the values of {@code <sys/event.h>} on FreeBSD, macOS and OpenBSD, which
 * agree on every one named here except where a constant's Javadoc says which system has it;
 * NetBSD numbers its filters from 0 and is not supported. Errors are {@link NativeIoException}s
 * naming {@code kevent} (or {@code kqueue}) and the errno. With {@link Flag#RECEIPT}, or when the
 * event list has room, a change that fails comes back as an event with {@link Flag#ERROR} and the
 * errno in {@link Kevents#data(int)} instead.
 *
 * <p>Threading: the kqueue's methods are safe from any thread; a {@link Kevents} array is used by
 * one call at a time.
 */
public final class Kqueue implements AutoCloseable {

    // ---- EV_* (flags) ----
    /** {@code EV_ADD}: add the filter (or modify it), enabled unless {@link #EV_DISABLE}. */
    public static final int EV_ADD = 0x0001;
    /** {@code EV_DELETE}: remove the filter. */
    public static final int EV_DELETE = 0x0002;
    /** {@code EV_ENABLE}: report events again. */
    public static final int EV_ENABLE = 0x0004;
    /** {@code EV_DISABLE}: keep the filter but do not report its events. */
    public static final int EV_DISABLE = 0x0008;
    /** {@code EV_ONESHOT}: delete the filter after its first event. */
    public static final int EV_ONESHOT = 0x0010;
    /** {@code EV_CLEAR}: reset the state after the event is retrieved (edge-triggered). */
    public static final int EV_CLEAR = 0x0020;
    /** {@code EV_RECEIPT}: report each change's outcome as an event ({@link #EV_ERROR}, data 0 or errno). */
    public static final int EV_RECEIPT = 0x0040;
    /** {@code EV_DISPATCH}: disable the filter after each event (re-enable with {@link #EV_ENABLE}). */
    public static final int EV_DISPATCH = 0x0080;
    /** {@code EV_ERROR} (returned): the change failed (or, with {@link #EV_RECEIPT}, its receipt); data is the errno. */
    public static final int EV_ERROR = 0x4000;
    /** {@code EV_EOF} (returned): end of file, the peer closed, or a filter-specific condition. */
    public static final int EV_EOF = 0x8000;

    // ---- EVFILT_* (filters) ----
    /** {@code EVFILT_READ}: the descriptor has data; data is how much (or the backlog of a listening socket). */
    public static final short EVFILT_READ = -1;
    /** {@code EVFILT_WRITE}: the descriptor can be written; data is the space. */
    public static final short EVFILT_WRITE = -2;
    /** {@code EVFILT_VNODE}: changes to a file (fflags: the {@code NOTE_*} vnode events). */
    public static final short EVFILT_VNODE = -4;
    /** {@code EVFILT_PROC}: a process's exit, fork, exec (ident: the pid). */
    public static final short EVFILT_PROC = -5;
    /** {@code EVFILT_SIGNAL}: deliveries of a signal (ident: the number; data: the count). */
    public static final short EVFILT_SIGNAL = -6;
    /** {@code EVFILT_TIMER}: a timer (ident: any id; data: the period, milliseconds by default). */
    public static final short EVFILT_TIMER = -7;
    /** {@code EVFILT_DEVICE}: device changes (OpenBSD only; -8 is another filter on FreeBSD and macOS). */
    public static final short EVFILT_DEVICE = -8;

    // ---- NOTE_* (filter flags, fflags) ----
    /** {@code NOTE_LOWAT} (read, write): data is the low-water mark. */
    public static final int NOTE_LOWAT = 0x0001;
    /** {@code NOTE_EOF} (read; OpenBSD): report EV_EOF when at end of file. */
    public static final int NOTE_EOF = 0x0002;
    /** {@code NOTE_DELETE} (vnode): the file was unlinked. */
    public static final int NOTE_DELETE = 0x0001;
    /** {@code NOTE_WRITE} (vnode): the contents changed. */
    public static final int NOTE_WRITE = 0x0002;
    /** {@code NOTE_EXTEND} (vnode): the file grew. */
    public static final int NOTE_EXTEND = 0x0004;
    /** {@code NOTE_ATTRIB} (vnode): the attributes changed. */
    public static final int NOTE_ATTRIB = 0x0008;
    /** {@code NOTE_LINK} (vnode): the link count changed. */
    public static final int NOTE_LINK = 0x0010;
    /** {@code NOTE_RENAME} (vnode): the file was renamed. */
    public static final int NOTE_RENAME = 0x0020;
    /** {@code NOTE_REVOKE} (vnode): access was revoked ({@code revoke(2)}, an unmount). */
    public static final int NOTE_REVOKE = 0x0040;
    /** {@code NOTE_TRUNCATE} (vnode; OpenBSD): the file was truncated. */
    public static final int NOTE_TRUNCATE = 0x0080;
    /** {@code NOTE_EXIT} (proc): the process exited (data: its wait status). */
    public static final int NOTE_EXIT = 0x80000000;
    /** {@code NOTE_FORK} (proc): the process forked. */
    public static final int NOTE_FORK = 0x40000000;
    /** {@code NOTE_EXEC} (proc): the process called exec. */
    public static final int NOTE_EXEC = 0x20000000;
    /** {@code NOTE_TRACK} (proc; FreeBSD, OpenBSD): follow the process's children across fork. */
    public static final int NOTE_TRACK = 0x00000001;
    /** {@code NOTE_TRACKERR} (proc, returned): a child could not be tracked. */
    public static final int NOTE_TRACKERR = 0x00000002;
    /** {@code NOTE_CHANGE} (device; OpenBSD): the device changed (a display's connector). */
    public static final int NOTE_CHANGE = 0x00000001;

    /** The filters, as a type (the {@code EVFILT_*} constants). Threading: immutable, any thread. */
    public enum Filter {
        /** {@link #EVFILT_READ}. */
        READ(EVFILT_READ),
        /** {@link #EVFILT_WRITE}. */
        WRITE(EVFILT_WRITE),
        /** {@link #EVFILT_VNODE}. */
        VNODE(EVFILT_VNODE),
        /** {@link #EVFILT_PROC}. */
        PROC(EVFILT_PROC),
        /** {@link #EVFILT_SIGNAL}. */
        SIGNAL(EVFILT_SIGNAL),
        /** {@link #EVFILT_TIMER}. */
        TIMER(EVFILT_TIMER),
        /** {@link #EVFILT_DEVICE} (OpenBSD). */
        DEVICE(EVFILT_DEVICE);

        private final short value;

        Filter(short value) {
            this.value = value;
        }

        /**
         * The C value.
         *
         * @return the {@code EVFILT_*} value
         */
        public short value() {
            return value;
        }

        /**
         * The filter of a C value.
         *
         * @param value an {@code EVFILT_*} value
         * @return the filter
         * @throws IllegalArgumentException for a filter ringio does not name
         */
        public static Filter of(short value) {
            for (Filter f : values()) {
                if (f.value == value) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown kqueue filter " + value);
        }
    }

    /** The {@code EV_*} flags, as a set. Threading: immutable, any thread. */
    public enum Flag {
        /** {@link #EV_ADD}. */
        ADD(EV_ADD),
        /** {@link #EV_DELETE}. */
        DELETE(EV_DELETE),
        /** {@link #EV_ENABLE}. */
        ENABLE(EV_ENABLE),
        /** {@link #EV_DISABLE}. */
        DISABLE(EV_DISABLE),
        /** {@link #EV_ONESHOT}. */
        ONESHOT(EV_ONESHOT),
        /** {@link #EV_CLEAR}. */
        CLEAR(EV_CLEAR),
        /** {@link #EV_RECEIPT}. */
        RECEIPT(EV_RECEIPT),
        /** {@link #EV_DISPATCH}. */
        DISPATCH(EV_DISPATCH),
        /** {@link #EV_ERROR}. */
        ERROR(EV_ERROR),
        /** {@link #EV_EOF}. */
        EOF(EV_EOF);

        private final int value;

        Flag(int value) {
            this.value = value;
        }

        /**
         * The C bit.
         *
         * @return the {@code EV_*} bit
         */
        public int value() {
            return value;
        }

        /**
         * The C {@code unsigned short} for a set of flags.
         *
         * @param flags the flags
         * @return their bits OR-ed together
         */
        public static int bits(Set<Flag> flags) {
            int bits = 0;
            for (Flag f : flags) {
                bits |= f.value;
            }
            return bits;
        }

        /**
         * The flags in {@code bits}.
         *
         * @param bits {@code EV_*} bits
         * @return the flags, a new set
         * @throws IllegalArgumentException for a bit no constant names (never silently dropped;
         *                                  {@link Kevents#flags(int)} gives the raw value)
         */
        public static EnumSet<Flag> of(int bits) {
            EnumSet<Flag> set = EnumSet.noneOf(Flag.class);
            int rest = bits;
            for (Flag f : values()) {
                if ((bits & f.value) != 0) {
                    set.add(f);
                    rest &= ~f.value;
                }
            }
            if (rest != 0) {
                throw new IllegalArgumentException("kevent flags 0x" + Integer.toHexString(bits)
                        + " have bits ringio does not name: 0x" + Integer.toHexString(rest));
            }
            return set;
        }
    }

    /**
     * The LP64 {@code struct kevent} layouts. The first 32 bytes agree:
     * {@code uintptr_t ident; short filter; unsigned short flags; unsigned int fflags;
     * int64_t data; void *udata;}; FreeBSD 12+ adds {@code uint64_t ext[4]}. (Mirrored from the
     * systems' headers, as {@code dev.ringio.engine.poll.KeventLayout} for the engine's poller.)
     * Threading: immutable, any thread.
     */
    public enum Layout {
        /** FreeBSD 12 and later: 64 bytes, with {@code ext[4]}. */
        FREEBSD(64),
        /** macOS and OpenBSD: 32 bytes. */
        MACOS(32);

        static final int IDENT = 0;
        static final int FILTER = 8;
        static final int FLAGS = 10;
        static final int FFLAGS = 12;
        static final int DATA = 16;
        static final int UDATA = 24;
        static final int EXT = 32;

        private final int size;

        Layout(int size) {
            this.size = size;
        }

        /**
         * {@code sizeof(struct kevent)}.
         *
         * @return the size in bytes
         */
        public int size() {
            return size;
        }

        /**
         * This system's layout: macOS or OpenBSD, or FreeBSD 12+, on a 64-bit JVM.
         *
         * @return the layout of this system's {@code struct kevent}
         * @throws UnsupportedOperationException anywhere else (Linux, NetBSD, 32-bit)
         */
        public static Layout ofThisSystem() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (!"64".equals(System.getProperty("sun.arch.data.model"))) {
                throw new UnsupportedOperationException("kqueue: ringio mirrors the LP64 struct kevent only");
            }
            if (os.contains("mac") || os.contains("darwin") || os.contains("openbsd")) {
                return MACOS;
            }
            if (os.contains("freebsd")) {
                try {
                    int major = Integer.parseInt(System.getProperty("os.version", "0").split("[.-]")[0]);
                    if (major >= 12) {
                        return FREEBSD;
                    }
                } catch (NumberFormatException e) {
                    // fall through: unknown version
                }
                throw new UnsupportedOperationException("kqueue: FreeBSD before 12 has a struct kevent ringio does not mirror");
            }
            throw new UnsupportedOperationException("kqueue does not exist on " + System.getProperty("os.name")
                    + " (BSD and macOS only)");
        }
    }

    private final dev.ringio.sys.Kqueue binding;
    private final Layout layout;
    private final int kq;
    /** Closed by whoever leaves it closing with no call holding it (as {@code Fd}). */
    private final HeldDescriptor held;

    private Kqueue(dev.ringio.sys.Kqueue binding, Layout layout, int kq) {
        this.binding = binding;
        this.layout = layout;
        this.kq = kq;
        this.held = new HeldDescriptor("kqueue", kq, binding::close);
    }

    /**
     * A new kqueue ({@code kqueue(2)}) from this system's libc (Gerbil's {@code kqueue}). Any thread.
     *
     * @return the new kqueue, which the caller closes
     * @throws UnsupportedOperationException on Linux and other systems without kqueue
     * @throws NativeIoException             EMFILE / ENFILE / ENOMEM
     */
    public static Kqueue open() throws NativeIoException {
        Layout layout = Layout.ofThisSystem();
        return open(dev.ringio.sys.Kqueue.libc(), layout);
    }

    /** A new kqueue from {@code binding}, whose kevent speaks {@code layout} (the tests' emulation). */
    static Kqueue open(dev.ringio.sys.Kqueue binding, Layout layout) throws NativeIoException {
        int kq = (int) NativeIoException.check("kqueue", binding.kqueue());
        return new Kqueue(binding, layout, kq);
    }

    /**
     * The kqueue descriptor. Do not close it except through {@link #close()}.
     *
     * @return the descriptor number
     */
    public int fd() {
        return kq;
    }

    /**
     * The struct layout this kqueue's kevent speaks.
     *
     * @return the layout
     */
    public Layout layout() {
        return layout;
    }

    /**
     * A kevent array of {@code capacity} entries in this kqueue's layout (Gerbil's {@code
     * make-kevents}).
     *
     * @param capacity the number of entries, 1 to 1048576
     * @return the new array, which the caller closes
     */
    public Kevents newKevents(int capacity) {
        return new Kevents(layout, capacity);
    }

    /**
     * {@code kevent(2)} (Gerbil's {@code kevent}): applies the first {@code nchanges} entries of
     * {@code changes} (null when 0), then waits up to {@code timeout} (null: for ever,
     * {@link Duration#ZERO}: not at all) for events and writes up to {@code nevents} of them to
     * {@code events} (null when 0); the count. {@code changes} and {@code events} may be the same
     * array. A signal's EINTR is returned as a {@link NativeIoException} (the kernel may have
     * applied the changes already; retrying is the caller's choice).
     *
     * @param changes the change list, or {@code null} when {@code nchanges} is 0
     * @param nchanges how many entries of {@code changes} to apply
     * @param events the event list, or {@code null} when {@code nevents} is 0
     * @param nevents the most events to return
     * @param timeout the longest wait, {@code null} for ever, {@link Duration#ZERO} for none
     * @return the number of events written to {@code events}
     * @throws IllegalArgumentException if a count is negative or beyond its array, the timeout
     *                                  is negative, or an array has another layout
     * @throws NativeIoException        e.g. EBADF after close, or ENOENT / EBADF for a change
     *                                  when the event list has no room to report it
     */
    public int kevent(Kevents changes, int nchanges, Kevents events, int nevents, Duration timeout) throws NativeIoException {
        checkArray("changes", changes, nchanges);
        checkArray("events", events, nevents);
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("kevent: negative timeout " + timeout);
        }
        held.acquire("kevent");
        try (Arena arena = Arena.ofConfined()) {
            long ts = 0;
            if (timeout != null) {
                MemorySegment t = arena.allocate(16, 8);
                long sec = Math.min(timeout.getSeconds(), Long.MAX_VALUE);
                t.set(JAVA_LONG_UNALIGNED, 0, sec);
                t.set(JAVA_LONG_UNALIGNED, 8, timeout.getNano());
                ts = t.address();
            }
            long ch = nchanges == 0 ? 0 : changes.memory.address();
            long ev = nevents == 0 ? 0 : events.memory.address();
            int n = (int) NativeIoException.check("kevent", binding.kevent(kq, ch, nchanges, ev, nevents, ts));
            if (events != null) {
                events.count = n;
            }
            return n;
        } finally {
            held.release();
        }
    }

    private void checkArray(String what, Kevents array, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("kevent: negative n" + what + " " + n);
        }
        if (n > 0) {
            Objects.requireNonNull(array, what);
            if (array.layout != layout) {
                throw new IllegalArgumentException("kevent: " + what + " array has layout " + array.layout + ", this kqueue " + layout);
            }
            if (n > array.capacity) {
                throw new IllegalArgumentException("kevent: n" + what + " " + n + " beyond the array's " + array.capacity);
            }
            if (!array.arena.scope().isAlive()) {
                throw new IllegalStateException("kevent: the " + what + " array is closed");
            }
        }
    }

    /**
     * Waits up to {@code timeout} (null: for ever) for events into {@code events}, without changes
     * (Gerbil's {@code kqueue-poll}); the count, 0 on timeout.
     *
     * @param events the event list to fill
     * @param timeout the longest wait, {@code null} for ever
     * @return the number of events, 0 on timeout
     * @throws NativeIoException naming {@code kevent}, with the errno
     */
    public int poll(Kevents events, Duration timeout) throws NativeIoException {
        return kevent(null, 0, events, events.capacity(), timeout);
    }

    /**
     * Adds (or modifies) the filter {@code filter} on {@code ident} with {@link #EV_ADD} and
     * {@code flags} (Gerbil's {@code kqueue-kevent-add}), filter flags {@code fflags}, filter data
     * {@code data} and the user value {@code udata} reported with its events.
     *
     * @param ident the identifier: a descriptor, pid, signal number or timer id, by filter
     * @param filter the filter
     * @param flags {@code EV_*} flags added to {@link #EV_ADD}
     * @param fflags the filter flags ({@code NOTE_*})
     * @param data the filter data (e.g. a timer's period)
     * @param udata the user value reported with the filter's events
     * @throws NativeIoException naming {@code kevent(EV_ADD)}: EBADF for a closed descriptor,
     *                           EINVAL for a filter the system does not have
     */
    public void add(long ident, Filter filter, Set<Flag> flags, int fflags, long data, long udata) throws NativeIoException {
        change("kevent(EV_ADD)", ident, filter.value(), EV_ADD | Flag.bits(flags), fflags, data, udata);
    }

    /**
     * Removes the filter {@code filter} on {@code ident} (Gerbil's {@code kqueue-kevent-del});
     * ENOENT if there is none.
     *
     * @param ident the identifier: a descriptor, pid, signal number or timer id, by filter
     * @param filter the filter to remove
     * @throws NativeIoException naming {@code kevent}, with the errno
     */
    public void delete(long ident, Filter filter) throws NativeIoException {
        change("kevent(EV_DELETE)", ident, filter.value(), EV_DELETE, 0, 0, 0);
    }

    /**
     * Disables the filter {@code filter} on {@code ident}: kept, but not reported (Gerbil's {@code
     * kqueue-kevent-disable}).
     *
     * @param ident the identifier: a descriptor, pid, signal number or timer id, by filter
     * @param filter the filter to disable
     * @throws NativeIoException naming {@code kevent}, with the errno
     */
    public void disable(long ident, Filter filter) throws NativeIoException {
        change("kevent(EV_DISABLE)", ident, filter.value(), EV_DISABLE, 0, 0, 0);
    }

    /**
     * Enables a disabled filter again.
     *
     * @param ident the identifier: a descriptor, pid, signal number or timer id, by filter
     * @param filter the filter to enable
     * @throws NativeIoException naming {@code kevent}, with the errno
     */
    public void enable(long ident, Filter filter) throws NativeIoException {
        change("kevent(EV_ENABLE)", ident, filter.value(), EV_ENABLE, 0, 0, 0);
    }

    /**
     * One change, with EV_RECEIPT so its outcome comes back as an event (and no pending event is
     * consumed): a failure is the receipt's errno, thrown naming {@code op}.
     */
    private void change(String op, long ident, short filter, int flags, int fflags, long data, long udata) throws NativeIoException {
        try (Kevents one = newKevents(1)) {
            one.set(0, ident, filter, flags | EV_RECEIPT, fflags, data, udata);
            int n;
            try {
                n = kevent(one, 1, one, 1, Duration.ZERO);
            } catch (NativeIoException e) {
                throw new NativeIoException(op, e.errno(), "ident " + ident + ", filter " + filter);
            }
            if (n == 1 && (one.flags(0) & EV_ERROR) != 0 && one.data(0) != 0) {
                throw new NativeIoException(op, (int) one.data(0), "ident " + ident + ", filter " + filter);
            }
        }
    }

    /**
     * Closes the kqueue (Gerbil's {@code kqueue-close}); its filters go with it. Idempotent. A
     * {@link #kevent} waiting in another thread is not woken: the descriptor is closed when it
     * returns (as an {@code Fd} closes after its last operation), and new calls fail with EBADF.
     */
    @Override
    public void close() {
        held.close();
    }

    @Override
    public String toString() {
        return "Kqueue[" + kq + ", " + layout + (held.isClosing() ? ", closed" : "") + "]";
    }

    /**
     * An array of {@code struct kevent} in native memory, for change lists and event lists
     * (Gerbil's {@code make-kevents}), with an accessor and a setter for every field (Gerbil's
     * {@code kevent-ident} ... {@code set-kevent-udata!}). Close it to free the memory.
     * Threading: not thread-safe: one thread at a time, and not during a {@link Kqueue#kevent}
     * call that uses it.
     */
    public static final class Kevents implements AutoCloseable {

        private final Layout layout;
        private final int capacity;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment memory;
        private volatile int count;

        /**
         * An array of {@code capacity} zeroed entries in {@code layout}.
         *
         * @param layout the struct layout
         * @param capacity the number of entries
         * @throws IllegalArgumentException unless {@code 1 <= capacity <= 1 << 20}
         */
        public Kevents(Layout layout, int capacity) {
            this.layout = Objects.requireNonNull(layout, "layout");
            if (capacity < 1 || capacity > 1 << 20) {
                throw new IllegalArgumentException("kevents: capacity " + capacity + " (1 to 1048576)");
            }
            this.capacity = capacity;
            this.memory = arena.allocate((long) capacity * layout.size(), 8);
        }

        /**
         * How many entries the array holds.
         *
         * @return the number of entries
         */
        public int capacity() {
            return capacity;
        }

        /**
         * How many events the last {@link Kqueue#kevent} wrote here.
         *
         * @return the event count of the last {@link Kqueue#kevent} into this array
         */
        public int count() {
            return count;
        }

        /**
         * The struct layout.
         *
         * @return the layout
         */
        public Layout layout() {
            return layout;
        }

        /**
         * Fills entry {@code i} (Gerbil's {@code kevent-set!}, C's {@code EV_SET}); FreeBSD's
         * {@code ext} is zeroed.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @param ident the identifier: a descriptor, pid, signal number or timer id, by filter
         * @param filter the {@code EVFILT_*} value
         * @param flags the {@code EV_*} bits
         * @param fflags the filter flags ({@code NOTE_*})
         * @param data the filter data (e.g. a timer's period)
         * @param udata the user value reported with the filter's events
         */
        public void set(int i, long ident, short filter, int flags, int fflags, long data, long udata) {
            setIdent(i, ident);
            setFilter(i, filter);
            setFlags(i, flags);
            setFflags(i, fflags);
            setData(i, data);
            setUdata(i, udata);
            if (layout == Layout.FREEBSD) {
                for (int k = 0; k < 4; k++) {
                    memory.set(JAVA_LONG_UNALIGNED, base(i) + Layout.EXT + 8L * k, 0L);
                }
            }
        }

        /**
         * {@link #set(int, long, short, int, int, long, long)} with a filter and flag set.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @param ident the identifier: a descriptor, pid, signal number or timer id, by filter
         * @param filter the filter
         * @param flags the {@code EV_*} flags
         * @param fflags the filter flags ({@code NOTE_*})
         * @param data the filter data (e.g. a timer's period)
         * @param udata the user value reported with the filter's events
         */
        public void set(int i, long ident, Filter filter, Set<Flag> flags, int fflags, long data, long udata) {
            set(i, ident, filter.value(), Flag.bits(flags), fflags, data, udata);
        }

        /**
         * Entry {@code i}'s identifier: a descriptor, pid, signal number or timer id.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @return the entry's ident
         */
        public long ident(int i) {
            return memory.get(JAVA_LONG_UNALIGNED, base(i) + Layout.IDENT);
        }

        /**
         * Entry {@code i}'s filter ({@code EVFILT_*}).
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @return the entry's {@code EVFILT_*} value
         */
        public short filter(int i) {
            return memory.get(JAVA_SHORT_UNALIGNED, base(i) + Layout.FILTER);
        }

        /**
         * Entry {@code i}'s filter as a {@link Filter}.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @return the entry's filter
         */
        public Filter filterKind(int i) {
            return Filter.of(filter(i));
        }

        /**
         * Entry {@code i}'s flags ({@code EV_*}), as an unsigned 16-bit value.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @return the entry's {@code EV_*} bits
         */
        public int flags(int i) {
            return Short.toUnsignedInt(memory.get(JAVA_SHORT_UNALIGNED, base(i) + Layout.FLAGS));
        }

        /**
         * Entry {@code i}'s flags as a set.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @return the entry's flags, a new set
         */
        public EnumSet<Flag> flagSet(int i) {
            return Flag.of(flags(i));
        }

        /**
         * Entry {@code i}'s filter flags ({@code NOTE_*}).
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @return the entry's {@code NOTE_*} filter flags
         */
        public int fflags(int i) {
            return memory.get(JAVA_INT_UNALIGNED, base(i) + Layout.FFLAGS);
        }

        /**
         * Entry {@code i}'s filter data (bytes ready, a count, an errno with {@link #EV_ERROR}).
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @return the entry's filter data (for {@link Kqueue#EV_ERROR}, the errno)
         */
        public long data(int i) {
            return memory.get(JAVA_LONG_UNALIGNED, base(i) + Layout.DATA);
        }

        /**
         * Entry {@code i}'s user value ({@code udata}).
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @return the entry's user value
         */
        public long udata(int i) {
            return memory.get(JAVA_LONG_UNALIGNED, base(i) + Layout.UDATA);
        }

        /**
         * Sets entry {@code i}'s identifier.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @param ident the identifier: a descriptor, pid, signal number or timer id, by filter
         */
        public void setIdent(int i, long ident) {
            memory.set(JAVA_LONG_UNALIGNED, base(i) + Layout.IDENT, ident);
        }

        /**
         * Sets entry {@code i}'s filter.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @param filter the {@code EVFILT_*} value
         */
        public void setFilter(int i, short filter) {
            memory.set(JAVA_SHORT_UNALIGNED, base(i) + Layout.FILTER, filter);
        }

        /**
         * Sets entry {@code i}'s flags.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @param flags the {@code EV_*} bits
         * @throws IllegalArgumentException if {@code flags} does not fit 16 bits
         */
        public void setFlags(int i, int flags) {
            if ((flags & ~0xffff) != 0) {
                throw new IllegalArgumentException("kevent flags 0x" + Integer.toHexString(flags) + " do not fit an unsigned short");
            }
            memory.set(JAVA_SHORT_UNALIGNED, base(i) + Layout.FLAGS, (short) flags);
        }

        /**
         * Sets entry {@code i}'s filter flags.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @param fflags the filter flags ({@code NOTE_*})
         */
        public void setFflags(int i, int fflags) {
            memory.set(JAVA_INT_UNALIGNED, base(i) + Layout.FFLAGS, fflags);
        }

        /**
         * Sets entry {@code i}'s filter data.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @param data the filter data (e.g. a timer's period)
         */
        public void setData(int i, long data) {
            memory.set(JAVA_LONG_UNALIGNED, base(i) + Layout.DATA, data);
        }

        /**
         * Sets entry {@code i}'s user value.
         *
         * @param i the entry's index, {@code 0 <= i < capacity()}
         * @param udata the user value reported with the filter's events
         */
        public void setUdata(int i, long udata) {
            memory.set(JAVA_LONG_UNALIGNED, base(i) + Layout.UDATA, udata);
        }

        private long base(int i) {
            Objects.checkIndex(i, capacity);
            return (long) i * layout.size();
        }

        /** Frees the memory. Idempotent. */
        @Override
        public void close() {
            if (arena.scope().isAlive()) {
                arena.close();
            }
        }
    }
}
