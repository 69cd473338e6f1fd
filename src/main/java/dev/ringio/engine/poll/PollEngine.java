package dev.ringio.engine.poll;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import dev.ringio.BufferRing;
import dev.ringio.Capability;
import dev.ringio.EngineClosedException;
import dev.ringio.EngineConfig;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.FileStat;
import dev.ringio.IoEngine;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.RawCompletion;
import dev.ringio.Resolve;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.engine.AcceptOp;
import dev.ringio.engine.Agent;
import dev.ringio.engine.AgentRunner;
import dev.ringio.engine.Backend;
import dev.ringio.engine.Bounce;
import dev.ringio.engine.CallOp;
import dev.ringio.engine.Closing;
import dev.ringio.engine.Checks;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.IdleStrategy;
import dev.ringio.engine.MsgOp;
import dev.ringio.engine.SpliceOp;
import dev.ringio.engine.OpenOp;
import dev.ringio.engine.GetrandomOp;
import dev.ringio.engine.PathCoding;
import dev.ringio.engine.ReadDirOp;
import dev.ringio.engine.TransferOp;
import dev.ringio.net.Accepted;
import dev.ringio.net.AddrInfo;
import dev.ringio.net.Domain;
import dev.ringio.net.Hints;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.Resolver;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketType;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The readiness engine: the whole {@link IoEngine} interface on a {@link Poller} (epoll on Linux,
 * kqueue on BSD and macOS), for where io_uring is missing or forbidden.
 *
 * <p>How each operation runs:
 * <ul>
 *   <li>Sockets, pipes, eventfds: the non-blocking syscall on the loop thread; on EAGAIN the op
 *       waits for readiness ({@link Interest#ONESHOT} registrations, re-armed while ops wait) and
 *       tries again. Sends and receives pass {@code MSG_DONTWAIT}; reads, writes, accept, connect
 *       and splice set {@code O_NONBLOCK} on the descriptor (its open file description) first, as
 *       every readiness reactor must. Connect: EINPROGRESS, wait writable, read SO_ERROR.</li>
 *   <li>Regular files, directories, block and character devices, and every path operation:
 *       platform threads doing the blocking syscall (files are always "ready" to epoll), in two
 *       sets, as io_uring's io-wq has: <em>bounded</em> work, whose call ends by itself (reads,
 *       writes, fsync and the like on regular files, directories and block devices; statx,
 *       unlink, mkdir, rename, readDir, getrandom), runs on at most
 *       {@link EngineConfig#boundedIoWorkers()} threads (default {@value #DEFAULT_BOUNDED_WORKERS}) and waits in line beyond
 *       that; <em>unbounded</em> work, whose call may wait for another party for ever (every
 *       open, since opening a FIFO waits for its peer and a device for its carrier, and calls on
 *       character devices and other descriptors, e.g. a terminal read), gets a thread of its own
 *       whenever none is idle, up to {@link #UNBOUNDED_WORKERS}. So a stuck open never delays
 *       file I/O or another open.</li>
 *   <li>Timers: a heap driving the poll timeout (millisecond resolution).</li>
 * </ul>
 * Futures complete on the loop thread, as on io_uring. The fixed-buffer pool works unchanged but
 * is not registered with anything ({@link #fixedBuffersRegistered()} is false).
 *
 * <p>Cancellation: an op waiting for readiness or a timer, or waiting in line for a pool thread, is
 * removed and its future fails with a {@link CancellationException}. A call already running on a
 * pool thread cannot be interrupted (Java cannot signal a thread out of a native call):
 * bounded work runs to its end and its result wins (the IoEngine contract allows either);
 * unbounded work is <em>abandoned</em>: the future fails at once and the thread, left in the
 * call, releases what the op held when the call returns and closes the descriptor an abandoned
 * open produced. {@link #close()} abandons unbounded work the same way (so it returns while a
 * thread is stuck in {@code open()}; the threads are daemons) and waits for bounded work.
 * {@link #close(Fd)} fails the ops waiting on that descriptor with ECANCELED, and abandons the
 * unbounded calls that hold it (as its descriptor or as their directory) the same way: their
 * holds keep the descriptor open until they return, but its future completes
 * ({@link Fd#whenSettled()}).
 *
 * <p>What this engine cannot do: {@link #sendZeroCopy} (no {@link Capability#ZERO_COPY_SEND}; the
 * future fails with an UnsupportedOperationException naming the engine, after the argument checks
 * every engine makes: nulls, memory that is not alive or of a confined arena, a closed descriptor). Multishot accept and
 * receive, and buffer rings, are loops on readiness here (no {@link Capability#KERNEL_MULTISHOT}).
 *
 * <p>Threading: as {@link IoEngine}; every field below is loop-thread only unless marked.
 */
public final class PollEngine implements IoEngine, Backend {

    private static final System.Logger LOG = System.getLogger(PollEngine.class.getName());
    private static final AtomicInteger ENGINE_IDS = new AtomicInteger();

    static final int EAGAIN = Errno.EAGAIN.value();
    static final int EINTR = Errno.EINTR.value();
    static final int ECANCELED = Errno.ECANCELED.value();
    static final int EINPROGRESS = Errno.EINPROGRESS.value();
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_NONBLOCK = 04000;
    static final int SPLICE_F_NONBLOCK = 2;
    static final int POLLIN = 0x001;
    static final int POLLOUT = 0x004;

    private final String name;
    private final EngineConfig config;
    final Shim shim;
    private final Poller poller;
    private final FixedBufferPool pool;
    private final boolean ownsPool;
    private final Thread loop;
    private final Consumer<Throwable> errorHandler;
    /** Ops and tasks from other threads, and file-pool results ({@link PollOp#RUNNING} ops). Any thread. */
    private final MpscUnboundedAtomicArrayQueue<Object> queue = new MpscUnboundedAtomicArrayQueue<>(256);
    /** Ops submitted on the loop that could not start inline (see {@link #startOnLoop}): started next turn. */
    private final ArrayDeque<PollOp<?>> pending = new ArrayDeque<>();
    /** Tasks {@link #execute} got on the loop thread: run next turn, never re-entrantly, and never through the queue. */
    private final ArrayDeque<Runnable> localTasks = new ArrayDeque<>();
    /** Inline starts of on-loop submissions left before they wait for the next turn (see {@link #startOnLoop}). */
    private int inlineBudget;
    /** Whether the loop is inside {@link Poller#poll}, dispatching events. */
    private boolean dispatching;
    /** Most inline starts of on-loop submissions per piece of work the loop takes up (see {@link #startOnLoop}). */
    static final int MAX_INLINE_STARTS = 16;
    /** Commands taken from the cross-thread queue so far (written by the loop only). */
    private volatile long commandsDrained;
    /** The shared loop and its need-wakeup flag (docs/engine.md, "The loop"). */
    private final AgentRunner runner;
    /**
     * The most threads unbounded work (see the class comment) runs on at once: far more than
     * stuck opens a program plausibly has, few enough that a runaway cannot exhaust the process.
     * Beyond it, such work waits in line.
     */
    public static final int UNBOUNDED_WORKERS = 256;

    /**
     * Bounded pool threads when {@link EngineConfig#boundedIoWorkers()} is 0: as many calls in flight
     * as a device queue rewards: 4 KiB O_DIRECT reads at QD32 ({@code ringio bench --only direct-io})
     * ran at 2.4 x one blocking thread with 16, no better with 32 (each result's hand-off to the loop
     * limits it then). Threads start only when work waits (page-cache reads are served on the loop
     * with RWF_NOWAIT first) and retire when idle.
     */
    static final int DEFAULT_BOUNDED_WORKERS = 16;
    /** Threads for bounded pool work (regular files, paths). Any thread. */
    private final FileWorkers boundedWorkers;
    /** Threads for unbounded pool work (opens, character devices). Any thread. */
    private final FileWorkers unboundedWorkers;
    /** Ops on a pool thread, or in line for one, whose result the loop waits for. */
    private final Set<PollOp<?>> onPool = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Virtual threads for getaddrinfo and for the final close(2) of descriptors closed through the engine. */
    private final ExecutorService offLoop;
    private final PriorityQueue<PollOps.Sleep> timers = new PriorityQueue<>();
    private final EventSink sink = this::onEvent;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private Watch[] watches = new Watch[64];
    private long timerSeq;
    private boolean shutdownStarted;
    private volatile boolean closed;
    private volatile boolean finished;
    private final AtomicInteger callbackErrors = new AtomicInteger();

    private PollEngine(String name, EngineConfig config, Poller poller) {
        this.name = name;
        this.config = config;
        this.shim = Shim.get();
        this.poller = poller;
        this.errorHandler = config.errorHandler();
        if (config.bufferPool() != null) {
            this.pool = config.bufferPool();
            this.ownsPool = false;
        } else {
            this.pool = FixedBufferPool.allocate(config.fixedBufferCount(), config.fixedBufferSize());
            this.ownsPool = true;
        }
        int id = ENGINE_IDS.incrementAndGet();
        int workers = config.boundedIoWorkers() > 0 ? config.boundedIoWorkers() : DEFAULT_BOUNDED_WORKERS;
        String threadPrefix = config.threadName() + "-" + name + "-" + id;
        this.boundedWorkers = new FileWorkers(threadPrefix + "-file-", workers);
        this.unboundedWorkers = new FileWorkers(threadPrefix + "-open-", UNBOUNDED_WORKERS);
        this.offLoop = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ringio-" + name + "-offloop-", 0).factory());
        this.runner = new AgentRunner(new LoopAgent(), IdleStrategy.of(config));
        this.loop = config.newLoopThread(config.threadName() + "-" + name + "-" + id, this::run);
    }

    /** Opens the epoll engine (Linux). */
    public static PollEngine openEpoll(EngineConfig config) throws NativeIoException {
        Objects.requireNonNull(config, "config");
        return open("epoll", config, EpollPoller.open());
    }

    /**
     * Opens the kqueue engine (FreeBSD, macOS). Not yet runnable anywhere: the adapter has only run
     * against the test emulation on Linux (docs/kqueue.md).
     *
     * @throws UnsupportedOperationException where kqueue does not exist (saying why)
     */
    public static PollEngine openKqueue(EngineConfig config) throws NativeIoException {
        Objects.requireNonNull(config, "config");
        return open("kqueue", config, KqueuePoller.open());
    }

    /** Why the kqueue engine cannot start here, or empty when it can. */
    public static java.util.Optional<String> kqueueUnavailability() {
        return KqueuePoller.unavailabilityReason();
    }

    /** Why the epoll engine cannot start here (an epoll instance cannot be made), or empty when it can. */
    public static java.util.Optional<Throwable> epollUnavailabilityCause() {
        try {
            EpollPoller.open().close();
            return java.util.Optional.empty();
        } catch (NativeIoException | RuntimeException | LinkageError e) {
            return java.util.Optional.of(e);
        }
    }

    /**
     * Opens a readiness engine named {@code name} on {@code poller}, which it then owns (and closes).
     * The poller must be new: its owner thread becomes the engine's loop.
     */
    public static PollEngine open(String name, EngineConfig config, Poller poller) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(poller, "poller");
        PollEngine e = new PollEngine(name, config, poller);
        e.loop.start();
        return e;
    }

    // ---- the loop -------------------------------------------------------------------------------

    private void run() {
        try {
            runner.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, name + " engine loop failed; failing every operation", t);
            closed = true;
            failEverything(t);
        } finally {
            tearDown();
        }
    }

    /**
     * This engine's side of the shared loop ({@link AgentRunner}): a turn starts the ops submitted
     * on the loop that had to wait, runs the loop's own tasks, drains the command queue (at most
     * 4096 entries), runs due timers and polls with timeout 0; the park polls with the next timer's
     * deadline as timeout (none: until woken). Loop thread only, except {@link #unpark()}.
     */
    private final class LoopAgent implements Agent {
        private boolean done;

        @Override
        public int doWork() {
            int work = drainQueue();
            work += runTimers();
            if (closed && !shutdownStarted) {
                beginShutdown();
                work++;
            }
            if (shutdownStarted && onPool.isEmpty() && pending.isEmpty() && localTasks.isEmpty() && queue.isEmpty()) {
                done = true;
                return work;
            }
            return work + pollEvents(0);
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public boolean hasExternalWork() {
            return !queue.isEmpty() || (closed && !shutdownStarted);
        }

        @Override
        public void park() {
            long timeout;
            if (!pending.isEmpty() || !localTasks.isEmpty()) {
                timeout = 0;
            } else if (timers.isEmpty()) {
                timeout = -1;
            } else {
                timeout = Math.max(0, timers.peek().deadline - System.nanoTime());
            }
            pollEvents(timeout);
        }

        @Override
        public void unpark() {
            poller.wakeup();
        }
    }

    /**
     * Polls and dispatches readiness. While events are dispatched, ops submitted from callbacks
     * wait in {@link #pending} for the next turn rather than start inline: the poller is walking
     * its event batch (and kqueue's per-batch bookkeeping must not change under it).
     */
    private int pollEvents(long timeoutNanos) {
        dispatching = true;
        try {
            return poller.poll(timeoutNanos, sink);
        } catch (NativeIoException e) {
            throw new IllegalStateException(name + ": poll failed", e);
        } finally {
            dispatching = false;
        }
    }

    private int drainQueue() {
        // Up to 4096 entries per turn, those that arrive meanwhile included: a chain of on-loop
        // submissions runs many steps per turn, between two polls of the poller (a syscall).
        int work = 0;
        PollOp<?> local;
        while (work < 4096 && (local = pending.poll()) != null) {
            inlineBudget = MAX_INLINE_STARTS;
            start(local);
            work++;
        }
        Runnable task;
        while (work < 4096 && (task = localTasks.poll()) != null) {
            inlineBudget = MAX_INLINE_STARTS;
            runTask(task);
            work++;
        }
        int drained = 0;
        Object o;
        while (drained < 4096 && (o = queue.poll()) != null) {
            drained++;
            inlineBudget = MAX_INLINE_STARTS;
            if (o instanceof PollOp<?> op) {
                if (op.state == PollOp.RUNNING) {
                    onPool.remove(op);
                    afterAttempt(op, op.poolResult);
                } else {
                    start(op);
                }
            } else {
                runTask((Runnable) o);
            }
        }
        if (drained > 0) {
            commandsDrained += drained; // single writer: the loop
        }
        return work + drained;
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            callbackError(t);
        }
    }

    void callbackError(Throwable t) {
        callbackErrors.incrementAndGet();
        try {
            errorHandler.accept(t);
        } catch (Throwable ignored) {
            // the handler itself failed: nothing more to do
        }
    }

    private int runTimers() {
        if (timers.isEmpty()) {
            return 0;
        }
        int n = 0;
        long now = System.nanoTime();
        PollOps.Sleep s;
        while ((s = timers.peek()) != null && s.deadline <= now) {
            timers.poll();
            inlineBudget = MAX_INLINE_STARTS;
            s.succeed(null);
            n++;
        }
        return n;
    }

    /** Starts {@code op} on the loop: to the timer heap, the file pool, or a first attempt. */
    private void start(PollOp<?> op) {
        if (op.state != PollOp.NEW) {
            return; // cancelled (and completed) while queued
        }
        if (shutdownStarted) {
            op.abort(new EngineClosedException(op.name));
            return;
        }
        if (op.cancelRequested) {
            op.abort(new CancellationException(op.name + ": cancelled"));
            return;
        }
        Fd revoked = revokedFdOf(op);
        if (revoked != null) {
            op.abort(new NativeIoException(op.name, ECANCELED,
                    "fd " + revoked.value() + " closed before the operation started"));
            return;
        }
        if (op instanceof PollOps.Sleep s) {
            s.state = PollOp.TIMED;
            s.seq = timerSeq++;
            timers.add(s);
            return;
        }
        if (op.mode == PollOp.Mode.POOL) {
            if (op instanceof PollOps.Raw raw && raw.pageCacheFirst && servedFromPageCache(raw)) {
                return;
            }
            toPool(op);
            return;
        }
        if (op.mode == PollOp.Mode.READY && op.needsNonBlocking) {
            long r = ensureNonBlocking(shim, op.fd().value());
            if (r == 0 && op.other() != null) {
                r = ensureNonBlocking(shim, op.other().value());
            }
            if (r < 0) {
                handle(op, r);
                return;
            }
        }
        attemptOnLoop(op);
    }

    /**
     * A descriptor {@code op} holds that {@link #close(Fd)} has revoked, or null. The submit gate
     * that makes close(fd) sound: close(fd) revokes before it queues its cancel pass, so an op that
     * acquired the descriptor earlier but starts after the pass sees the mark here (and one that
     * started before is a waiter the pass aborts).
     */
    private static Fd revokedFdOf(PollOp<?> op) {
        Fd fd = op.fd();
        if (fd != null && fd.isRevoked()) {
            return fd;
        }
        Fd other = op.other();
        if (other != null && other.isRevoked()) {
            return other;
        }
        return op.waitFd != null && op.waitFd.isRevoked() ? op.waitFd : null;
    }

    /** Attempts {@code op} on the loop until it completes or has to wait for readiness. */
    private void attemptOnLoop(PollOp<?> op) {
        while (true) {
            long r;
            try {
                r = attemptNoEintr(op);
            } catch (Throwable t) {
                op.fail(t);
                return;
            }
            if (r == -EAGAIN && op.mode == PollOp.Mode.READY) {
                park(op);
                return;
            }
            if (!handle(op, r)) {
                return;
            }
        }
    }

    private long attemptNoEintr(PollOp<?> op) {
        long r;
        do {
            r = op.attempt(shim);
        } while (r == -EINTR);
        return r;
    }

    /** Hands a final result to the op; true if it wants another attempt now (and may have one). */
    private boolean handle(PollOp<?> op, long r) {
        boolean again;
        try {
            again = op.onResult(r);
        } catch (Throwable t) {
            op.fail(t);
            return false;
        }
        if (!again) {
            return false;
        }
        if (op.cancelRequested) {
            op.abort(new CancellationException(op.name + ": cancelled"));
            return false;
        }
        if (shutdownStarted) {
            op.abort(new EngineClosedException(op.name));
            return false;
        }
        return true;
    }

    /**
     * A regular file's read tried on the loop with {@code preadv2(RWF_NOWAIT)}: true when that
     * answered it (the page cache had the data, or a real error), false when it would block
     * (EAGAIN, or a file system without non-blocking reads), and the pool must do it. Saves the
     * two thread hand-offs of the pool for a cached read, which is most of them. Not for an
     * {@code O_DIRECT} file ({@link Fd#isDirect()}): its RWF_NOWAIT read still waits for the device.
     */
    private boolean servedFromPageCache(PollOps.Raw op) {
        if (op.fd() != null && op.fd().isDirect()) {
            return false; // an O_DIRECT read under RWF_NOWAIT waits for the device, on the loop
        }
        long r = op.attemptNowait(shim);
        if (r < 0 && Checks.leaveToEngine((int) -r, true)) {
            return false;
        }
        handle(op, r);
        return true;
    }

    /** A POOL op's result back on the loop (or a loop op's, for uniformity). */
    private void afterAttempt(PollOp<?> op, long r) {
        if (op.state == PollOp.DONE) {
            return;
        }
        op.state = PollOp.NEW;
        if (op.poolFailure != null) {
            op.fail(op.poolFailure);
            return;
        }
        if (handle(op, r)) {
            if (op.mode == PollOp.Mode.POOL) {
                toPool(op);
            } else {
                attemptOnLoop(op);
            }
        }
    }

    private void toPool(PollOp<?> op) {
        op.unbounded |= op.fd() != null && !isBoundedWork(op.fd().kind());
        op.state = PollOp.RUNNING;
        op.poolQueued();
        onPool.add(op);
        FileWorkers workers = op.unbounded ? unboundedWorkers : boundedWorkers;
        if (!workers.execute(() -> runOnPool(op))) {
            onPool.remove(op);
            op.abort(new EngineClosedException(op.name));
        }
    }

    /** A pool thread: the call, then the result to the loop, or, if the loop abandoned the op, the clean-up. */
    private void runOnPool(PollOp<?> op) {
        if (!op.poolStart()) {
            return; // abandoned while in line: the loop has completed it
        }
        long r;
        try {
            r = attemptNoEintr(op);
        } catch (Throwable t) {
            op.poolFailure = t;
            r = -Errno.EIO.value();
        }
        op.poolResult = r;
        if (op.poolReturned(shim, r)) {
            queue.offer(op);
            runner.wakeup();
        }
    }

    /**
     * Whether calls on a descriptor of {@code kind} end by themselves (regular files, directories,
     * block devices), rather than possibly waiting for another party (a terminal, another device).
     */
    static boolean isBoundedWork(Fd.Kind kind) {
        return kind == Fd.Kind.FILE || kind == Fd.Kind.DIRECTORY || kind == Fd.Kind.BLOCK_DEVICE;
    }

    /**
     * Completes pool ops with {@code reason(op)} without their calls: every op still in line, and
     * the unbounded ones running ({@code evenBounded}: the bounded ones running too). Those whose
     * call already returned keep their result.
     */
    private void abandonPoolWork(java.util.function.Function<PollOp<?>, Throwable> reason, boolean evenBounded) {
        for (PollOp<?> op : new ArrayList<>(onPool)) {
            if (op.abandonPoolCall(reason.apply(op), evenBounded || op.unbounded)) {
                onPool.remove(op);
            }
        }
    }

    // ---- readiness --------------------------------------------------------------------------------

    private Watch watchFor(int fdNumber) {
        if (fdNumber >= watches.length) {
            Watch[] bigger = new Watch[Math.max(fdNumber + 1, watches.length * 2)];
            System.arraycopy(watches, 0, bigger, 0, watches.length);
            watches = bigger;
        }
        Watch w = watches[fdNumber];
        if (w == null) {
            w = new Watch(fdNumber);
            watches[fdNumber] = w;
        }
        return w;
    }

    private void park(PollOp<?> op) {
        op.state = PollOp.WAITING;
        Watch w = watchFor(op.waitFd.value());
        w.add(op);
        arm(w);
    }

    /**
     * Makes the poller watch for what the waiters need (ONESHOT), unless that is already armed; with
     * no waiter left, removes the registration. A descriptor is registered only while an op waiting
     * on it holds it open, so its number can never be closed and reused under a live registration
     * (a stale one, left by a descriptor closed elsewhere, once made a later connect on the same
     * number wait forever).
     */
    private void arm(Watch w) {
        int want = w.wanted();
        if (want == 0) {
            if (w.registered) {
                Fd last = w.lastFd;
                w.registered = false;
                w.armed = 0;
                w.lastFd = null;
                try {
                    poller.deregister(last);
                } catch (NativeIoException | RuntimeException gone) {
                    // closed already: the kernel dropped the registration with it
                }
            }
            return;
        }
        if ((want & ~w.armed) == 0) {
            return;
        }
        Fd fd = w.anyFd();
        int interest = want | Interest.ONESHOT;
        try {
            if (w.registered) {
                try {
                    poller.modify(fd, interest, w.fdNumber);
                } catch (NativeIoException e) {
                    if (!e.is(Errno.ENOENT)) {
                        throw e;
                    }
                    poller.register(fd, interest, w.fdNumber); // the descriptor was closed and reused
                }
            } else {
                try {
                    poller.register(fd, interest, w.fdNumber);
                } catch (NativeIoException e) {
                    if (!e.is(Errno.EEXIST)) {
                        throw e;
                    }
                    poller.modify(fd, interest, w.fdNumber);
                }
            }
            w.registered = true;
            w.armed = want;
        } catch (NativeIoException e) {
            if (e.is(Errno.EPERM)) {
                // A regular file or directory: always ready; poll(2) says so and the ops proceed.
                retryWaiters(w, Interest.READ);
                retryWaiters(w, Interest.WRITE);
                return;
            }
            failWaiters(w, e);
        }
    }

    private void onEvent(long token, boolean readable, boolean writable, boolean error, boolean hangup) {
        int fdNumber = (int) token;
        if (fdNumber < 0 || fdNumber >= watches.length) {
            return;
        }
        Watch w = watches[fdNumber];
        if (w == null) {
            return;
        }
        w.armed = 0; // a oneshot registration is disabled once it fired
        if (readable || error || hangup) {
            retryWaiters(w, Interest.READ);
        }
        if (writable || error || hangup) {
            retryWaiters(w, Interest.WRITE);
        }
        arm(w);
    }

    /** Retries the waiters for {@code interest} in order until one still says EAGAIN (it stays first). */
    private void retryWaiters(Watch w, int interest) {
        for (int budget = w.count(interest); budget > 0; budget--) {
            PollOp<?> op = w.head(interest);
            if (op == null) {
                return;
            }
            long r;
            try {
                r = attemptNoEintr(op);
            } catch (Throwable t) {
                leave(w, op);
                op.fail(t);
                continue;
            }
            if (r == -EAGAIN) {
                if (op.waitFd.value() != w.fdNumber || op.interest != interest) {
                    w.remove(op); // now waiting on the other side (splice): move it there
                    park(op);
                    continue;
                }
                return; // still not ready: it stays first in line
            }
            leave(w, op);
            op.state = PollOp.NEW;
            if (handle(op, r)) {
                attemptOnLoop(op);
            }
        }
    }

    /**
     * Takes {@code op} off {@code w}; if it was the last waiter, deregisters the descriptor before
     * the op completes, so the completion's observers see the descriptor free of the poller's hold.
     */
    private void leave(Watch w, PollOp<?> op) {
        w.remove(op);
        if (w.wanted() == 0) {
            arm(w);
        }
    }

    private void failWaiters(Watch w, Throwable cause) {
        for (int interest : new int[] {Interest.READ, Interest.WRITE}) {
            PollOp<?> op;
            while ((op = w.head(interest)) != null) {
                w.remove(op);
                op.fail(cause);
            }
        }
    }

    // ---- cancellation and shutdown -------------------------------------------------------------------

    /** From {@link PollOp.OpFuture#cancel}: any thread. */
    void requestCancel(PollOp<?> op) {
        if (inLoop()) {
            cancelOnLoop(op);
            return;
        }
        if (finished) {
            return;
        }
        queue.offer((Runnable) () -> cancelOnLoop(op));
        runner.wakeup();
    }

    private void cancelOnLoop(PollOp<?> op) {
        CancellationException cancelled = new CancellationException(op.name + ": cancelled");
        switch (op.state) {
            case PollOp.NEW -> op.cancelRequested = true; // queued: start() fails it
            case PollOp.RUNNING -> {
                // In line for a pool thread, or unbounded work in its call: completed now. Bounded
                // work in its call: its result wins (and a loop such as a write stops after it).
                if (op.abandonPoolCall(cancelled, op.unbounded)) {
                    onPool.remove(op);
                } else {
                    op.cancelRequested = true;
                }
            }
            case PollOp.WAITING -> {
                leave(op.watch, op);
                op.abort(cancelled);
            }
            case PollOp.TIMED -> {
                timers.remove(op);
                op.abort(cancelled);
            }
            default -> {
                // done already
            }
        }
    }

    private void beginShutdown() {
        shutdownStarted = true;
        for (Watch w : watches) {
            if (w != null) {
                abortWaiters(w, null, op -> new EngineClosedException(op.name));
            }
        }
        PollOps.Sleep s;
        while ((s = timers.poll()) != null) {
            s.abort(new EngineClosedException(s.name));
        }
        PollOp<?> op;
        while ((op = pending.poll()) != null) {
            op.abort(new EngineClosedException(op.name));
        }
        // Work in line and unbounded calls are abandoned (close returns even while a thread is
        // stuck in open()); bounded calls end by themselves and the loop waits for them.
        abandonPoolWork(p -> new EngineClosedException(p.name), false);
        boundedWorkers.shutdown();
        unboundedWorkers.shutdown();
    }

    /** Aborts the waiters on {@code w} that hold {@code fd} (all if null) with the reason {@code why} gives. */
    private void abortWaiters(Watch w, Fd fd, java.util.function.Function<PollOp<?>, Throwable> why) {
        for (int interest : new int[] {Interest.READ, Interest.WRITE}) {
            PollOp<?> op = w.head(interest);
            while (op != null) {
                PollOp<?> next = op.nextWaiter;
                if (fd == null || op.fd() == fd || op.other() == fd || op.waitFd == fd) {
                    w.remove(op);
                    op.abort(why.apply(op));
                }
                op = next;
            }
        }
    }

    private void failEverything(Throwable cause) {
        for (Watch w : watches) {
            if (w != null) {
                failWaiters(w, cause);
            }
        }
        PollOps.Sleep s;
        while ((s = timers.poll()) != null) {
            s.fail(cause);
        }
        PollOp<?> op;
        while ((op = pending.poll()) != null) {
            op.fail(cause);
        }
        abandonPoolWork(p -> cause, true); // the loop is gone: nobody would take their results
        boundedWorkers.shutdown();
        unboundedWorkers.shutdown();
        Object o;
        while ((o = queue.poll()) != null) {
            if (o instanceof PollOp<?> p && p.state != PollOp.DONE) {
                p.fail(cause);
            }
        }
    }

    private void tearDown() {
        try {
            poller.close();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, name + ": closing the poller failed", t);
        }
        boundedWorkers.shutdown();
        unboundedWorkers.shutdown();
        offLoop.shutdown();
        if (ownsPool) {
            try {
                pool.close();
            } catch (IllegalStateException pinned) {
                // A chunk still held by an abandoned call (a read of a terminal stuck in the
                // kernel): its memory must outlive the call, so the pool is left to the GC.
                LOG.log(System.Logger.Level.WARNING, name + ": engine pool still has pinned chunks at close: "
                        + pinned.getMessage());
            }
        }
        finished = true;
        drainStranded();
        terminated.countDown();
    }

    /** Ops that reached the queue after the loop's last look (a submit racing close). */
    private synchronized void drainStranded() {
        Object o;
        while ((o = queue.poll()) != null) {
            if (o instanceof PollOp<?> op && op.state != PollOp.DONE) {
                op.abort(new EngineClosedException(op.name));
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            poller.wakeup();
        }
        if (inLoop()) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- properties ------------------------------------------------------------------------------

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return Collections.unmodifiableSet(EnumSet.noneOf(Capability.class));
    }

    @Override
    public FixedBufferPool bufferPool() {
        return pool;
    }

    @Override
    public boolean fixedBuffersRegistered() {
        return false;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == loop;
    }

    /** How many times the idle loop has parked in the poller's wait. Any thread. */
    public long parks() {
        return runner.parks();
    }

    /** Whether the loop has announced a park and not woken since (idle, or about to be). Any thread. */
    public boolean isParking() {
        return runner.isParking();
    }

    /**
     * Commands (ops, tasks, pool results) the loop has taken from the cross-thread queue so far:
     * work submitted on the loop thread never goes through it. Any thread.
     */
    public long commandsDrained() {
        return commandsDrained;
    }

    /** Callback exceptions reported to the error handler so far. */
    public long callbackErrors() {
        return callbackErrors.get();
    }

    /**
     * Timers in the heap now: sleeps and the timers of operations' deadlines (a deadline's timer
     * leaves the heap when its operation ends). Any thread; read without the loop, so a snapshot
     * that may lag the loop by a moment (for tests and diagnostics).
     */
    public int pendingTimers() {
        return timers.size();
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (closed) {
            throw new EngineClosedException("execute");
        }
        if (inLoop()) {
            localTasks.add(task); // run on the next turn, never re-entrantly inside a callback
        } else {
            queue.offer(task);
            runner.wakeup();
        }
    }

    @Override
    public String toString() {
        return "PollEngine[" + name + ", file threads " + boundedWorkers.limit() + "+" + unboundedWorkers.limit()
                + (closed ? ", closed" : "") + "]";
    }

    // ---- submission ------------------------------------------------------------------------------

    <T> CompletableFuture<T> submit(PollOp<T> op) {
        if (op.future instanceof PollOp.OpFuture<T> own) {
            own.engine = this;
        }
        if (closed) {
            op.rejected(new EngineClosedException(op.name));
            return op.future;
        }
        if (inLoop()) {
            startOnLoop(op);
        } else {
            queue.offer(op);
            runner.wakeup();
            if (finished) {
                drainStranded();
            }
        }
        return op.future;
    }

    /**
     * {@link Backend#submit}: runs {@code op}, which holds its resources already, under a
     * {@link KernelCall} (the engine's record of it while it waits or runs). Any thread.
     */
    @Override
    public void submit(EngineOp<?> op) {
        op.submittedTo(this);
        submit(new KernelCall<>(op));
    }

    /** {@link Backend#cancel}. Any thread. */
    @Override
    public void cancel(EngineOp<?> op) {
        if (op.attachment instanceof PollOp<?> running) {
            requestCancel(running);
        }
    }

    /** {@link Backend#timer}: an entry in the timer heap ({@link #sleepUntil}), removed by its cancel. */
    @Override
    public CompletableFuture<Void> timer(long deadline) {
        return sleepUntil(deadline);
    }

    /** {@link Backend#registeredIndex}: -1; nothing is registered with a readiness poller. */
    @Override
    public int registeredIndex(Chunk chunk) {
        return -1;
    }

    /**
     * An op submitted on the loop thread (from a callback or a task) goes straight to its syscall,
     * not through the queue, as on io_uring it goes straight to the ring. Two exceptions wait for
     * the next turn in {@link #pending} (loop-local, not the cross-thread queue): ops submitted
     * while the poller dispatches events (see {@link #pollEvents}), and ops beyond
     * {@value #MAX_INLINE_STARTS} started inline since the loop took up its current piece of work
     * (a command, a task, a timer). The second bound is what keeps the stack bounded: an op started
     * inline may complete before {@code submit} returns, and a callback that then chains the next
     * op onto the completed future ({@code read(...).thenAccept(n -> readAgain())}) runs that
     * callback at once, one frame deeper each time; after the budget the next op waits, its future
     * is not yet done, and the chain unwinds. (The JDK's asynchronous channels bound direct handler
     * invocations the same way, {@code sun.nio.ch.maxCompletionHandlersOnStack}, 16.) Multishot
     * ops and the low-level ops ({@code submitNoop/Read/Write}) always wait for the next turn.
     * Loop only.
     */
    private void startOnLoop(PollOp<?> op) {
        // Multishot and low-level ops wait too: a multishot handler must not run before
        // acceptMultishot/recvMultishot has returned the handle it may use to cancel, and a
        // RawCompletion runs after the submitting call returns (the LowLevelContract), as on
        // io_uring, where both run after a later reap.
        if (dispatching || inlineBudget <= 0 || op instanceof PollOps.MultishotAccept || op instanceof PollOps.MultishotRecv
                || op instanceof PollOps.Raw) {
            pending.add(op);
            return;
        }
        inlineBudget--;
        start(op);
    }

    /** Holds {@code fd} (and {@code chunk}) for {@code op} and submits it; a closed fd or freed chunk fails the future. */
    private <T> CompletableFuture<T> holdAndSubmit(PollOp<T> op, Fd fd, Chunk chunk) {
        try {
            hold(op, fd, chunk);
        } catch (NativeIoException | IllegalStateException e) {
            op.releaseResources(); // its bounce memory, if any: nothing reached the kernel
            return CompletableFuture.failedFuture(e);
        }
        return submit(op);
    }

    private static void hold(PollOp<?> op, Fd fd, Chunk chunk) throws NativeIoException {
        fd.acquire(op.name);
        op.fd = fd;
        op.waitFd = fd;
        if (chunk != null) {
            try {
                chunk.retain(op.name);
            } catch (RuntimeException e) {
                op.releaseResources();
                throw e;
            }
            op.chunk = chunk;
        }
    }

    /**
     * How reads and writes on {@code fd} run: on the loop with readiness for pipes, sockets and the
     * like; on the file pool for everything poll(2) would call always ready (files, devices).
     */
    static PollOp.Mode modeFor(Fd fd) {
        return switch (fd.kind()) {
            case PIPE, SOCKET, EVENTFD, INOTIFY, SIGNALFD -> PollOp.Mode.READY;
            default -> PollOp.Mode.POOL;
        };
    }

    /** Sets O_NONBLOCK on {@code raw}'s open file description if it lacks it; -errno on failure, else 0. */
    static long ensureNonBlocking(Shim shim, int raw) {
        long fl = shim.fcntl(raw, F_GETFL, 0);
        if (fl < 0) {
            return fl;
        }
        if ((fl & O_NONBLOCK) != 0) {
            return 0;
        }
        long r = shim.fcntl(raw, F_SETFL, fl | O_NONBLOCK);
        return r < 0 ? r : 0;
    }

    // ---- argument checks ---------------------------------------------------------------------------

    // ---- low-level API ---------------------------------------------------------------------------

    @Override
    public void submitNoop(RawCompletion completion) {
        Objects.requireNonNull(completion, "completion");
        if (closed) {
            throw new EngineClosedException("noop");
        }
        submit(new PollOps.Raw(this, "noop", PollOp.Mode.LOOP, completion, -1, 0, 0, 0, false));
    }

    @Override
    public void submitRead(Fd fd, Chunk chunk, int len, long fileOffset, RawCompletion completion) throws NativeIoException {
        submitRaw("read", true, fd, chunk, len, fileOffset, completion);
    }

    @Override
    public void submitWrite(Fd fd, Chunk chunk, int len, long fileOffset, RawCompletion completion) throws NativeIoException {
        submitRaw("write", false, fd, chunk, len, fileOffset, completion);
    }

    private void submitRaw(String opName, boolean read, Fd fd, Chunk chunk, int len, long fileOffset,
                           RawCompletion completion) throws NativeIoException {
        Objects.requireNonNull(completion, "completion");
        Checks.chunkArgs(opName, fd, chunk, len, fileOffset);
        if (closed) {
            throw new EngineClosedException(opName);
        }
        PollOps.Raw op = new PollOps.Raw(this, opName, modeFor(fd), completion, -1, chunk.address(), len, fileOffset, read);
        op.pageCacheFirst = read && fd.kind() == Fd.Kind.FILE;
        hold(op, fd, chunk);
        op.rawFd = fd.value();
        submit(op);
    }

    // ---- operations --------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> noop() {
        return CallOp.noop(this);
    }

    @Override
    public CompletableFuture<Void> sleepUntil(long deadline) {
        // System.nanoTime() is CLOCK_MONOTONIC here (never negative): a deadline before 0 is "now".
        return submit(new PollOps.Sleep(Math.max(0, deadline)));
    }

    @Override
    public CompletableFuture<Void> sleep(Duration delay) {
        return sleepUntil(Checks.deadlineAfter(delay));
    }

    @Override
    public CompletableFuture<Fd> open(Path path, int flags, int mode) {
        Objects.requireNonNull(path, "path");
        return openat2(null, PathCoding.pathString(path), flags, mode, Set.of());
    }

    @Override
    public CompletableFuture<Fd> openat2(Fd dir, String path, int flags, int mode, Set<Resolve> resolve) {
        return OpenOp.openat2(this, dir, path, flags, mode, resolve);
    }

    @Override
    public CompletableFuture<Void> close(Fd fd) {
        return Closing.close(this, fd);
    }

    /** {@link Backend#closer}: off the loop, or on the releasing thread once the pool is shut down. */
    @Override
    public java.util.concurrent.Executor closer() {
        return offLoopOrDirect();
    }

    /**
     * {@link Backend#cancelOpsOn}: deregisters the revoked {@code fd}, fails its waiters, abandons
     * unbounded pool calls holding it. An op that acquired it earlier but starts after this pass is
     * refused by start() (the waiters' failures see a closed fd).
     */
    @Override
    public void cancelOpsOn(Fd fd) {
        Runnable cancel = () -> {
            int n = fd.value();
            Watch w = n < watches.length ? watches[n] : null;
            if (w != null && w.registered && !fd.isReleased()) {
                try {
                    poller.deregister(fd);
                } catch (NativeIoException e) {
                    // already gone (closed, or never registered under this description)
                }
                w.registered = false;
                w.armed = 0;
            }
            for (Watch any : watches) {
                if (any != null) {
                    abortWaiters(any, fd, op -> new NativeIoException(op.name, ECANCELED, "fd " + fd.value() + " closed"));
                }
            }
            if (w != null) {
                arm(w);
            }
            // Unbounded pool calls holding fd (a read of a terminal, an open under this directory
            // descriptor) may never return: abandoned, as a cancel abandons them. Their holds
            // keep the descriptor open until the call returns (its number must not be reused
            // under a call that may not have entered the kernel yet), but no longer keep the
            // returned future (Fd.whenSettled) from completing. Bounded calls run to their end.
            for (PollOp<?> op : new ArrayList<>(onPool)) {
                if (op.unbounded && op.holds(fd)
                        && op.abandonPoolCall(new NativeIoException(op.name, ECANCELED, "fd " + fd.value() + " closed"), true)) {
                    onPool.remove(op);
                }
            }
        };
        if (inLoop()) {
            cancel.run();
        } else {
            try {
                execute(cancel);
            } catch (EngineClosedException e) {
                // the engine's shutdown fails every waiter
            }
        }
    }

    private java.util.concurrent.Executor offLoopOrDirect() {
        return task -> {
            try {
                offLoop.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
    }

    @Override
    public CompletableFuture<Integer> readUpTo(Fd fd, Chunk chunk, int len, long fileOffset) {
        return TransferOp.chunk(this, "read", true, TransferOp.Mode.ONCE, fd, chunk, len, fileOffset);
    }

    @Override
    public CompletableFuture<Void> readExactly(Fd fd, Chunk chunk, int len, long fileOffset) {
        return TransferOp.chunk(this, "readExactly", true, TransferOp.Mode.EXACT, fd, chunk, len, fileOffset);
    }

    @Override
    public CompletableFuture<Void> write(Fd fd, Chunk chunk, int len, long fileOffset) {
        return TransferOp.chunk(this, "write", false, TransferOp.Mode.ALL, fd, chunk, len, fileOffset);
    }

    @Override
    public CompletableFuture<Integer> read(Fd fd, MemorySegment dst, long fileOffset) {
        return TransferOp.segment(this, "read", true, fd, dst, fileOffset);
    }

    @Override
    public CompletableFuture<Integer> read(Fd fd, ByteBuffer dst, long fileOffset) {
        return TransferOp.buffer(this, "read", true, fd, dst, fileOffset);
    }

    @Override
    public CompletableFuture<Void> write(Fd fd, MemorySegment src, long fileOffset) {
        return TransferOp.segment(this, "write", false, fd, src, fileOffset);
    }

    @Override
    public CompletableFuture<Void> write(Fd fd, ByteBuffer src, long fileOffset) {
        return TransferOp.buffer(this, "write", false, fd, src, fileOffset);
    }

    @Override
    public CompletableFuture<Long> readv(Fd fd, ByteBuffer[] dsts, long fileOffset) {
        return TransferOp.readv(this, fd, dsts, fileOffset);
    }

    @Override
    public CompletableFuture<Long> readv(Fd fd, MemorySegment[] dsts, long fileOffset) {
        return TransferOp.readv(this, fd, dsts, fileOffset);
    }

    @Override
    public CompletableFuture<Void> writev(Fd fd, ByteBuffer[] srcs, long fileOffset) {
        return TransferOp.writev(this, "writev", TransferOp.Mode.ALL, fd, srcs, fileOffset);
    }

    @Override
    public CompletableFuture<Long> writevSingle(Fd fd, ByteBuffer[] srcs, long fileOffset) {
        return TransferOp.writev(this, "writevSingle", TransferOp.Mode.ONCE, fd, srcs, fileOffset);
    }

    @Override
    public CompletableFuture<Void> fsync(Fd fd) {
        return CallOp.fsync(this, fd, false);
    }

    @Override
    public CompletableFuture<Void> fdatasync(Fd fd) {
        return CallOp.fsync(this, fd, true);
    }

    @Override
    public CompletableFuture<Void> ftruncate(Fd fd, long length) {
        return CallOp.ftruncate(this, fd, length);
    }

    @Override
    public CompletableFuture<Void> fallocate(Fd fd, int mode, long offset, long length) {
        return CallOp.fallocate(this, fd, mode, offset, length);
    }

    @Override
    public CompletableFuture<FileStat> statx(Fd dir, String path, int flags, int mask) {
        return CallOp.statx(this, dir, path, flags, mask);
    }

    @Override
    public CompletableFuture<FileStat> fstat(Fd fd) {
        return CallOp.fstat(this, fd);
    }

    @Override
    public CompletableFuture<Void> unlinkat(Fd dir, String path, boolean directory) {
        return CallOp.unlinkat(this, dir, path, directory);
    }

    @Override
    public CompletableFuture<Void> mkdirat(Fd dir, String path, int mode) {
        return CallOp.mkdirat(this, dir, path, mode);
    }

    @Override
    public CompletableFuture<Void> renameat(Fd oldDir, String oldPath, Fd newDir, String newPath, int flags) {
        return CallOp.renameat(this, oldDir, oldPath, newDir, newPath, flags);
    }

    @Override
    public CompletableFuture<Void> symlinkat(String target, Fd dir, String linkPath) {
        return CallOp.symlinkat(this, target, dir, linkPath);
    }

    @Override
    public CompletableFuture<List<String>> readDir(Fd dir) {
        return ReadDirOp.readDir(this, dir);
    }

    @Override
    public CompletableFuture<Integer> getrandom(MemorySegment dst) {
        return GetrandomOp.getrandom(this, dst);
    }

    @Override
    public CompletableFuture<Integer> awaitReadable(Fd fd) {
        return CallOp.await(this, fd, true);
    }

    @Override
    public CompletableFuture<Integer> awaitWritable(Fd fd) {
        return CallOp.await(this, fd, false);
    }

    // ---- sockets ---------------------------------------------------------------------------------

    @Override
    public CompletableFuture<List<AddrInfo>> getaddrinfo(String node, String service, Hints hints) {
        if (closed) {
            return CompletableFuture.failedFuture(new EngineClosedException("getaddrinfo"));
        }
        try {
            return Resolver.getaddrinfoAsync(node, service, hints, offLoop);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new EngineClosedException("getaddrinfo"));
        }
    }

    @Override
    public CompletableFuture<Fd> socket(Domain domain, Set<SocketType> type, Protocol protocol) {
        return CallOp.socket(this, domain, type, protocol);
    }

    @Override
    public CompletableFuture<Void> bind(Fd fd, SockAddr address) {
        return CallOp.bind(this, fd, address);
    }

    @Override
    public CompletableFuture<Void> listen(Fd fd, int backlog) {
        return CallOp.listen(this, fd, backlog);
    }

    @Override
    public CompletableFuture<Accepted> accept(Fd listener) {
        return AcceptOp.accept(this, listener);
    }

    @Override
    public Multishot acceptMultishot(Fd listener, MultishotHandler<Accepted> handler) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(handler, "handler");
        PollOps.MultishotAccept op = new PollOps.MultishotAccept(this, listener.value(), handler);
        try {
            hold(op, listener, null);
        } catch (NativeIoException e) {
            op.future.completeExceptionally(e);
            return op;
        }
        submit(op);
        return op;
    }

    @Override
    public CompletableFuture<Void> connect(Fd fd, SockAddr address) {
        return CallOp.connect(this, fd, address);
    }

    @Override
    public CompletableFuture<Integer> send(Fd fd, ByteBuffer src, Set<MsgFlag> flags) {
        return TransferOp.bufferSocket(this, "send", false, TransferOp.Mode.ONCE, fd, src, flags);
    }

    @Override
    public CompletableFuture<Void> sendAll(Fd fd, ByteBuffer src, Set<MsgFlag> flags) {
        return TransferOp.bufferSocket(this, "sendAll", false, TransferOp.Mode.ALL, fd, src, flags);
    }

    @Override
    public CompletableFuture<Integer> recv(Fd fd, ByteBuffer dst, Set<MsgFlag> flags) {
        return TransferOp.bufferSocket(this, "recv", true, TransferOp.Mode.ONCE, fd, dst, flags);
    }

    @Override
    public CompletableFuture<Integer> send(Fd fd, Chunk chunk, int len, Set<MsgFlag> flags) {
        return TransferOp.chunkSocket(this, "send", false, fd, chunk, len, flags);
    }

    @Override
    public CompletableFuture<Integer> recv(Fd fd, Chunk chunk, int len, Set<MsgFlag> flags) {
        return TransferOp.chunkSocket(this, "recv", true, fd, chunk, len, flags);
    }

    @Override
    public CompletableFuture<Integer> sendTo(Fd fd, ByteBuffer src, Set<MsgFlag> flags, SockAddr destination) {
        return MsgOp.sendTo(this, fd, src, flags, destination);
    }

    @Override
    public CompletableFuture<ReceivedMessage> recvFrom(Fd fd, ByteBuffer dst, Set<MsgFlag> flags) {
        return MsgOp.recvFrom(this, fd, dst, flags);
    }

    @Override
    public CompletableFuture<Long> sendMsg(Fd fd, ByteBuffer[] buffers, List<Fd> fds, SockAddr destination) {
        return MsgOp.sendMsg(this, fd, buffers, fds, destination);
    }

    @Override
    public CompletableFuture<ReceivedMessage> recvMsg(Fd fd, ByteBuffer[] buffers) {
        return MsgOp.recvMsg(this, fd, buffers);
    }

    @Override
    public CompletableFuture<ReceivedMessage> recvMsgWithFds(Fd fd, int maxFds, ByteBuffer[] buffers) {
        return MsgOp.recvMsgWithFds(this, fd, maxFds, buffers);
    }

    @Override
    public CompletableFuture<Void> shutdown(Fd fd, ShutdownHow how) {
        return CallOp.shutdown(this, fd, how);
    }

    @Override
    public CompletableFuture<Integer> splice(Fd src, Fd dst, int len) {
        return SpliceOp.splice(this, src, dst, len);
    }

    @Override
    public CompletableFuture<Integer> sendZeroCopy(Fd fd, ByteBuffer src, Set<MsgFlag> flags) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(src, "src");
        Checks.msgFlags(flags, true);
        // The same checks as io_uring's, in the same order, before the refusal: memory that is
        // not alive or of a confined arena throws, a closed descriptor fails with EBADF.
        Bounce.check("sendZeroCopy", MemorySegment.ofBuffer(src));
        try {
            fd.acquire("sendZeroCopy");
            fd.release();
        } catch (NativeIoException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.failedFuture(unsupported("sendZeroCopy", Capability.ZERO_COPY_SEND));
    }

    private UnsupportedOperationException unsupported(String op, Capability missing) {
        return new UnsupportedOperationException(op + ": not supported by the " + name + " engine (no "
                + missing + " capability)");
    }

    @Override
    public BufferRing bufferRing(int entries, int bufferSize) {
        Checks.bufferRing(entries, bufferSize);
        if (closed) {
            throw new EngineClosedException("bufferRing");
        }
        return new PollBufferRing(this, entries, bufferSize);
    }

    @Override
    public Multishot recvMultishot(Fd fd, BufferRing bufferRing, MultishotHandler<MemorySegment> handler) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(handler, "handler");
        if (!(bufferRing instanceof PollBufferRing b) || !b.belongsTo(this)) {
            throw new IllegalArgumentException("recvMultishot: the buffer ring was not made by this engine");
        }
        if (b.isClosed()) {
            throw new IllegalStateException("recvMultishot: the buffer ring is closed");
        }
        PollOps.MultishotRecv op = new PollOps.MultishotRecv(this, fd.value(), b, handler);
        try {
            hold(op, fd, null);
        } catch (NativeIoException e) {
            op.future.completeExceptionally(e);
            return op;
        }
        submit(op);
        return op;
    }

    // ---- permissions, ownership, hard links, in-kernel copies, raw socket protocols (issue 13) ----

    @Override
    public CompletableFuture<Fd> socket(Domain domain, Set<SocketType> type, int protocol) {
        return CallOp.socket(this, domain, type, protocol);
    }

    @Override
    public CompletableFuture<Void> fchmodat(Fd dir, String path, int mode, int flags) {
        return CallOp.fchmodat(this, dir, path, mode, flags);
    }

    @Override
    public CompletableFuture<Void> fchmod(Fd fd, int mode) {
        return CallOp.fchmod(this, fd, mode);
    }

    @Override
    public CompletableFuture<Void> fchownat(Fd dir, String path, int uid, int gid, int flags) {
        return CallOp.fchownat(this, dir, path, uid, gid, flags);
    }

    @Override
    public CompletableFuture<Void> fchown(Fd fd, int uid, int gid) {
        return CallOp.fchown(this, fd, uid, gid);
    }

    @Override
    public CompletableFuture<Void> linkat(Fd oldDir, String oldPath, Fd newDir, String newPath, int flags) {
        return CallOp.linkat(this, oldDir, oldPath, newDir, newPath, flags);
    }

    @Override
    public CompletableFuture<Long> copyFileRange(Fd in, long inOffset, Fd out, long outOffset, long length) {
        return CallOp.copyFileRange(this, in, inOffset, out, outOffset, length);
    }

    @Override
    public CompletableFuture<Long> sendfile(Fd out, Fd in, long offset, long count) {
        return CallOp.sendfile(this, out, in, offset, count);
    }
}
