package dev.ringio.engine.poll;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.os.Pipe;
import dev.ringio.sys.Kqueue;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link Poller} over BSD kqueue, for FreeBSD 12+ and macOS ({@link KeventLayout}).
 *
 * <p><b>This adapter has never run on a real BSD or macOS kernel.</b> It is tested on Linux only,
 * against a test-only emulation of kqueue over epoll ({@link #openEmulated}, {@code shim/src/kqemu},
 * docs/kqueue.md), in both struct layouts. {@link #open()} binds the real libc and is unproven.
 * It also needs ringio's shim (for the wakeup pipe and {@link Fd}), which ringio only builds for
 * Linux.
 *
 * <p>Mapping. {@link Interest#READ} is an {@code EVFILT_READ} knote, {@link Interest#WRITE} an
 * {@code EVFILT_WRITE} knote, both carrying the token as {@code udata}; level-triggered (no
 * {@code EV_CLEAR}). {@link Interest#ONESHOT} adds {@code EV_ONESHOT}; since kqueue fires each
 * filter on its own, when one filter of a one-shot descriptor fires the poller also deletes the
 * other (queued, applied before the next wait), so the descriptor as a whole is disarmed, as
 * {@link Poller} and epoll have it; {@link #modify} adds the knotes again. The events of one
 * descriptor in one {@code kevent} batch are merged into one {@link EventSink} call.
 * {@code EV_EOF} on the read filter is {@code hangup}; {@code EV_EOF} on the write filter (a pipe
 * without reader, a socket that cannot send) and {@code EV_EOF} with a socket error in
 * {@code fflags} are {@code error}; {@code EV_ERROR} is {@code error}.
 *
 * <p>Differences from {@link EpollPoller}, all from kqueue itself: a registration with
 * {@link Interest#NONE} has no knote, so nothing (not even an error or hangup) is reported for it;
 * a socket whose peer shut down only its sending side is reported as a hangup (kqueue's read
 * filter sets EV_EOF on a half-close, epoll only reports EPOLLRDHUP, which EpollPoller ignores).
 * Registered descriptors are tracked here, because kqueue itself would treat a second register as
 * an update: {@link #register} of a registered descriptor is {@code EEXIST}, {@link #modify} and
 * {@link #deregister} of an unregistered one {@code ENOENT}, and regular files and directories
 * are refused with {@code EPERM} as epoll does (kqueue would accept them; they are always ready).
 *
 * <p>Changes are sent with {@code EV_RECEIPT} and as many eventlist slots as changes, so each
 * change is answered in order and no pending event is consumed by a register. Wakeup is a
 * non-blocking pipe whose read end is an {@code EVFILT_READ} knote with {@link #RESERVED_TOKEN}
 * ({@code EVFILT_USER} would save two descriptors but the emulation does not have it). Each
 * {@link #poll} reuses native arrays allocated at open and allocates nothing.
 *
 * <p>Threading: owner thread only, except {@link #wakeup()} (any thread), as {@link Poller} says.
 */
final class KqueuePoller implements Poller {

    /** How many events one {@link #poll} collects when no maximum is given. */
    static final int DEFAULT_MAX_EVENTS = 256;

    /** Room for the poller's own changes in one call (at most: delete + add, twice). */
    private static final int OWN_CHANGES = 4;

    // Per-descriptor state bits.
    private static final byte REGISTERED = 1;
    private static final byte WANT_READ = 1 << 1;
    private static final byte WANT_WRITE = 1 << 2;
    private static final byte ONESHOT = 1 << 3;
    /** The EVFILT_READ knote exists in the kqueue. */
    private static final byte IN_READ = 1 << 4;
    /** The EVFILT_WRITE knote exists in the kqueue. */
    private static final byte IN_WRITE = 1 << 5;
    /** One-shot and fired: disarmed until modify. */
    private static final byte FIRED = 1 << 6;

    // Per-poll merged readiness bits.
    private static final byte R = 1;
    private static final byte W = 2;
    private static final byte E = 4;
    private static final byte H = 8;

    private static final String UNAVAILABLE = computeUnavailability();

    private final Kqueue kq;
    private final KeventLayout layout;
    private final int kqfd;
    private final Pipe wake;
    private final int wakeReadFd;
    private final Arena arena;
    private final int maxEvents;
    private final MemorySegment events;
    private final MemorySegment changes;
    private final MemorySegment receipts;
    private final MemorySegment timespec;
    private final MemorySegment zeroTimespec;
    /** 1 byte holding 1 (what wakeup() writes) — written once, then only read. */
    private final MemorySegment one;
    /** What the owner drains the wakeup pipe into. */
    private final MemorySegment drain;
    private final AtomicBoolean wakeupPending = new AtomicBoolean();

    // Indexed by descriptor number, grown by register.
    private byte[] state = new byte[64];
    private byte[] ready = new byte[64];
    private int[] seenInPoll = new int[64];
    private long[] batchToken = new long[64];
    /** Descriptors in the order of their first event in the current batch. */
    private final int[] order;
    private int generation;

    /** Knote deletions owed to fired one-shot descriptors, sent before the next kevent. */
    private final int[] pendingFd;
    private final short[] pendingFilter;
    private int pendingCount;

    private boolean closed;

    private KqueuePoller(Kqueue kq, KeventLayout layout, int kqfd, Pipe wake, int maxEvents) {
        this.kq = kq;
        this.layout = layout;
        this.kqfd = kqfd;
        this.wake = wake;
        this.wakeReadFd = wake.readEnd().value();
        this.maxEvents = maxEvents;
        // Shared: wakeup() reads `one` from any thread; the owner may not be the creating thread.
        this.arena = Arena.ofShared();
        int changeCap = maxEvents + OWN_CHANGES;
        this.events = arena.allocate((long) layout.size() * maxEvents, 8);
        this.changes = arena.allocate((long) layout.size() * changeCap, 8);
        this.receipts = arena.allocate((long) layout.size() * changeCap, 8);
        this.timespec = arena.allocate(KeventLayout.TIMESPEC_SIZE, 8);
        this.zeroTimespec = arena.allocate(KeventLayout.TIMESPEC_SIZE, 8);
        this.one = arena.allocate(1);
        this.one.set(JAVA_BYTE, 0, (byte) 1);
        this.drain = arena.allocate(64);
        this.order = new int[maxEvents];
        this.pendingFd = new int[maxEvents];
        this.pendingFilter = new short[maxEvents];
    }

    // ---- opening ---------------------------------------------------------------------------------

    /**
     * Why {@link #open()} cannot work here ({@code "kqueue: not a BSD/macOS kernel (linux)"}), or
     * empty on FreeBSD 12+ and macOS with a 64-bit JVM. For engine selection; computed once. Any
     * thread.
     */
    static Optional<String> unavailabilityReason() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    private static String computeUnavailability() {
        String os = System.getProperty("os.name", "");
        String lower = os.toLowerCase(Locale.ROOT);
        boolean bsd = lower.contains("bsd") || lower.contains("mac") || lower.contains("darwin")
                || lower.contains("dragonfly");
        if (!bsd) {
            return "kqueue: not a BSD/macOS kernel (" + os + ")";
        }
        if (KeventLayout.forOs(os, System.getProperty("os.version", ""),
                System.getProperty("sun.arch.data.model", "")).isEmpty()) {
            return "kqueue: the struct kevent of " + os + " " + System.getProperty("os.version", "")
                    + " is not mirrored (FreeBSD 12+ and macOS, 64-bit, only)";
        }
        return null;
    }

    /** {@link #open(int)} with {@link #DEFAULT_MAX_EVENTS}. */
    static KqueuePoller open() throws NativeIoException {
        return open(DEFAULT_MAX_EVENTS);
    }

    /**
     * A poller over this system's kqueue (libc's {@code kqueue}/{@code kevent}). Never run on a
     * real BSD or macOS. Any thread; the caller hands the poller to its owner.
     *
     * @throws UnsupportedOperationException with {@link #unavailabilityReason()} where kqueue does
     *                                       not exist (Linux) or its layout is not mirrored
     * @throws NativeIoException             e.g. {@code EMFILE}
     */
    static KqueuePoller open(int maxEvents) throws NativeIoException {
        checkMaxEvents(maxEvents);
        if (UNAVAILABLE != null) {
            throw new UnsupportedOperationException(UNAVAILABLE);
        }
        KeventLayout layout = KeventLayout.forOs(System.getProperty("os.name", ""),
                System.getProperty("os.version", ""), System.getProperty("sun.arch.data.model", "")).orElseThrow();
        return open(Kqueue.libc(), layout, maxEvents);
    }

    /** {@link #openEmulated(KeventLayout, int)} with {@link #DEFAULT_MAX_EVENTS}. */
    static KqueuePoller openEmulated(KeventLayout layout) throws NativeIoException {
        return openEmulated(layout, DEFAULT_MAX_EVENTS);
    }

    /**
     * TEST-ONLY: a poller over the kqueue emulation {@code libringio-kqemu.so} (kqueue over epoll,
     * Linux only), speaking {@code layout}. Found as {@link KqueueEmulation} says. Any thread.
     *
     * @throws IllegalArgumentException if {@code maxEvents < 1}
     * @throws IllegalStateException    if the emulation library cannot be found
     * @throws NativeIoException        e.g. {@code EMFILE}
     */
    static KqueuePoller openEmulated(KeventLayout layout, int maxEvents) throws NativeIoException {
        Objects.requireNonNull(layout, "layout");
        checkMaxEvents(maxEvents);
        return open(KqueueEmulation.binding(layout), layout, maxEvents);
    }

    private static void checkMaxEvents(int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be >= 1: " + maxEvents);
        }
    }

    private static KqueuePoller open(Kqueue kq, KeventLayout layout, int maxEvents) throws NativeIoException {
        int kqfd = (int) NativeIoException.check("kqueue", kq.kqueue());
        Pipe wake = null;
        try {
            wake = Pipe.open(true);
            KqueuePoller p = new KqueuePoller(kq, layout, kqfd, wake, maxEvents);
            try {
                layout.put(p.changes, 0, p.wakeReadFd, KeventLayout.EVFILT_READ,
                        KeventLayout.EV_ADD | KeventLayout.EV_RECEIPT, 0, 0, RESERVED_TOKEN);
                int err = p.submit(1);
                if (err != 0) {
                    throw new NativeIoException("kevent EV_ADD wakeup pipe " + p.wakeReadFd, err);
                }
            } catch (NativeIoException | RuntimeException | Error e) {
                p.arena.close();
                throw e;
            }
            return p;
        } catch (NativeIoException | RuntimeException | Error e) {
            if (wake != null) {
                wake.close();
            }
            kq.close(kqfd);
            throw e;
        }
    }

    /** The struct kevent layout this poller speaks. Any thread. */
    KeventLayout layout() {
        return layout;
    }

    /** How many events one {@link #poll} collects at most. Any thread. */
    int maxEvents() {
        return maxEvents;
    }

    /** The kqueue descriptor (for tests). Any thread. */
    int kqueueFd() {
        return kqfd;
    }

    // ---- registrations ---------------------------------------------------------------------------

    @Override
    public void register(Fd fd, int interest, long token) throws NativeIoException {
        String op = "kevent register";
        int raw = begin(op, fd, interest, token);
        try {
            String opFd = op + " fd " + raw;
            refuseAlwaysReady(opFd, fd);
            grow(raw);
            if ((state[raw] & REGISTERED) != 0) {
                throw new NativeIoException(opFd, Errno.EEXIST.value());
            }
            int base = pendingCount;
            int n = 0;
            boolean oneshot = (interest & Interest.ONESHOT) != 0;
            if ((interest & Interest.READ) != 0) {
                putAdd(base + n++, raw, KeventLayout.EVFILT_READ, oneshot, token);
            }
            if ((interest & Interest.WRITE) != 0) {
                putAdd(base + n++, raw, KeventLayout.EVFILT_WRITE, oneshot, token);
            }
            byte in = 0;
            int firstErr = 0;
            if (n > 0) {
                submitWithPending(opFd, n);
                for (int i = 0; i < n; i++) {
                    int err = receiptErrno(base + i);
                    if (err == 0) {
                        in |= layout.filter(changes, base + i) == KeventLayout.EVFILT_READ ? IN_READ : IN_WRITE;
                    } else if (firstErr == 0) {
                        firstErr = err;
                    }
                }
            }
            if (firstErr != 0) {
                // Take back what was added, so a failed register leaves nothing behind.
                int k = 0;
                if ((in & IN_READ) != 0) {
                    putDelete(k++, raw, KeventLayout.EVFILT_READ);
                }
                if ((in & IN_WRITE) != 0) {
                    putDelete(k++, raw, KeventLayout.EVFILT_WRITE);
                }
                if (k > 0) {
                    submit(k);
                }
                throw new NativeIoException(opFd, firstErr);
            }
            state[raw] = (byte) (REGISTERED | wants(interest) | in);
        } finally {
            fd.release();
        }
    }

    @Override
    public void modify(Fd fd, int interest, long token) throws NativeIoException {
        String op = "kevent modify";
        int raw = begin(op, fd, interest, token);
        try {
            String opFd = op + " fd " + raw;
            if (raw >= state.length || (state[raw] & REGISTERED) == 0) {
                throw new NativeIoException(opFd, Errno.ENOENT.value());
            }
            byte s = state[raw];
            boolean oneshot = (interest & Interest.ONESHOT) != 0;
            boolean oneshotChanged = oneshot != ((s & ONESHOT) != 0);
            int base = pendingCount;
            int n = 0;
            // kqueue keeps a knote's EV_ONESHOT from its creation: changing it is delete + add.
            n = planFilter(base, n, raw, KeventLayout.EVFILT_READ, (interest & Interest.READ) != 0,
                    (s & IN_READ) != 0, oneshot, oneshotChanged, token);
            n = planFilter(base, n, raw, KeventLayout.EVFILT_WRITE, (interest & Interest.WRITE) != 0,
                    (s & IN_WRITE) != 0, oneshot, oneshotChanged, token);
            byte in = (byte) (s & (IN_READ | IN_WRITE));
            int firstErr = 0;
            if (n > 0) {
                submitWithPending(opFd, n);
                for (int i = 0; i < n; i++) {
                    int err = receiptErrno(base + i);
                    boolean read = layout.filter(changes, base + i) == KeventLayout.EVFILT_READ;
                    byte bit = read ? IN_READ : IN_WRITE;
                    boolean delete = (layout.flags(changes, base + i) & KeventLayout.EV_DELETE) != 0;
                    if (delete && (err == 0 || err == Errno.ENOENT.value())) {
                        in &= (byte) ~bit;
                    } else if (!delete && err == 0) {
                        in |= bit;
                    } else if (firstErr == 0) {
                        firstErr = err;
                    }
                }
            }
            // The registration stays (as after a failed EPOLL_CTL_MOD), with what the kqueue holds.
            state[raw] = (byte) (REGISTERED | wants(interest) | in);
            if (firstErr != 0) {
                throw new NativeIoException(opFd, firstErr);
            }
        } finally {
            fd.release();
        }
    }

    private int planFilter(int base, int n, int raw, short filter, boolean wanted, boolean present,
            boolean oneshot, boolean oneshotChanged, long token) {
        if (wanted) {
            if (present && oneshotChanged) {
                putDelete(base + n++, raw, filter);
            }
            putAdd(base + n++, raw, filter, oneshot, token); // adds, re-arms, or updates udata
        } else if (present) {
            putDelete(base + n++, raw, filter);
        }
        return n;
    }

    @Override
    public void deregister(Fd fd) throws NativeIoException {
        String op = "kevent deregister";
        int raw = begin(op, fd, Interest.NONE, 0);
        try {
            String opFd = op + " fd " + raw;
            if (raw >= state.length || (state[raw] & REGISTERED) == 0) {
                throw new NativeIoException(opFd, Errno.ENOENT.value());
            }
            byte s = state[raw];
            state[raw] = 0;
            int base = pendingCount;
            int n = 0;
            if ((s & IN_READ) != 0) {
                putDelete(base + n++, raw, KeventLayout.EVFILT_READ);
            }
            if ((s & IN_WRITE) != 0) {
                putDelete(base + n++, raw, KeventLayout.EVFILT_WRITE);
            }
            if (n + pendingCount > 0) {
                // Pending deletions go too: the caller may close the descriptor next.
                submitWithPending(opFd, n);
                for (int i = 0; i < n; i++) {
                    int err = receiptErrno(base + i);
                    if (err != 0 && err != Errno.ENOENT.value()) {
                        throw new NativeIoException(opFd, err);
                    }
                }
            }
        } finally {
            fd.release();
        }
    }

    /** Argument checks, then holds {@code fd} (EBADF naming the op when closed). */
    private int begin(String op, Fd fd, int interest, long token) throws NativeIoException {
        Objects.requireNonNull(fd, "fd");
        Interest.check(interest);
        if (token == RESERVED_TOKEN && !op.equals("kevent deregister")) {
            throw new IllegalArgumentException(op + ": token " + token + " is reserved for the wakeup");
        }
        ensureOpen(op);
        // Held across the call so a concurrent close cannot let the number be reused under us.
        return fd.acquireHeld(op);
    }

    private static void refuseAlwaysReady(String opFd, Fd fd) throws NativeIoException {
        if (fd.kind() == Fd.Kind.FILE || fd.kind() == Fd.Kind.DIRECTORY) {
            throw new NativeIoException(opFd, Errno.EPERM.value(),
                    "a regular file or directory is always ready (refused as epoll does)");
        }
    }

    private static byte wants(int interest) {
        byte b = 0;
        if ((interest & Interest.READ) != 0) {
            b |= WANT_READ;
        }
        if ((interest & Interest.WRITE) != 0) {
            b |= WANT_WRITE;
        }
        if ((interest & Interest.ONESHOT) != 0) {
            b |= ONESHOT;
        }
        return b;
    }

    private void putAdd(int i, int fd, short filter, boolean oneshot, long token) {
        layout.put(changes, i, fd, filter,
                KeventLayout.EV_ADD | KeventLayout.EV_RECEIPT | (oneshot ? KeventLayout.EV_ONESHOT : 0), 0, 0, token);
    }

    private void putDelete(int i, int fd, short filter) {
        layout.put(changes, i, fd, filter, KeventLayout.EV_DELETE | KeventLayout.EV_RECEIPT, 0, 0, 0);
    }

    /**
     * Sends the pending deletions (already at the front of {@code changes}) and {@code own} changes
     * after them, answered one receipt each.
     */
    private void submitWithPending(String op, int own) throws NativeIoException {
        writePending();
        int total = pendingCount + own;
        pendingCount = 0; // answered (ENOENT included) or, on a failed call, given up
        int r = kq.kevent(kqfd, changes.address(), total, receipts.address(), total, zeroTimespec.address());
        if (r < 0) {
            throw new NativeIoException(op, -r);
        }
    }

    /** Sends the first {@code n} changes; 0 or the first change's errno. */
    private int submit(int n) {
        int r = kq.kevent(kqfd, changes.address(), n, receipts.address(), n, zeroTimespec.address());
        if (r < 0) {
            return -r;
        }
        return receiptErrno(0);
    }

    private void writePending() {
        for (int i = 0; i < pendingCount; i++) {
            putDelete(i, pendingFd[i], pendingFilter[i]);
        }
    }

    /** The receipt for change {@code i}: EV_ERROR with data = errno (0: done). */
    private int receiptErrno(int i) {
        if ((layout.flags(receipts, i) & KeventLayout.EV_ERROR) == 0) {
            return Errno.EIO.value(); // not a receipt: the kernel answered in a way we do not know
        }
        return (int) layout.data(receipts, i);
    }

    private void grow(int fd) {
        if (fd < state.length) {
            return;
        }
        int n = Math.max(fd + 1, state.length * 2);
        state = Arrays.copyOf(state, n);
        ready = Arrays.copyOf(ready, n);
        seenInPoll = Arrays.copyOf(seenInPoll, n);
        batchToken = Arrays.copyOf(batchToken, n);
    }

    // ---- polling ---------------------------------------------------------------------------------

    @Override
    public int poll(long timeoutNanos, EventSink sink) throws NativeIoException {
        if (timeoutNanos < -1) {
            throw new IllegalArgumentException("timeoutNanos must be -1, 0 or positive: " + timeoutNanos);
        }
        Objects.requireNonNull(sink, "sink");
        ensureOpen("kevent");
        if (pendingCount > 0) {
            // A separate call: with changes in it, kevent would return their receipts instead of waiting.
            submitWithPending("kevent EV_DELETE (one-shot)", 0);
        }
        long ts = 0; // NULL: forever
        if (timeoutNanos >= 0) {
            timespec.set(JAVA_LONG, KeventLayout.TV_SEC, timeoutNanos / 1_000_000_000L);
            timespec.set(JAVA_LONG, KeventLayout.TV_NSEC, timeoutNanos % 1_000_000_000L);
            ts = timespec.address();
        }
        final MemorySegment events = this.events;
        final KeventLayout layout = this.layout;
        int n = kq.kevent(kqfd, 0, 0, events.address(), maxEvents, ts);
        if (n < 0) {
            if (n == -Errno.EINTR.value()) {
                return 0; // a signal: the caller loops (Poller.poll may return early)
            }
            throw new NativeIoException("kevent kq " + kqfd, -n);
        }
        if (++generation == 0) {
            Arrays.fill(seenInPoll, 0); // after 2^32 polls: no stale mark may equal the new generation
            generation = 1;
        }
        final int gen = generation;
        // Pass 1: merge the batch per descriptor.
        int m = 0;
        for (int i = 0; i < n; i++) {
            long udata = layout.udata(events, i);
            long ident = layout.ident(events, i);
            if (udata == RESERVED_TOKEN && ident == wakeReadFd) {
                drainWakeup();
                continue;
            }
            if (ident < 0 || ident >= state.length) {
                continue;
            }
            int fd = (int) ident;
            byte s = state[fd];
            if ((s & REGISTERED) == 0) {
                continue; // deregistered since (kqueue dropped its events; defensive)
            }
            short filter = layout.filter(events, i);
            int flags = layout.flags(events, i);
            byte bits = 0;
            if ((flags & KeventLayout.EV_ERROR) != 0) {
                bits = E;
            } else if (filter == KeventLayout.EVFILT_READ) {
                bits = R;
                if ((flags & KeventLayout.EV_EOF) != 0) {
                    bits |= H;
                    if (layout.fflags(events, i) != 0) {
                        bits |= E; // the socket error BSD puts in fflags
                    }
                }
            } else if (filter == KeventLayout.EVFILT_WRITE) {
                bits = W;
                if ((flags & KeventLayout.EV_EOF) != 0) {
                    bits |= E; // writing can only fail now (EPIPE, or fflags' socket error)
                }
            } else {
                continue; // not a filter this poller registers
            }
            if (seenInPoll[fd] == gen) {
                ready[fd] |= bits;
            } else {
                if ((s & FIRED) != 0) {
                    continue; // one-shot and disarmed: a straggler of a filter being deleted
                }
                seenInPoll[fd] = gen;
                ready[fd] = bits;
                batchToken[fd] = udata;
                order[m++] = fd;
            }
        }
        // Pass 2: one-shot bookkeeping, before any sink call, so a throwing sink leaves it right.
        // The filters that fired were deleted by EV_ONESHOT; the others are deleted next.
        for (int j = 0; j < m; j++) {
            int fd = order[j];
            byte s = state[fd];
            if ((s & ONESHOT) == 0) {
                continue;
            }
            byte r = ready[fd];
            if ((s & IN_READ) != 0 && (r & R) == 0) {
                queueDelete(fd, KeventLayout.EVFILT_READ);
            }
            if ((s & IN_WRITE) != 0 && (r & W) == 0) {
                queueDelete(fd, KeventLayout.EVFILT_WRITE);
            }
            state[fd] = (byte) ((s & ~(IN_READ | IN_WRITE)) | FIRED);
        }
        // Pass 3: deliver.
        for (int j = 0; j < m; j++) {
            int fd = order[j];
            byte r = ready[fd];
            sink.accept(batchToken[fd], (r & R) != 0, (r & W) != 0, (r & E) != 0, (r & H) != 0);
        }
        return m;
    }

    private void queueDelete(int fd, short filter) {
        // At most one per descriptor of the batch, and the batch holds at most maxEvents.
        pendingFd[pendingCount] = fd;
        pendingFilter[pendingCount] = filter;
        pendingCount++;
    }

    private void drainWakeup() {
        // Read first, then clear the flag (EpollPoller.drainWakeup says why: the other order can
        // lose a wakeup). More bytes than fit stay readable and end the next poll early: harmless.
        long r = Shim.get().read(wakeReadFd, drain.address(), drain.byteSize());
        assert r > 0 || r == -Errno.EAGAIN.value() : "wakeup pipe read: " + r;
        wakeupPending.set(false);
    }

    @Override
    public void wakeup() {
        if (wakeupPending.getAndSet(true)) {
            return; // one is pending already: the poll it wakes has not drained it yet
        }
        Fd w = wake.writeEnd();
        int raw;
        try {
            raw = w.acquire("wakeup");
        } catch (NativeIoException closed) {
            return; // after close: nothing to wake
        }
        try {
            // A full pipe (EAGAIN) is readable anyway.
            Shim.get().write(raw, one.address(), 1);
        } finally {
            w.release();
        }
    }

    private void ensureOpen(String op) throws NativeIoException {
        if (closed) {
            throw new NativeIoException(op, Errno.EBADF.value(), "poller closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        kq.close(kqfd);
        // wakeup() only reads `one` while it holds the write end: close the fds first, then the
        // memory once the write end is released.
        wake.close();
        wake.writeEnd().whenReleased().whenComplete((v, t) -> arena.close());
    }

    @Override
    public String toString() {
        return "KqueuePoller[kq " + kqfd + ", " + layout + ", " + kq.describe() + (closed ? ", closed" : "") + "]";
    }
}
