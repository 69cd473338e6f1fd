package dev.ringio.engine.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One io_uring instance: its mapped SQ and CQ rings, written and read directly from Java.
 * See the package documentation for the memory-ordering convention.
 *
 * <p>Threading: loop thread only (the thread that created it), except {@link #setupFlags()} and
 * the other read-only facts.
 */
final class Ring {

    private static final VarHandle INT = JAVA_INT.varHandle();

    // RINGIO_INFO_* indexes (shim/include/ringio.h)
    private static final int INFO_SQ_KHEAD = 0;
    private static final int INFO_SQ_KTAIL = 1;
    private static final int INFO_SQ_RING_MASK = 2;
    private static final int INFO_SQ_RING_ENTRIES = 3;
    private static final int INFO_SQ_KFLAGS = 4;
    private static final int INFO_SQES = 7;
    private static final int INFO_CQ_KHEAD = 8;
    private static final int INFO_CQ_KTAIL = 9;
    private static final int INFO_CQ_RING_MASK = 10;
    private static final int INFO_CQ_RING_ENTRIES = 11;
    private static final int INFO_CQ_KOVERFLOW = 12;
    private static final int INFO_CQES = 13;
    private static final int INFO_RING_FD = 15;
    private static final int INFO_FEATURES = 16;
    private static final int INFO_SETUP_FLAGS = 17;
    private static final int INFO_COUNT = 18;

    private final Shim shim;
    private final long ring;
    private final int ringFd;
    private final int features;
    private final int setupFlags;

    private final MemorySegment sqHead;
    private final MemorySegment sqTail;
    private final MemorySegment sqFlags;
    private final MemorySegment sqes;
    private final int sqMask;
    private final int sqEntries;
    private final MemorySegment cqHead;
    private final MemorySegment cqTail;
    private final MemorySegment cqOverflow;
    private final MemorySegment cqes;
    private final int cqMask;
    private final int cqEntries;

    private int enterFd;
    private int enterFlags = Uring.ENTER_GETEVENTS;
    private boolean registeredRingFd;
    private final boolean deferTaskrun;

    /** io_uring_enter calls made (written by the loop, read by anyone for diagnostics). */
    private volatile long enterCalls;

    /** Our copy of the SQ tail: SQEs up to here are written; published by {@link #publish()}. */
    private int sqTailLocal;
    private boolean destroyed;

    private Ring(Shim shim, long ring, MemorySegment info) {
        this.shim = shim;
        this.ring = ring;
        this.ringFd = (int) info.getAtIndex(JAVA_LONG, INFO_RING_FD);
        this.features = (int) info.getAtIndex(JAVA_LONG, INFO_FEATURES);
        this.setupFlags = (int) info.getAtIndex(JAVA_LONG, INFO_SETUP_FLAGS);
        this.sqMask = (int) info.getAtIndex(JAVA_LONG, INFO_SQ_RING_MASK);
        this.sqEntries = (int) info.getAtIndex(JAVA_LONG, INFO_SQ_RING_ENTRIES);
        this.cqMask = (int) info.getAtIndex(JAVA_LONG, INFO_CQ_RING_MASK);
        this.cqEntries = (int) info.getAtIndex(JAVA_LONG, INFO_CQ_RING_ENTRIES);
        this.sqHead = at(info, INFO_SQ_KHEAD, 4);
        this.sqTail = at(info, INFO_SQ_KTAIL, 4);
        this.sqFlags = at(info, INFO_SQ_KFLAGS, 4);
        this.sqes = at(info, INFO_SQES, (long) sqEntries * SqeLayout.SIZE);
        this.cqHead = at(info, INFO_CQ_KHEAD, 4);
        this.cqTail = at(info, INFO_CQ_KTAIL, 4);
        this.cqOverflow = at(info, INFO_CQ_KOVERFLOW, 4);
        this.cqes = at(info, INFO_CQES, (long) cqEntries * CqeLayout.SIZE);
        this.enterFd = ringFd;
        this.sqTailLocal = (int) INT.getAcquire(sqTail, 0L);
        this.deferTaskrun = (setupFlags & Uring.SETUP_DEFER_TASKRUN) != 0;
    }

    private static MemorySegment at(MemorySegment info, int index, long size) {
        return MemorySegment.ofAddress(info.getAtIndex(JAVA_LONG, index)).reinterpret(size);
    }

    /**
     * Creates a ring on the calling thread (which becomes its only submitter under SINGLE_ISSUER).
     *
     * @throws NativeIoException with the kernel's errno (ENOSYS, EPERM, ENOMEM, EINVAL ...)
     */
    static Ring create(Shim shim, int entries, int setupFlags) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(JAVA_LONG, INFO_COUNT);
            long r = shim.ringCreate(entries, setupFlags | Uring.SETUP_CQSIZE | Uring.SETUP_CLAMP, entries * 2,
                    info.address());
            if (r < 0) {
                throw new NativeIoException("io_uring_setup", (int) -r,
                        "entries=" + entries + ", flags=0x" + Integer.toHexString(setupFlags));
            }
            return new Ring(shim, r, info);
        }
    }

    /** Registers the ring fd so io_uring_enter skips the fd lookup (kernel 5.18); false if refused. */
    boolean registerRingFd() {
        int index = shim.ringRegisterRingFd(ring);
        if (index < 0) {
            return false;
        }
        enterFd = index;
        enterFlags |= Uring.ENTER_REGISTERED_RING;
        registeredRingFd = true;
        return true;
    }

    long address() {
        return ring;
    }

    int ringFd() {
        return ringFd;
    }

    int features() {
        return features;
    }

    int setupFlags() {
        return setupFlags;
    }

    int sqEntries() {
        return sqEntries;
    }

    int cqEntries() {
        return cqEntries;
    }

    boolean registeredRingFd() {
        return registeredRingFd;
    }

    // ---- submission ----------------------------------------------------------------------------

    /**
     * Claims the next SQE, zeroes it and returns its byte offset in the SQE array, or -1 when the
     * SQ is full (the kernel has not consumed enough yet: submit, then retry).
     */
    long nextSqe() {
        int head = (int) INT.getAcquire(sqHead, 0L); // acquire: the kernel consumed up to here
        if (sqTailLocal - head >= sqEntries) {
            return -1;
        }
        long off = (long) (sqTailLocal & sqMask) * SqeLayout.SIZE;
        sqTailLocal++;
        MemorySegment s = sqes;
        for (int i = 0; i < SqeLayout.SIZE; i += 8) {
            s.set(JAVA_LONG, off + i, 0L);
        }
        return off;
    }

    /** Fills the common SQE fields (plain writes; published by {@link #publish()}). */
    void prep(long off, byte opcode, int fd, long addr, int len, long offset, long userData) {
        MemorySegment s = sqes;
        s.set(JAVA_BYTE, off + SqeLayout.OPCODE, opcode);
        s.set(JAVA_INT, off + SqeLayout.FD, fd);
        s.set(JAVA_LONG, off + SqeLayout.OFF, offset);
        s.set(JAVA_LONG, off + SqeLayout.ADDR, addr);
        s.set(JAVA_INT, off + SqeLayout.LEN, len);
        s.set(JAVA_LONG, off + SqeLayout.USER_DATA, userData);
    }

    void opFlags(long off, int flags) {
        sqes.set(JAVA_INT, off + SqeLayout.OP_FLAGS, flags);
    }

    void bufIndex(long off, int index) {
        sqes.set(JAVA_SHORT, off + SqeLayout.BUF_INDEX, (short) index);
    }

    void ioprio(long off, int value) {
        sqes.set(JAVA_SHORT, off + SqeLayout.IOPRIO, (short) value);
    }

    /** IOSQE_* flags (e.g. BUFFER_SELECT). */
    void sqeFlags(long off, int flags) {
        sqes.set(JAVA_BYTE, off + SqeLayout.FLAGS, (byte) flags);
    }

    void spliceFdIn(long off, int fd) {
        sqes.set(JAVA_INT, off + SqeLayout.SPLICE_FD_IN, fd);
    }

    /** SQEs written but not yet consumed by the kernel. */
    int pending() {
        return sqTailLocal - (int) INT.getAcquire(sqHead, 0L);
    }

    /** Publishes the written SQEs to the kernel (release: their bodies become visible first). */
    void publish() {
        INT.setRelease(sqTail, 0L, sqTailLocal);
    }

    /**
     * Publishes and calls io_uring_enter: submits what is pending and, when {@code minComplete} > 0,
     * waits for that many completions. Returns the number submitted, or -errno.
     */
    int enter(int minComplete) {
        publish();
        int toSubmit = pending();
        enterCalls++; // single writer: the loop thread
        return shim.enter(enterFd, toSubmit, minComplete, enterFlags);
    }

    /** As {@link #enter(int)}, but gives up after {@code timeoutNanos} (-ETIME); needs FEAT_EXT_ARG. */
    int enterWithTimeout(int minComplete, long timeoutNanos) {
        publish();
        enterCalls++;
        return shim.enterTimeout(enterFd, pending(), minComplete, enterFlags, timeoutNanos);
    }

    /** Whether a loop turn must call io_uring_enter to get completions that are ready. */
    boolean needsEnter() {
        if (pending() > 0) {
            return true;
        }
        int flags = (int) INT.getAcquire(sqFlags, 0L);
        if ((flags & (Uring.SQ_TASKRUN | Uring.SQ_CQ_OVERFLOW)) != 0) {
            return true;
        }
        // Without DEFER_TASKRUN completions are posted by the kernel on its own; with it, only on
        // enter — the TASKRUN flag above then says when work is waiting.
        return false;
    }

    // ---- completion ----------------------------------------------------------------------------

    /** Completions ready to read. */
    int ready() {
        return (int) INT.getAcquire(cqTail, 0L) - (int) INT.get(cqHead, 0L);
    }

    /** Reaps every ready CQE into {@code sink}; returns how many. The head is published in a finally. */
    int reap(CqeSink sink) {
        int head = (int) INT.get(cqHead, 0L); // plain: only this thread writes the CQ head
        int tail = (int) INT.getAcquire(cqTail, 0L); // acquire: CQE bodies written before the tail
        if (head == tail) {
            return 0;
        }
        final MemorySegment c = cqes;
        final int mask = cqMask;
        int n = 0;
        try {
            while (head != tail) {
                long off = (long) (head & mask) * CqeLayout.SIZE;
                long userData = c.get(JAVA_LONG, off + CqeLayout.USER_DATA);
                int res = c.get(JAVA_INT, off + CqeLayout.RES);
                int flags = c.get(JAVA_INT, off + CqeLayout.FLAGS);
                head++;
                n++;
                sink.accept(userData, res, flags);
            }
        } finally {
            INT.setRelease(cqHead, 0L, head); // release: we are done reading those CQEs
        }
        return n;
    }

    long enterCalls() {
        return enterCalls;
    }

    /** The kernel's CQ overflow counter (completions it had to hold back). */
    int cqOverflow() {
        return (int) INT.getAcquire(cqOverflow, 0L);
    }

    boolean deferTaskrun() {
        return deferTaskrun;
    }

    /** Frees the ring (io_uring_queue_exit). Idempotent. */
    void destroy() {
        if (!destroyed) {
            destroyed = true;
            shim.ringDestroy(ring);
        }
    }

    /** Receives one CQE. */
    @FunctionalInterface
    interface CqeSink {
        void accept(long userData, int res, int flags);
    }
}
