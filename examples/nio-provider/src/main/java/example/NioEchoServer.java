package example;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary java.nio echo server ({@link AsynchronousServerSocketChannel} with completion
 * handlers) and clients ({@link AsynchronousSocketChannel}): nothing here names ringio. Started with
 * {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.ringio.nio.RingioAsynchronousChannelProvider}
 * (this project's pom does so), the same code runs on ringio's engines; without it, on the JDK's own
 * provider. Loopback only; exits when the clients are done (status 1 if an echo differs).
 */
public final class NioEchoServer {

    static final int CLIENTS = 8;
    static final int MESSAGES = 50;

    public static void main(String[] args) throws Exception {
        System.out.println("provider: " + AsynchronousChannelProvider.provider().getClass().getName());
        // The provider's default group, as most servers use; the provider's loop threads run the handlers.
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
            System.out.println("echo server on " + address);
            server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
                @Override
                public void completed(AsynchronousSocketChannel client, Void unused) {
                    server.accept(null, this);                          // the next connection
                    echo(client, ByteBuffer.allocate(4096));
                }

                @Override
                public void failed(Throwable t, Void unused) {
                    // the server channel was closed
                }
            });

            int bad = 0;
            for (int c = 0; c < CLIENTS; c++) {
                try (AsynchronousSocketChannel ch = AsynchronousSocketChannel.open()) {
                    ch.connect(address).get(30, TimeUnit.SECONDS);
                    for (int m = 0; m < MESSAGES; m++) {
                        byte[] msg = ("client " + c + " message " + m + "\n").getBytes(StandardCharsets.UTF_8);
                        ByteBuffer out = ByteBuffer.wrap(msg);
                        while (out.hasRemaining()) {
                            ch.write(out).get(30, TimeUnit.SECONDS);
                        }
                        ByteBuffer in = ByteBuffer.allocate(msg.length);
                        while (in.hasRemaining()) {
                            if (ch.read(in).get(30, TimeUnit.SECONDS) < 0) {
                                break;
                            }
                        }
                        if (!in.flip().equals(ByteBuffer.wrap(msg))) {
                            bad++;
                        }
                    }
                }
            }
            System.out.println(CLIENTS + " clients x " + MESSAGES + " messages echoed, " + bad + " wrong");
            if (bad != 0) {
                System.exit(1);
            }
        }
    }

    /** Reads what arrives and writes it back, until end of stream; the handlers chain the steps. */
    static void echo(AsynchronousSocketChannel ch, ByteBuffer buf) {
        ch.read(buf.clear(), null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void unused) {
                if (n < 0) {
                    close(ch);
                    return;
                }
                buf.flip();
                ch.write(buf, null, new CompletionHandler<Integer, Void>() {
                    @Override
                    public void completed(Integer written, Void unused) {
                        if (buf.hasRemaining()) {
                            ch.write(buf, null, this);                  // a short write: the rest
                        } else {
                            echo(ch, buf);
                        }
                    }

                    @Override
                    public void failed(Throwable t, Void unused) {
                        close(ch);
                    }
                });
            }

            @Override
            public void failed(Throwable t, Void unused) {
                close(ch);
            }
        });
    }

    static void close(AsynchronousSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing more to do with it
        }
    }

    private NioEchoServer() {
    }
}
