package dev.ringio.engine.poll;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
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
import dev.ringio.IoEngine;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.RawCompletion;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.engine.AgentRunner;
import dev.ringio.engine.Backend;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.IdleStrategy;
import dev.ringio.engine.OpEngine;
import dev.ringio.engine.TransferOp;
import dev.ringio.net.Accepted;
import dev.ringio.sys.Shim;


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
 * <p>The loop's concerns are objects of their own, each with its threading rule: the loop agent
 * and its wait ({@link PollLoop}), an op's start, attempts and verdicts ({@link Attempts}), the
 * waiters and their poller registrations ({@link Watches}), the file threads ({@link FilePool}),
 * the timer heap ({@link PollTimers}) and shutdown ({@link PollShutdown}).
 *
 * <p>Threading: as {@link IoEngine}; every field below is loop-thread only unless marked.
 */
public final class PollEngine extends OpEngine {

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
    final Poller poller;
    final FixedBufferPool pool;
    final boolean ownsPool;
    private final Thread loop;
    private final Consumer<Throwable> errorHandler;
    /** Ops and tasks from other threads, and file-pool results ({@link PollOp#RUNNING} ops). Any thread. */
    final MpscUnboundedAtomicArrayQueue<Object> queue = new MpscUnboundedAtomicArrayQueue<>(256);
    /** Ops submitted on the loop that could not start inline (see {@link #startOnLoop}): started next turn. */
    final ArrayDeque<PollOp<?>> pending = new ArrayDeque<>();
    /** Tasks {@link #execute} got on the loop thread: run next turn, never re-entrantly, and never through the queue. */
    final ArrayDeque<Runnable> localTasks = new ArrayDeque<>();
    /** Inline starts of on-loop submissions left before they wait for the next turn (see {@link #startOnLoop}). */
    int inlineBudget;
    /** Most inline starts of on-loop submissions per piece of work the loop takes up (see {@link #startOnLoop}). */
    static final int MAX_INLINE_STARTS = 16;
    /** Commands taken from the cross-thread queue so far (written by the loop only). */
    volatile long commandsDrained;
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
    /** Virtual threads for getaddrinfo and for the final close(2) of descriptors closed through the engine. */
    final ExecutorService offLoop;
    final CountDownLatch terminated = new CountDownLatch(1);

    // ---- the loop's concerns, each its own object (threading rules on each class) ----
    /** The loop agent: one turn, the park (the poller's wait), the command queue. */
    private final PollLoop loopAgent;
    /** Waiters per descriptor and their poller registrations. */
    final Watches watches;
    /** The file threads and the ops handed to them. */
    final FilePool filePool;
    /** The timer heap. */
    final PollTimers timers = new PollTimers(this);
    /** Stop, end every waiter, free. */
    final PollShutdown shutdown = new PollShutdown(this);
    /** Start, attempt, verdict: an op's run on the loop. */
    final Attempts attempts = new Attempts(this);

    boolean shutdownStarted;
    volatile boolean closed;
    volatile boolean finished;
    private final AtomicInteger callbackErrors = new AtomicInteger();

    private PollEngine(String name, EngineConfig config, Poller poller) {
        super(name);
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
        this.filePool = new FilePool(this, boundedWorkers, unboundedWorkers);
        this.watches = new Watches(this, poller);
        this.loopAgent = new PollLoop(this, poller);
        this.offLoop = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ringio-" + name + "-offloop-", 0).factory());
        this.runner = new AgentRunner(loopAgent, IdleStrategy.of(config));
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

    /**
     * Returns when the kqueue engine can start here, throws why not: an
     * {@link UnsupportedOperationException} off BSD and macOS, or where this OS's
     * {@code struct kevent} is not mirrored. Uncached: the gate
     * {@code dev.ringio.EngineAvailability.of("kqueue")} keeps the answer. Any thread.
     */
    public static void requireKqueue() {
        java.util.Optional<String> why = KqueuePoller.unavailabilityReason();
        if (why.isPresent()) {
            throw new UnsupportedOperationException(why.get());
        }
    }

    /**
     * Makes an epoll instance and closes it: returns when the epoll engine can start here, throws
     * why not (an {@link UnsupportedOperationException} off Linux, else the errno). Uncached: the
     * gate {@code dev.ringio.EngineAvailability.of("epoll")} keeps the answer. Any thread.
     *
     * @throws NativeIoException with the errno when the epoll instance cannot be made
     */
    public static void requireEpoll() throws NativeIoException {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            throw new UnsupportedOperationException("epoll exists only on Linux (this is " + os + ")");
        }
        EpollPoller.open().close();
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
            shutdown.failEverything(t);
        } finally {
            shutdown.tearDown();
        }
    }

    /** Reports a callback's exception to the error handler and counts it; never throws. Loop thread. */
    void callbackError(Throwable t) {
        callbackErrors.incrementAndGet();
        try {
            errorHandler.accept(t);
        } catch (Throwable ignored) {
            // the handler itself failed: nothing more to do
        }
    }

    /** A pool thread's result, back to the loop through the command queue. Any thread (pool threads). */
    void handBack(PollOp<?> op) {
        queue.offer(op);
        runner.wakeup();
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
                if (!filePool.cancel(op, cancelled)) {
                    op.cancelRequested = true;
                }
            }
            case PollOp.WAITING -> {
                watches.leave(op.watch, op);
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
                shutdown.drainStranded();
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
        if (loopAgent.isDispatching() || inlineBudget <= 0 || op instanceof PollOps.MultishotAccept || op instanceof PollOps.MultishotRecv
                || op instanceof PollOps.Raw) {
            pending.add(op);
            return;
        }
        inlineBudget--;
        attempts.start(op);
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
        TransferOp.checkChunk(opName, fd, chunk, len, fileOffset);
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
            watches.abortOpsOn(fd);
            filePool.abandonHolding(fd);
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

    // ---- sockets ---------------------------------------------------------------------------------

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

    /** A loop of receives on readiness, over buffers of its own (nothing is registered with a poller). */
    @Override
    protected BufferRing newBufferRing(int entries, int bufferSize) {
        return new PollBufferRing(this, entries, bufferSize);
    }

    /** {@link OpEngine#resolverThreads}: the off-loop virtual threads. */
    @Override
    protected java.util.concurrent.Executor resolverThreads() {
        return offLoop;
    }

    /** {@link OpEngine#loopRunner}: its park is the poller's wait. */
    @Override
    protected AgentRunner loopRunner() {
        return runner;
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
}
