package dev.ringio;

/** An operation was submitted to, or left pending in, an engine that has been closed. */
public class EngineClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** @param op the operation that could not run */
    public EngineClosedException(String op) {
        super(op + ": engine closed");
    }
}
