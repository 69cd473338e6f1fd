package dev.ringio.engine;

import java.util.concurrent.CancellationException;

import dev.ringio.EngineClosedException;
import dev.ringio.NativeIoException;
import dev.ringio.TransferCancelledException;

/**
 * What a looping transfer ({@code readExactly}, a write of everything, {@code writev},
 * {@code sendAll}) fails with when it ends early, on every engine: the failure keeps its type and
 * carries the bytes moved ({@link dev.ringio.PartialProgress}). Stateless; any thread.
 */
public final class Progress {

    private Progress() {
    }

    /**
     * {@code t}, the failure of transfer {@code op} of {@code total} bytes that moved {@code done}
     * first: a cancellation is always a {@link TransferCancelledException} with the count; a
     * {@link NativeIoException} or an {@link EngineClosedException} gets the count when bytes
     * moved; anything else is returned as it is (a {@code readExactly} end of file already is a
     * {@link dev.ringio.ShortReadException}).
     */
    public static Throwable failure(Throwable t, String op, long done, long total) {
        if (t instanceof CancellationException) {
            return t instanceof TransferCancelledException ? t : new TransferCancelledException(op, done, total);
        }
        if (done == 0) {
            return t;
        }
        if (t instanceof NativeIoException n && n.bytesTransferred() == 0) {
            return n.withBytesTransferred(done);
        }
        if (t instanceof EngineClosedException c && c.bytesTransferred() == 0) {
            return new EngineClosedException(op, done);
        }
        return t;
    }
}
