package dev.ringio.nio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Plain JDK-style code with no ringio in it: an echo server and client on
 * AsynchronousServerSocketChannel.open() / AsynchronousSocketChannel.open(). Run in a child JVM by
 * {@link ProviderPropertyTest}; prints {@code provider=<class>}, {@code group-provider=<class>}
 * and {@code echo=<reply>}.
 */
public final class JdkStyleEchoProgram {

    private JdkStyleEchoProgram() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider=" + AsynchronousChannelProvider.provider().getClass().getName());
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(2, Executors.defaultThreadFactory());
        System.out.println("group-provider=" + group.provider().getClass().getName());
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
                @Override
                public void completed(AsynchronousSocketChannel ch, Void att) {
                    ByteBuffer buf = ByteBuffer.allocate(64);
                    ch.read(buf, buf, new CompletionHandler<Integer, ByteBuffer>() {
                        @Override
                        public void completed(Integer n, ByteBuffer b) {
                            ch.write(b.flip()); // Future form, not awaited: the client waits for the reply
                        }

                        @Override
                        public void failed(Throwable exc, ByteBuffer b) {
                            exc.printStackTrace();
                        }
                    });
                }

                @Override
                public void failed(Throwable exc, Void att) {
                    exc.printStackTrace();
                }
            });
            try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
                client.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
                client.write(ByteBuffer.wrap("hello over ringio".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
                ByteBuffer reply = ByteBuffer.allocate(64);
                CompletableFuture<Integer> read = new CompletableFuture<>();
                client.read(reply, 10, TimeUnit.SECONDS, null, new CompletionHandler<Integer, Void>() {
                    @Override
                    public void completed(Integer n, Void att) {
                        read.complete(n);
                    }

                    @Override
                    public void failed(Throwable exc, Void att) {
                        read.completeExceptionally(exc);
                    }
                });
                int n = read.get(10, TimeUnit.SECONDS);
                System.out.println("echo=" + new String(reply.array(), 0, n, StandardCharsets.UTF_8));
            }
        }
        group.shutdownNow();
        System.out.println("terminated=" + group.awaitTermination(10, TimeUnit.SECONDS));
        System.exit(0);
    }
}
