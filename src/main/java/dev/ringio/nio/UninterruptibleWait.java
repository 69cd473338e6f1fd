package dev.ringio.nio;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for an engine future whatever the thread's interrupt status, and leaves that status set
 * if it was set before or got set during the wait.
 *
 * <p>Why: the JDK's asynchronous channels are not {@link java.nio.channels.InterruptibleChannel}s.
 * Opening a channel, closing it, and a file channel's {@code size}, {@code truncate} and
 * {@code force} do their work from an interrupted thread, leave the channel open and keep the
 * interrupt status (checked against the JDK 25 provider by the contract suites). Giving up the
 * wait instead would also abandon an open whose descriptor then nobody closes.
 *
 * <p>Threading: any thread but the engine's loop thread (it would wait on itself).
 */
final class UninterruptibleWait {

    private UninterruptibleWait() {
    }

    /** {@link Future#get()} regardless of interrupts. */
    static <T> T get(Future<T> f) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@link Future#get(long, TimeUnit)} regardless of interrupts (the timeout still applies). */
    static <T> T get(Future<T> f, long timeout, TimeUnit unit) throws ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
