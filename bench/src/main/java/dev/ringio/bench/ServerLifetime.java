package dev.ringio.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a long-running command ({@code proxy}, {@code echo}) waits to be stopped: by SIGINT or
 * SIGTERM (a shutdown hook), or by end of input on stdin unless told to ignore stdin (for running
 * with {@code </dev/null}, under nohup, or in the background).
 *
 * <p>{@link #awaitStop()} returns on the first of these; the caller then cleans up and calls
 * {@link #cleanedUp()}, which the shutdown hook waits for (a bounded time) so that connections
 * are closed before the JVM halts on a signal.
 */
final class ServerLifetime {

    private static final long HOOK_WAIT_SECONDS = 15;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private volatile String reason = "stopped";

    /** Installs the shutdown hook and, if {@code watchStdin}, a daemon thread reading stdin to its end. Any thread. */
    ServerLifetime(boolean watchStdin) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            reason = "signal";
            stop.countDown();
            try {
                cleanedUp.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ringio-shutdown"));
        if (watchStdin) {
            Thread reader = new Thread(() -> {
                InputStream in = System.in;
                byte[] sink = new byte[4096];
                try {
                    while (in.read(sink) >= 0) {
                        // discard: only the end of input matters
                    }
                } catch (IOException e) {
                    // an unreadable stdin counts as its end
                }
                reason = "end of input";
                stop.countDown();
            }, "ringio-stdin");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Blocks until stopped; returns why ("signal", "end of input"). */
    String awaitStop() throws InterruptedException {
        stop.await();
        return reason;
    }

    /** The caller has closed everything; a pending shutdown hook may let the JVM halt. */
    void cleanedUp() {
        cleanedUp.countDown();
    }
}
