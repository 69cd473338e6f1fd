package dev.ringio.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.ringio.EngineClosedException;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.net.Accepted;

/**
 * A server's accept loop: one multishot accept that is re-armed after a pause whenever the kernel
 * ends it (an error such as EMFILE, or an end without error) until {@link #stop()}. The servers
 * (proxy, echo) share it so neither can stop accepting by accident.
 *
 * <p>Threading: {@link #start()} and {@link #stop()} from any thread; connections are handed to
 * the consumer on the engine's loop thread.
 */
final class AcceptLoop {

    static final Duration RETRY = Duration.ofMillis(100);

    private final IoEngine engine;
    private final Fd listener;
    private final String what;
    private final Consumer<Accepted> onAccepted;
    private final Consumer<String> log;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile Multishot acceptor;
    private volatile boolean stopped;

    /**
     * @param what       names the server in log lines, e.g. {@code "proxy: accept on 127.0.0.1:80"}
     * @param onAccepted receives each connection (and owns its descriptor)
     */
    AcceptLoop(IoEngine engine, Fd listener, String what, Consumer<Accepted> onAccepted, Consumer<String> log) {
        this.engine = engine;
        this.listener = listener;
        this.what = what;
        this.onAccepted = onAccepted;
        this.log = log;
    }

    void start() {
        if (stopped || engine.isClosed()) {
            ended.complete(null);
            return;
        }
        try {
            acceptor = engine.acceptMultishot(listener, new MultishotHandler<>() {
                @Override
                public void onNext(Accepted client) {
                    onAccepted.accept(client);
                }

                @Override
                public void onError(Throwable failure) {
                    if (!stopped && !engine.isClosed()) {
                        log.accept(what + ": " + Failures.describe(failure) + "; accepting again in "
                                + RETRY.toMillis() + " ms");
                    }
                    retry();
                }

                @Override
                public void onEnd() {
                    retry(); // the kernel ended the multishot while we still want it, or we stopped
                }
            });
        } catch (EngineClosedException e) {
            ended.complete(null);
        }
    }

    /** Re-arms after a pause, unless stopping; an engine that closes ends the multishot for good. */
    private void retry() {
        if (stopped || engine.isClosed()) {
            ended.complete(null);
            return;
        }
        try {
            engine.sleep(RETRY).whenComplete((v, t) -> {
                if (t == null) {
                    start();
                } else {
                    ended.complete(null); // the engine closed during the pause
                }
            });
        } catch (EngineClosedException e) {
            ended.complete(null);
        }
    }

    /** Stops accepting. Idempotent. */
    void stop() {
        stopped = true;
        Multishot a = acceptor;
        if (a != null) {
            a.cancel();
        }
    }

    /** Completes when the loop has stopped for good. */
    CompletableFuture<Void> ended() {
        return ended;
    }
}
