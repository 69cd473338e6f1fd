package dev.ringio;

import java.util.Objects;
import java.util.function.Consumer;

import dev.ringio.buffers.FixedBufferPool;

/**
 * How to build an engine: one immutable object, validated when built (Aeron's
 * {@code MediaDriver.Context}). System properties are read only by {@link #fromSystemProperties()}.
 *
 * <pre>{@code
 * EngineConfig config = EngineConfig.builder().queueDepth(64).fixedBuffers(16, 64 * 1024).build();
 * }</pre>
 */
public final class EngineConfig {

    /** {@code -Dringio.queueDepth}: submission queue entries. */
    public static final String QUEUE_DEPTH_PROPERTY = "ringio.queueDepth";
    /** Default submission queue entries; the completion queue is twice that. */
    public static final int DEFAULT_QUEUE_DEPTH = 256;
    /** Largest submission queue ringio asks for (the kernel's limit is 32768). */
    public static final int MAX_QUEUE_DEPTH = 32768;
    /** Default number of chunks in the engine's fixed-buffer pool. */
    public static final int DEFAULT_FIXED_BUFFER_COUNT = 64;
    /** Default chunk size of the engine's fixed-buffer pool. */
    public static final int DEFAULT_FIXED_BUFFER_SIZE = 64 * 1024;
    /**
     * Default time the idle loop spends yielding before it parks in the kernel: long enough that a
     * caller thread woken by a completion can submit its next request before the loop sleeps
     * (a futex wake-up here takes 10-20 us), short enough not to burn a core for nothing.
     */
    public static final long DEFAULT_IDLE_SPIN_NANOS = dev.ringio.engine.IdleStrategy.DEFAULT_YIELD_NANOS;
    /** Default idle loop turns spent spinning (another turn at once) before yielding. */
    public static final int DEFAULT_IDLE_SPINS = dev.ringio.engine.IdleStrategy.DEFAULT_SPINS;
    /** Default most idle loop turns spent yielding before parking. */
    public static final int DEFAULT_IDLE_YIELDS = dev.ringio.engine.IdleStrategy.DEFAULT_YIELDS;

    private final int queueDepth;
    private final int fixedBufferCount;
    private final int fixedBufferSize;
    private final FixedBufferPool bufferPool;
    private final boolean registerFixedBuffers;
    private final boolean modernSetupFlags;
    private final int boundedIoWorkers;
    private final int unboundedIoWorkers;
    private final long idleSpinNanos;
    private final int idleSpins;
    private final int idleYields;
    private final String threadName;
    private final Consumer<Throwable> errorHandler;
    private final java.util.concurrent.ThreadFactory threadFactory;

    private EngineConfig(Builder b) {
        this.queueDepth = b.queueDepth;
        this.fixedBufferCount = b.fixedBufferCount;
        this.fixedBufferSize = b.fixedBufferSize;
        this.bufferPool = b.bufferPool;
        this.registerFixedBuffers = b.registerFixedBuffers;
        this.modernSetupFlags = b.modernSetupFlags;
        this.boundedIoWorkers = b.boundedIoWorkers;
        this.unboundedIoWorkers = b.unboundedIoWorkers;
        this.idleSpinNanos = b.idleSpinNanos;
        this.idleSpins = b.idleSpins;
        this.idleYields = b.idleYields;
        this.threadName = b.threadName;
        this.errorHandler = b.errorHandler;
        this.threadFactory = b.threadFactory;
    }

    /**
     * A builder with every default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The defaults, with {@code -Dringio.queueDepth} applied when set.
     *
     * @return the configuration
     */
    public static EngineConfig fromSystemProperties() {
        Builder b = builder();
        String depth = System.getProperty(QUEUE_DEPTH_PROPERTY);
        if (depth != null) {
            try {
                b.queueDepth(Integer.parseInt(depth.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + QUEUE_DEPTH_PROPERTY + "=" + depth + ": not a number");
            }
        }
        return b.build();
    }

    /**
     * The defaults.
     *
     * @return the default configuration
     */
    public static EngineConfig defaults() {
        return builder().build();
    }

    /**
     * Submission queue entries of the io_uring ring (rounded up to a power of two).
     *
     * @return the queue depth
     */
    public int queueDepth() {
        return queueDepth;
    }

    /**
     * Chunks in the engine-owned fixed-buffer pool.
     *
     * @return the chunk count
     */
    public int fixedBufferCount() {
        return fixedBufferCount;
    }

    /**
     * Bytes per chunk of the engine-owned fixed-buffer pool.
     *
     * @return the chunk size
     */
    public int fixedBufferSize() {
        return fixedBufferSize;
    }

    /**
     * A pool the caller owns and shares with the engine, or {@code null} for an engine-owned one.
     *
     * @return the caller's pool, or {@code null}
     */
    public FixedBufferPool bufferPool() {
        return bufferPool;
    }

    /**
     * Whether the pool is registered with the kernel (READ_FIXED / WRITE_FIXED).
     *
     * @return true to register
     */
    public boolean registerFixedBuffers() {
        return registerFixedBuffers;
    }

    /**
     * Whether io_uring is set up with SINGLE_ISSUER, DEFER_TASKRUN and TASKRUN_FLAG.
     *
     * @return true to ask for them
     */
    public boolean modernSetupFlags() {
        return modernSetupFlags;
    }

    /**
     * Cap on bounded io-wq kernel workers (regular files); 0 keeps the kernel's default.
     *
     * @return the cap
     */
    public int boundedIoWorkers() {
        return boundedIoWorkers;
    }

    /**
     * Cap on unbounded io-wq kernel workers (sockets, pipes); 0 keeps the kernel's default.
     *
     * @return the cap
     */
    public int unboundedIoWorkers() {
        return unboundedIoWorkers;
    }

    /**
     * Longest time the idle loop yields before it parks (the idle strategy's yield phase).
     *
     * @return the yield phase's length in nanoseconds
     */
    public long idleSpinNanos() {
        return idleSpinNanos;
    }

    /**
     * Idle loop turns spent spinning before the loop starts yielding.
     *
     * @return the spin turns
     */
    public int idleSpins() {
        return idleSpins;
    }

    /**
     * Most idle loop turns spent yielding before the loop parks.
     *
     * @return the yield turns
     */
    public int idleYields() {
        return idleYields;
    }

    /**
     * The loop thread's name (when no {@link #threadFactory()} is set).
     *
     * @return the name
     */
    public String threadName() {
        return threadName;
    }

    /**
     * Receives exceptions thrown by callbacks on the loop thread.
     *
     * @return the handler
     */
    public Consumer<Throwable> errorHandler() {
        return errorHandler;
    }

    /**
     * What makes the loop thread, or null: a daemon platform thread named by the engine.
     *
     * @return the factory, or {@code null}
     */
    public java.util.concurrent.ThreadFactory threadFactory() {
        return threadFactory;
    }

    /**
     * A new, unstarted loop thread running {@code loop}: made by {@link #threadFactory()} when
     * one is set (the factory names it and decides whether it is a daemon), else a daemon platform
     * thread called {@code name}. Any thread.
     *
     * @param name the thread's name when no factory is set
     * @param loop what the thread runs
     * @return the new thread, not started
     * @throws IllegalStateException if the factory returns null or a thread already started
     */
    public Thread newLoopThread(String name, Runnable loop) {
        if (threadFactory == null) {
            return Thread.ofPlatform().daemon(true).name(name).unstarted(loop);
        }
        Thread t = threadFactory.newThread(loop);
        if (t == null || t.getState() != Thread.State.NEW) {
            throw new IllegalStateException("engine: the loop thread factory " + threadFactory
                    + (t == null ? " returned null" : " returned a thread already started"));
        }
        return t;
    }

    /** Collects settings; {@link #build()} validates them together. Not thread-safe. */
    public static final class Builder {
        private int queueDepth = DEFAULT_QUEUE_DEPTH;
        private int fixedBufferCount = DEFAULT_FIXED_BUFFER_COUNT;
        private int fixedBufferSize = DEFAULT_FIXED_BUFFER_SIZE;
        private FixedBufferPool bufferPool;
        private boolean registerFixedBuffers = true;
        private boolean modernSetupFlags = true;
        private int boundedIoWorkers = 2 * Runtime.getRuntime().availableProcessors();
        private int unboundedIoWorkers = 4 * Runtime.getRuntime().availableProcessors();
        private long idleSpinNanos = DEFAULT_IDLE_SPIN_NANOS;
        private int idleSpins = DEFAULT_IDLE_SPINS;
        private int idleYields = DEFAULT_IDLE_YIELDS;
        private String threadName = "ringio-loop";
        private Consumer<Throwable> errorHandler = EngineConfig::logError;
        private java.util.concurrent.ThreadFactory threadFactory;

        private Builder() {
        }

        /**
         * Submission queue entries, 1 to {@value #MAX_QUEUE_DEPTH} (rounded up to a power of two).
         *
         * @param entries the number of entries
         * @return this builder
         */
        public Builder queueDepth(int entries) {
            this.queueDepth = entries;
            return this;
        }

        /**
         * Size of the engine-owned fixed-buffer pool: {@code count} chunks of {@code size} bytes.
         *
         * @param count the number of chunks
         * @param size the bytes per chunk
         * @return this builder
         */
        public Builder fixedBuffers(int count, int size) {
            this.fixedBufferCount = count;
            this.fixedBufferSize = size;
            return this;
        }

        /**
         * Use a pool the caller owns (and closes) instead of an engine-owned one.
         *
         * @param pool the pool, which the caller closes after the engine
         * @return this builder
         */
        public Builder bufferPool(FixedBufferPool pool) {
            this.bufferPool = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /**
         * Whether to register the pool with the kernel (READ_FIXED / WRITE_FIXED). When false, or
         * when the kernel refuses, chunk I/O uses plain READ / WRITE on the same memory.
         *
         * @param register true to register
         * @return this builder
         */
        public Builder registerFixedBuffers(boolean register) {
            this.registerFixedBuffers = register;
            return this;
        }

        /**
         * Whether to ask for SINGLE_ISSUER, DEFER_TASKRUN and TASKRUN_FLAG (kernel 6.1). Off forces
         * the fallback set-up that older kernels get; for tests.
         *
         * @param modern true to ask for the flags
         * @return this builder
         */
        public Builder modernSetupFlags(boolean modern) {
            this.modernSetupFlags = modern;
            return this;
        }

        /**
         * Cap on io-wq kernel workers: bounded (regular files) and unbounded (sockets, pipes).
         *
         * @param bounded the cap on bounded workers (0: the kernel's default)
         * @param unbounded the cap on unbounded workers (0: the kernel's default)
         * @return this builder
         */
        public Builder ioWorkers(int bounded, int unbounded) {
            this.boundedIoWorkers = bounded;
            this.unboundedIoWorkers = unbounded;
            return this;
        }

        /**
         * How long the idle loop may spend yielding before it parks in the kernel (0: park right
         * after the spin turns). Every engine's loop runs the same idle strategy: spin, yield, park
         * (docs/engine.md, "The loop").
         *
         * @param spin the yield phase's length, {@code >= 0}
         * @return this builder
         */
        public Builder idleSpin(java.time.Duration spin) {
            this.idleSpinNanos = spin.toNanos();
            return this;
        }

        /**
         * The idle strategy's turn counts: {@code spins} idle turns taken at once, then at most
         * {@code yields} turns with a {@code Thread.yield()} between them (and at most
         * {@link #idleSpin} long), then a park in the kernel. {@code (0, 0)} parks at once.
         *
         * @param spins the spin turns, {@code >= 0}
         * @param yields the yield turns, {@code >= 0}
         * @return this builder
         */
        public Builder idleTurns(int spins, int yields) {
            this.idleSpins = spins;
            this.idleYields = yields;
            return this;
        }

        /**
         * Name of the loop thread.
         *
         * @param name the name
         * @return this builder
         */
        public Builder threadName(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Makes the loop thread with {@code factory} (which names it and says whether it is a
         * daemon) instead of a daemon platform thread named after {@link #threadName(String)}. The
         * nio provider's fixed-thread-pool channel groups use it, so that their completion
         * handlers run on the threads the application's factory made, as on the JDK. A loop
         * should be a platform thread: a virtual one pins its carrier while it waits in the kernel.
         *
         * @param factory the thread factory, or {@code null} for the default
         * @return this builder
         */
        public Builder threadFactory(java.util.concurrent.ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Receives exceptions thrown by callbacks on the loop thread (default: logged).
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder errorHandler(Consumer<Throwable> handler) {
            this.errorHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the validated configuration
         * @throws IllegalArgumentException naming the first setting out of range
         */
        public EngineConfig build() {
            if (queueDepth < 1 || queueDepth > MAX_QUEUE_DEPTH) {
                throw new IllegalArgumentException("queueDepth " + queueDepth + " not in [1, " + MAX_QUEUE_DEPTH + "]");
            }
            if (bufferPool == null) {
                if (fixedBufferCount < 1) {
                    throw new IllegalArgumentException("fixedBuffers count " + fixedBufferCount + " < 1");
                }
                if (fixedBufferSize < 1) {
                    throw new IllegalArgumentException("fixedBuffers size " + fixedBufferSize + " < 1");
                }
                if ((long) fixedBufferCount * fixedBufferSize > (1L << 30)) {
                    throw new IllegalArgumentException("fixedBuffers " + fixedBufferCount + " x " + fixedBufferSize
                            + " exceeds 1 GiB (the kernel's limit for one registered buffer)");
                }
            }
            if (boundedIoWorkers < 0 || unboundedIoWorkers < 0) {
                throw new IllegalArgumentException("ioWorkers must be >= 0 (0 = kernel default)");
            }
            if (idleSpinNanos < 0) {
                throw new IllegalArgumentException("idleSpin " + idleSpinNanos + " ns < 0");
            }
            if (idleSpins < 0 || idleYields < 0) {
                throw new IllegalArgumentException("idleTurns " + idleSpins + ", " + idleYields + ": must be >= 0");
            }
            return new EngineConfig(this);
        }
    }

    private static void logError(Throwable t) {
        System.getLogger("dev.ringio").log(System.Logger.Level.ERROR, "callback failed on the loop thread", t);
    }

    @Override
    public String toString() {
        return "EngineConfig[queueDepth=" + queueDepth + ", fixedBuffers=" + (bufferPool != null ? "shared pool"
                : fixedBufferCount + "x" + fixedBufferSize) + ", register=" + registerFixedBuffers
                + ", modernSetupFlags=" + modernSetupFlags + ", ioWorkers=" + boundedIoWorkers + "/"
                + unboundedIoWorkers + ", idle=" + idleSpins + " spins/" + idleYields + " yields/" + idleSpinNanos + "ns]";
    }
}
