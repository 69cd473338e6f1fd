package dev.ringio.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.nio.channels.AsynchronousCloseException;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.blocking.BlockingIo;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * An epoll instance ({@code epoll(7)}; Gerbil's {@code std/os/epoll}): register descriptors with
 * {@link #add}, {@link #modify}, {@link #delete} (each with a set of {@link EpollEvent}s and a
 * 64-bit user value, {@code data.u64}, reported back with each event), and wait for events into a
 * reusable {@link Events} array.
 *
 * <p>Three ways to wait:
 * <ul>
 *   <li>{@link #wait(Events, int)}: {@code epoll_wait} with a timeout, blocking the calling
 *       thread in the kernel (a virtual thread pins its carrier there: use one of the others);</li>
 *   <li>{@link #waitAsync(IoEngine, Events)}: a future, completed by the engine's loop when the
 *       epoll descriptor itself becomes readable ({@code IoEngine.awaitReadable}, io_uring's
 *       POLL_ADD or the readiness engine's own epoll) and a non-blocking {@code epoll_wait} then
 *       collected the events;</li>
 *   <li>{@link #await(BlockingIo, Events)}: the same, parking the calling (virtual) thread.</li>
 * </ul>
 *
 * <pre>{@code
 * try (Epoll ep = Epoll.create(); Epoll.Events events = new Epoll.Events(16)) {
 *     ep.add(pipe.readEnd(), EnumSet.of(EpollEvent.IN), 42);
 *     int n = ep.waitAsync(engine, events).join();
 *     for (int i = 0; i < n; i++) { long who = events.data(i); Set<EpollEvent> what = events.eventSet(i); }
 * }
 * }</pre>
 *
 * <p>A registration belongs to the open file description, not the number: it lasts until
 * {@link #delete} or until every descriptor of that description is closed (a {@code dup} keeps it
 * alive). Errors are {@link NativeIoException}s naming the call, e.g. {@code epoll_ctl(ADD)} with
 * EEXIST, {@code epoll_ctl(MOD)} or {@code epoll_ctl(DEL)} with ENOENT, EPERM for a descriptor
 * epoll cannot watch (a regular file), EBADF once either descriptor is closed.
 *
 * <p>Threading: every method is safe from any thread (the kernel serialises the calls); an
 * {@link Events} array must be used by one wait at a time.
 */
public final class Epoll implements AutoCloseable {

    /** {@code EPOLL_CTL_ADD}. */
    public static final int EPOLL_CTL_ADD = 1;
    /** {@code EPOLL_CTL_DEL}. */
    public static final int EPOLL_CTL_DEL = 2;
    /** {@code EPOLL_CTL_MOD}. */
    public static final int EPOLL_CTL_MOD = 3;
    /** {@code EPOLL_CLOEXEC}: the flag of {@code epoll_create1}. */
    public static final int EPOLL_CLOEXEC = 02000000;

    // struct epoll_event is packed on x86_64 (12 bytes: u32 events at 0, u64 data at 4); checked
    // against the shim at class initialisation.
    static final int EVENT_SIZE = 12;
    static final int EVENT_EVENTS = 0;
    static final int EVENT_DATA = 4;

    static {
        if (OsConstants.value("sizeof(epoll_event)") != EVENT_SIZE
                || OsConstants.value("offsetof(epoll_event.events)") != EVENT_EVENTS
                || OsConstants.value("offsetof(epoll_event.data)") != EVENT_DATA) {
            throw new ExceptionInInitializerError("struct epoll_event differs from the layout dev.ringio.os.Epoll mirrors");
        }
    }

    private final Fd fd;

    private Epoll(Fd fd) {
        this.fd = fd;
    }

    /**
     * A close-on-exec epoll instance ({@code epoll_create1(EPOLL_CLOEXEC)}). Any thread.
     *
     * @return the new epoll instance, which the caller closes
     * @throws NativeIoException EMFILE / ENFILE when out of descriptors
     */
    public static Epoll create() throws NativeIoException {
        return create(true);
    }

    /**
     * A new epoll instance ({@code epoll_create1}, with {@code EPOLL_CLOEXEC} when
     * {@code closeOnExec}). Any thread.
     *
     * @param closeOnExec whether the descriptor is close-on-exec
     * @return the new epoll instance, which the caller closes
     * @throws NativeIoException EMFILE / ENFILE when out of descriptors, ENOMEM past
     *                           {@code max_user_watches}
     */
    public static Epoll create(boolean closeOnExec) throws NativeIoException {
        int raw = (int) NativeIoException.check("epoll_create1", Shim.get().epollCreate(closeOnExec ? EPOLL_CLOEXEC : 0));
        return new Epoll(Fd.adopt(raw, Fd.Kind.EPOLL));
    }

    /**
     * The epoll descriptor, e.g. to nest it in another epoll or hand it to an engine.
     *
     * @return the epoll descriptor
     */
    public Fd fd() {
        return fd;
    }

    /**
     * Registers {@code target} for {@code events}, reporting {@code data} with each event ({@code
     * EPOLL_CTL_ADD}).
     *
     * @param target the descriptor to watch
     * @param events the events to watch for
     * @param data the user value reported with its events
     * @throws NativeIoException naming the {@code epoll_ctl} operation, with the errno
     */
    public void add(Fd target, Set<EpollEvent> events, long data) throws NativeIoException {
        ctl("epoll_ctl(ADD)", EPOLL_CTL_ADD, target, EpollEvent.bits(events), data);
    }

    /**
     * {@link #add(Fd, Set, long)} with a raw {@code EPOLL*} mask.
     *
     * @param target the descriptor to watch
     * @param events the {@code EPOLL*} mask
     * @param data the user value reported with its events
     * @throws NativeIoException naming the {@code epoll_ctl} operation, with the errno
     */
    public void add(Fd target, int events, long data) throws NativeIoException {
        ctl("epoll_ctl(ADD)", EPOLL_CTL_ADD, target, events, data);
    }

    /**
     * Changes {@code target}'s events and user value ({@code EPOLL_CTL_MOD}); re-arms a
     * {@link EpollEvent#ONESHOT} registration.
     *
     * @param target the descriptor to watch
     * @param events the events to watch for
     * @param data the user value reported with its events
     * @throws NativeIoException naming the {@code epoll_ctl} operation, with the errno
     */
    public void modify(Fd target, Set<EpollEvent> events, long data) throws NativeIoException {
        ctl("epoll_ctl(MOD)", EPOLL_CTL_MOD, target, EpollEvent.bits(events), data);
    }

    /**
     * {@link #modify(Fd, Set, long)} with a raw {@code EPOLL*} mask.
     *
     * @param target the descriptor to watch
     * @param events the {@code EPOLL*} mask
     * @param data the user value reported with its events
     * @throws NativeIoException naming the {@code epoll_ctl} operation, with the errno
     */
    public void modify(Fd target, int events, long data) throws NativeIoException {
        ctl("epoll_ctl(MOD)", EPOLL_CTL_MOD, target, events, data);
    }

    /**
     * Removes {@code target}'s registration ({@code EPOLL_CTL_DEL}); ENOENT if it has none.
     *
     * @param target the descriptor to watch
     * @throws NativeIoException naming the {@code epoll_ctl} operation, with the errno
     */
    public void delete(Fd target) throws NativeIoException {
        ctl("epoll_ctl(DEL)", EPOLL_CTL_DEL, target, 0, 0);
    }

    private void ctl(String op, int ctlOp, Fd target, int events, long data) throws NativeIoException {
        Objects.requireNonNull(target, "target");
        int ep = fd.acquire(op);
        try {
            int t = target.acquire(op);
            try {
                NativeIoException.check(op, Shim.get().epollCtl(ep, ctlOp, t, events, data));
            } finally {
                target.release();
            }
        } finally {
            fd.release();
        }
    }

    /**
     * Waits for events ({@code epoll_wait}) for up to {@code timeoutMillis} ({@code -1}: for ever,
     * {@code 0}: do not wait) and writes them to {@code out}; the count (0 on timeout), also
     * {@code out.count()}. A signal's EINTR is retried with the time left. Blocks the calling
     * thread in the kernel; a close of the epoll descriptor does not wake it (use
     * {@link #waitAsync} or {@link #await} where that matters).
     *
     * @param out the array to fill
     * @param timeoutMillis the longest wait in milliseconds, {@code -1} for ever, {@code 0} for
     *                      none
     * @return the number of events, 0 on timeout
     * @throws IllegalArgumentException if {@code timeoutMillis < -1}
     * @throws IllegalStateException    if {@code out} is closed or in use by another wait
     * @throws NativeIoException        EBADF once this epoll is closed
     */
    public int wait(Events out, int timeoutMillis) throws NativeIoException {
        Objects.requireNonNull(out, "out");
        if (timeoutMillis < -1) {
            throw new IllegalArgumentException("epoll_wait: timeout " + timeoutMillis + " ms (-1: for ever, else >= 0)");
        }
        long deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000L : 0;
        out.begin();
        try {
            int ep = fd.acquire("epoll_wait");
            try {
                for (int t = timeoutMillis;;) {
                    int n = Shim.get().epollWait(ep, out.memory.address(), out.capacity, t);
                    if (n == -Errno.EINTR.value()) {
                        if (t > 0) {
                            t = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                        }
                        continue;
                    }
                    out.count = (int) NativeIoException.check("epoll_wait", n);
                    return out.count;
                }
            } finally {
                fd.release();
            }
        } finally {
            out.end();
        }
    }

    /**
     * Waits on {@code engine}: completes, on the engine's loop thread, with the count of events
     * written to {@code out} (at least 1) once the epoll descriptor is readable. Cancelling the
     * future cancels the wait; closing this epoll completes it exceptionally with
     * {@link AsynchronousCloseException} (with {@code EBADF} if it was closed before the call),
     * closing the engine with the engine's exception. {@code out} must not be used until the
     * future completes. Any thread.
     *
     * @param engine the engine to wait on
     * @param out the array to fill
     * @return a future of the number of events
     */
    public CompletableFuture<Integer> waitAsync(IoEngine engine, Events out) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(out, "out");
        if (!fd.isOpen()) {
            return CompletableFuture.failedFuture(
                    new NativeIoException("epoll_wait", Errno.EBADF.value(), "epoll " + fd.value() + " is closed"));
        }
        CompletableFuture<Integer> result = new CompletableFuture<>();
        armAsync(engine, out, result);
        return result;
    }

    private void armAsync(IoEngine engine, Events out, CompletableFuture<Integer> result) {
        CompletableFuture<Integer> ready;
        try {
            ready = engine.awaitReadable(fd);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        result.whenComplete((v, t) -> {
            if (result.isCancelled()) {
                ready.cancel(true);
            }
        });
        // A close of the epoll does not end the engine's wait on it (Fd.close defers to in-flight
        // operations): cancel that wait, so the future completes instead of waiting for ever.
        Runnable onClose = () -> ready.cancel(true);
        if (!fd.onClose(onClose)) {
            ready.cancel(true);
        }
        ready.whenComplete((revents, failure) -> {
            fd.removeOnClose(onClose);
            if (failure != null) {
                if (!fd.isOpen()) {
                    AsynchronousCloseException closed = new AsynchronousCloseException();
                    closed.initCause(failure);
                    result.completeExceptionally(closed);
                } else {
                    result.completeExceptionally(failure);
                }
                return;
            }
            if (result.isDone()) {
                return;
            }
            try {
                int n = wait(out, 0);
                if (n > 0) {
                    result.complete(n);
                } else {
                    // Readable, but another waiter took the events first (or ET state moved on).
                    armAsync(engine, out, result);
                }
            } catch (NativeIoException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    /**
     * Waits through {@code io}: parks the calling thread (a virtual thread frees its carrier) until
     * the epoll descriptor is readable, then collects the events; the count (at least 1). Interrupt
     * and asynchronous close follow {@link BlockingIo}'s rules (an interrupt closes the epoll
     * descriptor, as for a JDK channel). Any thread but an engine's loop.
     *
     * @param io the blocking operations to wait through
     * @param out the array to fill
     * @return the number of events
     * @throws IOException if the wait fails, is interrupted or the epoll is closed
     */
    public int await(BlockingIo io, Events out) throws IOException {
        Objects.requireNonNull(out, "out");
        for (;;) {
            io.awaitReadable(fd);
            int n = wait(out, 0);
            if (n > 0) {
                return n;
            }
        }
    }

    /** Closes the epoll descriptor (its registrations go with it). Idempotent. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "Epoll[" + fd + "]";
    }

    /**
     * A reusable array of {@code struct epoll_event} in native memory that a wait fills (Gerbil's
     * {@code make-epoll-events}); read entry {@code i < count()} with {@link #events(int)} and
     * {@link #data(int)}. Close it to free the memory. Not thread-safe: one wait at a time, read
     * after the wait returned.
     */
    public static final class Events implements AutoCloseable {

        private final Arena arena = Arena.ofShared();
        private final MemorySegment memory;
        private final int capacity;
        private final AtomicBoolean busy = new AtomicBoolean();
        private volatile int count;

        /**
         * An array of {@code capacity} events.
         *
         * @param capacity the number of entries, 1 to 1048576
         * @throws IllegalArgumentException unless {@code 1 <= capacity <= 1 << 20}
         */
        public Events(int capacity) {
            if (capacity < 1 || capacity > 1 << 20) {
                throw new IllegalArgumentException("epoll events: capacity " + capacity + " (1 to 1048576)");
            }
            this.capacity = capacity;
            this.memory = arena.allocate((long) capacity * EVENT_SIZE, 8);
        }

        /**
         * How many events the array holds.
         *
         * @return the number of entries
         */
        public int capacity() {
            return capacity;
        }

        /**
         * How many events the last wait wrote.
         *
         * @return the event count of the last wait
         */
        public int count() {
            return count;
        }

        /**
         * Entry {@code i}'s event mask (Gerbil's {@code epoll-event-events}).
         *
         * @param i the entry's index, {@code 0 <= i < count()}
         * @return the {@code EPOLL*} mask
         */
        public int events(int i) {
            return memory.get(JAVA_INT_UNALIGNED, offset(i) + EVENT_EVENTS);
        }

        /**
         * Entry {@code i}'s events as a set.
         *
         * @param i the entry's index, {@code 0 <= i < count()}
         * @return the events, a new set
         */
        public EnumSet<EpollEvent> eventSet(int i) {
            return EpollEvent.of(events(i));
        }

        /**
         * Entry {@code i}'s user value, as registered (Gerbil's {@code epoll-event-fd} when it is
         * the fd).
         *
         * @param i the entry's index, {@code 0 <= i < count()}
         * @return the user value
         */
        public long data(int i) {
            return memory.get(JAVA_LONG_UNALIGNED, offset(i) + EVENT_DATA);
        }

        private long offset(int i) {
            Objects.checkIndex(i, count);
            return (long) i * EVENT_SIZE;
        }

        void begin() {
            if (!busy.compareAndSet(false, true)) {
                throw new IllegalStateException("epoll_wait: the events array is in use by another wait");
            }
            if (!arena.scope().isAlive()) {
                busy.set(false);
                throw new IllegalStateException("epoll_wait: the events array is closed");
            }
        }

        void end() {
            busy.set(false);
        }

        /**
         * Frees the memory. Idempotent.
         *
         * @throws IllegalStateException while a wait is using the array
         */
        @Override
        public void close() {
            if (!busy.compareAndSet(false, true)) {
                throw new IllegalStateException("epoll events: closed while a wait is using them");
            }
            try {
                if (arena.scope().isAlive()) {
                    arena.close();
                }
            } finally {
                busy.set(false);
            }
        }
    }
}
