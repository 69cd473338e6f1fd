package dev.ringio.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.ringio.buffers.Chunk;

/**
 * What the op layer needs from an engine's backend (the io_uring ring, or the readiness poller with
 * its file pool): take an op to the kernel, cancel it, and say where the caller is. The backend
 * knows no op's meaning: it turns {@link EngineOp#next()} into kernel work and hands the result back
 * to {@link EngineOp#handleResult}, resubmitting while that asks for another attempt.
 *
 * <p>Threading: every method is safe from any thread.
 */
public interface Backend {

    /** Whether the calling thread is the backend's loop thread. */
    boolean inLoop();

    /** Whether the engine has been closed (an op's {@code ECANCELED} then means the engine closed it). */
    boolean isClosed();

    /**
     * Takes {@code op}, which already holds its descriptor, chunk and memory, to the kernel: on the
     * loop thread straight to the ring or the syscall, from another thread through the command queue.
     * On a closed engine the op fails with {@link dev.ringio.EngineClosedException}. Any thread.
     */
    void submit(EngineOp<?> op);

    /**
     * Asks the kernel to cancel {@code op}; the op then completes with the kernel's verdict (cancelled,
     * or the result that won the race). Any thread.
     */
    void cancel(EngineOp<?> op);

    /**
     * Ends every op that holds {@code fd}, which {@link Closing#close} has revoked: cancels those in
     * the kernel, fails those waiting, abandons pool calls that may never return. Runs on the loop
     * (queued when called from another thread). Any thread.
     */
    void cancelOpsOn(dev.ringio.Fd fd);

    /**
     * Where a revoked descriptor's final {@code close(2)} runs: off the loop, since it can block
     * (after shutdown a refused task runs on the releasing thread). Any thread.
     */
    Executor closer();

    /**
     * A future of the engine that completes normally at {@code deadline} ({@link System#nanoTime()}
     * time) and whose {@code cancel} removes it from the engine: the timer behind an op's deadline.
     */
    CompletableFuture<Void> timer(long deadline);

    /** The index of the registered buffer that holds {@code chunk}'s memory, or -1 when it is not registered. */
    int registeredIndex(Chunk chunk);
}
