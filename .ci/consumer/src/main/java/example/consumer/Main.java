package example.consumer;

import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.OpenFlags;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Protocol;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

/**
 * README's example, grown a little: reads a file into a pool chunk and sends a message to itself
 * over loopback TCP, through whichever engine {@link IoEngines#open()} picks, then once more through
 * java.nio's asynchronous channels (ringio's when the provider property names it). Prints one line per
 * step, ending in "consumer: ok" (what .ci/consumer-check looks for), and the module ringio runs
 * in (null on the class path). Any failure is an exception, so a non-zero exit status.
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        System.out.println("consumer: ringio module " + IoEngine.class.getModule().getName()
                + ", binding " + System.getProperty("ringio.binding", "ffm"));
        Path file = Files.createTempFile("ringio-consumer", ".txt");
        try (IoEngine engine = IoEngines.open()) {
            System.out.println("consumer: engine " + engine.name());
            Files.writeString(file, "hello, ringio");
            Fd fd = engine.open(file, OpenFlags.O_RDONLY, 0).join();
            Chunk chunk = engine.bufferPool().alloc();
            String read;
            try {
                int n = engine.readUpTo(fd, chunk, chunk.size(), 0).join();
                read = new String(chunk.segment().asSlice(0, Math.max(n, 0)).toArray(ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8);
            } finally {
                engine.bufferPool().free(chunk);
                engine.close(fd).join();
            }
            check("file read", "hello, ringio", read);

            Fd listener = engine.socket(Domain.INET, Set.of(SocketType.STREAM), Protocol.DEFAULT).join();
            Fd client = engine.socket(Domain.INET, Set.of(SocketType.STREAM), Protocol.DEFAULT).join();
            try {
                engine.bind(listener, Ipv4SockAddr.loopback(0)).join();
                engine.listen(listener, 8).join();
                var accepted = engine.accept(listener);
                engine.connect(client, Sockets.getsockname(listener)).join();
                try (var server = accepted.join()) {
                    engine.sendAll(client, ByteBuffer.wrap("over loopback".getBytes(StandardCharsets.UTF_8)), Set.of())
                            .join();
                    ByteBuffer in = ByteBuffer.allocate(13);
                    while (in.hasRemaining() && engine.recv(server.fd(), in, Set.of()).join() > 0) {
                        // until the whole message is in
                    }
                    check("loopback TCP", "over loopback", new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
                }
            } finally {
                engine.close(client).join();
                engine.close(listener).join();
            }
        } finally {
            Files.deleteIfExists(file);
        }
        nio();
        System.out.println("consumer: ok");
    }

    /**
     * One message over loopback through java.nio's asynchronous channels: ringio's when started with
     * -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.ringio.nio.RingioAsynchronousChannelProvider.
     */
    private static void nio() throws Exception {
        System.out.println("consumer: nio provider " + AsynchronousChannelProvider.provider().getClass().getName());
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            Future<AsynchronousSocketChannel> accepted = server.accept();
            client.connect(server.getLocalAddress()).get(60, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel peer = accepted.get(60, TimeUnit.SECONDS)) {
                ByteBuffer out = ByteBuffer.wrap("through java.nio".getBytes(StandardCharsets.UTF_8));
                while (out.hasRemaining()) {
                    client.write(out).get(60, TimeUnit.SECONDS);
                }
                ByteBuffer in = ByteBuffer.allocate(out.capacity());
                while (in.hasRemaining() && peer.read(in).get(60, TimeUnit.SECONDS) > 0) {
                    // until the whole message is in
                }
                check("java.nio channels", "through java.nio", new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
            }
        }
    }

    private static void check(String what, String expected, String actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError(what + ": expected \"" + expected + "\", got \"" + actual + "\"");
        }
        System.out.println("consumer: " + what + " ok");
    }

    private Main() {
    }
}
