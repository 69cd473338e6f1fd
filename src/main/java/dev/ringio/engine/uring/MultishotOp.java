package dev.ringio.engine.uring;

import java.util.concurrent.CompletableFuture;

import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.engine.StreamEnd;

/**
 * What every multishot op shares: results go to a {@link MultishotHandler} whose exceptions go to
 * the engine's error handler, the stream ends exactly once ({@code onEnd} or {@code onError}, never
 * both), and the op is its own {@link Multishot} handle. Subclasses handle every CQE in
 * {@link #complete}. Loop thread only, except {@link #cancel()} and {@link #done()}.
 */
abstract class MultishotOp<T> extends Op<Void> implements Multishot {

    final UringEngine engine;
    private final StreamEnd<T> stream;

    MultishotOp(String name, UringEngine engine, MultishotHandler<T> handler) {
        super(name);
        this.engine = engine;
        this.stream = new StreamEnd<>(handler, engine::callbackError);
    }

    /** Hands one result to the handler; false if the handler threw (already reported). */
    final boolean deliver(T item) {
        return stream.deliver(item);
    }

    final boolean hasEnded() {
        return stream.hasEnded();
    }

    /** Ends the stream: {@code onEnd} (failure null) or {@code onError}, then completes {@link #done()}. */
    final void endStream(Throwable failure) {
        notifyEnd(failure);
        if (failure == null) {
            succeed(null);
        } else {
            fail(failure);
        }
    }

    private void notifyEnd(Throwable failure) {
        stream.end(failure, this::onStreamEnd);
    }

    /** Runs once when the stream ends, before the handler hears of it (resource bookkeeping). */
    void onStreamEnd() {
    }

    /**
     * Never reached the kernel. Engine closing, or cancelled first: the stream just ends. Refused
     * because close(fd) revoked its descriptor: the handler hears the same ECANCELED failure as
     * {@link #done()}, as for a multishot that close(fd) cancelled in the kernel.
     */
    @Override
    protected final void onFailed(Throwable t) {
        notifyEnd(t instanceof dev.ringio.NativeIoException n && n.is(dev.ringio.Errno.ECANCELED) ? t : null);
    }

    @Override
    final void onResult(UringEngine e, int res, int cqeFlags) {
        // complete() handles every CQE
    }

    @Override
    public final void cancel() {
        cancel(true);
    }

    @Override
    public final CompletableFuture<Void> done() {
        return this;
    }
}
