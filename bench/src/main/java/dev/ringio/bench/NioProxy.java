package dev.ringio.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A rival TCP proxy on plain java.nio, one {@link Selector} thread: for each accepted client it
 * connects (non-blocking) to the backend, then copies both directions, each through its own 64 KiB
 * direct buffer. A direction reads its source only while its buffer is empty: when a write to the
 * destination is short, the source's OP_READ is dropped and the destination's OP_WRITE set until
 * the buffer drains (backpressure, never more than one buffer per direction). End of stream on a
 * source, once its buffer is drained, shuts down the destination's output (the half-close reaches
 * the other peer); both sockets close when both directions have ended, or at once on an error.
 */
final class NioProxy implements RunningServer {

    static final int BUFFER_SIZE = 64 * 1024;
    static final int BACKLOG = 1024;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final InetSocketAddress backend;
    private final int port;
    private final Thread thread;
    private volatile boolean closing;

    private NioProxy(Selector selector, ServerSocketChannel listener, InetSocketAddress backend) throws IOException {
        this.selector = selector;
        this.listener = listener;
        this.backend = backend;
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        this.thread = Thread.ofPlatform().name("nio-proxy").unstarted(this::run);
    }

    /** Listens on 127.0.0.1, an ephemeral port, forwarding every client to {@code backend}. */
    static NioProxy start(InetSocketAddress backend) throws IOException {
        Objects.requireNonNull(backend, "backend");
        Selector selector = Selector.open();
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            NioProxy proxy = new NioProxy(selector, listener, backend);
            proxy.thread.start();
            return proxy;
        } catch (IOException | RuntimeException e) {
            if (listener != null) {
                listener.close();
            }
            selector.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return port;
    }

    private void run() {
        try {
            while (!closing) {
                selector.select();
                if (closing) {
                    break;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptAll();
                    } else {
                        Side side = (Side) key.attachment();
                        side.pair.ready(side, key.readyOps());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closing) {
                System.err.println("nio proxy: selector failed: " + e);
            }
        } finally {
            closeAll();
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel client;
        while ((client = listener.accept()) != null) {
            SocketChannel upstream = null;
            try {
                client.configureBlocking(false);
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                upstream = SocketChannel.open();
                upstream.configureBlocking(false);
                upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Pair pair = new Pair(client, upstream);
                boolean connected = upstream.connect(backend);
                pair.upstream.key = upstream.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, pair.upstream);
                pair.client.key = client.register(selector, 0, pair.client);
                if (connected) {
                    pair.connected();
                }
            } catch (IOException e) {
                System.err.println("nio proxy: connection to " + backend + ": " + e);
                closeQuietly(client);
                if (upstream != null) {
                    closeQuietly(upstream);
                }
            }
        }
    }

    /** One socket of a proxied pair; {@code in} holds bytes read from it, waiting to go to the other side. */
    private static final class Side {
        final Pair pair;
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_SIZE);
        SelectionKey key;
        Side peer;
        boolean eof;          // read end of stream from this side
        boolean outputShut;   // shut down this side's output (its peer ended and we drained)

        Side(Pair pair, SocketChannel channel) {
            this.pair = pair;
            this.channel = channel;
        }

        /** This side's bytes have all reached its peer. */
        boolean drained() {
            return in.position() == 0;
        }
    }

    /** A client and its backend connection. Selector thread only. */
    private static final class Pair {
        final Side client;
        final Side upstream;
        boolean closed;

        Pair(SocketChannel c, SocketChannel u) {
            client = new Side(this, c);
            upstream = new Side(this, u);
            client.peer = upstream;
            upstream.peer = client;
        }

        void connected() {
            client.key.interestOps(SelectionKey.OP_READ);
            upstream.key.interestOps(SelectionKey.OP_READ);
        }

        void ready(Side side, int ops) {
            try {
                if ((ops & SelectionKey.OP_CONNECT) != 0) {
                    side.channel.finishConnect();
                    connected();
                    return;
                }
                if ((ops & SelectionKey.OP_WRITE) != 0) {
                    flush(side.peer); // the peer's bytes go out through this side
                }
                if (!closed && (ops & SelectionKey.OP_READ) != 0) {
                    read(side);
                }
            } catch (IOException e) {
                close();
            }
        }

        /** Reads from {@code src} into its (empty) buffer and forwards at once. */
        private void read(Side src) throws IOException {
            int n = src.channel.read(src.in);
            if (n < 0) {
                src.eof = true;
            }
            flush(src);
        }

        /**
         * Writes {@code src}'s buffered bytes to its peer; sets the interests that follow: read
         * {@code src} again only once drained, wait for the peer's OP_WRITE otherwise.
         */
        private void flush(Side src) throws IOException {
            Side dst = src.peer;
            if (src.in.position() > 0) {
                src.in.flip();
                dst.channel.write(src.in);
                src.in.compact();
            }
            if (!src.drained()) {
                setInterest(src, SelectionKey.OP_READ, false);
                setInterest(dst, SelectionKey.OP_WRITE, true);
                return;
            }
            setInterest(dst, SelectionKey.OP_WRITE, false);
            if (src.eof) {
                setInterest(src, SelectionKey.OP_READ, false);
                if (!dst.outputShut) {
                    dst.outputShut = true;
                    dst.channel.shutdownOutput();
                }
                if (dst.eof && dst.drained() && src.outputShut) {
                    close(); // both directions ended
                }
            } else {
                setInterest(src, SelectionKey.OP_READ, true);
            }
        }

        private static void setInterest(Side s, int op, boolean on) {
            int ops = s.key.interestOps();
            int next = on ? ops | op : ops & ~op;
            if (next != ops) {
                s.key.interestOps(next);
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            client.key.cancel();
            upstream.key.cancel();
            closeQuietly(client.channel);
            closeQuietly(upstream.channel);
        }
    }

    private void closeAll() {
        try {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
        } catch (ClosedSelectorException ignored) {
            // already closed
        }
        closeQuietly(listener);
        closeQuietly(selector);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Wakes the selector thread, which closes the listener, every connection and the selector; waits for it. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        selector.wakeup();
        thread.join();
    }
}
