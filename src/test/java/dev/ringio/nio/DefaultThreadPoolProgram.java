package dev.ringio.nio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run in a child JVM by {@link DefaultThreadPoolPropertyTest}, with or without ringio's provider
 * and with {@code java.nio.channels.DefaultThreadPool.*} properties: uses the default group (a
 * listener and a connection opened without a group) and a file channel opened without an
 * executor, and prints what it saw as {@code key=value} lines: {@code provider} (and ringio's
 * {@code engine}),
 * {@code factoryThreadsAfterOpen} (threads {@link CountingThreadFactory} made by the time the
 * first channel was open), {@code acceptHandler}/{@code connectHandler}/{@code fileHandler} (the
 * thread names handlers ran on), or for a failure {@code groupError}/{@code groupCause},
 * {@code groupMessage}, {@code groupAgain} (what a second use threw) and {@code fileError}/
 * {@code fileCause}.
 */
public final class DefaultThreadPoolProgram {

    private DefaultThreadPoolProgram() {
    }

    /** A factory for the property: counts its threads and names them {@code prop-factory-N}. */
    public static final class CountingThreadFactory implements ThreadFactory {
        static final AtomicInteger CREATED = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "prop-factory-" + CREATED.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /** A factory for the property whose constructor fails. */
    public static final class FailingThreadFactory implements ThreadFactory {
        public FailingThreadFactory() {
            throw new IllegalStateException("this factory cannot be made");
        }

        @Override
        public Thread newThread(Runnable r) {
            throw new AssertionError("never made");
        }
    }

    public static void main(String[] args) throws Exception {
        AsynchronousChannelProvider provider = AsynchronousChannelProvider.provider();
        System.out.println("provider=" + provider.getClass().getName());
        if (provider instanceof RingioAsynchronousChannelProvider ringio) {
            System.out.println("engine=" + ringio.engine().name());
        }
        try {
            defaultGroup();
        } catch (Throwable t) {
            report("group", t);
            try {
                AsynchronousSocketChannel.open().close();
                System.out.println("groupAgain=none");
            } catch (Throwable again) {
                System.out.println("groupAgain=" + again.getClass().getName() + " error=" + (again instanceof Error));
            }
        }
        try {
            fileChannel(provider);
        } catch (Throwable t) {
            report("file", t);
        }
        System.out.flush();
        System.exit(0);
    }

    private static void defaultGroup() throws Exception {
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()) {
            System.out.println("factoryThreadsAfterOpen=" + CountingThreadFactory.CREATED.get());
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ThreadRecorder<AsynchronousSocketChannel> accept = new ThreadRecorder<>();
            server.accept(null, accept);
            try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
                ThreadRecorder<Void> connect = new ThreadRecorder<>();
                client.connect(server.getLocalAddress(), null, connect);
                System.out.println("connectHandler=" + connect.thread.get(20, TimeUnit.SECONDS));
                System.out.println("acceptHandler=" + accept.thread.get(20, TimeUnit.SECONDS));
                accept.value.get(20, TimeUnit.SECONDS).close();
            }
        }
    }

    private static void fileChannel(AsynchronousChannelProvider provider) throws Exception {
        Path file = Files.createTempFile("ringio-default-pool", ".bin");
        try (AsynchronousFileChannel ch = provider instanceof RingioAsynchronousChannelProvider ringio
                ? RingioAsynchronousFileChannel.open(ringio.engine(), file,
                        Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE), null)
                : AsynchronousFileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ThreadRecorder<Integer> write = new ThreadRecorder<>();
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0, null, write);
            System.out.println("fileHandler=" + write.thread.get(20, TimeUnit.SECONDS));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void report(String what, Throwable t) {
        System.out.println(what + "Error=" + t.getClass().getName() + " error=" + (t instanceof Error));
        System.out.println(what + "Cause=" + (t.getCause() == null ? "none" : t.getCause().getClass().getName()));
        System.out.println(what + "Message=" + t.getMessage());
    }

    /** Records the thread a handler ran on, and the value. */
    private static final class ThreadRecorder<V> implements CompletionHandler<V, Void> {
        final CompletableFuture<String> thread = new CompletableFuture<>();
        final CompletableFuture<V> value = new CompletableFuture<>();

        @Override
        public void completed(V result, Void attachment) {
            value.complete(result);
            thread.complete(Thread.currentThread().getName());
        }

        @Override
        public void failed(Throwable exc, Void attachment) {
            value.completeExceptionally(exc);
            thread.complete(Thread.currentThread().getName() + " (failed: " + exc + ")");
        }
    }
}
