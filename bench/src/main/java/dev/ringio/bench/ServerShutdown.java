package dev.ringio.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.ringio.EngineClosedException;
import dev.ringio.Fd;
import dev.ringio.IoEngine;

/**
 * How the proxy and the echo server close: stop accepting, close the listener, release every
 * connection on the loop (or close it directly when the engine is already gone), then wait a
 * bounded time unless called on the loop itself.
 */
final class ServerShutdown {

    static final long WAIT_SECONDS = 10;

    private ServerShutdown() {
    }

    /**
     * {@code engine.close(fd)} (cancelling what is in flight on it), or a plain close once the
     * engine is gone. Never fails; null-safe.
     */
    static CompletableFuture<Void> closeFd(IoEngine engine, Fd fd) {
        if (fd == null) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return engine.close(fd).exceptionally(t -> null);
        } catch (EngineClosedException e) {
            fd.close();
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * @param acceptLoop        null for a server that accepts nothing itself
     * @param listener          null likewise
     * @param releaseOnLoop     ends one connection on the loop thread; completes when it is closed
     * @param closeWithoutEngine closes one connection when the engine has already closed (every
     *                           operation was cancelled and drained, so its descriptors are free)
     * @param what              the server's name in the log line ("proxy", "echo")
     */
    static <C> void close(IoEngine engine, AcceptLoop acceptLoop, Fd listener, Collection<C> connections,
                          Function<C, CompletableFuture<Void>> releaseOnLoop, Consumer<C> closeWithoutEngine,
                          String what, Consumer<String> log) {
        if (acceptLoop != null) {
            acceptLoop.stop();
        }
        List<CompletableFuture<Void>> released = new ArrayList<>();
        released.add(closeFd(engine, listener));
        CompletableFuture<Void> connectionsClosed = new CompletableFuture<>();
        try {
            engine.execute(() -> {
                List<CompletableFuture<Void>> all = new ArrayList<>();
                for (C c : List.copyOf(connections)) {
                    all.add(releaseOnLoop.apply(c));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                        .whenComplete((v, t) -> connectionsClosed.complete(null));
            });
        } catch (EngineClosedException engineGone) {
            for (C c : List.copyOf(connections)) {
                closeWithoutEngine.accept(c);
            }
            connectionsClosed.complete(null);
        }
        released.add(connectionsClosed);
        if (!engine.inLoop()) {
            try {
                CompletableFuture.allOf(released.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                log.accept(what + ": close: connections still closing after " + WAIT_SECONDS + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // closing failures were logged where they happened
            }
        }
    }
}
