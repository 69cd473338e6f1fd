package dev.ringio.nio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.IllegalChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.NativeIoException;

/**
 * An {@link AsynchronousChannelProvider} whose socket channels run on a ringio {@link IoEngine}.
 *
 * <p>Make it the JVM's provider with
 * {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.ringio.nio.RingioAsynchronousChannelProvider}:
 * {@link AsynchronousSocketChannel#open()}, {@link AsynchronousServerSocketChannel#open()} and
 * {@link AsynchronousChannelGroup#withFixedThreadPool} then return ringio channels and groups.
 * The no-argument constructor (the one the JDK calls) opens one engine with
 * {@link IoEngines#open()} the first time a channel or group needs it (so {@code -Dringio.engine}
 * picks it) and keeps it for the life of the JVM; {@link #RingioAsynchronousChannelProvider(IoEngine)}
 * uses an engine the caller owns and closes.
 *
 * <p>A fixed-thread-pool group ({@link AsynchronousChannelGroup#withFixedThreadPool}) is an
 * {@link dev.ringio.EngineGroup} of that many engines of this provider's engine's kind, whose
 * loop threads the application's {@link ThreadFactory} makes; its channels spread over the
 * engines, and completion handlers run directly on the loop thread of their channel's engine.
 * The other groups ({@code withThreadPool}, {@code withCachedThreadPool}, and the default group)
 * share this provider's engine and run handlers on their executor. Reads and writes are first
 * tried on the calling thread with a non-blocking system call, as the JDK does, so one that can
 * complete at once needs no engine round trip. The default group (used when a channel is opened
 * with a {@code null} group) runs handlers on a cached pool of daemon threads, as the JDK's
 * does, and cannot be shut down. It honours the system properties
 * {@code java.nio.channels.DefaultThreadPool.threadFactory} (its threads run the handlers) and
 * {@code java.nio.channels.DefaultThreadPool.initialSize} (how many handler threads it starts at
 * once and keeps), read when the group is created on first use; bad values fail that first use,
 * and every later one, with an {@link Error} as in the JDK.
 *
 * <p>Channels of this provider support TCP over IPv4 and IPv6 (a dual-stack IPv6 socket where the
 * host has IPv6, as the JDK does). See {@code docs/nio-adapters.md} for what differs from the JDK.
 *
 * <p>Threading: every method is safe from any thread, an engine's loop thread included: opening
 * a channel or a group waits for no loop (a group's new engines start on threads of their own).
 */
public class RingioAsynchronousChannelProvider extends AsynchronousChannelProvider {

    private final Object lock = new Object();
    private final boolean ownsEngine;
    private IoEngine engine;                 // guarded by lock until set
    private RingioChannelGroup defaultGroup; // guarded by lock
    private Error defaultGroupFailure;       // guarded by lock: why the default group could not be created

    /** The provider the JDK instantiates: opens its engine with {@link IoEngines#open()} on first use. */
    public RingioAsynchronousChannelProvider() {
        this.ownsEngine = true;
    }

    /**
     * A provider on {@code engine}, which the caller keeps and closes (after this provider's
     * channels).
     *
     * @param engine the engine the channels run on
     */
    public RingioAsynchronousChannelProvider(IoEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.ownsEngine = false;
    }

    /**
     * The engine this provider's channels run on (opened now if it was not yet).
     *
     * @return the engine
     * @throws UncheckedIOException if no engine can start
     */
    public IoEngine engine() {
        synchronized (lock) {
            if (engine == null) {
                try {
                    engine = IoEngines.open();
                } catch (NativeIoException e) {
                    throw new UncheckedIOException("ringio: no I/O engine for the channel provider", e);
                }
            }
            return engine;
        }
    }

    /**
     * Whether this provider opened its engine itself (the no-argument constructor).
     *
     * @return true if this provider opened its engine
     */
    public boolean ownsEngine() {
        return ownsEngine;
    }

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(int nThreads, ThreadFactory threadFactory) throws IOException {
        if (nThreads <= 0) {
            throw new IllegalArgumentException("nThreads must be > 0: " + nThreads);
        }
        Objects.requireNonNull(threadFactory, "threadFactory");
        // n engines of the provider's engine's kind whose loops the caller's factory makes: the
        // handlers run on those threads, as the JDK runs a fixed pool group's handlers on its pool.
        // The channels use no fixed buffers, so each engine gets the smallest pool, unregistered.
        EngineConfig config = EngineConfig.builder()
                .queueDepth(EngineConfig.fromSystemProperties().queueDepth())
                .fixedBuffers(1, 4096)
                .registerFixedBuffers(false)
                .threadFactory(threadFactory)
                .build();
        return new RingioChannelGroup(this, IoEngines.group(engineOrIOException().name(), nThreads, config));
    }

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(ExecutorService executor, int initialSize) throws IOException {
        Objects.requireNonNull(executor, "executor");
        // initialSize is a hint for implementations that keep threads waiting on I/O events; here
        // the engine's loop thread waits and the executor only runs handlers, so it is unused.
        return new RingioChannelGroup(this, engineOrIOException(), executor, false);
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousChannelGroup group) throws IOException {
        return new RingioAsynchronousServerSocketChannel(groupOf(group));
    }

    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelGroup group) throws IOException {
        return new RingioAsynchronousSocketChannel(groupOf(group));
    }

    private RingioChannelGroup groupOf(AsynchronousChannelGroup group) throws IOException {
        if (group == null) {
            return defaultGroup();
        }
        if (!(group instanceof RingioChannelGroup g) || g.provider() != this) {
            throw new IllegalChannelGroupException();
        }
        return g;
    }

    /**
     * The default group, created on first use with the pool {@link DefaultThreadPool} configures
     * from the {@code java.nio.channels.DefaultThreadPool.*} properties.
     *
     * @throws Error if those properties are bad; on this and every later use, as the JDK's
     *         provider fails every later use (the properties are read once)
     */
    private RingioChannelGroup defaultGroup() throws IOException {
        synchronized (lock) {
            if (defaultGroupFailure != null) {
                throw new Error("the default channel group could not be created: " + defaultGroupFailure.getMessage(),
                        defaultGroupFailure);
            }
            if (defaultGroup == null) {
                IoEngine eng = engineOrIOException();
                ExecutorService pool;
                try {
                    pool = DefaultThreadPool.create("ringio-nio-default-", true);
                } catch (Error e) {
                    defaultGroupFailure = e;
                    throw e;
                }
                defaultGroup = new RingioChannelGroup(this, eng, pool, true);
            }
            return defaultGroup;
        }
    }

    private IoEngine engineOrIOException() throws IOException {
        try {
            return engine();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "RingioAsynchronousChannelProvider[" + (engine == null ? "engine not yet open" : engine.name()) + "]";
        }
    }
}
