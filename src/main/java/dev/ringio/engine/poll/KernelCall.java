package dev.ringio.engine.poll;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.ringio.Fd;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.KernelOp;
import dev.ringio.engine.Syscalls;
import dev.ringio.net.SocketConstants;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The readiness backend's half of an operation. The static methods turn a {@link KernelOp}
 * description into the syscall that does it ({@link #call}) and say where that call runs
 * ({@link #where}: the loop, the loop with readiness, the file pool, or the timer heap for a
 * {@link KernelOp.Timeout}; {@link #interest}, {@link #needsNonBlocking}): one exhaustive switch each, so a
 * new description does not compile until it has its cases here. Sends and receives pass
 * {@code MSG_DONTWAIT} (an EAGAIN then waits for readiness); reads and writes rely on the
 * {@code O_NONBLOCK} the engine sets on a descriptor before waiting on it.
 *
 * <p>An instance is the engine's record of an {@link EngineOp} while it runs: the state the
 * engine's machinery keeps per op (waiting on a descriptor, in line for or on the file pool), over
 * an op whose meaning is the op layer's. Each attempt is the syscall of the op's next description;
 * each final result goes to {@link EngineOp#handleResult}. What the op holds stays the op's: this
 * record reads it ({@link #fd()}, {@link #other()}) and, for an abandoned pool call, sets it aside.
 *
 * <p>Threading: as {@link PollOp}: the loop, and a pool thread for {@link #attempt} of file work;
 * the static methods are stateless.
 */
final class KernelCall<T> extends PollOp<T> implements Comparable<KernelCall<?>> {

    private final EngineOp<T> op;
    /** The first attempt's description, built with the record; later attempts ask the op. */
    private KernelOp first;
    /** A connect said EINPROGRESS: later attempts read its outcome. */
    private boolean connecting;
    /** SO_ERROR and its length, for {@link #connectOutcome}. */
    private MemorySegment soError;
    /** A {@link PollOp.Mode#TIMER} call: when it expires ({@link System#nanoTime()} time). */
    final long deadline;
    /** A {@link PollOp.Mode#TIMER} call: its place among timers with the same deadline (loop). */
    long seq;

    KernelCall(EngineOp<T> op) {
        super(op.name, PollOp.Mode.LOOP, op);
        this.op = op;
        KernelOp d = op.next();
        this.first = d;
        this.mode = where(d, op.fd);
        this.interest = interest(d);
        this.needsNonBlocking = needsNonBlocking(d);
        this.waitFd = op.fd;
        // An open may wait for another party for ever (a FIFO's for its peer, a device's for its
        // carrier): it runs on the unbounded workers, and an abandoned one's descriptor is closed.
        this.unbounded = d instanceof KernelOp.Openat2;
        this.resultIsFd = d instanceof KernelOp.Openat2;
        this.deadline = d instanceof KernelOp.Timeout t ? t.deadline() : 0;
        op.attachment = this;
    }

    /** Timers in the heap: earliest deadline first, then in the order they started. */
    @Override
    public int compareTo(KernelCall<?> o) {
        int c = Long.compare(deadline, o.deadline);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    long attempt(Shim shim) {
        if (connecting) {
            return connectOutcome(shim);
        }
        KernelOp d = first;
        if (d != null) {
            first = null;
        } else {
            d = op.next();
        }
        long r = call(shim, d);
        if (r == -PollEngine.EINPROGRESS && d instanceof KernelOp.Connect) {
            connecting = true; // wait writable, then SO_ERROR says how it went
            return -PollEngine.EAGAIN;
        }
        if (r == -PollEngine.EAGAIN && d instanceof KernelOp.Splice s) {
            // Either end can be the one not ready: wait for the source to be readable, or, when
            // it is, for the destination to be writable.
            if (shim.poll1(s.fdIn(), PollEngine.POLLIN, 0) == 0) {
                waitFd = op.fd;
                interest = Interest.READ;
            } else {
                waitFd = op.other;
                interest = Interest.WRITE;
            }
        }
        return r;
    }

    /**
     * A connect that said EINPROGRESS, once its socket is writable: {@code SO_ERROR} as
     * {@code 0} or {@code -errno}; EAGAIN when it has not settled yet (a spurious wakeup).
     */
    private long connectOutcome(Shim shim) {
        int raw = op.fd.value();
        if (shim.poll1(raw, PollEngine.POLLOUT, 0) == 0) {
            return -PollEngine.EAGAIN;
        }
        if (soError == null) {
            soError = Arena.ofAuto().allocate(8, 4);
        }
        soError.set(JAVA_INT, 0, 0);
        soError.set(JAVA_INT, 4, 4);
        int r = shim.getsockopt(raw, SocketConstants.SOL_SOCKET, SocketConstants.SO_ERROR, soError.address(),
                soError.address() + 4);
        if (r < 0) {
            return r;
        }
        int e = soError.get(JAVA_INT, 0);
        return e == 0 ? 0 : -e;
    }

    @Override
    boolean onResult(long res) {
        boolean again = op.handleResult(res);
        if (!again) {
            state = DONE; // the op completed (or failed) itself
        }
        return again;
    }

    @Override
    void succeed(T value) {
        state = DONE;
        op.succeed(value);
    }

    @Override
    void fail(Throwable t) {
        state = DONE;
        op.fail(t);
    }

    @Override
    Fd fd() {
        return op.fd;
    }

    @Override
    Fd other() {
        return op.other;
    }

    @Override
    boolean holds(Fd f) {
        return op.holds(f);
    }

    @Override
    Held takeHolds() {
        Held h = new Held(op.span, op.fd, op.other, op.chunk, op.passed);
        op.span = null;
        op.fd = null;
        op.other = null;
        op.chunk = null;
        op.passed = null;
        return h;
    }

    @Override
    void restoreHolds(Held h) {
        op.span = h.span();
        op.fd = h.fd();
        op.other = h.other();
        op.chunk = h.chunk();
        op.passed = h.passed();
    }

    // ---- descriptions as syscalls ------------------------------------------------------------------

    /**
     * Makes the call {@code op} describes, non-blocking ({@link Syscalls#call}): its result, or
     * {@code -errno} ({@code -EAGAIN}: wait and retry).
     */
    static long call(Shim shim, KernelOp op) {
        return Syscalls.call(shim, op, true);
    }

    /**
     * Where the call runs: reads and writes by the kind of {@code fd} ({@link PollEngine#modeFor}: the
     * file pool for files and devices, the loop with readiness for pipes and sockets); sends and
     * receives on the loop, waiting for readiness unless the caller asked for {@code MSG_DONTWAIT}
     * (then an EAGAIN is the answer).
     */
    static PollOp.Mode where(KernelOp op, Fd fd) {
        return switch (op) {
            case KernelOp.Read r -> PollEngine.modeFor(fd);
            case KernelOp.Write w -> PollEngine.modeFor(fd);
            case KernelOp.Readv v -> PollEngine.modeFor(fd);
            case KernelOp.Writev v -> PollEngine.modeFor(fd);
            case KernelOp.Send s -> dontWait(s.flags()) ? PollOp.Mode.LOOP : PollOp.Mode.READY;
            case KernelOp.Recv r -> dontWait(r.flags()) ? PollOp.Mode.LOOP : PollOp.Mode.READY;
            case KernelOp.SendMsg m -> dontWait(m.flags()) ? PollOp.Mode.LOOP : PollOp.Mode.READY;
            case KernelOp.RecvMsg m -> dontWait(m.flags()) ? PollOp.Mode.LOOP : PollOp.Mode.READY;
            case KernelOp.Splice p -> PollOp.Mode.READY;
            case KernelOp.Poll p -> PollOp.Mode.READY;
            // Files are always "ready": their calls, and every path call, block on the pool.
            case KernelOp.Openat2 o -> PollOp.Mode.POOL;
            case KernelOp.Fsync f -> PollOp.Mode.POOL;
            case KernelOp.Fallocate f -> PollOp.Mode.POOL;
            case KernelOp.Ftruncate t -> PollOp.Mode.POOL;
            case KernelOp.Statx x -> PollOp.Mode.POOL;
            case KernelOp.Unlinkat u -> PollOp.Mode.POOL;
            case KernelOp.Mkdirat m -> PollOp.Mode.POOL;
            case KernelOp.Renameat r -> PollOp.Mode.POOL;
            case KernelOp.Symlinkat l -> PollOp.Mode.POOL;
            case KernelOp.Timeout t -> PollOp.Mode.TIMER;
            case KernelOp.Fchmodat c -> PollOp.Mode.POOL;
            case KernelOp.Fchmod c -> PollOp.Mode.POOL;
            case KernelOp.Fchownat c -> PollOp.Mode.POOL;
            case KernelOp.Fchown c -> PollOp.Mode.POOL;
            case KernelOp.Linkat l -> PollOp.Mode.POOL;
            case KernelOp.CopyFileRange c -> PollOp.Mode.POOL;
            case KernelOp.Getdents64 g -> PollOp.Mode.POOL;
            case KernelOp.Getrandom g -> PollOp.Mode.POOL;
            // Into a file: pool work; into a socket or pipe (fd, the op's descriptor, is the
            // destination), on the loop, waiting for it to be writable on EAGAIN.
            case KernelOp.Sendfile f -> PollEngine.modeFor(fd);
            // Calls that never block.
            case KernelOp.Nop n -> PollOp.Mode.LOOP;
            case KernelOp.Socket k -> PollOp.Mode.LOOP;
            case KernelOp.Shutdown d -> PollOp.Mode.LOOP;
            case KernelOp.Bind b -> PollOp.Mode.LOOP;
            case KernelOp.Listen l -> PollOp.Mode.LOOP;
            case KernelOp.Connect c -> PollOp.Mode.READY;
            case KernelOp.Accept a -> PollOp.Mode.READY;
        };
    }

    /** The readiness an EAGAIN of the call waits for: {@link Interest#READ} or {@link Interest#WRITE}. */
    static int interest(KernelOp op) {
        return switch (op) {
            case KernelOp.Read r -> Interest.READ;
            case KernelOp.Readv v -> Interest.READ;
            case KernelOp.Recv r -> Interest.READ;
            case KernelOp.Write w -> Interest.WRITE;
            case KernelOp.Writev v -> Interest.WRITE;
            case KernelOp.Send s -> Interest.WRITE;
            case KernelOp.Splice p -> Interest.READ; // at first; an EAGAIN picks the end to wait on
            case KernelOp.RecvMsg m -> Interest.READ;
            case KernelOp.SendMsg m -> Interest.WRITE;
            case KernelOp.Poll p -> (p.events() & PollEngine.POLLIN) != 0 ? Interest.READ : Interest.WRITE;
            // Pool work never waits for readiness.
            case KernelOp.Openat2 o -> Interest.READ;
            case KernelOp.Fsync f -> Interest.READ;
            case KernelOp.Fallocate f -> Interest.READ;
            case KernelOp.Ftruncate t -> Interest.READ;
            case KernelOp.Statx x -> Interest.READ;
            case KernelOp.Unlinkat u -> Interest.READ;
            case KernelOp.Mkdirat m -> Interest.READ;
            case KernelOp.Renameat r -> Interest.READ;
            case KernelOp.Symlinkat l -> Interest.READ;
            case KernelOp.Fchmodat c -> Interest.READ;
            case KernelOp.Fchmod c -> Interest.READ;
            case KernelOp.Fchownat c -> Interest.READ;
            case KernelOp.Fchown c -> Interest.READ;
            case KernelOp.Linkat l -> Interest.READ;
            case KernelOp.CopyFileRange c -> Interest.READ;
            case KernelOp.Getdents64 g -> Interest.READ;
            case KernelOp.Getrandom g -> Interest.READ;
            case KernelOp.Sendfile f -> Interest.WRITE;
            case KernelOp.Connect c -> Interest.WRITE;
            case KernelOp.Accept a -> Interest.READ;
            // Loop calls and timers never wait for readiness.
            case KernelOp.Timeout t -> Interest.READ;
            case KernelOp.Nop n -> Interest.READ;
            case KernelOp.Socket k -> Interest.READ;
            case KernelOp.Shutdown d -> Interest.READ;
            case KernelOp.Bind b -> Interest.READ;
            case KernelOp.Listen l -> Interest.READ;
        };
    }

    /**
     * Whether the call blocks on a blocking descriptor (reads and writes), so the engine must set
     * {@code O_NONBLOCK} before waiting on it; sends and receives pass {@code MSG_DONTWAIT} instead.
     */
    static boolean needsNonBlocking(KernelOp op) {
        return switch (op) {
            case KernelOp.Read r -> true;
            case KernelOp.Write w -> true;
            case KernelOp.Readv v -> true;
            case KernelOp.Writev v -> true;
            case KernelOp.Send s -> false;
            case KernelOp.Recv r -> false;
            case KernelOp.Splice p -> true; // both ends: the engine does fd and other
            case KernelOp.SendMsg m -> false;
            case KernelOp.RecvMsg m -> false;
            // poll(2) never blocks; the rest run on the pool.
            case KernelOp.Poll p -> false;
            case KernelOp.Openat2 o -> false;
            case KernelOp.Fsync f -> false;
            case KernelOp.Fallocate f -> false;
            case KernelOp.Ftruncate t -> false;
            case KernelOp.Statx x -> false;
            case KernelOp.Unlinkat u -> false;
            case KernelOp.Mkdirat m -> false;
            case KernelOp.Renameat r -> false;
            case KernelOp.Symlinkat l -> false;
            case KernelOp.Fchmodat c -> false;
            case KernelOp.Fchmod c -> false;
            case KernelOp.Fchownat c -> false;
            case KernelOp.Fchown c -> false;
            case KernelOp.Linkat l -> false;
            case KernelOp.CopyFileRange c -> false;
            case KernelOp.Getdents64 g -> false;
            case KernelOp.Getrandom g -> false;
            case KernelOp.Sendfile f -> true; // into a socket or pipe: its destination (a file: the pool)
            case KernelOp.Connect c -> true;
            case KernelOp.Accept a -> true;
            case KernelOp.Timeout t -> false;
            case KernelOp.Nop n -> false;
            case KernelOp.Socket k -> false;
            case KernelOp.Shutdown d -> false;
            case KernelOp.Bind b -> false;
            case KernelOp.Listen l -> false;
        };
    }

    private static boolean dontWait(int msgFlags) {
        return (msgFlags & SocketConstants.MSG_DONTWAIT) != 0;
    }
}
