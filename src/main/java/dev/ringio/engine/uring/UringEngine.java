package dev.ringio.engine.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
import dev.ringio.engine.Bounce;
import dev.ringio.engine.CallOp;
import dev.ringio.engine.Closing;
import dev.ringio.engine.Checks;
import dev.ringio.engine.Backend;
import dev.ringio.engine.EngineFuture;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.KernelOp;
import dev.ringio.engine.TransferOp;
import dev.ringio.engine.IdleStrategy;
import dev.ringio.engine.MsgOp;
import dev.ringio.engine.SpliceOp;
import dev.ringio.engine.OpenOp;
import dev.ringio.engine.GetrandomOp;
import dev.ringio.engine.PathCoding;
import dev.ringio.engine.ReadDirOp;
import dev.ringio.engine.SlotTable;
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
import dev.ringio.net.SocketConstants;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The io_uring engine: one ring, owned by one platform thread (the loop).
 *
 * <p>Other threads hand work over through an MPSC queue and wake the loop through an eventfd
 * that always has a READ pending on the ring; they write it only when the loop has said it is
 * about to sleep ({@link #state}), so a busy loop costs no syscall per submission. The loop
 * writes SQEs straight into the mapped SQ ring and calls io_uring_enter once per turn to submit
 * the batch and, when idle, wait.
 *
 * <p>Threading: the public methods are safe from any thread (see {@link IoEngine}); every field
 * marked "loop" is touched by the loop thread only.
 */
public final class UringEngine implements IoEngine, Backend {

    private static final System.Logger LOG = System.getLogger("dev.ringio");
    private static final int DRAIN_LIMIT = 4096;
    private static final int ASYNC_CANCEL_ALL = 1;
    private static final int ASYNC_CANCEL_FD = 1 << 1;
    private static final long SHUTDOWN_RECANCEL_NANOS = 200_000_000L;
    private static final AtomicInteger ENGINE_IDS = new AtomicInteger();

    private final Shim shim = Shim.get();
    private final EngineConfig config;
    private final MpscUnboundedAtomicArrayQueue<Object> queue = new MpscUnboundedAtomicArrayQueue<>(1024);
    /** The shared loop and its need-wakeup flag (docs/engine.md, "The loop"). */
    private final AgentRunner runner;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final FixedBufferPool pool;
    private final boolean ownsPool;
    private final Thread loop;
    private final ExecutorService offLoop;
    // GC-managed: other threads may still be inside a wake-up write when the loop finishes.
    private final Arena arena = Arena.ofAuto();
    /** 8 bytes holding 1: what other threads write to the eventfd to wake the loop. */
    private final MemorySegment wakeValue;
    /** 8 bytes the pending eventfd READ fills (loop). */
    private final MemorySegment wakeSink;
    private final AtomicLong staleCompletions = new AtomicLong();
    private final AtomicLong callbackErrors = new AtomicLong();
    private final Ring.CqeSink sink = this::onCqe;

    private volatile boolean closed;
    private volatile boolean finished;
    private volatile boolean buffersRegistered;
    private volatile String description = "io_uring engine (starting)";

    // ---- loop-only state ----
    private Ring ring;
    /** The wake-up eventfd; ref-counted because other threads write it while the loop may close it. */
    private volatile Fd wakeFd;
    private int eventFd = -1;
    private boolean wakeupArmed;
    /** Tasks {@link #execute} got on the loop thread: run next turn, never re-entrantly, and never through the queue. */
    private final ArrayDeque<Runnable> localTasks = new ArrayDeque<>();
    /** Commands taken from the cross-thread queue so far (written by the loop only). */
    private volatile long commandsDrained;
    private final SlotTable slots;
    private final ArrayDeque<EngineOp<?>> overflow = new ArrayDeque<>();
    /**
     * Calls running on the off-loop threads ({@link #startOffLoop}) whose results the loop has not
     * taken yet: shutdown waits for them (or abandons them). Loop only.
     */
    private final java.util.Set<OffLoopCall> offLoopCalls = new java.util.HashSet<>();
    private final ArrayDeque<long[]> pendingCancels = new ArrayDeque<>();
    private boolean shutdownStarted;
    private long lastCancelSweep;
    private byte[] probe = new byte[0];
    private final List<UringBufferRing> bufferRings = new ArrayList<>();
    private final AtomicInteger nextBufferGroup = new AtomicInteger();

    private UringEngine(EngineConfig config) {
        this.config = config;
        this.slots = new SlotTable(config.queueDepth() * 2);
        if (config.bufferPool() != null) {
            this.pool = config.bufferPool();
            this.ownsPool = false;
        } else {
            this.pool = FixedBufferPool.allocate(config.fixedBufferCount(), config.fixedBufferSize());
            this.ownsPool = true;
        }
        this.wakeValue = arena.allocate(JAVA_LONG);
        this.wakeValue.set(JAVA_LONG, 0, 1L);
        this.wakeSink = arena.allocate(JAVA_LONG);
        this.runner = new AgentRunner(new LoopAgent(), IdleStrategy.of(config));
        // Platform threads, not virtual ones: a blocking syscall made through a native downcall pins
        // a virtual thread's carrier, and a few stuck ones (a sendfile into a socket nobody reads)
        // would stall every virtual thread of the process.
        this.offLoop = new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.SynchronousQueue<>(),
                Thread.ofPlatform().daemon().name("ringio-offloop-", 0).factory());
        this.loop = config.newLoopThread(config.threadName() + "-" + ENGINE_IDS.incrementAndGet(), this::run);
    }

    /**
     * Starts an engine: the loop thread creates the ring (so it is the ring's single issuer) and
     * this method returns once the ring is ready.
     *
     * @throws NativeIoException with the kernel's errno when io_uring cannot be set up
     */
    public static UringEngine open(EngineConfig config) throws NativeIoException {
        Objects.requireNonNull(config, "config");
        UringEngine e = new UringEngine(config);
        CountDownLatch ready = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        e.startup = () -> {
            try {
                e.setUp();
            } catch (Throwable t) {
                failure[0] = t;
            } finally {
                ready.countDown();
            }
            return failure[0] == null;
        };
        e.loop.start();
        boolean interrupted = false;
        while (true) {
            try {
                ready.await();
                break;
            } catch (InterruptedException ie) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            e.terminated.join(); // the loop thread has freed what set-up had made
            if (failure[0] instanceof NativeIoException n) {
                throw n;
            }
            if (failure[0] instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("io_uring engine failed to start", failure[0]);
        }
        return e;
    }

    private volatile java.util.function.BooleanSupplier startup;

    private static volatile Optional<Throwable> cause;

    /**
     * What this kernel's io_uring offers, from a two-entry ring made for the question: the names
     * of the opcodes the probe reports and of the feature bits. Empty when io_uring cannot start.
     */
    public static Optional<dev.ringio.IoUringProbe> probeKernel() {
        try {
            Shim shim = Shim.get();
            Ring r = Ring.create(shim, 2, 0);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(Uring.OP_MAX_PROBED);
                List<String> ops = new ArrayList<>();
                if (shim.ringProbe(r.address(), p.address(), Uring.OP_MAX_PROBED) >= 0) {
                    for (int i = 0; i < Uring.OP_MAX_PROBED; i++) {
                        if (p.get(JAVA_BYTE, i) != 0) {
                            ops.add(UringNames.opName(i));
                        }
                    }
                }
                return Optional.of(new dev.ringio.IoUringProbe(ops, UringNames.featureNames(r.features())));
            } finally {
                r.destroy();
            }
        } catch (Throwable t) {
            return Optional.empty();
        }
    }

    /** Why io_uring cannot be used here (checked once with a tiny ring), or empty when it can. */
    public static Optional<Throwable> unavailabilityCause() {
        Optional<Throwable> c = cause;
        if (c == null) {
            try {
                Shim shim = Shim.get();
                Layouts.verify(shim);
                Ring r = Ring.create(shim, 2, 0);
                r.destroy();
                c = Optional.empty();
            } catch (Throwable t) {
                c = Optional.of(t);
            }
            cause = c;
        }
        return c;
    }

    // ---- loop: set-up --------------------------------------------------------------------------

    private void setUp() throws NativeIoException {
        Layouts.verify(shim);
        ring = createRing();
        if (!ring.registerRingFd()) {
            LOG.log(System.Logger.Level.DEBUG, "io_uring: ring fd registration refused; using the plain fd");
        }
        if (config.boundedIoWorkers() > 0 || config.unboundedIoWorkers() > 0) {
            shim.ringRegisterIowqMaxWorkers(ring.address(), config.boundedIoWorkers(), config.unboundedIoWorkers());
        }
        MemorySegment p = arena.allocate(Uring.OP_MAX_PROBED);
        if (shim.ringProbe(ring.address(), p.address(), Uring.OP_MAX_PROBED) >= 0) {
            probe = p.toArray(JAVA_BYTE);
        }
        eventFd = (int) NativeIoException.check("eventfd", shim.eventfd(0, 02000000 /* EFD_CLOEXEC */));
        wakeFd = Fd.adopt(eventFd, Fd.Kind.EVENTFD);
        if (config.registerFixedBuffers()) {
            registerBuffers();
        }
        if (!armWakeup()) {
            throw new IllegalStateException("io_uring: no SQE for the wake-up read on a new ring");
        }
        description = describe();
    }

    private Ring createRing() throws NativeIoException {
        int depth = Integer.highestOneBit(config.queueDepth() - 1 == 0 ? 1 : config.queueDepth() - 1) << 1;
        if (config.queueDepth() == 1) {
            depth = 1;
        }
        int modern = Uring.SETUP_SINGLE_ISSUER | Uring.SETUP_DEFER_TASKRUN | Uring.SETUP_TASKRUN_FLAG
                | Uring.SETUP_SUBMIT_ALL;
        int coop = Uring.SETUP_COOP_TASKRUN | Uring.SETUP_TASKRUN_FLAG | Uring.SETUP_SUBMIT_ALL;
        int[] attempts = config.modernSetupFlags()
                ? new int[] {modern, coop, Uring.SETUP_SUBMIT_ALL, 0}
                : new int[] {Uring.SETUP_SUBMIT_ALL, 0};
        NativeIoException last = null;
        for (int flags : attempts) {
            try {
                return Ring.create(shim, depth, flags);
            } catch (NativeIoException e) {
                // EINVAL: this kernel lacks one of the newer flags (SUBMIT_ALL 5.18, COOP_TASKRUN
                // 5.19, SINGLE_ISSUER/DEFER_TASKRUN 6.1); try an older set. Anything else is final.
                if (!e.is(Errno.EINVAL)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private void registerBuffers() {
        MemorySegment a = pool.arena();
        MemorySegment iov = arena.allocate(Layouts.IOVEC_SIZE, 8);
        iov.set(JAVA_LONG, Layouts.IOVEC_BASE, a.address());
        iov.set(JAVA_LONG, Layouts.IOVEC_LEN, a.byteSize());
        int r = shim.ringRegisterBuffers(ring.address(), iov.address(), 1);
        if (r < 0) {
            LOG.log(System.Logger.Level.WARNING, "io_uring refused to register the fixed-buffer pool ("
                    + Errno.nameOf(-r) + ": " + Errno.describe(-r) + "; RLIMIT_MEMLOCK too low?); "
                    + "chunk I/O uses plain READ/WRITE on the same memory");
        } else {
            buffersRegistered = true;
        }
    }

    /** Keeps an eventfd READ pending so a write from another thread wakes the loop. Loop only. */
    private boolean armWakeup() {
        long sqe = claimSqe();
        if (sqe < 0) {
            return false;
        }
        ring.prep(sqe, Uring.OP_READ, eventFd, wakeSink.address(), 8, 0, Uring.UD_WAKEUP);
        wakeupArmed = true;
        return true;
    }

    // ---- loop: the turn --------------------------------------------------------------------------

    private void run() {
        try {
            if (startup.getAsBoolean()) {
                runner.run();
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "io_uring loop died; failing every operation", t);
            failEverything(t);
        } finally {
            tearDown();
        }
    }

    /**
     * This engine's side of the shared loop ({@link AgentRunner}): a turn retries the overflow list,
     * runs the loop's own tasks, drains the command queue (at most {@value #DRAIN_LIMIT} entries),
     * then calls io_uring_enter without waiting only if there is something to submit or the kernel
     * has completions to post (IORING_SQ_TASKRUN), and reaps every CQE. The park is an
     * io_uring_enter that waits for one completion; the eventfd READ kept pending on the ring is
     * what {@link #wake()} completes. Loop thread only, except {@link #unpark()}.
     */
    private final class LoopAgent implements Agent {
        private boolean done;

        @Override
        public int doWork() {
            int work = drainOverflow() ? 1 : 0;
            work += runLocalTasks();
            work += drainQueue();
            work += submitParkedCancels() ? 1 : 0;
            if (closed && !shutdownStarted) {
                beginShutdown();
                work++;
            }
            if (shutdownStarted) {
                recancelStubbornOps();
                if (slots.inUse() == 0 && !wakeupArmed && overflow.isEmpty() && queue.isEmpty() && localTasks.isEmpty()
                        && offLoopCalls.isEmpty()) {
                    done = true;
                    return work;
                }
            } else if (!wakeupArmed && !armWakeup()) {
                work++; // no SQE for it now: do not park until it is armed
            }
            if (ring.needsEnter()) {
                int r = ring.enter(0);
                if (r < 0) {
                    onEnterError(r);
                }
            }
            return work + ring.reap(sink);
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
            int r;
            if (shutdownStarted && (ring.features() & Uring.FEAT_EXT_ARG) != 0) {
                r = enterShutdownWait();
            } else {
                r = ring.enter(1);
            }
            if (r < 0) {
                onEnterError(r);
            }
        }

        @Override
        public void unpark() {
            writeWakeFd();
        }
    }

    /** Runs the tasks {@link #execute} got on the loop thread, those there at the start of the turn. Loop only. */
    private int runLocalTasks() {
        int n = localTasks.size();
        for (int i = 0; i < n; i++) {
            runTask(localTasks.pollFirst());
        }
        return n;
    }

    /** While shutting down, wait at most a sweep interval so stubborn ops are asked again. */
    private int enterShutdownWait() {
        return ring.enterWithTimeout(1, SHUTDOWN_RECANCEL_NANOS);
    }

    private void onEnterError(int r) {
        int errno = -r;
        if (errno == Errno.EINTR.value() || errno == Errno.ETIME.value()) {
            return;
        }
        if (errno == Errno.EBUSY.value() || errno == Errno.EAGAIN.value()) {
            // CQ overflow or no room for more completions: the reap below makes room.
            return;
        }
        throw new IllegalStateException("io_uring_enter failed: " + Errno.nameOf(errno) + " (" + Errno.describe(errno) + ")");
    }

    private int drainQueue() {
        int n = 0;
        Object o;
        while (n < DRAIN_LIMIT && (o = queue.poll()) != null) {
            n++;
            if (o instanceof EngineOp<?> op) {
                if (shutdownStarted) {
                    op.fail(new EngineClosedException(op.name));
                } else {
                    submitOnLoop(op);
                }
            } else {
                runTask((Runnable) o);
            }
        }
        if (n > 0) {
            commandsDrained += n; // single writer: the loop
        }
        return n;
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
            config.errorHandler().accept(t);
        } catch (Throwable ignored) {
            // The error handler itself failed; the loop must not die of it.
        }
    }

    private boolean drainOverflow() {
        boolean any = false;
        while (!overflow.isEmpty()) {
            EngineOp<?> op = overflow.peekFirst();
            Throwable refused = refusal(op);
            if (refused != null) {
                overflow.pollFirst();
                op.fail(refused);
                any = true;
                continue;
            }
            if (!tryPrep(op)) {
                break;
            }
            overflow.pollFirst();
            any = true;
        }
        return any;
    }

    /** The next free SQE; when the SQ is full, submits what is there and tries once more. */
    private long claimSqe() {
        long sqe = ring.nextSqe();
        if (sqe < 0) {
            ring.enter(0); // the kernel consumes the SQ now; an error leaves it full (-1 below)
            sqe = ring.nextSqe();
        }
        return sqe;
    }

    private boolean tryPrep(EngineOp<?> op) {
        if (op instanceof Op<?> own) {
            long sqe = claimSqe();
            if (sqe < 0) {
                return false;
            }
            long token = slots.put(op);
            op.token = token;
            own.prep(ring, sqe, token);
            return true;
        }
        // A description built for an attempt that found the SQ full is kept (next() may have
        // staged bounce memory for it), not built again.
        KernelOp d = op.attachment instanceof KernelOp kept ? kept : op.next();
        op.attachment = null;
        int opcode = Sqes.opcode(d);
        if (opcode == Sqes.NO_OPCODE || !supportsOp(opcode)) {
            startOffLoop(op, d);
            return true;
        }
        long sqe = claimSqe();
        if (sqe < 0) {
            op.attachment = d;
            return false;
        }
        long token = slots.put(op);
        op.token = token;
        Sqes.write(ring, sqe, d, token);
        return true;
    }

    /**
     * Runs {@code d}, which the ring cannot take, as a syscall on an off-loop thread
     * ({@link OffLoopCall}); its result comes back to the loop as a CQE's would. Loop only.
     */
    private void startOffLoop(EngineOp<?> op, KernelOp d) {
        OffLoopCall call = new OffLoopCall(op, d, shim, this::offLoopReturned);
        offLoopCalls.add(call);
        op.attachment = call;
        try {
            offLoop.execute(call);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            offLoopCalls.remove(call);
            op.fail(new EngineClosedException(op.name));
        }
    }

    /** An off-loop call's thread: its result to the loop. */
    private void offLoopReturned(OffLoopCall call) {
        queue.offer((Runnable) () -> offLoopResult(call));
        wake();
    }

    /** The loop: an off-loop call's result to its op, as {@link #onCqe} gives a CQE's. */
    private void offLoopResult(OffLoopCall call) {
        offLoopCalls.remove(call);
        EngineOp<?> op = call.op;
        op.attachment = null;
        try {
            if (call.failure != null) {
                failAfterInternalError(op, call.failure);
            } else if (op.handleResult(call.result)) {
                submitOnLoop(op);
            }
        } catch (Throwable t) {
            if (!op.isDone()) {
                failAfterInternalError(op, t);
            } else {
                callbackError(t);
            }
        }
    }

    /**
     * Ends the off-loop calls still running that may never return ({@link OffLoopCall#unbounded})
     * and that {@code which} selects, failing each op with {@code reason}; the others end by
     * themselves and deliver their results. Loop only.
     */
    private void abandonOffLoopCalls(java.util.function.Predicate<EngineOp<?>> which,
                                     java.util.function.Function<EngineOp<?>, Throwable> reason) {
        for (OffLoopCall call : new ArrayList<>(offLoopCalls)) {
            if (call.unbounded() && which.test(call.op) && call.abandon(reason.apply(call.op))) {
                offLoopCalls.remove(call);
                call.op.attachment = null;
            }
        }
    }

    /** Submits (or queues behind earlier overflow) an op on the loop thread. */
    void submitOnLoop(EngineOp<?> op) {
        Throwable refused = refusal(op);
        if (refused != null) {
            op.fail(refused);
        } else if (shutdownStarted) {
            op.fail(new EngineClosedException(op.name));
        } else if (!overflow.isEmpty() || !tryPrep(op)) {
            overflow.addLast(op);
        }
    }

    /**
     * Why {@code op} must not reach the kernel now, or null: its caller cancelled it, or
     * {@code close(fd)} has revoked a descriptor it holds. The revocation check is the submit gate
     * that makes close(fd) sound: close(fd) revokes before it queues its cancel pass, so an op the
     * loop takes up after that pass sees the mark here, and one it took up before is in the kernel
     * when the pass's ASYNC_CANCEL arrives. Loop only.
     */
    private static Throwable refusal(EngineOp<?> op) {
        if (op.cancelRequested) {
            return new CancellationException(op.name + ": cancelled");
        }
        Fd revoked = op.fd != null && op.fd.isRevoked() ? op.fd : op.other != null && op.other.isRevoked() ? op.other : null;
        if (revoked != null) {
            return new NativeIoException(op.name, Errno.ECANCELED.value(),
                    "fd " + revoked.value() + " closed before the operation reached the kernel");
        }
        return null;
    }

    /** Submits an op again after a partial result or EINTR (it keeps its fd and chunk). Loop only. */
    void resubmit(EngineOp<?> op) {
        submitOnLoop(op);
    }

    private void onCqe(long userData, int res, int flags) {
        if (userData < 0) {
            if (userData == Uring.UD_WAKEUP) {
                wakeupArmed = false;
            }
            return;
        }
        Object handler = slots.get(userData);
        if (handler == null) {
            staleCompletions.incrementAndGet();
            return;
        }
        if (isKernelRestart(res)) {
            res = -Errno.ECANCELED.value();
        }
        Object a1 = slots.attachment(userData);
        Object a2 = slots.attachment2(userData);
        if ((flags & Uring.CQE_F_MORE) == 0) {
            slots.remove(userData);
        }
        try {
            if (handler instanceof EngineOp<?> op) {
                if ((flags & Uring.CQE_F_MORE) == 0) {
                    op.token = 0; // the slot is free; a multishot op keeps it while MORE is set
                }
                if (op instanceof Op<?> own) {
                    own.complete(this, res, flags);
                } else if (op.handleResult(res)) {
                    submitOnLoop(op);
                }
            } else {
                if (a1 instanceof Fd f) {
                    f.release();
                }
                if (a2 instanceof Chunk c) {
                    c.release();
                }
                ((RawCompletion) handler).onComplete(res);
            }
        } catch (Throwable t) {
            if (handler instanceof EngineOp<?> op && (flags & Uring.CQE_F_MORE) == 0 && !op.isDone()) {
                failAfterInternalError(op, t); // the caller hears of it through the future
            } else {
                callbackError(t);
            }
        }
    }

    /**
     * An op whose completion threw (a bug, or a copy the caller's memory refused) must still end:
     * its future fails with the exception rather than staying pending forever. The kernel is done
     * with the op (no MORE flag), so its fd, chunk and memory may be released. Loop only.
     */
    private void failAfterInternalError(EngineOp<?> op, Throwable t) {
        try {
            op.fail(t);
        } catch (Throwable again) {
            t.addSuppressed(again);
            callbackError(again);
            op.releaseResources();
            op.failFromEngine(t);
        }
    }

    /**
     * Whether {@code res} is one of the kernel-internal restart codes (ERESTARTSYS 512,
     * ERESTARTNOINTR 513, ERESTARTNOHAND 514, ERESTART_RESTARTBLOCK 516; include/linux/errno.h),
     * which never reach user space from a syscall but do leak into CQEs: an io-wq worker blocked in
     * a pipe (a splice into a full pipe, a FIFO open with O_CREAT) is woken by the signal that
     * ASYNC_CANCEL, close(fd) or ring teardown sends it, and posts the restart code it got. The op
     * was cancelled, so it is reported as ECANCELED, the way every other cancelled op is.
     */
    static boolean isKernelRestart(int res) {
        return res == -512 || res == -513 || res == -514 || res == -516;
    }

    // ---- cancellation and shutdown -------------------------------------------------------------

    void requestCancel(EngineOp<?> op) {
        if (inLoop()) {
            cancelOnLoop(op);
        } else if (!finished) {
            queue.offer((Runnable) () -> cancelOnLoop(op));
            wake();
            if (finished) {
                drainStranded();
            }
        }
    }

    private void cancelOnLoop(EngineOp<?> op) {
        if (op.isDone() || op.cancelRequested) {
            return;
        }
        op.cancelRequested = true;
        if (op.token != 0) {
            submitCancel(op.token, -1, 0);
        }
        // A call off the loop cannot be interrupted: one that may never return is abandoned (the
        // thread lets go of what the op held when it does); one that will return decides.
        if (op.attachment instanceof OffLoopCall) {
            abandonOffLoopCalls(o -> o == op, o -> new CancellationException(o.name + ": cancelled"));
        }
        // Not yet in the kernel (overflow): drainOverflow fails it as cancelled.
    }

    private void submitCancel(long target, int fd, int cancelFlags) {
        long sqe = claimSqe();
        if (sqe < 0) {
            pendingCancels.add(new long[] {target, fd, cancelFlags});
            return;
        }
        ring.prep(sqe, Uring.OP_ASYNC_CANCEL, fd, target, 0, 0, Uring.UD_IGNORE);
        if (cancelFlags != 0) {
            ring.opFlags(sqe, cancelFlags);
        }
    }

    /**
     * Submits cancellations that found the SQ full earlier. Returns whether any were waiting (the
     * loop must not sleep while some are).
     */
    private boolean submitParkedCancels() {
        int n = pendingCancels.size();
        for (int i = 0; i < n; i++) {
            long[] c = pendingCancels.pollFirst();
            submitCancel(c[0], (int) c[1], (int) c[2]);
        }
        return n > 0;
    }

    private void recancelStubbornOps() {
        if (slots.inUse() > 0 && System.nanoTime() - lastCancelSweep > SHUTDOWN_RECANCEL_NANOS) {
            // An op may have been mid-flight in io-wq when the first cancel arrived (-EALREADY):
            // ask again until everything has completed.
            lastCancelSweep = System.nanoTime();
            slots.forEachLive(token -> submitCancel(token, -1, 0));
        }
    }

    private void beginShutdown() {
        shutdownStarted = true;
        lastCancelSweep = System.nanoTime();
        EngineOp<?> op;
        while ((op = overflow.pollFirst()) != null) {
            op.fail(new EngineClosedException(op.name));
        }
        drainQueue();
        abandonOffLoopCalls(o -> true, o -> new EngineClosedException(o.name));
        slots.forEachLive(token -> submitCancel(token, -1, 0));
        if (wakeupArmed) {
            submitCancel(Uring.UD_WAKEUP, -1, 0);
        }
    }

    private void failEverything(Throwable cause) {
        for (OffLoopCall call : new ArrayList<>(offLoopCalls)) {
            Throwable dead = new IllegalStateException(call.op.name + ": the io_uring loop died", cause);
            if (!call.abandon(dead)) {
                call.op.fail(dead); // returned, but the loop that would take the result is gone
            }
        }
        offLoopCalls.clear();
        slots.forEachLive(token -> {
            Object h = slots.get(token);
            Object a1 = slots.attachment(token);
            Object a2 = slots.attachment2(token);
            slots.remove(token);
            if (h instanceof EngineOp<?> o) {
                o.span = null; // the kernel may still use its bounce memory: never reuse it
                o.fail(new IllegalStateException(o.name + ": the io_uring loop died", cause));
            } else {
                if (a1 instanceof Fd f) {
                    f.release();
                }
                if (a2 instanceof Chunk c) {
                    c.release();
                }
                try {
                    ((RawCompletion) h).onComplete(-Errno.ECANCELED.value());
                } catch (Throwable ignored) {
                    // nothing more can be done for it
                }
            }
        });
        EngineOp<?> op;
        while ((op = overflow.pollFirst()) != null) {
            op.fail(new EngineClosedException(op.name));
        }
    }

    private void tearDown() {
        closed = true;
        try {
            if (ring != null) {
                if (buffersRegistered) {
                    shim.ringUnregisterBuffers(ring.address());
                    buffersRegistered = false;
                }
                ring.destroy(); // on the loop thread: the registered ring fd belongs to it
            }
            for (UringBufferRing b : bufferRings) {
                b.freeAfterRingDestroyed(); // the kernel no longer references their memory
            }
            bufferRings.clear();
        } finally {
            finished = true;
            Fd w = wakeFd;
            if (w != null) {
                w.close(); // closes now, or when the last concurrent waker lets go
            }
            drainStranded();
            releaseOwnedResources();
            terminated.complete(null);
        }
    }

    private void releaseOwnedResources() {
        offLoop.shutdown();
        if (ownsPool) {
            try {
                pool.close();
            } catch (IllegalStateException e) {
                LOG.log(System.Logger.Level.WARNING, "engine pool still has pinned chunks at close: " + e.getMessage());
            }
        }
    }

    /** After the loop has gone: fails whatever raced into the queue. Any thread. */
    private synchronized void drainStranded() {
        Object o;
        while ((o = queue.poll()) != null) {
            if (o instanceof EngineOp<?> op) {
                op.fail(new EngineClosedException(op.name));
            }
        }
    }

    // ---- public: lifecycle ---------------------------------------------------------------------

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            forceWake();
        }
        if (!inLoop()) {
            terminated.join();
        }
    }

    /** Wakes the loop whether or not it announced a park (close: it must see the flag). Any thread. */
    private void forceWake() {
        writeWakeFd();
    }

    /** After queueing a command: wakes the loop if it is parking (the need-wakeup flag). Any thread. */
    private void wake() {
        runner.wakeup();
    }

    private void writeWakeFd() {
        Fd w = wakeFd;
        if (w == null) {
            return;
        }
        try {
            int raw = w.acquire("wake");
            try {
                shim.write(raw, wakeValue.address(), 8);
            } finally {
                w.release();
            }
        } catch (NativeIoException closed) {
            // The loop has finished: nothing to wake.
        }
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public Set<Capability> capabilities() {
        EnumSet<Capability> caps = EnumSet.of(Capability.ZERO_COPY_SEND, Capability.KERNEL_ASYNC_FILE_IO,
                Capability.KERNEL_MULTISHOT);
        if (buffersRegistered) {
            caps.add(Capability.REGISTERED_BUFFERS);
        }
        return Collections.unmodifiableSet(caps);
    }

    @Override
    public FixedBufferPool bufferPool() {
        return pool;
    }

    @Override
    public boolean fixedBuffersRegistered() {
        return buffersRegistered;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == loop;
    }

    /** Completions whose slot was stale or already completed (should stay 0). Any thread. */
    public long staleCompletions() {
        return staleCompletions.get();
    }

    /** io_uring_enter calls made so far: syscalls per op = delta(enterCalls) / ops. Any thread. */
    public long enterCalls() {
        Ring r = ring;
        return r == null ? 0 : r.enterCalls();
    }

    /** How many times the idle loop has parked in io_uring_enter. Any thread. */
    public long parks() {
        return runner.parks();
    }

    /** Whether the loop has announced a park and not woken since (idle, or about to be). Any thread. */
    public boolean isParking() {
        return runner.isParking();
    }

    /**
     * Commands (ops, tasks) the loop has taken from the cross-thread queue so far: work submitted
     * on the loop thread never goes through it. Any thread.
     */
    public long commandsDrained() {
        return commandsDrained;
    }

    /** Exceptions thrown by callbacks on the loop thread. Any thread. */
    public long callbackErrors() {
        return callbackErrors.get();
    }

    /** Whether the kernel reported support for io_uring opcode {@code op} (IORING_OP_*). */
    public boolean supportsOp(int op) {
        byte[] p = probe;
        return op >= 0 && op < p.length && p[op] != 0;
    }

    /**
     * Tests only: makes the engine act as on a kernel without {@code opcodes} (as the probe of an
     * older kernel reports), so their operations take the off-loop syscall path. Call before
     * submitting them; the command queue publishes the change to the loop.
     */
    void withoutOpcodes(byte... opcodes) {
        byte[] p = probe.clone();
        for (byte op : opcodes) {
            if (op >= 0 && op < p.length) {
                p[op] = 0;
            }
        }
        probe = p;
    }

    /** The opcodes the kernel supports (from the probe). */
    public List<Integer> supportedOps() {
        List<Integer> ops = new ArrayList<>();
        for (int i = 0; i < probe.length; i++) {
            if (probe[i] != 0) {
                ops.add(i);
            }
        }
        return Collections.unmodifiableList(ops);
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (closed) {
            throw new EngineClosedException("execute");
        }
        if (inLoop()) {
            localTasks.addLast(task); // run on the next turn, never re-entrantly inside a callback
        } else {
            queue.offer(task);
            wake();
        }
    }

    private String describe() {
        StringBuilder sb = new StringBuilder("io_uring engine [sq=").append(ring.sqEntries())
                .append(" cq=").append(ring.cqEntries()).append(", setup=").append(setupFlagNames(ring.setupFlags()))
                .append(", features=0x").append(Integer.toHexString(ring.features()))
                .append(ring.registeredRingFd() ? ", registered ring fd" : "")
                .append(", fixed buffers ").append(pool.chunkCount()).append('x').append(pool.chunkSize())
                .append(buffersRegistered ? " registered" : " not registered")
                .append(", ").append(supportedOps().size()).append(" ops probed]");
        return sb.toString();
    }

    static String setupFlagNames(int flags) {
        List<String> names = new ArrayList<>();
        String[][] table = {
            {"SUBMIT_ALL", String.valueOf(Uring.SETUP_SUBMIT_ALL)},
            {"COOP_TASKRUN", String.valueOf(Uring.SETUP_COOP_TASKRUN)},
            {"TASKRUN_FLAG", String.valueOf(Uring.SETUP_TASKRUN_FLAG)},
            {"SINGLE_ISSUER", String.valueOf(Uring.SETUP_SINGLE_ISSUER)},
            {"DEFER_TASKRUN", String.valueOf(Uring.SETUP_DEFER_TASKRUN)},
            {"CQSIZE", String.valueOf(Uring.SETUP_CQSIZE)},
            {"CLAMP", String.valueOf(Uring.SETUP_CLAMP)},
        };
        for (String[] t : table) {
            if ((flags & Integer.parseInt(t[1])) != 0) {
                names.add(t[0]);
            }
        }
        return names.isEmpty() ? "none" : String.join("|", names);
    }

    @Override
    public String toString() {
        return description + (closed ? " (closed)" : "");
    }

    // ---- submission from any thread ------------------------------------------------------------

    private <T> CompletableFuture<T> submitOp(EngineOp<T> op) {
        op.submittedTo(this);
        if (closed) {
            op.fail(new EngineClosedException(op.name));
            return op;
        }
        if (inLoop()) {
            submitOnLoop(op);
        } else {
            queue.offer(op);
            wake();
            if (finished) {
                drainStranded();
            }
        }
        return op;
    }

    /** {@link Backend#submit}: the op holds its resources already. Any thread. */
    @Override
    public void submit(EngineOp<?> op) {
        submitOp(op);
    }

    /** {@link Backend#cancel}. Any thread. */
    @Override
    public void cancel(EngineOp<?> op) {
        requestCancel(op);
    }

    /** {@link Backend#timer}: an IORING_OP_TIMEOUT ({@link #sleepUntil}), removed by its cancel. */
    @Override
    public CompletableFuture<Void> timer(long deadline) {
        return sleepUntil(deadline);
    }

    /** {@link Backend#registeredIndex}: 0 for a chunk of this engine's pool while it is registered, else -1. */
    @Override
    public int registeredIndex(Chunk chunk) {
        return isRegistered(chunk) ? 0 : -1;
    }

    /** Runs a submission step that may throw (acquire a closed fd, retain a freed chunk) as a failed future. */
    private static <T> CompletableFuture<T> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }

    // ---- low-level API -------------------------------------------------------------------------

    @Override
    public void submitNoop(RawCompletion completion) {
        Objects.requireNonNull(completion, "completion");
        if (closed) {
            throw new EngineClosedException("noop");
        }
        if (inLoop() && !closed && !shutdownStarted && overflow.isEmpty()) {
            long sqe = claimSqe();
            if (sqe >= 0) {
                ring.prep(sqe, Uring.OP_NOP, -1, 0, 0, 0, slots.put(completion));
                return;
            }
        }
        submitRawViaOp(new RawOp("noop", Uring.OP_NOP, -1, 0, 0, 0, -1, completion), null, null);
    }

    @Override
    public void submitRead(Fd fd, Chunk chunk, int len, long fileOffset, RawCompletion completion)
            throws NativeIoException {
        submitRawRw("read", true, fd, chunk, len, fileOffset, completion);
    }

    @Override
    public void submitWrite(Fd fd, Chunk chunk, int len, long fileOffset, RawCompletion completion)
            throws NativeIoException {
        submitRawRw("write", false, fd, chunk, len, fileOffset, completion);
    }

    private void submitRawRw(String name, boolean read, Fd fd, Chunk chunk, int len, long fileOffset,
                             RawCompletion completion) throws NativeIoException {
        Objects.requireNonNull(completion, "completion");
        Checks.chunkArgs(name, fd, chunk, len, fileOffset);
        if (closed) {
            throw new EngineClosedException(name);
        }
        int raw = fd.acquire(name);
        try {
            chunk.retain(name);
        } catch (RuntimeException e) {
            fd.release();
            throw e;
        }
        boolean fixed = isRegistered(chunk);
        byte opcode = read ? (fixed ? Uring.OP_READ_FIXED : Uring.OP_READ) : (fixed ? Uring.OP_WRITE_FIXED : Uring.OP_WRITE);
        long addr = chunk.address();
        if (inLoop() && !shutdownStarted && overflow.isEmpty()) {
            long sqe = claimSqe();
            if (sqe >= 0) {
                ring.prep(sqe, opcode, raw, addr, len, fileOffset, slots.put(completion, fd, chunk));
                if (fixed) {
                    ring.bufIndex(sqe, 0);
                }
                return;
            }
        }
        submitRawViaOp(new RawOp(name, opcode, raw, addr, len, fileOffset, fixed ? 0 : -1, completion), fd, chunk);
    }

    private void submitRawViaOp(RawOp op, Fd fd, Chunk chunk) {
        op.fd = fd;
        op.chunk = chunk;
        submitOp(op);
    }

    /** A low-level op that has to go through the queue or the overflow list. */
    private static final class RawOp extends Op<Void> {
        private final byte opcode;
        private final int rawFd;
        private final long addr;
        private final int len;
        private final long offset;
        private final int bufIndex;
        private final RawCompletion completion;

        RawOp(String name, byte opcode, int rawFd, long addr, int len, long offset, int bufIndex,
              RawCompletion completion) {
            super(name);
            this.opcode = opcode;
            this.rawFd = rawFd;
            this.addr = addr;
            this.len = len;
            this.offset = offset;
            this.bufIndex = bufIndex;
            this.completion = completion;
        }

        @Override
        void prep(Ring ring, long sqe, long token) {
            ring.prep(sqe, opcode, rawFd, addr, len, offset, token);
            if (bufIndex >= 0) {
                ring.bufIndex(sqe, bufIndex);
            }
        }

        @Override
        void complete(UringEngine engine, int res, int cqeFlags) {
            releaseResources();
            completeFromEngine(null);
            completion.onComplete(res);
        }

        @Override
        void onResult(UringEngine engine, int res, int cqeFlags) {
            // complete() handles every result itself
        }

        /** Never reached the kernel (engine closing, or cancelled): the callback still hears of it. */
        @Override
        protected void onFailed(Throwable t) {
            try {
                completion.onComplete(-Errno.ECANCELED.value());
            } catch (Throwable x) {
                UringEngine e = engine();
                if (e != null) {
                    e.callbackError(x);
                }
            }
        }
    }

    // ---- argument checks (caller's thread, before anything reaches the kernel) -----------------

    private boolean isRegistered(Chunk chunk) {
        return buffersRegistered && chunk.pool() == pool;
    }

    /** Acquires fd and retains chunk for op; on failure releases what it took and rethrows. */
    private static void hold(Op<?> op, Fd fd, Chunk chunk) throws NativeIoException {
        fd.acquire(op.name);
        op.fd = fd;
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

    /** Holds {@code fd} (and {@code chunk}) for {@code op}, then submits it; a closed fd or freed chunk fails the future. */
    private <T> CompletableFuture<T> holdAndSubmit(Op<T> op, Fd fd, Chunk chunk) {
        try {
            hold(op, fd, chunk);
        } catch (NativeIoException | IllegalStateException e) {
            op.releaseResources(); // its bounce memory, if any: nothing reached the kernel
            return failed(e);
        }
        return submitOp(op);
    }

    // ---- operations ----------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> noop() {
        return CallOp.noop(this);
    }

    @Override
    public CompletableFuture<Void> sleepUntil(long deadline) {
        MemorySegment ts = Arena.ofAuto().allocate(Layouts.TIMESPEC_SIZE, 8);
        long sec = Math.floorDiv(deadline, 1_000_000_000L);
        long nsec = Math.floorMod(deadline, 1_000_000_000L);
        if (sec < 0) {
            sec = 0;
            nsec = 0;
        }
        ts.set(JAVA_LONG, 0, sec);
        ts.set(JAVA_LONG, 8, nsec);
        // IORING_OP_TIMEOUT with an absolute CLOCK_MONOTONIC deadline, the clock System.nanoTime
        // reads on Linux. The kernel reports expiry as -ETIME, which is this op's success.
        return submitOp(new SimpleOp<>("sleep", Uring.OP_TIMEOUT, -1, ts.address(), 1, 0, Uring.TIMEOUT_ABS,
                Errno.ETIME.value(), false, null, ts));
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

    /**
     * {@link Backend#closer}: the off-loop executor. The final close(2) can block in the kernel
     * (e.g. a pipe end whose lock an io-wq worker holds mid-splice), and the loop must never block.
     */
    @Override
    public java.util.concurrent.Executor closer() {
        return offLoop;
    }

    /**
     * {@link Backend#cancelOpsOn}: an ASYNC_CANCEL pass over the revoked {@code fd}. An op that
     * acquired fd earlier but reaches the loop after the pass is refused at the submit gate
     * ({@code refusal}); one that reached it before is in the kernel for the pass's ASYNC_CANCEL.
     */
    @Override
    public void cancelOpsOn(Fd fd) {
        int raw = fd.value();
        Runnable cancel = () -> {
            // Ops waiting in the overflow list never reach the kernel: drainOverflow refuses them.
            if (!fd.isReleased() && !shutdownStarted) {
                // Cancel every op on this descriptor (kernel 5.19); the last one to finish closes it.
                submitCancel(0, raw, ASYNC_CANCEL_FD | ASYNC_CANCEL_ALL);
                // Off-loop calls on it that may never return (a sendfile into it) are abandoned.
                abandonOffLoopCalls(op -> op.holds(fd), op -> new NativeIoException(op.name, Errno.ECANCELED.value(),
                        "fd " + raw + " closed"));
                // An op that holds fd as its directory (an openat2 under it) is no op "on" fd for
                // the kernel, whose cancel-by-descriptor matches only the op's own file; cancelled
                // by its token, or an open of a FIFO waiting for a peer would keep the close
                // pending as long as it waits. Only directories are scanned for (a path op on
                // anything else fails at once with ENOTDIR), so a socket's close costs no scan.
                if (fd.kind() == Fd.Kind.DIRECTORY) {
                    slots.forEachLive(token -> {
                        if (slots.get(token) instanceof EngineOp<?> op && op.other == fd) {
                            submitCancel(token, -1, 0);
                        }
                    });
                }
            }
        };
        if (inLoop()) {
            cancel.run();
        } else {
            queue.offer(cancel);
            wake();
        }
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
    public CompletableFuture<Void> fallocate(Fd fd, int mode, long offset, long length) {
        return CallOp.fallocate(this, fd, mode, offset, length);
    }

    @Override
    public CompletableFuture<Void> ftruncate(Fd fd, long length) {
        // IORING_OP_FTRUNCATE arrived in kernel 6.9; before that, the syscall off the loop (tryPrep).
        return CallOp.ftruncate(this, fd, length);
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
    public CompletableFuture<Integer> awaitReadable(Fd fd) {
        return CallOp.await(this, fd, true);
    }

    @Override
    public CompletableFuture<Integer> awaitWritable(Fd fd) {
        return CallOp.await(this, fd, false);
    }

    @Override
    public CompletableFuture<List<String>> readDir(Fd dir) {
        return ReadDirOp.readDir(this, dir);
    }

    @Override
    public CompletableFuture<Integer> getrandom(MemorySegment dst) {
        return GetrandomOp.getrandom(this, dst);
    }

    // ---- sockets ---------------------------------------------------------------------------------

    /** getpeername of a raw descriptor the engine just accepted; null if the kernel cannot tell. */
    SockAddr peerName(int rawFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(SockAddr.MAX_SIZE, 8);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, SockAddr.MAX_SIZE);
            if (shim.getpeername(rawFd, addr.address(), len.address()) < 0) {
                return null;
            }
            return SockAddr.decode(addr, len.get(JAVA_INT, 0));
        } catch (IllegalArgumentException unknownFamily) {
            return null;
        }
    }

    @Override
    public CompletableFuture<List<AddrInfo>> getaddrinfo(String node, String service, Hints hints) {
        if (closed) {
            return failed(new EngineClosedException("getaddrinfo"));
        }
        try {
            return Resolver.getaddrinfoAsync(node, service, hints, offLoop);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return failed(new EngineClosedException("getaddrinfo"));
        }
    }

    @Override
    public CompletableFuture<Fd> socket(Domain domain, Set<SocketType> type, Protocol protocol) {
        // IORING_OP_SOCKET arrived in kernel 5.19; before that, the syscall off the loop (tryPrep).
        return CallOp.socket(this, domain, type, protocol);
    }

    @Override
    public CompletableFuture<Void> bind(Fd fd, SockAddr address) {
        // IORING_OP_BIND arrived in kernel 6.11; before that, the syscall off the loop (tryPrep).
        return CallOp.bind(this, fd, address);
    }

    @Override
    public CompletableFuture<Void> listen(Fd fd, int backlog) {
        // IORING_OP_LISTEN arrived in kernel 6.11; before that, the syscall off the loop (tryPrep).
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
        SocketOps.MultishotAcceptOp op = new SocketOps.MultishotAcceptOp(this, listener.value(), handler);
        try {
            hold(op, listener, null);
        } catch (NativeIoException e) {
            op.completeExceptionally(e);
            return op;
        }
        submitOp(op);
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
        SpliceOp.check(src, dst, len);
        if (src.kind() == Fd.Kind.SOCKET || src.kind() == Fd.Kind.PIPE) {
            // io_uring always punts SPLICE to an io-wq worker, which then blocks in splice(2) until
            // the source has data, where ASYNC_CANCEL cannot reach it (so close(fd) and cancel would
            // hang). Waiting for POLLIN first keeps the wait in the ring, where it can be cancelled.
            // dst is held meanwhile, so a closed one fails now rather than after the wait.
            try {
                dst.acquire("splice");
            } catch (NativeIoException e) {
                return failed(e);
            }
            return new StagedSplice(this, src, dst, len).start();
        }
        return SpliceOp.submit(this, src, dst, len);
    }

    /** A splice whose source was polled readable first; cancel reaches whichever stage is running. */
    private static final class StagedSplice extends EngineFuture<Integer> {
        private final UringEngine engine;
        private final Fd src;
        private final Fd dst;
        private final int len;
        private volatile CompletableFuture<Integer> stage;

        StagedSplice(UringEngine engine, Fd src, Fd dst, int len) {
            this.engine = engine;
            this.src = src;
            this.dst = dst;
            this.len = len;
        }

        CompletableFuture<Integer> start() {
            CompletableFuture<Integer> poll = CallOp.poll(engine, "splice", src, Layouts.POLLIN);
            stage = poll;
            poll.whenComplete((events, failure) -> {
                CompletableFuture<Integer> splice = failure != null ? null : SpliceOp.submit(engine, src, dst, len);
                dst.release(); // the splice holds dst itself now
                if (failure != null) {
                    failFromEngine(failure instanceof java.util.concurrent.CompletionException c
                            && c.getCause() != null ? c.getCause() : failure);
                    return;
                }
                stage = splice;
                splice.whenComplete((n, t) -> {
                    if (t != null) {
                        failFromEngine(t instanceof java.util.concurrent.CompletionException c
                                && c.getCause() != null ? c.getCause() : t);
                    } else {
                        completeFromEngine(n);
                    }
                });
            });
            return this;
        }

        /** Cancels the stage in flight; the future completes with what that stage reports. */
        @Override
        protected boolean requestCancel() {
            stage.cancel(true);
            return true;
        }

        @Override
        protected boolean onLoopThread() {
            return engine.inLoop();
        }

        @Override
        protected CompletableFuture<Void> deadlineTimer(long deadline) {
            return engine.sleepUntil(deadline);
        }

        @Override
        protected String opName() {
            return "splice";
        }
    }

    @Override
    public CompletableFuture<Integer> sendZeroCopy(Fd fd, ByteBuffer src, Set<MsgFlag> flags) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(src, "src");
        // Checked first, as on every engine: a null flags set must not strand the bounce span below.
        Checks.msgFlags(flags, true);
        Bounce.check("sendZeroCopy", MemorySegment.ofBuffer(src));
        if (!supportsOp(Uring.OP_SEND_ZC)) {
            return send(fd, src, flags); // kernel < 6.0: an ordinary send
        }
        int pos = src.position();
        // Never cut (a datagram goes whole); bounce memory goes back only after the kernel's notification.
        Bounce.Span memory = Bounce.span("sendZeroCopy", MemorySegment.ofBuffer(src), false, Bounce.WHOLE);
        SocketOps.SendZcOp op = new SocketOps.SendZcOp(fd.value(), memory, Checks.msgFlags(flags, true),
                n -> src.position(pos + (int) n));
        return holdAndSubmit(op, fd, null);
    }

    @Override
    public BufferRing bufferRing(int entries, int bufferSize) {
        Checks.bufferRing(entries, bufferSize);
        if (closed) {
            throw new EngineClosedException("bufferRing");
        }
        UringBufferRing b = new UringBufferRing(this, nextBufferGroup.getAndIncrement() & 0xffff, entries, bufferSize);
        CompletableFuture<Void> registered = new CompletableFuture<>();
        Runnable register = () -> {
            try {
                b.register(shim, ring.address());
                bufferRings.add(b);
                registered.complete(null);
            } catch (Throwable t) {
                registered.completeExceptionally(t);
            }
        };
        if (inLoop()) {
            register.run(); // the ring is SINGLE_ISSUER: registration happens on its thread
        } else {
            execute(register);
        }
        try {
            registered.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("bufferRing: " + e.getCause().getMessage(), e.getCause());
        }
        return b;
    }

    /** BufferRing.close(): free it on the loop once no receive uses it. Any thread. */
    void releaseBufferRing(UringBufferRing b) {
        if (finished) {
            return;
        }
        Runnable free = () -> afterBufferRingUse(b);
        if (inLoop()) {
            free.run();
        } else {
            try {
                execute(free);
            } catch (EngineClosedException closing) {
                // teardown frees it
            }
        }
    }

    /** Loop only. */
    void afterBufferRingUse(UringBufferRing b) {
        if (b.isClosed() && b.users == 0 && ring != null) {
            b.freeIfUnused(shim, ring.address());
            bufferRings.remove(b);
        }
    }

    @Override
    public Multishot recvMultishot(Fd fd, BufferRing bufferRing, MultishotHandler<MemorySegment> handler) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(handler, "handler");
        if (!(bufferRing instanceof UringBufferRing b) || !b.belongsTo(this)) {
            throw new IllegalArgumentException("recvMultishot: the buffer ring was not made by this engine");
        }
        if (b.isClosed()) {
            throw new IllegalStateException("recvMultishot: the buffer ring is closed");
        }
        SocketOps.RecvMultishotOp op = new SocketOps.RecvMultishotOp(this, fd.value(), b, handler);
        try {
            hold(op, fd, null);
        } catch (NativeIoException e) {
            op.completeExceptionally(e);
            return op;
        }
        Runnable start = () -> {
            b.users++;
            submitOnLoop(op);
        };
        op.submittedTo(this);
        if (inLoop()) {
            start.run();
        } else {
            try {
                execute(start);
            } catch (EngineClosedException e) {
                op.fail(e);
            }
        }
        return op;
    }

    // ---- helpers ---------------------------------------------------------------------------------

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
