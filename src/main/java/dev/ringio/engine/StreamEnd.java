package dev.ringio.engine;

import java.util.function.Consumer;

import dev.ringio.MultishotHandler;

/**
 * What every engine's multishot op shares with its {@link MultishotHandler}: results go to the
 * handler, whose exceptions go to the engine's error handler; the stream ends exactly once
 * ({@code onEnd} or {@code onError}, never both) and delivers nothing after. Loop thread only.
 */
public final class StreamEnd<T> {

    private final MultishotHandler<T> handler;
    private final Consumer<Throwable> callbackErrors;
    private boolean ended;

    public StreamEnd(MultishotHandler<T> handler, Consumer<Throwable> callbackErrors) {
        this.handler = handler;
        this.callbackErrors = callbackErrors;
    }

    /** Hands one result to the handler; false if the stream ended or the handler threw (reported). */
    public boolean deliver(T item) {
        if (ended) {
            return false;
        }
        try {
            handler.onNext(item);
            return true;
        } catch (Throwable t) {
            callbackErrors.accept(t);
            return false;
        }
    }

    public boolean hasEnded() {
        return ended;
    }

    /**
     * Ends the stream: {@code onEnd} ({@code failure} null) or {@code onError}; false (and nothing
     * said) if it had ended already. {@code beforeNotify} runs first, once.
     */
    public boolean end(Throwable failure, Runnable beforeNotify) {
        if (ended) {
            return false;
        }
        ended = true;
        if (beforeNotify != null) {
            beforeNotify.run();
        }
        try {
            if (failure == null) {
                handler.onEnd();
            } else {
                handler.onError(failure);
            }
        } catch (Throwable t) {
            callbackErrors.accept(t);
        }
        return true;
    }
}
