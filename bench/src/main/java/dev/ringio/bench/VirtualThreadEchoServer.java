package dev.ringio.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.ringio.IoEngine;
import dev.ringio.blocking.BlockingIo;
import dev.ringio.blocking.RingioServerSocket;
import dev.ringio.blocking.RingioSocket;
import dev.ringio.net.SockAddr;

/**
 * A TCP echo server in the thread-per-connection style on ringio's blocking API: one virtual
 * thread accepts, one virtual thread per connection reads and writes back until end of stream.
 * Each blocked read parks its virtual thread on the engine's completion, so thousands of idle
 * connections cost thousands of small stacks and no carrier threads. The counterpart of
 * {@link EchoServer} (multishot accept and receive on the loop). Threading: any thread.
 */
final class VirtualThreadEchoServer implements AutoCloseable, RunningServer {

    static final int BUFFER_SIZE = 16 * 1024;

    private final RingioServerSocket server;
    private final Consumer<String> log;
    private final Set<RingioSocket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytesEchoed = new AtomicLong();
    private final Thread acceptor;
    private final int port;

    private VirtualThreadEchoServer(RingioServerSocket server, Consumer<String> log) throws IOException {
        this.server = server;
        this.port = server.localAddress().getPort();
        this.log = log;
        this.acceptor = Thread.ofVirtual().name("ringio-echo-accept").unstarted(this::acceptLoop);
    }

    static VirtualThreadEchoServer start(IoEngine engine, SockAddr local, int backlog, Consumer<String> log)
            throws IOException {
        return start(new BlockingIo(engine), local, backlog, log);
    }

    /**
     * As {@link #start(IoEngine, SockAddr, int, Consumer)} on {@code io}: with
     * {@code BlockingIo.of(group)}, one listener whose accepted connections spread over the group's
     * engines (each connection's first operation places it with {@code next()}).
     */
    static VirtualThreadEchoServer start(BlockingIo io, SockAddr local, int backlog, Consumer<String> log)
            throws IOException {
        RingioServerSocket server = RingioServerSocket.open(io, local, backlog);
        VirtualThreadEchoServer s;
        try {
            s = new VirtualThreadEchoServer(server, log);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        s.acceptor.start();
        return s;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            RingioSocket conn;
            try {
                conn = server.accept();
            } catch (ClosedChannelException closing) {
                return;
            } catch (IOException e) {
                failed.incrementAndGet();
                log.accept("ringio echo: accept failed: " + Failures.describe(e));
                continue;
            }
            accepted.incrementAndGet();
            connections.add(conn);
            Thread.ofVirtual().name("ringio-echo-" + conn.fd().value()).start(() -> serve(conn));
        }
    }

    private void serve(RingioSocket conn) {
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_SIZE);
        try (conn) {
            while (true) {
                buf.clear();
                int n = conn.read(buf);
                if (n < 0) {
                    return;
                }
                buf.flip();
                conn.write(buf);
                bytesEchoed.addAndGet(n);
            }
        } catch (ClosedChannelException closing) {
            // the server is shutting down
        } catch (IOException e) {
            failed.incrementAndGet();
        } finally {
            connections.remove(conn);
        }
    }

    InetSocketAddress localAddress() throws IOException {
        return server.localAddress();
    }

    /** The port it listens on. Any thread. */
    @Override
    public int port() {
        return port;
    }

    long accepted() {
        return accepted.get();
    }

    long failed() {
        return failed.get();
    }

    long bytesEchoed() {
        return bytesEchoed.get();
    }

    int openConnections() {
        return connections.size();
    }

    /** Stops accepting, closes every connection (their threads see the close and end), waits for the acceptor. */
    @Override
    public void close() throws IOException {
        server.close();
        for (RingioSocket c : connections) {
            c.close();
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
