package dev.ringio.bench;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.ringio.Errno;
import dev.ringio.NativeIoException;

/** How the network programs wait for set-up steps and word the failures they log. */
final class Failures {

    private Failures() {
    }

    /** The failure inside the wrappers {@link CompletableFuture} adds. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * One line for a log: {@code "connect: ECONNREFUSED (Connection refused)"} for a
     * {@link NativeIoException} (without the detail the engine appends, which the caller's own
     * message already names), else the exception's class and message.
     */
    static String describe(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof NativeIoException n) {
            return n.op() + ": " + n.errnoName() + " (" + Errno.describe(n.errno()) + ")";
        }
        if (c instanceof CancellationException) {
            return "cancelled";
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : c.getClass().getSimpleName() + ": " + m;
    }

    /** Waits for a set-up step (socket, bind, listen) off the loop; its failure as an IOException. */
    static <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return f.join();
        } catch (CompletionException | CancellationException e) {
            Throwable c = unwrap(e);
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(describe(c), c);
        }
    }
}
