package dev.ringio.nio;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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

    /**
     * Echoes what it reads back to the peer until end of stream, in the handler form, and records
     * the thread every one of its handlers ran on. {@link #done} completes at end of stream.
     */
    static final class HandlerEchoServer {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final AsynchronousSocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(64);

        private final CompletionHandler<Integer, Void> reader = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void att) {
                threads.add(Thread.currentThread());
                if (n < 0) {
                    done.complete(null);
                    return;
                }
                buf.flip();
                ch.write(buf, null, writer);
            }

            @Override
            public void failed(Throwable exc, Void att) {
                threads.add(Thread.currentThread());
                done.completeExceptionally(exc);
            }
        };

        private final CompletionHandler<Integer, Void> writer = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void att) {
                threads.add(Thread.currentThread());
                if (buf.hasRemaining()) {
                    ch.write(buf, null, this);
                } else {
                    ch.read(buf.clear(), null, reader);
                }
            }

            @Override
            public void failed(Throwable exc, Void att) {
                threads.add(Thread.currentThread());
                done.completeExceptionally(exc);
            }
        };

        HandlerEchoServer(AsynchronousSocketChannel ch) {
            this.ch = ch;
        }

        HandlerEchoServer start() {
            ch.read(buf, null, reader);
            return this;
        }
    }

    /**
     * Sends {@code rounds} 8-byte messages, each after the echo of the previous one arrived
     * whole, in the handler form; records every handler's thread. {@link #done} completes after
     * the last echo, and fails if an echo differs from what was sent.
     */
    static final class HandlerPingClient {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final AsynchronousSocketChannel ch;
        private final ByteBuffer out = ByteBuffer.allocate(8);
        private final ByteBuffer in = ByteBuffer.allocate(8);
        private int left;

        private final CompletionHandler<Integer, Void> writer = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void att) {
                threads.add(Thread.currentThread());
                if (out.hasRemaining()) {
                    ch.write(out, null, this);
                } else {
                    ch.read(in.clear(), null, reader);
                }
            }

            @Override
            public void failed(Throwable exc, Void att) {
                threads.add(Thread.currentThread());
                done.completeExceptionally(exc);
            }
        };

        private final CompletionHandler<Integer, Void> reader = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void att) {
                threads.add(Thread.currentThread());
                if (n < 0) {
                    done.completeExceptionally(new AssertionError("end of stream with " + left + " rounds left"));
                } else if (in.hasRemaining()) {
                    ch.read(in, null, this);
                } else if (in.getLong(0) != left) {
                    done.completeExceptionally(new AssertionError("echo " + in.getLong(0) + ", sent " + left));
                } else if (--left == 0) {
                    done.complete(null);
                } else {
                    round();
                }
            }

            @Override
            public void failed(Throwable exc, Void att) {
                threads.add(Thread.currentThread());
                done.completeExceptionally(exc);
            }
        };

        HandlerPingClient(AsynchronousSocketChannel ch, int rounds) {
            this.ch = ch;
            this.left = rounds;
        }

        HandlerPingClient start() {
            round();
            return this;
        }

        private void round() {
            out.clear().putLong(left).flip();
            ch.write(out, null, writer);
        }
    }
}
