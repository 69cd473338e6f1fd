package dev.ringio.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.net.Accepted;
import dev.ringio.net.Protocol;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketType;
import dev.ringio.os.Pipe;

/**
 * A TCP proxy (the Gerbil socket tutorial's {@code tcp-proxy LOCAL REMOTE}): listens on a local
 * address and, for every client, connects to the remote address and copies bytes both ways until
 * both directions have ended.
 *
 * <p>Per connection:
 * <ol>
 * <li>multishot accept delivers the client socket;</li>
 * <li>a new socket connects to the remote address (a failure is logged, counted, and the client
 *     socket closed);</li>
 * <li>two pumps run, client → remote and remote → client, each through its own pipe: wait until
 *     the source is readable (POLL_ADD), {@code splice} up to 64 KiB from the source socket into
 *     the pipe, then {@code splice} from the pipe into the destination socket until all of it has
 *     moved, and again. The bytes never enter user space;</li>
 * <li>when a source reaches end of stream, the pump shuts down the destination's write half, so
 *     the half-close reaches the other peer, which may still answer;</li>
 * <li>when both pumps have ended, both sockets and both pipes are closed. An error in either
 *     direction is logged with the connection's addresses and closes everything at once.</li>
 * </ol>
 *
 * <p>Why the wait for readability: io_uring always runs SPLICE in an io-wq kernel worker, which
 * blocks in the socket read until data arrives. One blocked worker per idle connection direction
 * would exhaust the engine's capped worker pool (a few per CPU), and the splices queued behind them
 * would wait for data that only those queued splices can deliver. The poll costs no worker, so a
 * splice is issued only when it will find data.
 *
 * <p>Nothing here stops the accept loop: per-connection failures stay in their connection, and if
 * the multishot accept itself fails (e.g. EMFILE) it is logged and re-armed after a short pause.
 *
 * <p>Threading: {@link #start} from any thread but the engine's loop; the getters and
 * {@link #close()} from any thread. Everything else runs on the loop.
 */
public final class TcpProxy implements AutoCloseable, RunningServer {

    /** The tutorial's listen backlog. */
    public static final int DEFAULT_BACKLOG = 10;

    /** Bytes moved by one splice from a socket into a pipe (a pipe's default capacity). */
    static final int SPLICE_CHUNK = 64 * 1024;

    /** Pause before re-arming a multishot accept that failed (e.g. out of descriptors). */

    /** How long {@link #close()} waits for the connections' descriptors to be closed. */

    private final IoEngine engine;
    private final Fd listener;
    private final SockAddr localAddress;
    private final SockAddr remote;
    private final Consumer<String> log;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final LongAdder bytesToRemote = new LongAdder();
    private final LongAdder bytesToClient = new LongAdder();
    private final AcceptLoop acceptLoop;
    private volatile boolean closed;

    private TcpProxy(IoEngine engine, Fd listener, SockAddr localAddress, SockAddr remote, Consumer<String> log) {
        this.engine = engine;
        this.listener = listener;
        this.localAddress = localAddress;
        this.remote = remote;
        this.log = log;
        this.acceptLoop = new AcceptLoop(engine, listener, "proxy: accept on " + localAddress, this::onAccepted, log);
    }

    /**
     * Starts a proxy from {@code local} to {@code remote} with the tutorial's backlog (10), logging
     * to standard error. See {@link #start(IoEngine, SockAddr, SockAddr, int, Consumer)}.
     */
    public static TcpProxy start(IoEngine engine, SockAddr local, SockAddr remote) throws IOException {
        return start(engine, local, remote, DEFAULT_BACKLOG, System.err::println);
    }

    /**
     * Listens on {@code local} (SO_REUSEADDR) and starts accepting. Returns once the socket is
     * listening. Any thread but the engine's loop.
     *
     * @param local   where to listen; port 0 lets the kernel choose ({@link #localAddress()} tells)
     * @param remote  where every client is forwarded
     * @param backlog listen backlog
     * @param log     receives one line per failure (called on the loop thread: keep it quick)
     * @throws IOException if the listening socket cannot be set up (e.g. {@code bind: EADDRINUSE})
     */
    public static TcpProxy start(IoEngine engine, SockAddr local, SockAddr remote, int backlog, Consumer<String> log)
            throws IOException {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(log, "log");
        return startOn(engine, ListeningSocket.open(engine, local, backlog), remote, log);
    }

    /**
     * As {@link #start(IoEngine, SockAddr, SockAddr, int, Consumer)} on a socket already listening
     * (one of {@code EngineGroup.listenReusePort}'s listeners, owned by {@code engine}), which the
     * proxy then owns: it closes it, also when this fails. Any thread but the engine's loop.
     */
    static TcpProxy startOn(IoEngine engine, Fd listener, SockAddr remote, Consumer<String> log) throws IOException {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(log, "log");
        TcpProxy proxy;
        try {
            proxy = new TcpProxy(engine, listener, ListeningSocket.boundAddress(listener), remote, log);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        proxy.acceptLoop.start();
        return proxy;
    }

    /** The address the proxy listens on (with the port the kernel chose when asked for 0). Any thread. */
    public SockAddr localAddress() {
        return localAddress;
    }

    /** The port of {@link #localAddress()}. Any thread. */
    @Override
    public int port() {
        return RunningServer.portOf(localAddress);
    }

    /** Where clients are forwarded. Any thread. */
    public SockAddr remoteAddress() {
        return remote;
    }

    /** Connections accepted so far. Any thread. */
    public long accepted() {
        return accepted.get();
    }

    /** Connections open now (accepted and not yet closed). Any thread. */
    public int active() {
        return connections.size();
    }

    /** Connections that ended with an error, connect failures included. Any thread. */
    public long failed() {
        return failed.get();
    }

    /** Bytes copied from clients to the remote side. Any thread. */
    public long bytesToRemote() {
        return bytesToRemote.sum();
    }

    /** Bytes copied from the remote side to clients. Any thread. */
    public long bytesToClient() {
        return bytesToClient.sum();
    }

    /** Completes when the accept loop has stopped for good (after {@link #close()}). Any thread. */
    public CompletableFuture<Void> acceptEnded() {
        return acceptLoop.ended().copy();
    }

    @Override
    public String toString() {
        return "TcpProxy[" + localAddress + " -> " + remote + ", accepted " + accepted() + ", active " + active()
                + ", failed " + failed() + ", bytes to remote " + bytesToRemote() + ", to client " + bytesToClient()
                + "]";
    }

    /**
     * Stops accepting, closes the listening socket and every open connection, and waits (up to 10
     * seconds, not on the loop thread) until their descriptors are closed. Idempotent. Any thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ServerShutdown.close(engine, acceptLoop, listener, connections, Connection::abort, Connection::closeDirectly,
                "proxy", log);
    }

    private CompletableFuture<Void> closeFd(Fd fd) {
        return ServerShutdown.closeFd(engine, fd);
    }

    // ---- accept ----------------------------------------------------------------------------------

    /** Loop thread. */
    private void onAccepted(Accepted client) {
        if (closed) {
            closeFd(client.fd());
            return;
        }
        accepted.incrementAndGet();
        Connection c = new Connection(client.fd(), client.peer());
        connections.add(c);
        c.connect();
    }

    // ---- one proxied connection ------------------------------------------------------------------

    /** One client and its remote connection. Loop thread only. */
    private final class Connection {
        private final Fd client;
        private final String name;
        private Fd upstream;
        private Pipe toRemotePipe;
        private Pipe toClientPipe;
        private int pumpsRunning;
        private boolean finished;
        private CompletableFuture<Void> closedFuture;

        Connection(Fd client, SockAddr peer) {
            this.client = client;
            this.name = "proxy: connection " + (peer == null ? "(unknown peer)" : peer) + " -> " + remote;
        }

        void connect() {
            engine.socket(remote.domain(), Set.of(SocketType.STREAM), Protocol.DEFAULT)
                    .thenCompose(fd -> {
                        if (finished) {
                            closeFd(fd); // closed while the socket was being made
                            throw new CancellationException("proxy closing");
                        }
                        upstream = fd;
                        return engine.connect(fd, remote);
                    })
                    .whenComplete((v, t) -> {
                        if (t != null) {
                            fail(t);
                        } else {
                            startPumps();
                        }
                    });
        }

        private void startPumps() {
            if (finished) {
                return;
            }
            try {
                toRemotePipe = Pipe.open();
                toClientPipe = Pipe.open();
            } catch (NativeIoException e) {
                fail(e); // e.g. EMFILE
                return;
            }
            pumpsRunning = 2;
            new Pump(client, upstream, toRemotePipe, bytesToRemote).awaitData();
            new Pump(upstream, client, toClientPipe, bytesToClient).awaitData();
        }

        /** A pump reached end of stream and passed the half-close on. */
        void pumpDone() {
            if (--pumpsRunning == 0 && !finished) {
                release();
            }
        }

        /** Logs and counts a failure (once), then closes everything. */
        void fail(Throwable t) {
            if (finished) {
                return; // a follow-on of closing: cancelled operations, EBADF
            }
            if (engine.isClosed()) {
                release(); // the engine ended every operation: a shutdown, not this connection's failure
                return;
            }
            failed.incrementAndGet();
            log.accept(name + ": " + Failures.describe(t));
            release();
        }

        /** Closes everything without logging (the proxy is closing). */
        CompletableFuture<Void> abort() {
            if (!finished) {
                return release();
            }
            return closedFuture != null ? closedFuture : CompletableFuture.completedFuture(null);
        }

        /**
         * Closes both sockets, cancelling whatever is in flight on them, and then both pipes.
         *
         * <p>The order matters. Every splice involves one of the two sockets, so once both sockets
         * are released no splice is running. A splice from a pipe into a socket holds the pipe's
         * lock while it waits for room in the socket's send buffer, and close(2) of either end of
         * that pipe waits for the same lock: closing a pipe end first (an end no operation holds
         * closes at once, on this loop thread) would block the loop behind a slow reader, before
         * it had even submitted the cancellation that frees the splice.
         */
        private CompletableFuture<Void> release() {
            finished = true;
            CompletableFuture<Void> sockets = CompletableFuture.allOf(closeFd(client), closeFd(upstream));
            closedFuture = sockets.handle((v, t) -> null).thenCompose(v -> {
                List<CompletableFuture<Void>> pipes = new ArrayList<>();
                for (Pipe p : new Pipe[] {toRemotePipe, toClientPipe}) {
                    if (p != null) {
                        pipes.add(closeFd(p.readEnd()));
                        pipes.add(closeFd(p.writeEnd()));
                    }
                }
                return CompletableFuture.allOf(pipes.toArray(CompletableFuture[]::new));
            });
            connections.remove(this);
            return closedFuture;
        }

        /** After the engine itself has closed: nothing is in flight, close the descriptors. */
        void closeDirectly() {
            finished = true;
            client.close();
            if (upstream != null) {
                upstream.close();
            }
            if (toRemotePipe != null) {
                toRemotePipe.close();
            }
            if (toClientPipe != null) {
                toClientPipe.close();
            }
            connections.remove(this);
        }

        /** One direction: source socket → pipe → destination socket. */
        private final class Pump {
            private final Fd src;
            private final Fd dst;
            private final Pipe pipe;
            private final LongAdder bytes;

            Pump(Fd src, Fd dst, Pipe pipe, LongAdder bytes) {
                this.src = src;
                this.dst = dst;
                this.pipe = pipe;
                this.bytes = bytes;
            }

            /** Waits (without an io-wq worker) until the source has data or has ended. */
            void awaitData() {
                if (finished) {
                    return;
                }
                engine.awaitReadable(src).whenComplete((events, t) -> {
                    if (t != null) {
                        fail(t);
                    } else {
                        fill();
                    }
                });
            }

            /** Source socket → pipe (empty at this point, so up to its 64 KiB capacity fits). */
            private void fill() {
                if (finished) {
                    return;
                }
                engine.splice(src, pipe.writeEnd(), SPLICE_CHUNK).whenComplete((n, t) -> {
                    if (t != null) {
                        fail(t);
                    } else if (n < 0) {
                        endOfStream();
                    } else if (n == 0) {
                        awaitData();
                    } else {
                        drain(n);
                    }
                });
            }

            /** Pipe → destination socket, until the {@code left} bytes in the pipe have all moved. */
            private void drain(int left) {
                if (finished) {
                    return;
                }
                engine.splice(pipe.readEnd(), dst, left).whenComplete((n, t) -> {
                    if (t != null) {
                        fail(t);
                    } else if (n <= 0) {
                        fail(new IOException("splice into the destination moved nothing (" + n + ")"));
                    } else {
                        bytes.add(n);
                        if (n < left) {
                            drain(left - n);
                        } else {
                            awaitData();
                        }
                    }
                });
            }

            /** The source ended: half-close the destination so its peer sees end of stream too. */
            private void endOfStream() {
                engine.shutdown(dst, ShutdownHow.WRITE).whenComplete((v, t) -> {
                    if (t != null) {
                        fail(t);
                    } else {
                        pumpDone();
                    }
                });
            }
        }
    }
}
