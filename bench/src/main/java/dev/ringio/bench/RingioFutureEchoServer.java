package dev.ringio.bench;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.ringio.EngineClosedException;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.buffers.Chunk;
import dev.ringio.net.Accepted;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.Sockets;

/**
 * A ringio echo server on plain one-shot futures, no multishot and no buffer ring: an accept
 * future re-issued after each connection, and per connection a loop of {@code recv} into a chunk
 * of the engine's fixed-buffer pool, {@code send} of what arrived (a short send moves the rest to
 * the chunk's start and sends it again), and {@code recv} again. Every continuation runs on the
 * engine's loop thread; nothing blocks there. One operation per connection is in flight at a time.
 *
 * <p>Each connection receives at most {@value #BUFFER_SIZE} bytes at a time (the other echo
 * servers' buffer size) into its chunk. When the pool is empty, a new connection waits for a chunk
 * ({@code allocOrWait}) before its first receive.
 *
 * <p>Threading: {@link #start} from any thread but the loop; {@link #close()} from any thread
 * but the loop. The rest runs on the loop.
 */
final class RingioFutureEchoServer implements RunningServer {

    static final int BACKLOG = 1024;
    static final int BUFFER_SIZE = 16 * 1024;
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final IoEngine engine;
    private final Fd listener;
    private final int port;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> acceptEnded = new CompletableFuture<>();
    private volatile boolean closed;

    private RingioFutureEchoServer(IoEngine engine, Fd listener, int port) {
        this.engine = engine;
        this.listener = listener;
        this.port = port;
    }

    /** Listens on 127.0.0.1, an ephemeral port, through {@code engine}, and starts accepting. */
    static RingioFutureEchoServer start(IoEngine engine) throws IOException {
        Objects.requireNonNull(engine, "engine");
        Fd listener = ListeningSocket.open(engine, Ipv4SockAddr.loopback(0), BACKLOG);
        int port;
        try {
            port = ((Ipv4SockAddr) ListeningSocket.boundAddress(listener)).port();
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        RingioFutureEchoServer server = new RingioFutureEchoServer(engine, listener, port);
        server.acceptNext();
        return server;
    }

    @Override
    public int port() {
        return port;
    }

    /** Connections open now. Any thread. */
    int active() {
        return connections.size();
    }

    // ---- accept ----------------------------------------------------------------------------------

    private void acceptNext() {
        if (closed) {
            acceptEnded.complete(null);
            return;
        }
        CompletableFuture<Accepted> next;
        try {
            next = engine.accept(listener);
        } catch (EngineClosedException e) {
            acceptEnded.complete(null);
            return;
        }
        next.whenComplete((client, t) -> {
            if (t != null) {
                if (closed || engine.isClosed()) {
                    acceptEnded.complete(null);
                    return;
                }
                // e.g. EMFILE: wait a little rather than spin, then accept again
                System.err.println("ringio future echo: accept: " + Failures.describe(t));
                engine.sleep(AcceptLoop.RETRY).whenComplete((v, u) -> acceptNext());
                return;
            }
            onAccepted(client.fd());
            acceptNext();
        });
    }

    /** Loop thread. */
    private void onAccepted(Fd fd) {
        if (closed) {
            ServerShutdown.closeFd(engine, fd);
            return;
        }
        Connection c = new Connection(fd);
        connections.add(c);
        try {
            Sockets.setOption(fd, SocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            System.err.println("ringio future echo: TCP_NODELAY: " + Failures.describe(e));
        }
        c.chunkPending = true;
        engine.bufferPool().allocOrWait().whenComplete((chunk, t) -> {
            if (t != null) {
                engine.execute(() -> {
                    c.chunkPending = false;
                    c.finish(); // the pool closed
                });
                return;
            }
            try {
                engine.execute(() -> c.begin(chunk)); // a chunk freed elsewhere completes us there
            } catch (EngineClosedException gone) {
                engine.bufferPool().free(chunk);
            }
        });
    }

    // ---- one connection --------------------------------------------------------------------------

    /** Loop thread only. */
    private final class Connection {
        final Fd fd;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Chunk chunk;
        boolean chunkPending;          // allocOrWait has not handed us a chunk yet
        private boolean inFlight;
        private boolean finishing;
        private CompletableFuture<Void> fdClosed;

        Connection(Fd fd) {
            this.fd = fd;
        }

        void begin(Chunk c) {
            chunk = c;
            chunkPending = false;
            if (finishing) {
                freeChunkIfIdle();
                return;
            }
            receive();
        }

        private void receive() {
            if (finishing) {
                freeChunkIfIdle();
                return;
            }
            CompletableFuture<Integer> op;
            try {
                op = engine.recv(fd, chunk, Math.min(BUFFER_SIZE, chunk.size()), Set.of());
            } catch (EngineClosedException gone) {
                finish();
                return;
            }
            inFlight = true;
            op.whenComplete((n, t) -> {
                inFlight = false;
                if (t != null || n < 0) {
                    finish(); // end of stream, a reset, or our own close
                } else if (n == 0) {
                    receive();
                } else {
                    send(n);
                }
            });
        }

        /** Sends the first {@code len} bytes of the chunk, then receives again. */
        private void send(int len) {
            if (finishing) {
                freeChunkIfIdle();
                return;
            }
            CompletableFuture<Integer> op;
            try {
                op = engine.send(fd, chunk, len, Set.<MsgFlag>of());
            } catch (EngineClosedException gone) {
                finish();
                return;
            }
            inFlight = true;
            op.whenComplete((k, t) -> {
                inFlight = false;
                if (t != null || k <= 0) {
                    finish();
                } else if (k < len) {
                    MemorySegment seg = chunk.segment();
                    MemorySegment.copy(seg, k, seg, 0, len - k); // the unsent rest to the front
                    send(len - k);
                } else {
                    receive();
                }
            });
        }

        /** Closes the socket (cancelling the op in flight) and frees the chunk once no op holds it. Idempotent. */
        CompletableFuture<Void> finish() {
            if (!finishing) {
                finishing = true;
                fdClosed = ServerShutdown.closeFd(engine, fd);
                fdClosed.whenComplete((v, t) -> freeChunkIfIdle());
            }
            freeChunkIfIdle();
            return done;
        }

        private void freeChunkIfIdle() {
            if (inFlight || fdClosed == null || !fdClosed.isDone()) {
                return;
            }
            if (chunk != null && chunk.isLive()) {
                engine.bufferPool().free(chunk);
            }
            if (!chunkPending) {
                connections.remove(this);
                done.complete(null);
            } else if (closed) {
                // The server is closing: don't wait for a chunk that may never come; if the pending
                // allocOrWait still hands one over, begin() frees it at once.
                connections.remove(this);
                done.complete(null);
            }
        }
    }

    /**
     * Stops accepting (closing the listener cancels the pending accept), closes every connection
     * through the engine, frees every chunk, and waits (up to 10 seconds) until all are closed.
     */
    @Override
    public void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> listenerClosed = ServerShutdown.closeFd(engine, listener);
        CompletableFuture<Void> connectionsClosed = new CompletableFuture<>();
        try {
            engine.execute(() -> {
                List<CompletableFuture<Void>> all = new ArrayList<>();
                for (Connection c : List.copyOf(connections)) {
                    all.add(c.finish());
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                        .whenComplete((v, t) -> connectionsClosed.complete(null));
            });
        } catch (EngineClosedException gone) {
            for (Connection c : List.copyOf(connections)) {
                c.fd.close();
                connections.remove(c);
            }
            connectionsClosed.complete(null);
        }
        try {
            CompletableFuture.allOf(listenerClosed, connectionsClosed, acceptEnded)
                    .get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            System.err.println("ringio future echo: close: " + connections.size() + " connections still closing after "
                    + CLOSE_WAIT_SECONDS + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            // the futures above never fail
        }
    }
}
