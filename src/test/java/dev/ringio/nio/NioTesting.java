package dev.ringio.nio;

import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.fail;

/** Shared helpers of the java.nio.channels behaviour suites. */
final class NioTesting {

    /** How long any one operation may take before a test fails instead of hanging. */
    static final long WAIT_SECONDS = 20;

    private NioTesting() {
    }

    /** What a CompletionHandler saw: its value or failure, the attachment, and the thread it ran on. */
    static final class Recorder<V, A> implements CompletionHandler<V, A> {
        final CompletableFuture<V> result = new CompletableFuture<>();
        volatile A attachment;
        volatile Thread thread;

        @Override
        public void completed(V value, A att) {
            attachment = att;
            thread = Thread.currentThread();
            result.complete(value);
        }

        @Override
        public void failed(Throwable exc, A att) {
            attachment = att;
            thread = Thread.currentThread();
            result.completeExceptionally(exc);
        }

        V value() throws Exception {
            return get(result);
        }

        Throwable failure() throws Exception {
            return failureOf(result);
        }
    }

    static <T> T get(Future<T> f) throws Exception {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail("not complete after " + WAIT_SECONDS + " s: " + f);
        }
    }

    /** The exception {@code f} failed with (unwrapped from ExecutionException); fails if it succeeded. */
    static Throwable failureOf(Future<?> f) throws Exception {
        try {
            Object v = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return fail("expected a failure, got " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return fail("not complete after " + WAIT_SECONDS + " s: " + f);
        }
    }

    /** Whether {@code f} is still not done after {@code millis}. */
    static boolean stillPending(Future<?> f, long millis) throws InterruptedException {
        Thread.sleep(millis);
        return !f.isDone();
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String string(ByteBuffer flipped) {
        byte[] b = new byte[flipped.remaining()];
        flipped.get(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
