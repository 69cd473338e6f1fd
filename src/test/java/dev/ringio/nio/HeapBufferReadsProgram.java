package dev.ringio.nio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.net.Domain;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

/**
 * 200 one-byte reads into a 1 MiB heap buffer, run in a child JVM by {@link HeapBufferMemoryTest}
 * under {@code -XX:MaxDirectMemorySize=16m -XX:+DisableExplicitGC}: through the installed
 * AsynchronousChannelProvider ({@code nio}) or an engine's {@code recv} ({@code engine}). Prints
 * {@code reads=200} and exits 0 if every read completed.
 */
public final class HeapBufferReadsProgram {

    private static final int READS = 200;

    private HeapBufferReadsProgram() {
    }

    public static void main(String[] args) throws Exception {
        if ("nio".equals(args[0])) {
            System.out.println("provider=" + AsynchronousChannelProvider.provider().getClass().getName());
            try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
                var accepted = server.accept();
                client.connect(server.getLocalAddress()).get(20, TimeUnit.SECONDS);
                try (AsynchronousSocketChannel peer = accepted.get(20, TimeUnit.SECONDS)) {
                    ByteBuffer big = ByteBuffer.allocate(1 << 20);
                    for (int i = 0; i < READS; i++) {
                        peer.write(ByteBuffer.wrap(new byte[] {(byte) i})).get(20, TimeUnit.SECONDS);
                        big.clear();
                        int n = client.read(big).get(20, TimeUnit.SECONDS);
                        check(n == 1 && big.get(0) == (byte) i, "read " + i + ": " + n);
                    }
                }
            }
        } else {
            try (IoEngine engine = IoEngines.open()) {
                Fd[] pair = Sockets.socketpair(Domain.UNIX, Set.of(SocketType.STREAM));
                ByteBuffer big = ByteBuffer.allocate(1 << 20);
                for (int i = 0; i < READS; i++) {
                    engine.send(pair[1], ByteBuffer.wrap(new byte[] {(byte) i}), Set.of()).get(20, TimeUnit.SECONDS);
                    big.clear();
                    int n = engine.recv(pair[0], big, Set.of()).get(20, TimeUnit.SECONDS);
                    check(n == 1 && big.get(0) == (byte) i, "recv " + i + ": " + n);
                }
                pair[0].close();
                pair[1].close();
            }
        }
        System.out.println("reads=" + READS);
        System.exit(0);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
