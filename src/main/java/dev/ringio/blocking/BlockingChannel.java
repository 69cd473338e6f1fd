package dev.ringio.blocking;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.concurrent.locks.Lock;

/**
 * What ringio's blocking channels share: every blocking call runs inside
 * {@link #begin()}/{@link #end(boolean)}, so an interrupt closes the channel
 * ({@link java.nio.channels.ClosedByInterruptException}) and a close by another thread wakes the
 * call ({@link java.nio.channels.AsynchronousCloseException}), exactly as the JDK's channels do.
 */
abstract class BlockingChannel extends AbstractInterruptibleChannel {

    /** One blocking call. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    final void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /** Runs {@code call} holding {@code lock} (null: none) on an open channel, interruptibly. */
    final <T> T blocking(Lock lock, Call<T> call) throws IOException {
        if (lock != null) {
            lock.lock();
        }
        try {
            ensureOpen();
            boolean completed = false;
            try {
                begin();
                T result = call.run();
                completed = true;
                return result;
            } finally {
                end(completed);
            }
        } finally {
            if (lock != null) {
                lock.unlock();
            }
        }
    }
}
