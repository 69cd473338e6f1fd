package dev.ringio.bench;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.ringio.BufferRing;
import dev.ringio.EngineClosedException;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.net.Accepted;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;

/**
 * A TCP echo server on multishot operations: one multishot accept for the listening socket, and
 * per connection one multishot receive that takes its buffers from a provided buffer ring shared
 * by all connections.
 *
 * <p>Each received segment is copied out of the ring's buffer during the callback (the buffer goes
 * back to the ring when the callback returns) into a direct buffer, and queued on its connection;
 * the connection sends its queue in order, one {@code sendAll} at a time, so echoes are never
 * reordered. When more than {@value #HIGH_WATER_BYTES} bytes are waiting to be echoed (a client
 * that sends without reading), the connection's receive is cancelled and re-armed once the queue
 * has drained. At end of stream the connection finishes its sends, shuts down its write half and
 * closes. An error closes that connection only, with one log line.
 *
 * <p>For a hand-off between the loops of an engine group ({@link GroupEchoServer#startHandOff}),
 * a server may place what its listener accepts on another server ({@link #startOn(IoEngine, Fd,
 * int, int, Consumer, Function)}), and a server may have no listener at all and serve only the
 * connections handed to it ({@link #adopting}, {@link #adopt}).
 *
 * <p>Threading: {@link #start} from any thread but the engine's loop; the getters and
 * {@link #close()} from any thread. Everything else runs on the loop.
 */
public final class EchoServer implements AutoCloseable, RunningServer {

    /** Listen backlog: room for a burst of clients connecting at once. */
    public static final int DEFAULT_BACKLOG = 1024;

    /** Buffers in the shared ring (a power of two). */
    public static final int DEFAULT_RING_ENTRIES = 256;

    /** Size of each ring buffer: the most one receive completion delivers. */
    public static final int DEFAULT_BUFFER_SIZE = 16 * 1024;

    /** Queued echo bytes above which a connection stops receiving until its queue drains. */
    static final long HIGH_WATER_BYTES = 1 << 20;


    private final IoEngine engine;
    /** Null for a server that only serves connections handed to it. */
    private final Fd listener;
    private final SockAddr localAddress;
    private final BufferRing ring;
    private final Consumer<String> log;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final LongAdder bytesEchoed = new LongAdder();
    private final LongAdder receivePauses = new LongAdder();
    /** Null without a listener. */
    private final AcceptLoop acceptLoop;
    /** The server that serves each connection the listener accepts: another loop's, or null for this one. */
    private final Function<Accepted, EchoServer> placement;
    private volatile boolean closed;

    private EchoServer(IoEngine engine, Fd listener, SockAddr localAddress, BufferRing ring, Consumer<String> log,
                       Function<Accepted, EchoServer> placement) {
        this.engine = engine;
        this.listener = listener;
        this.localAddress = localAddress;
        this.ring = ring;
        this.log = log;
        this.placement = placement == null ? client -> null : placement;
        this.acceptLoop = listener == null ? null
                : new AcceptLoop(engine, listener, "echo: accept on " + localAddress, this::place, log);
    }

    /** Starts an echo server on {@code local} with the default backlog and ring, logging to standard error. */
    public static EchoServer start(IoEngine engine, SockAddr local) throws IOException {
        return start(engine, local, DEFAULT_BACKLOG, DEFAULT_RING_ENTRIES, DEFAULT_BUFFER_SIZE, System.err::println);
    }

    /**
     * Listens on {@code local} (SO_REUSEADDR), registers a buffer ring of {@code ringEntries}
     * buffers of {@code bufferSize} bytes, and starts accepting. Any thread but the engine's loop.
     *
     * @param log receives one line per failure (on the loop thread: keep it quick)
     * @throws IOException if the listening socket cannot be set up
     */
    public static EchoServer start(IoEngine engine, SockAddr local, int backlog, int ringEntries, int bufferSize,
                                   Consumer<String> log) throws IOException {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(log, "log");
        return startOn(engine, ListeningSocket.open(engine, local, backlog), ringEntries, bufferSize, log);
    }

    /**
     * As {@link #start(IoEngine, SockAddr, int, int, int, Consumer)} on a socket already listening
     * (one of {@code EngineGroup.listenReusePort}'s listeners, owned by {@code engine}), which the
     * server then owns: it closes it, also when this fails. Any thread but the engine's loop.
     */
    static EchoServer startOn(IoEngine engine, Fd listener, int ringEntries, int bufferSize, Consumer<String> log)
            throws IOException {
        return startOn(engine, listener, ringEntries, bufferSize, log, null);
    }

    /**
     * As {@link #startOn(IoEngine, Fd, int, int, Consumer)}, each accepted connection served by the
     * server {@code placement} names for it (called on the loop thread): another loop's, whose
     * {@link #adopt} takes it there, or null for this one. Any thread but the engine's loop.
     *
     * @param placement null to serve every connection here
     */
    static EchoServer startOn(IoEngine engine, Fd listener, int ringEntries, int bufferSize, Consumer<String> log,
                              Function<Accepted, EchoServer> placement) throws IOException {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(log, "log");
        EchoServer server;
        try {
            server = create(engine, listener, ListeningSocket.boundAddress(listener), ringEntries, bufferSize, log,
                    placement);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        server.acceptLoop.start();
        return server;
    }

    /**
     * A server with no listener: it serves the connections {@link #adopt} hands it, on
     * {@code engine}'s loop; {@code localAddress} is the address they were accepted on (for
     * {@link #localAddress()}). Any thread.
     */
    static EchoServer adopting(IoEngine engine, SockAddr localAddress, int ringEntries, int bufferSize,
                               Consumer<String> log) throws IOException {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(log, "log");
        return create(engine, null, localAddress, ringEntries, bufferSize, log, null);
    }

    private static EchoServer create(IoEngine engine, Fd listener, SockAddr localAddress, int ringEntries,
                                     int bufferSize, Consumer<String> log, Function<Accepted, EchoServer> placement)
            throws IOException {
        BufferRing ring = engine.bufferRing(ringEntries, bufferSize);
        try {
            return new EchoServer(engine, listener, localAddress, ring, log, placement);
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    /**
     * Serves {@code client}, accepted on another loop, on this server's loop; from now on the server
     * owns its descriptor (closed at once if the server or its engine is closed). Any thread.
     */
    void adopt(Accepted client) {
        try {
            engine.execute(() -> onAccepted(client));
        } catch (EngineClosedException e) {
            client.fd().close();
        }
    }

    /** The address the server listens on (with the port the kernel chose when asked for 0). Any thread. */
    public SockAddr localAddress() {
        return localAddress;
    }

    /** The port of {@link #localAddress()}. Any thread. */
    @Override
    public int port() {
        return RunningServer.portOf(localAddress);
    }

    /** Connections accepted so far. Any thread. */
    public long accepted() {
        return accepted.get();
    }

    /** Connections open now. Any thread. */
    public int active() {
        return connections.size();
    }

    /** Connections that ended with an error. Any thread. */
    public long failed() {
        return failed.get();
    }

    /** Bytes echoed back so far. Any thread. */
    public long bytesEchoed() {
        return bytesEchoed.sum();
    }

    /** How many times a connection stopped receiving because its echo queue was full. Any thread. */
    public long receivePauses() {
        return receivePauses.sum();
    }

    @Override
    public String toString() {
        return "EchoServer[" + localAddress + ", accepted " + accepted() + ", active " + active() + ", failed "
                + failed() + ", bytes echoed " + bytesEchoed() + "]";
    }

    /**
     * Stops accepting, closes the listening socket and every connection, then the buffer ring;
     * waits (up to 10 seconds, not on the loop thread) for the descriptors to close. Idempotent.
     * Any thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ServerShutdown.close(engine, acceptLoop, listener, connections, Connection::release, c -> {
            c.fd.close();
            connections.remove(c);
        }, "echo", log);
        // Freed by the engine once no receive uses it.
        ring.close();
    }

    private CompletableFuture<Void> closeFd(Fd fd) {
        return ServerShutdown.closeFd(engine, fd);
    }

    // ---- accept ----------------------------------------------------------------------------------

    /** Loop thread: serves {@code client} here, or hands it to the server {@link #placement} names. */
    private void place(Accepted client) {
        EchoServer target;
        try {
            target = closed ? null : placement.apply(client);
        } catch (RuntimeException e) { // e.g. the group closing under us: the connection is not lost
            log.accept("echo: placing a connection: " + Failures.describe(e));
            target = null;
        }
        if (target == null || target == this) {
            onAccepted(client);
        } else {
            target.adopt(client);
        }
    }

    /** Loop thread. */
    private void onAccepted(Accepted client) {
        if (closed) {
            closeFd(client.fd());
            return;
        }
        accepted.incrementAndGet();
        Connection c = new Connection(client.fd(), client.peer());
        connections.add(c);
        c.receive();
    }

    // ---- one connection --------------------------------------------------------------------------

    /** Loop thread only. */
    private final class Connection implements MultishotHandler<MemorySegment> {
        final Fd fd;
        private final String name;
        private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        private long queuedBytes;
        private boolean sending;
        private Multishot receiving;   // null when no receive is armed
        private boolean pausing;       // we cancelled the receive because the queue is full
        private boolean endOfStream;
        private boolean finished;
        private CompletableFuture<Void> closedFuture;

        Connection(Fd fd, SockAddr peer) {
            this.fd = fd;
            this.name = "echo: connection " + (peer == null ? "(unknown peer)" : peer);
        }

        void receive() {
            if (finished) {
                return;
            }
            receiving = engine.recvMultishot(fd, ring, this);
        }

        /** Copies the bytes out of the ring's buffer (valid only during this call) and queues them. */
        @Override
        public void onNext(MemorySegment data) {
            if (finished) {
                return;
            }
            ByteBuffer copy = ByteBuffer.allocateDirect((int) data.byteSize());
            MemorySegment.ofBuffer(copy).copyFrom(data);
            queue.add(copy);
            queuedBytes += copy.remaining();
            if (!sending) {
                sendNext();
            }
            if (queuedBytes > HIGH_WATER_BYTES && !pausing && receiving != null) {
                pausing = true;
                receivePauses.increment();
                receiving.cancel();
            }
        }

        @Override
        public void onError(Throwable failure) {
            receiving = null;
            fail(failure);
        }

        @Override
        public void onEnd() {
            receiving = null;
            if (finished) {
                return;
            }
            if (pausing) {
                // Our cancel (or an end of stream that raced it: re-arming then just sees the end again).
                resumeIfDrained();
            } else {
                endOfStream = true;
                finishIfDone();
            }
        }

        private void resumeIfDrained() {
            if (pausing && receiving == null && queuedBytes == 0 && !finished) {
                pausing = false;
                receive();
            }
        }

        private void sendNext() {
            ByteBuffer next = queue.peek();
            if (next == null || finished) {
                return;
            }
            sending = true;
            int size = next.remaining();
            engine.sendAll(fd, next, Set.of()).whenComplete((v, t) -> {
                sending = false;
                if (t != null) {
                    fail(t);
                    return;
                }
                queue.poll();
                queuedBytes -= size;
                bytesEchoed.add(size);
                if (!queue.isEmpty()) {
                    sendNext();
                } else {
                    resumeIfDrained();
                    finishIfDone();
                }
            });
        }

        /** After end of stream and the last echo: half-close, then close. */
        private void finishIfDone() {
            if (!endOfStream || sending || !queue.isEmpty() || finished) {
                return;
            }
            finished = true;
            engine.shutdown(fd, ShutdownHow.WRITE).whenComplete((v, t) -> {
                if (t != null && !engine.isClosed()) {
                    failed.incrementAndGet();
                    log.accept(name + ": " + Failures.describe(t));
                }
                release();
            });
        }

        private void fail(Throwable t) {
            if (finished) {
                return;
            }
            if (engine.isClosed()) {
                release(); // the engine ended every operation: a shutdown, not this connection's failure
                return;
            }
            failed.incrementAndGet();
            log.accept(name + ": " + Failures.describe(t));
            release();
        }

        /** Closes the socket, cancelling the receive and any send in flight. Idempotent. */
        CompletableFuture<Void> release() {
            if (closedFuture != null) {
                return closedFuture;
            }
            finished = true;
            queue.clear();
            closedFuture = closeFd(fd);
            connections.remove(this);
            return closedFuture;
        }
    }
}
