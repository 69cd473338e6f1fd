package dev.ringio;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringio.net.Protocol;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

/**
 * A fixed set of engines of one kind, each with its own ring (or poller) and its own loop thread,
 * so that I/O can use more than one core. {@link IoEngines#group(int)} opens one.
 *
 * <h2>Ownership: an fd's operations stay on one engine</h2>
 * Every {@link Fd} used through a group has one <em>owner</em>: the engine its operations go to.
 * The rule is the simplest one that is always sound: <b>the first claim wins, and is final.</b>
 * {@link #assign(Fd, IoEngine)} claims an fd for a given engine (code that opened or accepted it on
 * that engine says so); {@link #owner(Fd)} returns the recorded owner, and when there is none it
 * claims the fd for {@link #next()}. The record lives on the {@code Fd} itself (one field, set
 * once with a compare-and-set), so concurrent first calls from many threads agree, nothing is
 * kept after the {@code Fd} is gone, and a descriptor number the kernel reuses later starts a new
 * {@code Fd} with no owner. An {@code Fd} belongs to at most one group.
 *
 * <p>Any engine could run any operation on any descriptor (none of them registers descriptors
 * with its ring), so the rule is about locality, not correctness of a single operation: keeping a
 * descriptor on one loop means its completions are all delivered on one thread, in order, and on
 * the readiness engines that only one poller ever watches it.
 *
 * <h2>Placing work</h2>
 * {@link #next()} returns the engines in turn (round robin), for new work that has no fd yet: a
 * new socket, a file to open, a channel to place. A server spreads its connections in one of two
 * ways: {@link #listenReusePort} opens one listener per engine on the same address with
 * {@code SO_REUSEPORT}, and the kernel spreads incoming connections across them (each engine then
 * accepts and serves its own connections, with no hand-off); or one listener accepts and each
 * accepted descriptor is placed with {@link #owner(Fd)} (a hand-off: the accepting loop submits the
 * connection's first operation to another engine's queue).
 *
 * <h2>Lifetime</h2>
 * {@link #close()} closes every engine: every future of every engine completes (operations in
 * flight fail with {@link EngineClosedException} or a cancellation, as {@link IoEngine#close()}
 * says), and it returns once every loop has finished, except for the loop of the calling thread
 * when it is called from a callback (that one finishes after the callback, as
 * {@code IoEngine.close()} does there).
 *
 * <p>Threading: every method is safe from any thread; {@link #listenReusePort} waits for the
 * engines and so must not run on a loop thread.
 */
public final class EngineGroup implements AutoCloseable {

    private final List<IoEngine> engines;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private volatile boolean closed;

    private EngineGroup(List<IoEngine> engines) {
        this.engines = List.copyOf(engines);
    }

    /**
     * Opens {@code n} engines: the first as {@link IoEngines#open(EngineConfig)} chooses (so
     * {@code -Dringio.engine} forces it), the others of the same kind, each with {@code config}.
     * If one cannot start, those already open are closed and the error is thrown.
     */
    static EngineGroup open(int n, EngineConfig config) throws NativeIoException {
        if (n < 1) {
            throw new IllegalArgumentException("engine group: size " + n + " < 1");
        }
        Objects.requireNonNull(config, "config");
        IoEngine first = IoEngines.open(config);
        return fill(first, n, config);
    }

    /** As {@link #open(int, EngineConfig)} with every engine of the kind {@code engine} names. */
    static EngineGroup open(String engine, int n, EngineConfig config) throws NativeIoException {
        if (n < 1) {
            throw new IllegalArgumentException("engine group: size " + n + " < 1");
        }
        Objects.requireNonNull(config, "config");
        return fill(IoEngines.open(engine, config), n, config);
    }

    private static EngineGroup fill(IoEngine first, int n, EngineConfig config) throws NativeIoException {
        List<IoEngine> opened = new ArrayList<>(n);
        opened.add(first);
        try {
            while (opened.size() < n) {
                opened.add(IoEngines.open(first.name(), config));
            }
        } catch (NativeIoException | RuntimeException e) {
            for (IoEngine engine : opened) {
                engine.close();
            }
            throw e;
        }
        return new EngineGroup(opened);
    }

    /**
     * The number of engines.
     *
     * @return the number of engines
     */
    public int size() {
        return engines.size();
    }

    /**
     * The engines, in a fixed order (the order {@link #next()} cycles through); unmodifiable.
     *
     * @return the engines
     */
    public List<IoEngine> engines() {
        return engines;
    }

    /**
     * The engines' name: {@code "io_uring"}, {@code "epoll"}, {@code "kqueue"}.
     *
     * @return the engines' name
     */
    public String name() {
        return engines.getFirst().name();
    }

    /**
     * The engine for the next piece of new work: the engines in turn, round robin.
     *
     * @return the next engine
     * @throws EngineClosedException if the group is closed
     */
    public IoEngine next() {
        if (closed) {
            throw new EngineClosedException("engine group: next");
        }
        return engines.get(Math.floorMod(nextIndex.getAndIncrement(), engines.size()));
    }

    /**
     * The engine that owns {@code fd}; if none does yet, claims it for {@link #next()} (see the
     * class comment). Every call for the same {@code Fd}, from any thread, returns the same engine.
     *
     * @param fd the descriptor
     * @return the engine that owns {@code fd}
     * @throws IllegalArgumentException if {@code fd} is owned by an engine of another group
     * @throws EngineClosedException    if the group is closed and {@code fd} has no owner yet
     */
    public IoEngine owner(Fd fd) {
        Objects.requireNonNull(fd, "fd");
        IoEngine owner = fd.owner();
        if (owner == null) {
            owner = fd.claimOwner(next());
        }
        return checkMember(owner, fd);
    }

    /**
     * Claims {@code fd} for {@code engine} (typically the engine that opened or accepted it) unless
     * it has an owner already, and returns its owner: {@code engine}, or the one that claimed it
     * first.
     *
     * @param fd the descriptor
     * @param engine one of this group's engines
     * @return the engine that owns {@code fd}
     * @throws IllegalArgumentException if {@code engine} is not one of this group's, or {@code fd}
     *                                  is owned by an engine of another group
     */
    public IoEngine assign(Fd fd, IoEngine engine) {
        Objects.requireNonNull(fd, "fd");
        checkMember(Objects.requireNonNull(engine, "engine"), null);
        return checkMember(fd.claimOwner(engine), fd);
    }

    /**
     * Whether {@code engine} is one of this group's engines.
     *
     * @param engine an engine
     * @return true if {@code engine} is one of this group's
     */
    public boolean contains(IoEngine engine) {
        for (IoEngine e : engines) {
            if (e == engine) {
                return true;
            }
        }
        return false;
    }

    /**
     * The engine whose loop thread is calling, or null when the caller is no loop of this group.
     *
     * @return the calling loop's engine, or {@code null}
     */
    public IoEngine current() {
        for (IoEngine e : engines) {
            if (e.inLoop()) {
                return e;
            }
        }
        return null;
    }

    private IoEngine checkMember(IoEngine engine, Fd fd) {
        if (!contains(engine)) {
            throw new IllegalArgumentException(fd == null
                    ? "engine group: " + engine + " is not an engine of this group"
                    : "engine group: " + fd + " is owned by " + engine + ", not an engine of this group");
        }
        return engine;
    }

    /**
     * Opens one listening stream socket per engine, every one bound to {@code address} with
     * {@code SO_REUSEPORT} (and {@code SO_REUSEADDR}); the kernel spreads incoming connections
     * across them by a hash of each connection's addresses. With port 0, the first listener gets
     * a port from the kernel and the others bind to that one. Listener {@code i} is owned by
     * {@code engines().get(i)}: accept on it there, and serve what it accepts there. The caller owns
     * the descriptors. Not on a loop thread (it waits for each step).
     *
     * @param address the address every listener binds to
     * @param backlog each listener's backlog
     * @return the listeners, listener {@code i} owned by {@code engines().get(i)}
     * @throws NativeIoException naming the step that failed (e.g. {@code bind} with
     *                           {@code EADDRINUSE}); the listeners opened so far are closed
     * @throws IllegalStateException if called on a loop thread of this group
     */
    public List<Fd> listenReusePort(SockAddr address, int backlog) throws NativeIoException {
        Objects.requireNonNull(address, "address");
        if (current() != null) {
            throw new IllegalStateException("engine group: listenReusePort waits for the engines: not from a loop thread");
        }
        List<Fd> listeners = new ArrayList<>(engines.size());
        try {
            SockAddr bindTo = address;
            for (IoEngine engine : engines) {
                Fd fd = await(engine.socket(address.domain(), Set.of(SocketType.STREAM), Protocol.DEFAULT));
                listeners.add(fd);
                fd.claimOwner(engine);
                Sockets.setOption(fd, SocketOptions.REUSEADDR, true);
                Sockets.setOption(fd, SocketOptions.REUSEPORT, true);
                await(engine.bind(fd, bindTo));
                await(engine.listen(fd, backlog));
                bindTo = Sockets.getsockname(fd); // port 0: the others share the port the kernel chose
            }
            return List.copyOf(listeners);
        } catch (NativeIoException | RuntimeException e) {
            listeners.forEach(Fd::close);
            throw e;
        }
    }

    /**
     * Waits for one set-up step. Not interruptible (each step is one short syscall): returning on an
     * interrupt would leave a socket that arrives afterwards with nobody to close it.
     */
    private static <T> T await(CompletableFuture<T> f) throws NativeIoException {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof NativeIoException n) {
                throw n;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once {@link #close()} has been called
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes every engine (see {@link IoEngine#close()}): every future completes, and this returns
     * once every loop has finished (the calling loop's own engine, from a callback, finishes after
     * the callback). Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        IoEngine own = current();
        for (IoEngine e : engines) {
            if (e != own) {
                e.close(); // waits for that loop to finish
            }
        }
        if (own != null) {
            own.close(); // from its own callback: returns at once, the loop finishes after it
        }
    }

    @Override
    public String toString() {
        return "EngineGroup[" + engines.size() + " x " + name() + (closed ? ", closed" : "") + "]";
    }
}
