package dev.ringio.blocking;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.RawCompletion;
import dev.ringio.buffers.Chunk;

import static dev.ringio.blocking.WaitExceptions.asynchronousClose;
import static dev.ringio.blocking.WaitExceptions.causedByClose;
import static dev.ringio.blocking.WaitExceptions.closedByInterrupt;

/**
 * {@link BlockingIo}'s fast path: one chunk read or write through the engine's allocation-free
 * completion API ({@link IoEngine#submitRead}, {@link IoEngine#submitWrite}), the calling thread
 * parked on a per-thread reusable {@link RawCompletion} instead of a {@code CompletableFuture},
 * with the same interrupt and asynchronous-close semantics as {@link FutureWait}.
 *
 * <p>Threading: any thread but the engine's loop thread; each thread waits on its own
 * {@code Waiter}.
 */
final class ChunkTransfer {

    private static final ThreadLocal<Waiter> WAITERS = ThreadLocal.withInitial(Waiter::new);

    private final IoEngine engine;
    private final FutureWait waits;

    ChunkTransfer(IoEngine engine, FutureWait waits) {
        this.engine = engine;
        this.waits = waits;
    }

    /** A thread's reusable completion: the loop stores the result and unparks the thread. */
    private static final class Waiter implements RawCompletion {
        private volatile Thread thread;
        private volatile boolean done;
        private volatile int result;
        /** Reused while no close has taken it (then it may still run, and a new one is made). */
        private CloseWake closeWake;

        @Override
        public void onComplete(int res) {
            result = res;
            done = true;
            LockSupport.unpark(thread);
        }
    }

    /**
     * One read ({@code read}) or write of up to {@code len} bytes of {@code chunk}, parked until it
     * completes: the kernel's count (0 at end of file for a read).
     */
    int transfer(String op, boolean read, Fd fd, Chunk chunk, int len, long fileOffset) throws IOException {
        waits.checkThread(op);
        Waiter w = WAITERS.get();
        w.thread = Thread.currentThread();
        w.done = false;
        if (read) {
            engine.submitRead(fd, chunk, len, fileOffset, w);
        } else {
            engine.submitWrite(fd, chunk, len, fileOffset, w);
        }
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        CloseWake wake = w.done ? null : closeWake(w, fd);
        try {
            while (!w.done) {
                if (!interrupted && me.isInterrupted()) {
                    interrupted = true;
                    engine.close(fd); // cancels the op; the completion still arrives (ECANCELED or a result)
                    Thread.interrupted();
                }
                LockSupport.park(w);
                if (interrupted) {
                    Thread.interrupted(); // keep parking until the completion; restored below
                }
            }
        } finally {
            if (wake != null && !fd.removeOnClose(wake)) {
                w.closeWake = null; // a close took it and may still be running it: never reuse it
            }
        }
        int r = w.result;
        if (interrupted) {
            me.interrupt();
            throw closedByInterrupt(op, fd, 0);
        }
        if (r < 0) {
            NativeIoException failure = new NativeIoException(op, -r);
            if (!fd.isOpen() && causedByClose(failure)) {
                throw asynchronousClose(failure);
            }
            throw failure;
        }
        return r;
    }

    /** The fast path's wake on close: a close of the descriptor cancels the op through the engine. */
    private static final class CloseWake implements Runnable {
        private IoEngine engine;
        private Fd fd;

        @Override
        public void run() {
            engine.close(fd);
        }
    }

    /** A wake on close without allocating: registers the thread's reusable action, or closes now. */
    private CloseWake closeWake(Waiter w, Fd fd) {
        CloseWake wake = w.closeWake;
        if (wake == null) {
            wake = new CloseWake();
            w.closeWake = wake;
        }
        wake.engine = engine;
        wake.fd = fd;
        if (fd.onClose(wake)) {
            return wake;
        }
        engine.close(fd); // closed after the op took hold of fd, before this thread could park
        return null;
    }
}
