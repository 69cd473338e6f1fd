package dev.ringio.engine.poll;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Function;

import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.engine.TransferOp;

/**
 * The readiness engine's hand-offs to its file threads: an op that poll(2) would call always ready
 * (regular files, devices, paths) goes to the bounded or the unbounded {@link FileWorkers} (see
 * {@link PollEngine}'s class comment), its call's result comes back to the loop through the
 * command queue, and an op whose call may never return is abandoned when cancelled, when its
 * descriptor is closed or when the engine closes. A regular file's read is first tried on the loop
 * with {@code RWF_NOWAIT}, so a cached read needs no hand-off.
 *
 * <p>Threading: loop thread only, except the pool threads' own half ({@code runOnPool}).
 */
final class FilePool {

    private final PollEngine engine;
    private final FileWorkers boundedWorkers;
    private final FileWorkers unboundedWorkers;
    /** Ops on a pool thread, or in line for one, whose result the loop waits for. */
    private final Set<PollOp<?>> onPool = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Any thread (the engine's constructor). */
    FilePool(PollEngine engine, FileWorkers boundedWorkers, FileWorkers unboundedWorkers) {
        this.engine = engine;
        this.boundedWorkers = boundedWorkers;
        this.unboundedWorkers = unboundedWorkers;
    }

    /** Whether no op is on a pool thread or in line for one. Loop thread only. */
    boolean isIdle() {
        return onPool.isEmpty();
    }

    /**
     * A regular file's read tried on the loop with {@code preadv2(RWF_NOWAIT)}: true when that
     * answered it (the page cache had the data, or a real error), false when it would block
     * (EAGAIN, or a file system without non-blocking reads), and the pool must do it. Saves the
     * two thread hand-offs of the pool for a cached read, which is most of them. Not for an
     * {@code O_DIRECT} file ({@link Fd#isDirect()}): its RWF_NOWAIT read still waits for the device.
     * Loop thread only.
     */
    boolean servedFromPageCache(PollOps.Raw op) {
        if (op.fd() != null && op.fd().isDirect()) {
            return false; // an O_DIRECT read under RWF_NOWAIT waits for the device, on the loop
        }
        long r = op.attemptNowait(engine.shim);
        if (r < 0 && TransferOp.leaveToEngine((int) -r, true)) {
            return false;
        }
        engine.attempts.handle(op, r);
        return true;
    }

    /** Hands {@code op} to a pool thread (it waits in line when all are busy). Loop thread only. */
    void submit(PollOp<?> op) {
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
            r = engine.attempts.attemptNoEintr(op);
        } catch (Throwable t) {
            op.poolFailure = t;
            r = -Errno.EIO.value();
        }
        op.poolResult = r;
        if (op.poolReturned(engine.shim, r)) {
            engine.handBack(op);
        }
    }

    /** A pool call's result, taken from the command queue: on to the op. Loop thread only. */
    void returned(PollOp<?> op) {
        onPool.remove(op);
        engine.attempts.afterAttempt(op, op.poolResult);
    }

    /**
     * Whether calls on a descriptor of {@code kind} end by themselves (regular files, directories,
     * block devices), rather than possibly waiting for another party (a terminal, another device).
     * Any thread.
     */
    static boolean isBoundedWork(Fd.Kind kind) {
        return kind == Fd.Kind.FILE || kind == Fd.Kind.DIRECTORY || kind == Fd.Kind.BLOCK_DEVICE;
    }

    /**
     * Cancels a pool op: in line, or unbounded work in its call, it is completed now ({@code true});
     * bounded work in its call runs to its end and its result wins ({@code false}). Loop thread only.
     */
    boolean cancel(PollOp<?> op, Throwable cancelled) {
        if (op.abandonPoolCall(cancelled, op.unbounded)) {
            onPool.remove(op);
            return true;
        }
        return false;
    }

    /**
     * Completes pool ops with {@code reason(op)} without their calls: every op still in line, and
     * the unbounded ones running ({@code evenBounded}: the bounded ones running too). Those whose
     * call already returned keep their result. Loop thread only.
     */
    void abandon(Function<PollOp<?>, Throwable> reason, boolean evenBounded) {
        for (PollOp<?> op : new ArrayList<>(onPool)) {
            if (op.abandonPoolCall(reason.apply(op), evenBounded || op.unbounded)) {
                onPool.remove(op);
            }
        }
    }

    /**
     * close(fd): unbounded pool calls holding fd (a read of a terminal, an open under this directory
     * descriptor) may never return: abandoned, as a cancel abandons them. Their holds keep the
     * descriptor open until the call returns (its number must not be reused under a call that may
     * not have entered the kernel yet), but no longer keep the returned future (Fd.whenSettled)
     * from completing. Bounded calls run to their end. Loop thread only.
     */
    void abandonHolding(Fd fd) {
        for (PollOp<?> op : new ArrayList<>(onPool)) {
            if (op.unbounded && op.holds(fd)
                    && op.abandonPoolCall(new NativeIoException(op.name, PollEngine.ECANCELED, "fd " + fd.value() + " closed"), true)) {
                onPool.remove(op);
            }
        }
    }

    /** Stops both worker sets taking work (bounded calls running end by themselves). Any thread. */
    void shutdown() {
        boundedWorkers.shutdown();
        unboundedWorkers.shutdown();
    }
}
