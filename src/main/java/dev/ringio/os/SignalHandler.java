package dev.ringio.os;

/**
 * Reacts to a signal ({@link SignalHandlers#add}). Runs on ringio's signal thread
 * ({@code ringio-signals}), never inside the native signal handler, so it may do anything; a slow
 * handler delays the next signals' handlers. An exception it throws is logged and dropped.
 */
@FunctionalInterface
public interface SignalHandler {

    /**
     * One delivery of the signal.
     *
     * @param delivery the delivery
     */
    void handle(SignalDelivery delivery);
}
