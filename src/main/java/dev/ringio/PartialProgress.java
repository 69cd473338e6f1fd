package dev.ringio;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * How many bytes an operation had moved when it failed or was cancelled. The looping transfers
 * ({@link IoEngine#readExactly readExactly}, the write-everything {@code write}s,
 * {@link IoEngine#writev writev}, {@link IoEngine#sendAll sendAll}) move their data in several
 * kernel operations; when one of them ends the transfer early, the exception the future fails
 * with still has its usual type (so a handler for {@code EPIPE} or for a cancellation does not
 * depend on how far the transfer got) and implements this interface with the count:
 * <ul>
 *   <li>cancelled: {@link TransferCancelledException} (a {@link java.util.concurrent.CancellationException});</li>
 *   <li>its deadline passed ({@code orTimeout}): {@link DeadlineExceededException} (a
 *       {@link java.util.concurrent.TimeoutException});</li>
 *   <li>a kernel error after some bytes ({@code EPIPE}, {@code ECONNRESET}, {@code ECANCELED} from
 *       {@link IoEngine#close(Fd) close(fd)}): {@link NativeIoException};</li>
 *   <li>the engine closed under it: {@link EngineClosedException};</li>
 *   <li>{@code readExactly} ran out of data: {@link ShortReadException} (an {@link java.io.EOFException}).</li>
 * </ul>
 * The bytes counted are where the caller can see them: a read's are in the chunk from its start,
 * a {@link java.nio.ByteBuffer}'s position has moved past them (as {@code java.nio} channels do),
 * a write's went to the kernel (a socket's peer receives exactly them). Every other failure
 * implementing this interface reports 0.
 */
public interface PartialProgress {

    /**
     * The bytes transferred before the operation ended; 0 when none (or for a single-shot
     * operation).
     *
     * @return the byte count, {@code >= 0}
     */
    long bytesTransferred();

    /**
     * The count {@code failure} carries, looking through the wrappers a future adds: a
     * {@link CompletionException} (dependent stages), an {@link ExecutionException}
     * ({@code get}), and the plain {@link CancellationException} that {@code get} and {@code join}
     * throw with the future's own cancellation as its cause. 0 when it carries none. Any thread.
     *
     * @param failure a failure, or its wrapper
     * @return the byte count it carries, or 0
     */
    static long of(Throwable failure) {
        Throwable t = failure;
        while (t != null && !(t instanceof PartialProgress)
                && (t instanceof CompletionException || t instanceof ExecutionException || t instanceof CancellationException)) {
            t = t.getCause();
        }
        return t instanceof PartialProgress p ? p.bytesTransferred() : 0;
    }
}
