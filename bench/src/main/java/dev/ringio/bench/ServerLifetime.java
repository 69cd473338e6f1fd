package dev.ringio.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import sun.misc.Signal;

/**
 * How a long-running command ({@code proxy}, {@code echo}) waits to be stopped: by SIGINT or
 * SIGTERM, and by end of input on stdin only when asked ({@code --stop-on-eof}), so that it keeps
 * serving with {@code </dev/null}, under nohup, in the background or under a service manager.
 *
 * <p>SIGINT and SIGTERM are handled ({@code sun.misc.Signal}, from jdk.unsupported) rather than left
 * to the JVM's default, which would start the shutdown at once and end the process with status
 * 128 + signal: {@link #awaitStop()} returns, the caller drains and closes its server, and the
 * command exits 0 like after any normal stop. A signal that was ignored when the JVM started (SIGINT
 * for a job a non-interactive shell puts in the background) stays ignored. Any other shutdown
 * (SIGHUP, {@code System.exit}) goes through a shutdown hook that also stops the server and waits
 * a bounded time for {@link #cleanedUp()}, so connections are closed before the JVM halts.
 */
final class ServerLifetime {

    private static final long HOOK_WAIT_SECONDS = 15;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private volatile String reason = "stopped";

    /**
     * Handles SIGINT and SIGTERM, installs the shutdown hook and, if {@code stopOnEof}, a daemon
     * thread reading stdin to its end. Any thread.
     */
    ServerLifetime(boolean stopOnEof) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> stop("SIG" + s.getName()));
            } catch (IllegalArgumentException e) {
                // the JVM runs with -Xrs or the signal is taken: the shutdown hook still stops the server
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop("shutdown");
            try {
                cleanedUp.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ringio-shutdown"));
        if (stopOnEof) {
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
                stop("end of input");
            }, "ringio-stdin");
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void stop(String why) {
        synchronized (stop) {
            if (stop.getCount() > 0) {
                reason = why;
                stop.countDown();
            }
        }
    }

    /** Blocks until stopped; returns why ("SIGINT", "SIGTERM", "end of input", "shutdown"). */
    String awaitStop() throws InterruptedException {
        stop.await();
        return reason;
    }

    /** The caller has closed everything; a pending shutdown hook may let the JVM halt. */
    void cleanedUp() {
        cleanedUp.countDown();
    }
}
