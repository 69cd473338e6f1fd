package dev.ringio.engine.poll;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The platform threads that run the readiness engine's blocking calls: a task goes to an idle
 * thread, else to a new thread while fewer than {@code limit} exist, else waits in line (FIFO).
 * A thread idle for {@link #KEEP_ALIVE_NANOS} retires. Threads are daemons: one stuck in a call
 * that never returns does not keep the JVM alive.
 *
 * <p>Unlike a {@code ThreadPoolExecutor} with a queue, a new task never waits while the limit
 * allows another thread, whatever the busy threads are doing; unlike one with a hand-off queue,
 * nothing is refused at the limit. Any thread.
 */
final class FileWorkers {

    static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String namePrefix;
    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private int threads;
    private int idle;
    private int started;
    private boolean shutdown;

    FileWorkers(String namePrefix, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.namePrefix = namePrefix;
        this.limit = limit;
    }

    /** Runs {@code task} on one of the threads; false (and nothing runs) after {@link #shutdown}. */
    boolean execute(Runnable task) {
        Thread fresh = null;
        lock.lock();
        try {
            if (shutdown) {
                return false;
            }
            tasks.addLast(task);
            // Waiters count as idle until they wake and take a task, so a second task that
            // arrives before the first waiter woke starts a thread of its own.
            if (tasks.size() <= idle) {
                work.signal();
            } else if (threads < limit) {
                threads++;
                fresh = Thread.ofPlatform().daemon(true).name(namePrefix + (++started)).unstarted(this::runWorker);
            }
        } finally {
            lock.unlock();
        }
        if (fresh != null) {
            try {
                fresh.start();
            } catch (Throwable t) {
                // No thread (OutOfMemoryError: unable to create native thread): the task stays in
                // line for a thread that exists or a later one; the count must not include it.
                lock.lock();
                try {
                    threads--;
                } finally {
                    lock.unlock();
                }
                throw t;
            }
        }
        return true;
    }

    private void runWorker() {
        while (true) {
            Runnable task;
            lock.lock();
            try {
                long nanos = KEEP_ALIVE_NANOS;
                while ((task = tasks.pollFirst()) == null) {
                    if (shutdown || nanos <= 0) {
                        threads--;
                        return;
                    }
                    idle++;
                    try {
                        nanos = work.awaitNanos(nanos);
                    } catch (InterruptedException e) {
                        // nobody interrupts these threads on purpose; look for work again
                    } finally {
                        idle--;
                    }
                }
            } finally {
                lock.unlock();
            }
            try {
                task.run();
            } catch (Throwable t) {
                // tasks report their own failures; the thread carries on
            }
        }
    }

    /** Takes no more tasks; those in line still run, then the threads retire. */
    void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The most threads this runs at once. */
    int limit() {
        return limit;
    }

    /** Threads alive now (busy or idle). */
    int threads() {
        lock.lock();
        try {
            return threads;
        } finally {
            lock.unlock();
        }
    }
}
