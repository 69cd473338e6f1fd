package dev.ringio.engine.poll;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * {@link Poller} over Linux epoll: one epoll descriptor ({@code epoll_create1(EPOLL_CLOEXEC)}), one
 * eventfd for {@link #wakeup()} registered in it under {@link Poller#RESERVED_TOKEN}, and one native
 * array of {@code struct epoll_event} allocated at {@link #open} and reused by every
 * {@link #poll}, which allocates nothing.
 *
 * <p>Threading: owner thread only, except {@link #wakeup()} (any thread), as {@link Poller} says.
 */
final class EpollPoller implements Poller {

    /** How many events one {@link #poll} collects when {@link #open()} is used. */
    static final int DEFAULT_MAX_EVENTS = 256;

    private static final int EFD_CLOEXEC = 02000000;
    private static final int EFD_NONBLOCK = 04000;

    /** Null when the Java constants agree with the shim's headers; else what differs. */
    private static final String MISMATCH;

    static {
        List<String> m = Epoll.mismatches();
        MISMATCH = m.isEmpty() ? null : String.join("; ", m);
    }

    private final Shim shim = Shim.get();
    private final Fd epoll;
    private final int epfd;
    private final Fd wakeFd;
    private final Arena arena;
    private final MemorySegment events;
    private final int maxEvents;
    /** 8 bytes holding 1 (what wakeup() writes) — written once, then only read. */
    private final MemorySegment one;
    /** 8 bytes the owner drains the eventfd into. */
    private final MemorySegment drain;
    /** A wakeup was written and not yet drained: later wakeup() calls skip the syscall. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private boolean closed;

    private EpollPoller(Fd epoll, Fd wakeFd, int maxEvents) {
        this.epoll = epoll;
        this.epfd = epoll.value();
        this.wakeFd = wakeFd;
        this.maxEvents = maxEvents;
        // Shared: wakeup() reads `one` from any thread; the owner may not be the creating thread.
        this.arena = Arena.ofShared();
        this.events = arena.allocate((long) Epoll.EVENT_SIZE * maxEvents, 8);
        this.one = arena.allocate(JAVA_LONG);
        this.one.set(JAVA_LONG, 0, 1L);
        this.drain = arena.allocate(JAVA_LONG);
    }

    /** {@link #open(int)} with {@link #DEFAULT_MAX_EVENTS}. Any thread; the caller becomes the owner. */
    static EpollPoller open() throws NativeIoException {
        return open(DEFAULT_MAX_EVENTS);
    }

    /**
     * Creates the epoll descriptor and the wakeup eventfd. Any thread; the caller hands the poller
     * to its owner.
     *
     * @param maxEvents how many events one {@link #poll} collects at most (&gt;= 1)
     * @throws IllegalArgumentException if {@code maxEvents < 1}
     * @throws IllegalStateException    if the shim's epoll constants or {@code struct epoll_event}
     *                                  layout differ from this class's (a shim built for another
     *                                  architecture)
     * @throws NativeIoException        e.g. {@code EMFILE}, or {@code ENOSYS}/{@code EPERM} where
     *                                  epoll is unavailable or forbidden
     */
    static EpollPoller open(int maxEvents) throws NativeIoException {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be >= 1: " + maxEvents);
        }
        if (MISMATCH != null) {
            throw new IllegalStateException("epoll constants differ from the shim's headers: " + MISMATCH);
        }
        Shim shim = Shim.get();
        Fd epoll = Fd.adopt((int) NativeIoException.check("epoll_create1", shim.epollCreate(Epoll.EPOLL_CLOEXEC)),
                Fd.Kind.EPOLL);
        Fd wake = null;
        try {
            wake = Fd.adopt((int) NativeIoException.check("eventfd", shim.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
                    Fd.Kind.EVENTFD);
            int r = shim.epollCtl(epoll.value(), Epoll.EPOLL_CTL_ADD, wake.value(), Epoll.EPOLLIN, RESERVED_TOKEN);
            if (r < 0) {
                throw new NativeIoException("epoll_ctl ADD wakeup eventfd " + wake.value(), -r);
            }
            return new EpollPoller(epoll, wake, maxEvents);
        } catch (NativeIoException | RuntimeException | Error e) {
            if (wake != null) {
                wake.close();
            }
            epoll.close();
            throw e;
        }
    }

    /** How many events one {@link #poll} collects at most. Any thread. */
    int maxEvents() {
        return maxEvents;
    }

    @Override
    public void register(Fd fd, int interest, long token) throws NativeIoException {
        ctl(Epoll.EPOLL_CTL_ADD, "epoll_ctl ADD", fd, interest, token);
    }

    @Override
    public void modify(Fd fd, int interest, long token) throws NativeIoException {
        ctl(Epoll.EPOLL_CTL_MOD, "epoll_ctl MOD", fd, interest, token);
    }

    @Override
    public void deregister(Fd fd) throws NativeIoException {
        ctl(Epoll.EPOLL_CTL_DEL, "epoll_ctl DEL", fd, Interest.NONE, 0);
    }

    private void ctl(int op, String opName, Fd fd, int interest, long token) throws NativeIoException {
        java.util.Objects.requireNonNull(fd, "fd");
        Interest.check(interest);
        if (token == RESERVED_TOKEN && op != Epoll.EPOLL_CTL_DEL) {
            throw new IllegalArgumentException(opName + ": token " + token + " is reserved for the wakeup");
        }
        ensureOpen(opName);
        // Hold the descriptor across the call so a concurrent close cannot let the number be reused
        // under us. acquireHeld: a descriptor close() marked while an engine op still holds it can
        // still be watched; one nobody holds any more fails with EBADF naming the op.
        int raw = fd.acquireHeld(opName);
        try {
            int r = shim.epollCtl(epfd, op, raw, events(interest), token);
            if (r < 0) {
                throw new NativeIoException(opName + " fd " + raw, -r);
            }
        } finally {
            fd.release();
        }
    }

    /** Interest bits → epoll bits. Level-triggered: no EPOLLET (the SPI does not offer edges). */
    private static int events(int interest) {
        int ev = 0;
        if ((interest & Interest.READ) != 0) {
            ev |= Epoll.EPOLLIN;
        }
        if ((interest & Interest.WRITE) != 0) {
            ev |= Epoll.EPOLLOUT;
        }
        if ((interest & Interest.ONESHOT) != 0) {
            ev |= Epoll.EPOLLONESHOT;
        }
        return ev;
    }

    @Override
    public int poll(long timeoutNanos, EventSink sink) throws NativeIoException {
        if (timeoutNanos < -1) {
            throw new IllegalArgumentException("timeoutNanos must be -1, 0 or positive: " + timeoutNanos);
        }
        java.util.Objects.requireNonNull(sink, "sink");
        ensureOpen("epoll_wait");
        final MemorySegment events = this.events;
        int n = shim.epollWait(epfd, events.address(), maxEvents, timeoutMillis(timeoutNanos));
        if (n < 0) {
            if (n == -Errno.EINTR.value()) {
                return 0; // a signal: the caller loops (Poller.poll may return early)
            }
            throw new NativeIoException("epoll_wait epfd " + epfd, -n);
        }
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            long base = (long) i * Epoll.EVENT_SIZE;
            int ev = events.get(JAVA_INT_UNALIGNED, base + Epoll.EVENT_EVENTS);
            long token = events.get(JAVA_LONG_UNALIGNED, base + Epoll.EVENT_DATA);
            if (token == RESERVED_TOKEN) {
                drainWakeup();
                continue;
            }
            sink.accept(token, (ev & Epoll.EPOLLIN) != 0, (ev & Epoll.EPOLLOUT) != 0,
                    (ev & Epoll.EPOLLERR) != 0, (ev & Epoll.EPOLLHUP) != 0);
            delivered++;
        }
        return delivered;
    }

    /** Nanoseconds → epoll_wait milliseconds, rounded up so a short timeout does not become a busy poll. */
    static int timeoutMillis(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return (int) timeoutNanos; // -1 forever, 0 now
        }
        long ms = timeoutNanos / 1_000_000L + (timeoutNanos % 1_000_000L != 0 ? 1 : 0); // no overflow near MAX
        return ms > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) ms;
    }

    private void drainWakeup() {
        // Read first, then clear the flag. Clearing first would let a wakeup() see the flag clear,
        // set it and write before our read drains that write: the flag would then stay set with
        // nothing pending, and every later wakeup() would skip its write (a lost wakeup; the test
        // manyWakersNeverLeaveThePollerAsleep hung this way). This order only merges a wakeup()
        // that lands between the read and the clear into this poll, which is returning anyway, and
        // the caller looks at its work after poll returns.
        long r = shim.read(wakeFd.value(), drain.address(), 8);
        assert r == 8 || r == -Errno.EAGAIN.value() : "eventfd read: " + r;
        wakeupPending.set(false);
    }

    @Override
    public void wakeup() {
        if (wakeupPending.getAndSet(true)) {
            return; // one is pending already: the poll it wakes has not drained it yet
        }
        int raw;
        try {
            raw = wakeFd.acquire("wakeup");
        } catch (NativeIoException closed) {
            return; // after close: nothing to wake
        }
        try {
            // An eventfd write of 1 only fails on counter overflow (EAGAIN), which still means readable.
            shim.write(raw, one.address(), 8);
        } finally {
            wakeFd.release();
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
        epoll.close();
        // Deferred while a wakeup() on another thread holds it; the arena waits for no one, but
        // wakeup() only reads `one` while it holds wakeFd, so close the fd first, then the memory.
        wakeFd.close();
        wakeFd.whenReleased().whenComplete((v, t) -> arena.close());
    }

    @Override
    public String toString() {
        return "EpollPoller[epfd " + epfd + (closed ? ", closed" : "") + "]";
    }
}
