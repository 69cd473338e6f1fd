package dev.ringio.nio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.ringio.EngineClosedException;
import dev.ringio.EngineGroup;
import dev.ringio.Fd;
import dev.ringio.IoEngine;

/**
 * An {@link AsynchronousChannelGroup} on ringio, in one of two forms.
 *
 * <p><b>On its own loops</b> ({@code withFixedThreadPool(n, factory)}): an {@link EngineGroup} of
 * n engines of the provider's engine's kind whose loop threads the application's factory made.
 * Each channel is placed on one engine with {@link EngineGroup#next()} (an accepted connection
 * too, so a server's connections spread over the loops) and its operations stay there. A
 * completion handler runs directly on the loop thread of its channel's engine, as the JDK runs a
 * fixed pool's handler directly on the pool thread that saw the event, with the JDK's bound on
 * nesting ({@value #MAX_HANDLERS_PROPERTY}, default 16): on top of the handler a loop turn ran,
 * at most that many handlers are invoked directly, nested, by operations that completed at once
 * inside handlers; the next one (or one completing on another thread) is run by a later turn of
 * its loop instead. As on the JDK, that is 17 handlers on the stack at most by default. The group owns its engines and closes them when it terminates.
 *
 * <p><b>On an executor</b> ({@code withThreadPool}, {@code withCachedThreadPool}, the default
 * group): the provider's engine carries every channel's operations and the executor runs the
 * handlers; a handler whose operation completes on a thread already running a handler of this
 * group (an operation that could complete at once) runs there, nested up to the same bound.
 *
 * <p>Termination follows the JDK's contract: after {@link #shutdown()} the group refuses new
 * channels, and it terminates once every channel is closed and every outstanding operation's
 * handler has run (loops) or been handed to the executor; termination closes the engines (loops)
 * or shuts the executor down (queued handlers still run), and {@link #awaitTermination} waits for
 * that. The provider's engine is never closed here.
 *
 * <p>Threading: every method is safe from any thread. {@link #awaitTermination} waits, and from
 * a handler running on one of this group's own loops it cannot see the group terminate (the
 * group's engines close only once every loop, that one included, has finished), so there it
 * returns {@code false} when its timeout expires.
 */
final class RingioChannelGroup extends AsynchronousChannelGroup {

    /** The JDK's property bounding the handlers run nested on one thread ({@code sun.nio.ch.Invoker}). */
    static final String MAX_HANDLERS_PROPERTY = "sun.nio.ch.maxCompletionHandlersOnStack";
    /** Handlers at most invoked directly, nested, on one thread; beyond, a handler is dispatched instead. */
    static final int MAX_HANDLERS_ON_STACK = maxHandlersOnStack();

    /** The group whose handler this thread is running, and how many are nested on it. */
    private static final ThreadLocal<Nesting> NESTING = ThreadLocal.withInitial(Nesting::new);

    private static final class Nesting {
        RingioChannelGroup group;
        int depth;
    }

    private final IoEngine engine;          // executor groups: the provider's; null for a loop group
    private final ExecutorService executor; // executor groups; null for a loop group
    private final EngineGroup loops;        // loop groups; null for an executor group
    private final HandlerExecutor executorHandlers; // executor groups: every channel's handlers
    private final CompletableFuture<Void> loopsClosed = new CompletableFuture<>();
    private final boolean isDefault;
    private final Set<Closeable> channels = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private int outstanding;        // guarded by lock
    private boolean shutdown;       // guarded by lock
    private boolean terminating;    // guarded by lock

    /** A group whose handlers run on {@code executor}, its channels on {@code engine} (not owned). */
    RingioChannelGroup(RingioAsynchronousChannelProvider provider, IoEngine engine, ExecutorService executor,
            boolean isDefault) {
        super(provider);
        this.engine = engine;
        this.executor = executor;
        this.loops = null;
        this.isDefault = isDefault;
        this.executorHandlers = new Handlers(engine);
    }

    /** A group on the loops of {@code loops}, which it owns and closes when it terminates. */
    RingioChannelGroup(RingioAsynchronousChannelProvider provider, EngineGroup loops) {
        super(provider);
        this.engine = null;
        this.executor = null;
        this.loops = loops;
        this.isDefault = false;
        this.executorHandlers = null;
    }

    /** The engine group of a loop group, or null for an executor group. */
    EngineGroup loops() {
        return loops;
    }

    /** Whether handlers run on the engines' loops (a fixed thread pool group). */
    boolean onLoops() {
        return loops != null;
    }

    /**
     * Places a new channel's descriptor: on the provider's engine, or on the next of the group's
     * engines (recorded as the fd's owner). Any thread.
     *
     * @throws ShutdownChannelGroupException if the group's engines are closed (it terminated)
     */
    IoEngine place(Fd fd) {
        if (loops == null) {
            return engine;
        }
        try {
            return loops.assign(fd, loops.next());
        } catch (EngineClosedException e) {
            ShutdownChannelGroupException s = new ShutdownChannelGroupException();
            s.initCause(e);
            throw s;
        }
    }

    /** Where the handlers of a channel on {@code channelEngine} (one {@link #place} returned) run. */
    HandlerExecutor handlers(IoEngine channelEngine) {
        return loops == null ? executorHandlers : new Handlers(channelEngine);
    }

    /** Whether the calling thread is one of this group's loop threads. */
    boolean isLoopThread() {
        return loops != null && loops.current() != null;
    }

    /**
     * Whether a handler of a channel on {@code channelEngine} may run on the calling thread now:
     * on a loop group, the thread is that engine's loop; on an executor group, it is running a
     * handler of this group; either way, fewer than {@link #MAX_HANDLERS_ON_STACK} handlers have
     * been invoked directly above the one its loop or executor ran. Any thread.
     */
    boolean mayInvokeDirect(IoEngine channelEngine) {
        Nesting n = NESTING.get();
        if (n.depth > MAX_HANDLERS_ON_STACK) {
            return false; // the handler the loop or executor ran, plus the bound's worth invoked directly
        }
        return loops != null ? channelEngine.inLoop() : n.group == this;
    }

    /** Adds a channel; any thread. @throws ShutdownChannelGroupException once the group is shut down */
    void register(Closeable channel) {
        synchronized (lock) {
            if (shutdown) {
                throw new ShutdownChannelGroupException();
            }
            channels.add(channel);
        }
    }

    /** Removes a closed channel; may terminate the group. Any thread. */
    void unregister(Closeable channel) {
        channels.remove(channel);
        terminateIfDone();
    }

    /** One more operation is outstanding. */
    void operationStarted() {
        synchronized (lock) {
            outstanding++;
        }
    }

    /** An outstanding operation's handler has run or been handed over. */
    void operationFinished() {
        synchronized (lock) {
            outstanding--;
        }
        terminateIfDone();
    }

    /**
     * The handlers of the channels on one engine. {@link #invoke} runs a handler directly when
     * {@link #mayInvokeDirect} allows it, else hands it to the channel's loop (a later turn; loop
     * groups) or to the executor.
     */
    private final class Handlers implements HandlerExecutor {
        private final IoEngine channelEngine;

        Handlers(IoEngine channelEngine) {
            this.channelEngine = channelEngine;
        }

        @Override
        public void operationStarted() {
            RingioChannelGroup.this.operationStarted();
        }

        @Override
        public void operationFinished() {
            RingioChannelGroup.this.operationFinished();
        }

        @Override
        public boolean mustNotWait() {
            return channelEngine.inLoop();
        }

        @Override
        public void invoke(Runnable handlerCall) {
            if (mayInvokeDirect(channelEngine)) {
                runNested(handlerCall);
                return;
            }
            try {
                if (loops != null) {
                    channelEngine.execute(() -> runNested(handlerCall));
                } else {
                    executor.execute(() -> runNested(handlerCall));
                }
            } catch (RejectedExecutionException | EngineClosedException e) {
                RingioChannelGroup.this.operationFinished();
                ShutdownChannelGroupException s = new ShutdownChannelGroupException();
                s.initCause(e);
                throw s;
            }
        }
    }

    /** Runs a handler of this group on this thread, one level deeper, then counts its operation finished. */
    private void runNested(Runnable handlerCall) {
        Nesting n = NESTING.get();
        RingioChannelGroup outer = n.group;
        n.group = this;
        n.depth++;
        try {
            runHandler(handlerCall);
        } finally {
            n.depth--;
            n.group = outer;
            operationFinished();
        }
    }

    /**
     * Runs a user handler. An exception escaping it goes to the thread's uncaught-exception
     * handler, and the pool thread lives on to run the next handler.
     */
    static void runHandler(Runnable handlerCall) {
        try {
            handlerCall.run();
        } catch (Throwable t) {
            Thread current = Thread.currentThread();
            Thread.UncaughtExceptionHandler h = current.getUncaughtExceptionHandler();
            if (h != null) {
                h.uncaughtException(current, t);
            }
        }
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            if (!terminating) {
                return false;
            }
        }
        return loops != null ? loopsClosed.isDone() : executor.isTerminated();
    }

    /** The default group lives as long as the JVM: shutting it down is ignored. */
    @Override
    public void shutdown() {
        if (isDefault) {
            return;
        }
        synchronized (lock) {
            shutdown = true;
        }
        terminateIfDone();
    }

    @Override
    public void shutdownNow() throws IOException {
        if (isDefault) {
            return;
        }
        shutdown();
        List<Closeable> open = new ArrayList<>(channels);
        IOException first = null;
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        // The executor is shut down only once the group terminates, so until then its own
        // awaitTermination would only sleep; wait for the group first.
        synchronized (lock) {
            while (!terminating) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        long left = Math.max(0, deadline - System.nanoTime());
        if (loops == null) {
            return executor.awaitTermination(left, TimeUnit.NANOSECONDS);
        }
        try {
            loopsClosed.get(left, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // closing threw: the engines are as closed as they will be
        }
    }

    private void terminateIfDone() {
        synchronized (lock) {
            if (!shutdown || terminating || outstanding > 0 || !channels.isEmpty()) {
                return;
            }
            terminating = true;
            lock.notifyAll();
        }
        if (loops == null) {
            executor.shutdown();
            return;
        }
        // Not on the calling thread: it may be one of the loops, running the last handler, and
        // EngineGroup.close() waits for every loop but its caller's to finish.
        Thread.ofPlatform().daemon(true).name("ringio-nio-group-close").start(() -> {
            try {
                loops.close();
            } catch (Throwable t) {
                loopsClosed.completeExceptionally(t);
            } finally {
                loopsClosed.complete(null);
            }
        });
    }

    /** {@value #MAX_HANDLERS_PROPERTY} as the JDK reads it: an int, 16 when unset or not a number. */
    private static int maxHandlersOnStack() {
        try {
            return Integer.parseInt(System.getProperty(MAX_HANDLERS_PROPERTY, "16"));
        } catch (NumberFormatException e) {
            return 16;
        }
    }

    @Override
    public String toString() {
        return "RingioChannelGroup[" + (loops != null ? loops.size() + " x " + loops.name() + " loops" : engine.name())
                + (isDefault ? ", default" : "") + "]";
    }
}
