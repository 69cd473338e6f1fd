package dev.ringio.nio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.ringio.IoEngine;

/**
 * An {@link AsynchronousChannelGroup} on ringio: the engine its channels run on (shared with the
 * provider) and the executor its completion handlers run on.
 *
 * <p>Termination follows the JDK's contract: after {@link #shutdown()} the group refuses new
 * channels, and it terminates once every channel is closed and every outstanding operation's
 * handler has been handed to the executor; termination shuts the executor down (queued handlers
 * still run), and {@link #awaitTermination} waits for that. The engine is not closed: it belongs
 * to the provider.
 *
 * <p>Threading: any thread.
 */
final class RingioChannelGroup extends AsynchronousChannelGroup implements HandlerExecutor {

    private final IoEngine engine;
    private final ExecutorService executor;
    private final boolean isDefault;
    private final Set<Closeable> channels = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private int outstanding;        // guarded by lock
    private boolean shutdown;       // guarded by lock
    private boolean terminating;    // guarded by lock

    RingioChannelGroup(RingioAsynchronousChannelProvider provider, IoEngine engine, ExecutorService executor,
            boolean isDefault) {
        super(provider);
        this.engine = engine;
        this.executor = executor;
        this.isDefault = isDefault;
    }

    IoEngine engine() {
        return engine;
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

    @Override
    public void operationStarted() {
        synchronized (lock) {
            outstanding++;
        }
    }

    @Override
    public void operationFinished() {
        synchronized (lock) {
            outstanding--;
        }
        terminateIfDone();
    }

    @Override
    public void invoke(Runnable handlerCall) {
        try {
            executor.execute(() -> runHandler(handlerCall));
        } catch (RejectedExecutionException e) {
            operationFinished();
            ShutdownChannelGroupException s = new ShutdownChannelGroupException();
            s.initCause(e);
            throw s;
        }
        operationFinished();
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
        return executor.isTerminated();
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
        return executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void terminateIfDone() {
        synchronized (lock) {
            if (!shutdown || terminating || outstanding > 0 || !channels.isEmpty()) {
                return;
            }
            terminating = true;
            lock.notifyAll();
        }
        executor.shutdown();
    }

    @Override
    public String toString() {
        return "RingioChannelGroup[" + engine.name() + (isDefault ? ", default" : "") + "]";
    }
}
