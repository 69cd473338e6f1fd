package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

import dev.ringio.Fd;
import dev.ringio.engine.uring.Layouts;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Which of the caller's memory the kernel may hold during an operation, and the copies for the rest.
 * Shared by every engine, so that every operation taking a {@link MemorySegment} or a
 * {@link ByteBuffer} follows the same rules:
 * <ul>
 *   <li>Memory that is not alive (its arena closed) is refused with an {@link IllegalStateException}
 *       naming the operation, before anything reaches the kernel.</li>
 *   <li><b>Used in place</b>: native memory whose lifetime the caller cannot end while the operation
 *       is in flight: segments of the global arena (including {@code MemorySegment.ofAddress(..)
 *       .reinterpret(..)}, which the caller vouched for), of automatic arenas, and direct
 *       {@link ByteBuffer}s not made from an arena segment. The operation keeps them strongly
 *       reachable until it completes, so the GC cannot free them.</li>
 *   <li><b>Copied</b> through ringio-owned bounce memory ({@link BouncePool}): heap arrays (the GC may
 *       move them) and segments of shared arenas (the caller may close them at any time). A write
 *       copies in on the submitting thread (and, for later pieces, on the loop); a read copies out
 *       when the kernel's result arrives. The copy is an ordinary scoped access, so a close that
 *       races it makes it throw {@link IllegalStateException} (the future fails with it) instead of
 *       touching freed memory; the kernel only ever saw ringio's memory.</li>
 *   <li><b>Refused</b>: segments of confined arenas (and direct buffers made from them), with an
 *       {@link IllegalStateException}, as the JDK's asynchronous channels do: a result arriving on
 *       the loop thread could not be copied into them.</li>
 *   <li>Anything the rules above do not recognise is copied (the safe default).</li>
 * </ul>
 * File and pipe transfers through bounce memory move at most {@link #PIECE} bytes per kernel
 * operation (a read returns a short count, a write loops); socket, message and other transfers are
 * not cut, because a datagram cut in two is not the same datagram (see {@link #cutFor}).
 *
 * <p>Stateless; any thread. A {@link Span} belongs to one operation.
 */
public final class Bounce {

    /**
     * The most bytes one kernel operation on a file or pipe moves through bounce memory: large enough
     * that the per-operation cost (an SQE and a CQE, or a syscall, a few microseconds) is small beside
     * copying the piece, small enough that many transfers share the pool's bounded idle memory.
     */
    public static final int PIECE = 256 * 1024;
    /** No cut: the whole transfer goes through one bounce buffer. */
    public static final long WHOLE = Long.MAX_VALUE;

    private static final Class<?> GLOBAL;
    private static final Class<?> BUFFER;
    private static final Class<?> AUTOMATIC;
    private static final Class<?> CONFINED;

    static {
        // MemorySegment.Scope has no "kind": learn the JDK's classes from one sample of each.
        Class<?> global = Arena.global().allocate(1).scope().getClass();
        Class<?> buffer = MemorySegment.ofBuffer(ByteBuffer.allocateDirect(1)).scope().getClass();
        Class<?> automatic = Arena.ofAuto().allocate(1).scope().getClass();
        Class<?> confined;
        try (Arena c = Arena.ofConfined()) {
            confined = c.allocate(1).scope().getClass();
        }
        Class<?> shared;
        try (Arena s = Arena.ofShared()) {
            shared = s.allocate(1).scope().getClass();
        }
        if (shared == global || shared == buffer || shared == automatic || shared == confined) {
            // A JDK that does not tell closeable scopes apart by class: copy everything native too.
            global = buffer = automatic = null;
        }
        GLOBAL = global;
        BUFFER = buffer;
        AUTOMATIC = automatic;
        CONFINED = confined == shared ? null : confined;
    }

    private Bounce() {
    }

    /** What runs after a transfer of {@code transferred} bytes (advance a position). */
    @FunctionalInterface
    public interface After {
        void done(long transferred);
    }

    /** How {@code seg} is handed to the kernel. */
    enum Use { IN_PLACE, COPY, REFUSE }

    static Use useOf(MemorySegment seg) {
        if (!seg.isNative()) {
            return Use.COPY;
        }
        Class<?> c = seg.scope().getClass();
        if (c == GLOBAL || c == BUFFER || c == AUTOMATIC) {
            return Use.IN_PLACE;
        }
        return c == CONFINED ? Use.REFUSE : Use.COPY;
    }

    /** Whether the kernel may hold {@code seg} itself (its memory cannot be freed before the op ends). */
    public static boolean inPlace(MemorySegment seg) {
        return useOf(seg) == Use.IN_PLACE;
    }

    /** Whether {@code seg} is alive memory of a confined arena (which {@link #check} refuses). */
    public static boolean confined(MemorySegment seg) {
        return seg.scope().isAlive() && useOf(seg) == Use.REFUSE;
    }

    /**
     * Checks {@code seg} before submission: alive, and not of a confined arena.
     *
     * @throws IllegalStateException naming {@code op} if the memory is not alive or thread-confined
     */
    public static void check(String op, MemorySegment seg) {
        if (!seg.scope().isAlive()) {
            throw new IllegalStateException(op + ": the memory's arena is already closed");
        }
        if (useOf(seg) == Use.REFUSE) {
            throw new IllegalStateException(op + ": memory of a confined arena is not supported"
                    + " (the operation completes on another thread); use a shared or automatic arena");
        }
    }

    /**
     * The bounce cut for a transfer on {@code fd}: {@link #PIECE} for regular files, pipes and block
     * devices, whose reads and writes are byte streams; {@link #WHOLE} for anything else (sockets,
     * character devices such as a tun device, descriptors of unknown kind), where one read or write
     * may be one message that must not be cut.
     */
    public static long cutFor(Fd fd) {
        return switch (fd.kind()) {
            case FILE, PIPE, BLOCK_DEVICE -> PIECE;
            default -> WHOLE;
        };
    }

    /** A span over one segment; see {@link #span(String, MemorySegment[], boolean, long)}. */
    public static Span span(String op, MemorySegment seg, boolean read, long cut) {
        return span(op, new MemorySegment[] {seg}, read, cut);
    }

    /**
     * The kernel-side memory of a transfer over {@code segs} (in order): checks each one
     * ({@link #check}), takes bounce memory for those that are copied (at most {@code cut} bytes of
     * it), and for a write copies the first piece in, on the calling thread.
     *
     * @throws IllegalStateException naming {@code op} if some memory is not alive or thread-confined
     */
    public static Span span(String op, MemorySegment[] segs, boolean read, long cut) {
        boolean[] copied = new boolean[segs.length];
        long total = 0;
        long copyBytes = 0;
        for (int i = 0; i < segs.length; i++) {
            MemorySegment s = Objects.requireNonNull(segs[i], op + ": segment " + i);
            check(op, s);
            copied[i] = useOf(s) != Use.IN_PLACE;
            total += s.byteSize();
            if (copied[i]) {
                copyBytes += s.byteSize();
            }
        }
        long bounceSize = Math.min(copyBytes, cut);
        BouncePool.Lease lease = bounceSize > 0 ? BouncePool.SHARED.acquire(bounceSize) : null;
        Span span = new Span(op, read, segs, copied, total, lease, bounceSize);
        if (!read && lease != null) {
            try {
                span.stage(0);
            } catch (RuntimeException e) {
                lease.release();
                throw e instanceof IllegalStateException ? new IllegalStateException(op + ": " + e.getMessage(), e) : e;
            }
        }
        return span;
    }

    /**
     * A transfer's memory as the kernel sees it: the caller's segments where they are used in place,
     * ringio's bounce memory for the others. The transfer proceeds in pieces from a byte count
     * {@code done}: {@link #address}/{@link #length} (contiguous) or {@link #iovecs} (vectored) describe
     * the piece; {@link #stage} copies a write's piece in before it is submitted, {@link #landed} copies
     * a read's bytes out after. {@link #release} once the kernel is done (never on a mere cancel
     * request: the kernel may still write). Owned by one operation; not thread-safe.
     */
    public static final class Span {
        private static final int IOV = 0;
        private static final int STAGE = 1;
        private static final int LAND = 2;

        private final String op;
        private final boolean read;
        private final MemorySegment[] user;
        private final boolean[] copied;
        private final long total;
        private final long bounceSize;
        private BouncePool.Lease lease;
        private final MemorySegment bounce;
        /** A span over raw memory ringio owns (a pool chunk): its address; else unused. */
        private final long base;

        private Span(String op, boolean read, MemorySegment[] user, boolean[] copied, long total,
                     BouncePool.Lease lease, long bounceSize) {
            this(op, read, user, copied, total, lease, bounceSize, 0);
        }

        private Span(String op, boolean read, MemorySegment[] user, boolean[] copied, long total,
                     BouncePool.Lease lease, long bounceSize, long base) {
            this.base = base;
            this.op = op;
            this.read = read;
            this.user = user;
            this.copied = copied;
            this.total = total;
            this.lease = lease;
            this.bounceSize = bounceSize;
            this.bounce = lease == null ? null : lease.memory();
        }

        /**
         * {@code length} bytes at {@code address} of memory ringio owns and holds for the operation
         * (a retained pool chunk): used in place, contiguous only.
         */
        public static Span owned(String op, long address, long length) {
            return new Span(op, false, new MemorySegment[0], new boolean[0], length, null, 0, address);
        }

        /** Every byte of the caller's segments. */
        public long total() {
            return total;
        }

        /** Whether some of the memory goes through bounce memory. */
        public boolean bounced() {
            return bounce != null;
        }

        /** The kernel address of the piece at {@code done} (one contiguous segment). */
        public long address(long done) {
            if (bounce != null) {
                return bounce.address();
            }
            return (user.length == 0 ? base : user[0].address()) + done;
        }

        /** The length of the piece at {@code done} (one contiguous segment). */
        public long length(long done) {
            long left = total - done;
            return bounce == null ? left : Math.min(left, bounceSize);
        }

        /** Writes the iovecs of the piece at {@code done} (at most {@code max}); how many. */
        public int iovecs(long done, MemorySegment iovecs, int max) {
            return (int) walk(done, max, IOV, 0, iovecs);
        }

        /** A write: copies the caller's bytes of the piece at {@code done} into bounce memory. */
        public void stage(long done) {
            if (!read && bounce != null) {
                walk(done, Layouts.IOV_MAX, STAGE, 0, null);
            }
        }

        /**
         * A read: copies the {@code n} bytes the kernel put in the piece at {@code done} out of
         * bounce memory into the caller's segments.
         *
         * @throws IllegalStateException if the caller closed the memory meanwhile (nothing copied)
         */
        public void landed(long done, long n) {
            if (read && bounce != null && n > 0) {
                try {
                    walk(done, Layouts.IOV_MAX, LAND, n, null);
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(op + ": " + e.getMessage(), e);
                }
            }
        }

        /** Gives the bounce memory back. Only once the kernel is done with it; idempotent. */
        public void release() {
            BouncePool.Lease l = lease;
            lease = null;
            if (l != null) {
                l.release();
            }
        }

        /** The piece at {@code done}: in-place runs and bounce runs up to the bounce size, at most {@code max} of them. */
        private long walk(long done, int max, int mode, long n, MemorySegment iov) {
            long skip = done;
            int i = 0;
            while (i < user.length && skip >= user[i].byteSize()) {
                skip -= user[i].byteSize();
                i++;
            }
            long used = 0;
            long left = n;
            int count = 0;
            for (; i < user.length && count < max; i++, skip = 0) {
                long len = user[i].byteSize() - skip;
                if (len == 0) {
                    continue;
                }
                boolean cut = false;
                long at = -1;
                if (copied[i]) {
                    long room = bounceSize - used;
                    if (room == 0) {
                        break;
                    }
                    if (len > room) {
                        len = room;
                        cut = true;
                    }
                    at = used;
                    used += len;
                }
                switch (mode) {
                    case IOV -> {
                        long o = (long) count * Layouts.IOVEC_SIZE;
                        iov.set(JAVA_LONG, o + Layouts.IOVEC_BASE, at < 0 ? user[i].address() + skip : bounce.address() + at);
                        iov.set(JAVA_LONG, o + Layouts.IOVEC_LEN, len);
                    }
                    case STAGE -> {
                        if (at >= 0) {
                            MemorySegment.copy(user[i], skip, bounce, at, len);
                        }
                    }
                    default -> {
                        long k = Math.min(len, left);
                        if (at >= 0) {
                            MemorySegment.copy(bounce, at, user[i], skip, k);
                        }
                        left -= k;
                        if (left == 0) {
                            return count + 1;
                        }
                    }
                }
                count++;
                if (cut) {
                    break;
                }
            }
            return count;
        }
    }
}
