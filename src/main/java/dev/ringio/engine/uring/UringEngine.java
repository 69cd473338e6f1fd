package dev.ringio.engine.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import dev.ringio.BufferRing;
import dev.ringio.Capability;
import dev.ringio.EngineClosedException;
import dev.ringio.EngineConfig;
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
import dev.ringio.engine.Bounce;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.TransferOp;
import dev.ringio.engine.IdleStrategy;
import dev.ringio.engine.OpEngine;
import dev.ringio.engine.SpliceOp;
import dev.ringio.engine.SlotTable;
import dev.ringio.net.Accepted;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.SockAddr;
import dev.ringio.sys.Shim;


import static java.lang.foreign.ValueLayout.JAVA_INT;


/**
 * The io_uring engine: one ring, owned by one platform thread (the loop).
 *
 * <p>Other threads hand work over through an MPSC queue and wake the loop through an eventfd
 * that always has a READ pending on the ring; they write it only when the loop has said it is
 * about to sleep ({@link UringWakeup}), so a busy loop costs no syscall per submission. The loop
 * writes SQEs straight into the mapped SQ ring and calls io_uring_enter once per turn to submit
 * the batch and, when idle, wait.
 *
 * <p>The loop's concerns are objects of their own, each with its threading rule: ring set-up and
 * probe ({@link UringSetUp}), the loop agent ({@link UringLoop}), the wake-up eventfd
 * ({@link UringWakeup}), SQEs and the overflow list ({@link UringSubmission}), CQE dispatch
 * ({@link CqeDispatch}), cancellation ({@link UringCancellation}), shutdown
 * ({@link UringShutdown}) and buffer rings ({@link UringBufferRings}).
 *
 * <p>Threading: the public methods are safe from any thread (see {@link IoEngine}); every field
 * marked "loop" is touched by the loop thread only.
 */
public final class UringEngine extends OpEngine {

    private static final System.Logger LOG = System.getLogger("dev.ringio");
    private static final AtomicInteger ENGINE_IDS = new AtomicInteger();

    final Shim shim = Shim.get();
    final EngineConfig config;
    final MpscUnboundedAtomicArrayQueue<Object> queue = new MpscUnboundedAtomicArrayQueue<>(1024);
    /** The shared loop and its need-wakeup flag (docs/engine.md, "The loop"). */
    private final AgentRunner runner;
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    final FixedBufferPool pool;
    final boolean ownsPool;
    private final Thread loop;
    /** Calls the ring cannot take, and final closes, on platform threads off the loop. */
    final UringOffLoop offLoop = new UringOffLoop(this);
    private final AtomicLong callbackErrors = new AtomicLong();

    // ---- the loop's concerns, each its own object (threading rules on each class) ----
    /** The eventfd READ kept pending on the ring, and the write that completes it. */
    final UringWakeup wakeup;
    /** SQEs, the submit gate and the overflow list. */
    final UringSubmission submission = new UringSubmission(this);
    /** The loop agent: one turn, the park, the command queue. */
    final UringLoop loopAgent = new UringLoop(this);
    /** ASYNC_CANCEL: by token, by descriptor, parked when the SQ is full. */
    final UringCancellation cancellation = new UringCancellation(this);
    /** Stop, cancel, drain, unmap. */
    final UringShutdown shutdown = new UringShutdown(this);
    /** Buffer rings registered with this ring. */
    final UringBufferRings bufferRings = new UringBufferRings(this);
    /** CQE → slot → handler. */
    final CqeDispatch dispatch;

    volatile boolean closed;
    volatile boolean finished;
    volatile boolean buffersRegistered;
    private volatile String description = "io_uring engine (starting)";

    // ---- loop-only state ----
    Ring ring;
    /** Tasks {@link #execute} got on the loop thread: run next turn, never re-entrantly, and never through the queue. */
    final ArrayDeque<Runnable> localTasks = new ArrayDeque<>();
    /** Commands taken from the cross-thread queue so far (written by the loop only). */
    volatile long commandsDrained;
    final SlotTable slots;
    boolean shutdownStarted;
    byte[] probe = new byte[0];
    private final AtomicInteger nextBufferGroup = new AtomicInteger();

    private UringEngine(EngineConfig config) {
        super("io_uring");
        this.config = config;
        this.slots = new SlotTable(config.queueDepth() * 2);
        this.dispatch = new CqeDispatch(this, slots);
        if (config.bufferPool() != null) {
            this.pool = config.bufferPool();
            this.ownsPool = false;
        } else {
            this.pool = FixedBufferPool.allocate(config.fixedBufferCount(), config.fixedBufferSize());
            this.ownsPool = true;
        }
        this.wakeup = new UringWakeup(shim);
        this.runner = new AgentRunner(loopAgent, IdleStrategy.of(config));
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
                UringSetUp setUp = new UringSetUp(e);
                setUp.run();
                e.description = setUp.describe();
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

    /**
     * What this kernel's io_uring offers, from a two-entry ring made for the question: the names
     * of the opcodes the probe reports and of the feature bits. Empty when io_uring cannot start.
     * Any thread.
     */
    public static Optional<dev.ringio.IoUringProbe> probeKernel() {
        return UringSetUp.probeKernel();
    }

    /**
     * Sets up a two-entry ring and destroys it: returns when io_uring can start here, throws why
     * not (e.g. {@code io_uring_setup: EPERM} under a seccomp filter). Uncached and not free: the
     * gate {@code dev.ringio.EngineAvailability.of("io_uring")} runs it once and keeps the answer.
     * Any thread.
     *
     * @throws NativeIoException with the kernel's errno when the ring cannot be set up
     */
    public static void requireKernelSupport() throws NativeIoException {
        UringSetUp.probeRing();
    }

    // ---- loop --------------------------------------------------------------------------------------

    private void run() {
        try {
            if (startup.getAsBoolean()) {
                runner.run();
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "io_uring loop died; failing every operation", t);
            shutdown.failEverything(t);
        } finally {
            shutdown.tearDown();
        }
    }

    /** Reports a callback's exception to the error handler and counts it; never throws. Loop thread. */
    void callbackError(Throwable t) {
        callbackErrors.incrementAndGet();
        try {
            config.errorHandler().accept(t);
        } catch (Throwable ignored) {
            // The error handler itself failed; the loop must not die of it.
        }
    }

    /** Submits (or queues behind earlier overflow) an op on the loop thread. */
    void submitOnLoop(EngineOp<?> op) {
        submission.submit(op);
    }

    /** Submits an op again after a partial result or EINTR (it keeps its fd and chunk). Loop only. */
    void resubmit(EngineOp<?> op) {
        submitOnLoop(op);
    }

    // ---- cancellation ----------------------------------------------------------------------------

    /** Asks the loop to cancel {@code op}. Any thread. */
    void requestCancel(EngineOp<?> op) {
        cancellation.request(op);
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
        wakeup.write();
    }

    /** After queueing a command: wakes the loop if it is parking (the need-wakeup flag). Any thread. */
    void wake() {
        runner.wakeup();
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
        return dispatch.staleCompletions();
    }

    /** io_uring_enter calls made so far: syscalls per op = delta(enterCalls) / ops. Any thread. */
    public long enterCalls() {
        Ring r = ring;
        return r == null ? 0 : r.enterCalls();
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
     * submitting them; the command queue publishes the change to the loop. Any thread.
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
                shutdown.drainStranded();
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
        if (inLoop() && !closed && !shutdownStarted && submission.overflowIsEmpty()) {
            long sqe = submission.claimSqe();
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
        TransferOp.checkChunk(name, fd, chunk, len, fileOffset);
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
        if (inLoop() && !shutdownStarted && submission.overflowIsEmpty()) {
            long sqe = submission.claimSqe();
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

    /**
     * {@link Backend#closer}: the off-loop executor. The final close(2) can block in the kernel
     * (e.g. a pipe end whose lock an io-wq worker holds mid-splice), and the loop must never block.
     */
    @Override
    public java.util.concurrent.Executor closer() {
        return offLoop.executor();
    }

    /**
     * {@link Backend#cancelOpsOn}: an ASYNC_CANCEL pass over the revoked {@code fd}. An op that
     * acquired fd earlier but reaches the loop after the pass is refused at the submit gate
     * ({@code refusal}); one that reached it before is in the kernel for the pass's ASYNC_CANCEL.
     */
    @Override
    public void cancelOpsOn(Fd fd) {
        cancellation.cancelOpsOn(fd);
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

    /** {@link OpEngine#resolverThreads}: the off-loop virtual threads. */
    @Override
    protected java.util.concurrent.Executor resolverThreads() {
        return offLoop.executor();
    }

    /** {@link OpEngine#loopRunner}: its park is an io_uring_enter that waits. */
    @Override
    protected AgentRunner loopRunner() {
        return runner;
    }

    /**
     * A splice from a socket or a pipe waits for the source to be readable first (a POLL_ADD),
     * then splices; from anything else it is {@link SpliceOp#splice}.
     */
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

    /** SEND_ZC (kernel 6.0); before that, an ordinary send. */
    @Override
    protected CompletableFuture<Integer> zeroCopySend(Fd fd, ByteBuffer src, Set<MsgFlag> flags, int msgFlags) {
        if (!supportsOp(Uring.OP_SEND_ZC)) {
            return super.zeroCopySend(fd, src, flags, msgFlags);
        }
        int pos = src.position();
        // Never cut (a datagram goes whole); bounce memory goes back only after the kernel's notification.
        Bounce.Span memory = Bounce.span("sendZeroCopy", MemorySegment.ofBuffer(src), false, Bounce.WHOLE);
        SocketOps.SendZcOp op = new SocketOps.SendZcOp(fd.value(), memory, msgFlags, n -> src.position(pos + (int) n));
        return holdAndSubmit(op, fd, null);
    }

    /** A ring registered on the loop thread (the ring is SINGLE_ISSUER); waits for the registration. */
    @Override
    protected BufferRing newBufferRing(int entries, int bufferSize) {
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
        bufferRings.release(b);
    }

    /** A receive stopped using {@code b}: frees it if it is closed and unused. Loop thread only. */
    void afterBufferRingUse(UringBufferRing b) {
        bufferRings.afterUse(b);
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
}
