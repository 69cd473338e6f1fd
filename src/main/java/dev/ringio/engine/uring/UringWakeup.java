package dev.ringio.engine.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * How other threads wake the io_uring loop: an eventfd that always has a READ pending on the ring
 * (user_data {@link Uring#UD_WAKEUP}). A write to the eventfd completes that READ, so the loop's
 * waiting io_uring_enter returns; the loop re-arms the READ on its next turn. Other threads write it
 * only when the loop has said it is about to sleep (the need-wakeup flag of the engine's
 * {@link dev.ringio.engine.AgentRunner}), so a busy loop costs no syscall per submission.
 *
 * <p>Threading: {@link #write()} from any thread; everything else on the loop thread only.
 */
final class UringWakeup {

    private final Shim shim;
    // GC-managed: other threads may still be inside a wake-up write when the loop finishes.
    private final Arena arena = Arena.ofAuto();
    /** 8 bytes holding 1: what other threads write to the eventfd to wake the loop. */
    private final MemorySegment wakeValue;
    /** 8 bytes the pending eventfd READ fills (loop). */
    private final MemorySegment wakeSink;
    /** The wake-up eventfd; ref-counted because other threads write it while the loop may close it. */
    private volatile Fd wakeFd;
    private int eventFd = -1;
    private boolean wakeupArmed;

    /** Any thread (the engine's constructor). */
    UringWakeup(Shim shim) {
        this.shim = shim;
        this.wakeValue = arena.allocate(JAVA_LONG);
        this.wakeValue.set(JAVA_LONG, 0, 1L);
        this.wakeSink = arena.allocate(JAVA_LONG);
    }

    /** Makes the eventfd (ring set-up). Loop thread only. */
    void open() throws NativeIoException {
        eventFd = (int) NativeIoException.check("eventfd", shim.eventfd(0, 02000000 /* EFD_CLOEXEC */));
        wakeFd = Fd.adopt(eventFd, Fd.Kind.EVENTFD);
    }

    /**
     * Keeps an eventfd READ pending so a write from another thread wakes the loop: false when no
     * SQE is free for it now. Loop thread only.
     */
    boolean arm(UringSubmission submission, Ring ring) {
        long sqe = submission.claimSqe();
        if (sqe < 0) {
            return false;
        }
        ring.prep(sqe, Uring.OP_READ, eventFd, wakeSink.address(), 8, 0, Uring.UD_WAKEUP);
        wakeupArmed = true;
        return true;
    }

    /** Whether the READ is pending on the ring. Loop thread only. */
    boolean isArmed() {
        return wakeupArmed;
    }

    /** The READ's completion arrived (a wake-up, or its cancel at shutdown). Loop thread only. */
    void onCompleted() {
        wakeupArmed = false;
    }

    /** Writes the eventfd, waking the loop; nothing once the loop has closed it. Any thread. */
    void write() {
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

    /** Closes the eventfd: now, or when the last concurrent waker lets go. Loop thread only (teardown). */
    void close() {
        Fd w = wakeFd;
        if (w != null) {
            w.close();
        }
    }
}
