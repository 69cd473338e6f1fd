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
import java.util.ArrayList;
import java.util.List;

/**
 * A rival echo server on plain java.nio: one thread runs a {@link Selector} over a non-blocking
 * listening channel and every connection. Each connection owns one 16 KiB direct buffer: the
 * thread reads what is available, writes it back, and if the write is short keeps the rest and
 * waits for OP_WRITE instead of OP_READ, so nothing is read while an echo is pending (at most one
 * buffer per connection is ever held). At end of stream, once drained, the connection is closed.
 */
final class NioEchoServer implements RunningServer {

    static final int BUFFER_SIZE = 16 * 1024;
    static final int BACKLOG = 1024;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final int port;
    private final Thread thread;
    private volatile boolean closing;

    private NioEchoServer(Selector selector, ServerSocketChannel listener) throws IOException {
        this.selector = selector;
        this.listener = listener;
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        this.thread = Thread.ofPlatform().name("nio-echo").unstarted(this::run);
    }

    /** Listens on 127.0.0.1, an ephemeral port, and starts the selector thread. */
    static NioEchoServer start() throws IOException {
        return start(0, false);
    }

    /**
     * {@code selectors} selector threads, each a server of its own with its own {@code SO_REUSEPORT}
     * listener on one 127.0.0.1 port (the kernel spreads the connections), as ringio's
     * {@code echo --loops N} does.
     */
    static RunningServer startSelectors(int selectors) throws IOException {
        List<NioEchoServer> servers = new ArrayList<>();
        try {
            servers.add(start(0, true));
            while (servers.size() < selectors) {
                servers.add(start(servers.getFirst().port, true));
            }
        } catch (IOException | RuntimeException e) {
            for (NioEchoServer s : servers) {
                try {
                    s.close();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
        return new RunningServer() {
            @Override
            public int port() {
                return servers.getFirst().port;
            }

            @Override
            public void close() throws InterruptedException {
                for (NioEchoServer s : servers) {
                    s.close();
                }
            }
        };
    }

    private static NioEchoServer start(int port, boolean reusePort) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            NioEchoServer server = new NioEchoServer(selector, listener);
            server.thread.start();
            return server;
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
                        serve(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closing) {
                System.err.println("nio echo: selector failed: " + e);
            }
        } finally {
            closeAll();
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel c;
        while ((c = listener.accept()) != null) {
            try {
                c.configureBlocking(false);
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.register(selector, SelectionKey.OP_READ, ByteBuffer.allocateDirect(BUFFER_SIZE));
            } catch (IOException e) {
                c.close();
            }
        }
    }

    /** Reads (OP_READ) or finishes a pending write (OP_WRITE); the buffer holds the unsent rest. */
    private static void serve(SelectionKey key) {
        SocketChannel c = (SocketChannel) key.channel();
        ByteBuffer buf = (ByteBuffer) key.attachment();
        try {
            if (key.isWritable()) {
                c.write(buf);
                if (buf.hasRemaining()) {
                    return;
                }
                buf.clear();
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
            buf.clear();
            int n = c.read(buf);
            if (n < 0) {
                close(key);
                return;
            }
            buf.flip();
            c.write(buf);
            if (buf.hasRemaining()) {
                key.interestOps(SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            close(key);
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void closeAll() {
        try {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        } catch (ClosedSelectorException ignored) {
            // already closed
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Wakes the selector thread, which closes every channel and the selector, and waits for it. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        selector.wakeup();
        thread.join();
    }
}
