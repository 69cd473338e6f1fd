package dev.ringio.engine.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ringio.EngineConfig;
import dev.ringio.Errno;
import dev.ringio.IoUringProbe;
import dev.ringio.NativeIoException;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Ring set-up and the kernel probe: the ring with the newest setup flags this kernel takes (retrying
 * older sets on EINVAL), the registered ring fd, the io-wq worker caps, the opcode probe, the
 * wake-up eventfd, the fixed-buffer pool's registration; and, for {@code ringio info}, a probe of
 * the kernel on a two-entry ring made for the question.
 *
 * <p>Threading: {@link #run} and {@link #describe} on the loop thread only (the ring is created by
 * its single issuer); the static methods from any thread.
 */
final class UringSetUp {

    private static final System.Logger LOG = System.getLogger("dev.ringio");

    private final UringEngine engine;

    /** Any thread. */
    UringSetUp(UringEngine engine) {
        this.engine = engine;
    }

    /** Sets the engine's ring up, ready for its first turn. Loop thread only. */
    void run() throws NativeIoException {
        Shim shim = engine.shim;
        EngineConfig config = engine.config;
        Layouts.verify(shim);
        Ring ring = createRing(shim, config);
        engine.ring = ring;
        if (!ring.registerRingFd()) {
            LOG.log(System.Logger.Level.DEBUG, "io_uring: ring fd registration refused; using the plain fd");
        }
        if (config.boundedIoWorkers() > 0 || config.unboundedIoWorkers() > 0) {
            shim.ringRegisterIowqMaxWorkers(ring.address(), config.boundedIoWorkers(), config.unboundedIoWorkers());
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(Uring.OP_MAX_PROBED);
            if (shim.ringProbe(ring.address(), p.address(), Uring.OP_MAX_PROBED) >= 0) {
                engine.probe = p.toArray(JAVA_BYTE);
            }
        }
        engine.wakeup.open();
        if (config.registerFixedBuffers()) {
            registerBuffers(shim, ring, engine.pool);
        }
        if (!engine.wakeup.arm(engine.submission, ring)) {
            throw new IllegalStateException("io_uring: no SQE for the wake-up read on a new ring");
        }
    }

    private static Ring createRing(Shim shim, EngineConfig config) throws NativeIoException {
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

    private void registerBuffers(Shim shim, Ring ring, FixedBufferPool pool) {
        MemorySegment a = pool.arena();
        int r;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment iov = scratch.allocate(Layouts.IOVEC_SIZE, 8);
            iov.set(JAVA_LONG, Layouts.IOVEC_BASE, a.address());
            iov.set(JAVA_LONG, Layouts.IOVEC_LEN, a.byteSize());
            r = shim.ringRegisterBuffers(ring.address(), iov.address(), 1); // the kernel copies the iovec
        }
        if (r < 0) {
            LOG.log(System.Logger.Level.WARNING, "io_uring refused to register the fixed-buffer pool ("
                    + Errno.nameOf(-r) + ": " + Errno.describe(-r) + "; RLIMIT_MEMLOCK too low?); "
                    + "chunk I/O uses plain READ/WRITE on the same memory");
        } else {
            engine.buffersRegistered = true;
        }
    }

    /** The engine's description for {@code toString}, once the ring is set up. Loop thread only. */
    String describe() {
        Ring ring = engine.ring;
        FixedBufferPool pool = engine.pool;
        StringBuilder sb = new StringBuilder("io_uring engine [sq=").append(ring.sqEntries())
                .append(" cq=").append(ring.cqEntries()).append(", setup=").append(setupFlagNames(ring.setupFlags()))
                .append(", features=0x").append(Integer.toHexString(ring.features()))
                .append(ring.registeredRingFd() ? ", registered ring fd" : "")
                .append(", fixed buffers ").append(pool.chunkCount()).append('x').append(pool.chunkSize())
                .append(engine.buffersRegistered ? " registered" : " not registered")
                .append(", ").append(engine.supportedOps().size()).append(" ops probed]");
        return sb.toString();
    }

    /** The names of the IORING_SETUP_* bits in {@code flags}, "|"-joined, or "none". Any thread. */
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

    /**
     * The availability probe: the shim's struct layouts match, and a two-entry ring can be set up
     * (it is destroyed at once). Throws why not. Any thread.
     */
    static void probeRing() throws NativeIoException {
        Shim shim = Shim.get();
        Layouts.verify(shim);
        Ring.create(shim, 2, 0).destroy();
    }

    /**
     * What this kernel's io_uring offers, from a two-entry ring made for the question: the names
     * of the opcodes the probe reports and of the feature bits. Empty when io_uring cannot start.
     * Any thread.
     */
    static Optional<IoUringProbe> probeKernel() {
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
                return Optional.of(new IoUringProbe(ops, UringNames.featureNames(r.features())));
            } finally {
                r.destroy();
            }
        } catch (Throwable t) {
            return Optional.empty();
        }
    }
}
