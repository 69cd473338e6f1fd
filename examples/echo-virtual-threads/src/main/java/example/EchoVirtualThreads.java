package example;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.blocking.BlockingIo;
import dev.ringio.blocking.RingioServerSocket;
import dev.ringio.blocking.RingioSocket;

/**
 * A thread-per-connection TCP echo server on virtual threads: plain blocking code (accept, then a
 * stream copy per connection) whose every call parks its virtual thread on an io_uring (or epoll)
 * completion through {@link BlockingIo}, instead of blocking a platform thread. The clients are
 * virtual threads too, on ringio's {@link RingioSocket}. Loopback only; exits when the clients are
 * done (status 1 if an echo differs).
 */
public final class EchoVirtualThreads {

    static final int CLIENTS = 50;
    static final int MESSAGES = 20;

    public static void main(String[] args) throws Exception {
        try (IoEngine engine = IoEngines.open()) {
            BlockingIo io = new BlockingIo(engine);
            RingioServerSocket server = RingioServerSocket.open(io,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            InetSocketAddress address = server.localAddress();
            System.out.println("echo server (" + engine.name() + " engine) on " + address);

            Thread acceptor = Thread.ofVirtual().name("acceptor").start(() -> {
                try {
                    while (true) {
                        RingioSocket s = server.accept();                 // parks this virtual thread
                        Thread.ofVirtual().start(() -> {                  // one virtual thread per connection
                            try (s) {
                                s.inputStream().transferTo(s.outputStream());   // echo until end of stream
                            } catch (IOException e) {
                                System.err.println("connection: " + e);
                            }
                        });
                    }
                } catch (IOException e) {
                    // the server socket was closed: stop accepting
                }
            });

            AtomicInteger bad = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                clients.add(Thread.ofVirtual().start(() -> {
                    try (RingioSocket s = RingioSocket.connect(io, address)) {
                        OutputStream out = s.outputStream();
                        DataInputStream in = new DataInputStream(s.inputStream());
                        for (int m = 0; m < MESSAGES; m++) {
                            byte[] msg = ("client " + id + " message " + m + "\n").getBytes(StandardCharsets.UTF_8);
                            out.write(msg);
                            byte[] back = new byte[msg.length];
                            in.readFully(back);
                            if (!Arrays.equals(msg, back)) {
                                bad.incrementAndGet();
                            }
                        }
                    } catch (IOException e) {
                        System.err.println("client " + id + ": " + e);
                        bad.incrementAndGet();
                    }
                }));
            }
            for (Thread t : clients) {
                t.join();
            }
            server.close();       // the acceptor's accept() fails with AsynchronousCloseException
            acceptor.join();
            System.out.println(CLIENTS + " clients x " + MESSAGES + " messages echoed, " + bad + " wrong");
            if (bad.get() != 0) {
                System.exit(1);
            }
        }
    }

    private EchoVirtualThreads() {
    }
}
