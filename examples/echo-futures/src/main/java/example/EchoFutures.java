package example;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Protocol;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

/**
 * A TCP echo server written with ringio's futures: every step (accept, receive, send) is a
 * {@link CompletableFuture} that the engine's loop thread completes, and the next step is chained
 * on it; no thread waits for a connection. The server listens on 127.0.0.1 (an ephemeral port);
 * {@code main} then runs a few plain {@link Socket} clients against it, checks their echoes, and
 * exits (status 1 if an echo differs).
 */
public final class EchoFutures {

    static final int CLIENTS = 4;
    static final int MESSAGES = 100;

    public static void main(String[] args) throws Exception {
        try (IoEngine engine = IoEngines.open()) {
            // socket, bind, listen: each a future; join() is fine here, on main (never on the loop).
            Fd listener = engine.socket(Domain.INET, Set.of(SocketType.STREAM), Protocol.DEFAULT).join();
            Sockets.setOption(listener, SocketOptions.REUSEADDR, true);
            engine.bind(listener, Ipv4SockAddr.loopback(0)).join();
            engine.listen(listener, 128).join();
            int port = ((Ipv4SockAddr) Sockets.getsockname(listener)).port();
            System.out.println("echo server (" + engine.name() + " engine) on 127.0.0.1:" + port);

            List<CompletableFuture<Void>> served = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                // One accept at a time, each chained to echo its connection until the client closes.
                served.add(engine.accept(listener).thenCompose(accepted -> echo(engine, accepted.fd())));
            }

            int bad = 0;
            for (int c = 0; c < CLIENTS; c++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    OutputStream out = s.getOutputStream();
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    for (int m = 0; m < MESSAGES; m++) {
                        byte[] msg = ("client " + c + " message " + m + "\n").getBytes(StandardCharsets.UTF_8);
                        out.write(msg);
                        byte[] back = new byte[msg.length];
                        in.readFully(back);
                        if (!Arrays.equals(msg, back)) {
                            bad++;
                        }
                    }
                }
            }
            CompletableFuture.allOf(served.toArray(CompletableFuture[]::new)).join();
            engine.close(listener).join();
            System.out.println(CLIENTS + " clients x " + MESSAGES + " messages echoed, " + bad + " wrong");
            if (bad != 0) {
                System.exit(1);
            }
        }
    }

    /**
     * Echoes {@code fd} until the peer closes, then closes it: receive into a direct buffer, send
     * all of it, receive again. Each continuation runs on the loop thread, so none of them blocks.
     */
    static CompletableFuture<Void> echo(IoEngine engine, Fd fd) {
        return echo(engine, fd, ByteBuffer.allocateDirect(16 * 1024));
    }

    private static CompletableFuture<Void> echo(IoEngine engine, Fd fd, ByteBuffer buf) {
        return engine.recv(fd, buf.clear(), Set.of()).thenCompose(n -> n < 0
                ? engine.close(fd)                                        // end of stream: done
                : engine.sendAll(fd, buf.flip(), Set.of())                // short sends resubmitted
                        .thenCompose(sent -> echo(engine, fd, buf)));
    }

    private EchoFutures() {
    }
}
