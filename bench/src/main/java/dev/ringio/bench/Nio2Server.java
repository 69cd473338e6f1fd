package dev.ringio.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server written once against {@link AsynchronousServerSocketChannel} and
 * {@link AsynchronousSocketChannel} with {@link CompletionHandler}s, as an application would write
 * it, and run unchanged on any {@link AsynchronousChannelProvider}: the JDK's or ringio's. Its
 * group is a fixed thread pool of {@code threads} ({@code withFixedThreadPool}); on ringio's
 * provider that is an engine group, its handlers running on the loops.
 *
 * <ul>
 *   <li>{@link Mode#ECHO}: each connection reads into one 16 KiB buffer and writes back what it
 *       read, then reads again.</li>
 *   <li>{@link Mode#BULK}: each byte a client sends is a request for one {@value #BULK_RESPONSE}
 *       byte response, written from one buffer per connection.</li>
 * </ul>
 * Buffers are direct or heap ({@code direct}), the other axis the nio workload compares.
 */
final class Nio2Server implements RunningServer {

    enum Mode { ECHO, BULK }

    static final int ECHO_BUFFER = 16 * 1024;
    static final int BULK_RESPONSE = 8 << 20;
    static final int BACKLOG = 1024;

    private final AsynchronousChannelGroup group;
    private final AsynchronousServerSocketChannel listener;
    private final int port;

    private Nio2Server(AsynchronousChannelGroup group, AsynchronousServerSocketChannel listener) throws IOException {
        this.group = group;
        this.listener = listener;
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    /** Listens on 127.0.0.1, an ephemeral port, in a new fixed group of {@code threads} of {@code provider}. */
    static Nio2Server start(AsynchronousChannelProvider provider, int threads, boolean direct, Mode mode)
            throws IOException {
        AtomicInteger n = new AtomicInteger();
        AsynchronousChannelGroup group = provider.openAsynchronousChannelGroup(threads, r -> {
            Thread t = new Thread(r, "nio2-server-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            AsynchronousServerSocketChannel listener = provider.openAsynchronousServerSocketChannel(group)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
            Nio2Server server = new Nio2Server(group, listener);
            listener.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
                @Override
                public void completed(AsynchronousSocketChannel ch, Void att) {
                    listener.accept(null, this);
                    try {
                        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    } catch (IOException e) {
                        closeQuietly(ch);
                        return;
                    }
                    if (mode == Mode.ECHO) {
                        new Echo(ch, allocate(ECHO_BUFFER, direct)).read();
                    } else {
                        new Bulk(ch, allocate(BULK_RESPONSE, direct)).readRequest();
                    }
                }

                @Override
                public void failed(Throwable exc, Void att) {
                    // the listener was closed (the server is stopping), or an accept failed: stop accepting
                }
            });
            return server;
        } catch (IOException | RuntimeException e) {
            group.shutdownNow();
            throw e;
        }
    }

    private static ByteBuffer allocate(int size, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    /**
     * One connection's read-then-write cycle: a read completes ({@code reading} true) into
     * {@link #received}, unless at end of stream, which closes; a write completes and the rest of
     * {@link #out} goes out, or, when all of it is out, {@link #written}. Any failure closes.
     */
    private abstract static class Conversation implements CompletionHandler<Integer, Boolean> {
        final AsynchronousSocketChannel ch;
        private final ByteBuffer out;

        Conversation(AsynchronousSocketChannel ch, ByteBuffer out) {
            this.ch = ch;
            this.out = out;
        }

        void read(ByteBuffer into) {
            ch.read(into.clear(), Boolean.TRUE, this);
        }

        /** Writes {@link #out} from its start (after {@code flip()} or {@code clear()} by the caller). */
        void write() {
            ch.write(out, Boolean.FALSE, this);
        }

        /** {@code n} > 0 bytes were read. */
        abstract void received(int n);

        /** All of {@link #out} was written. */
        abstract void written();

        @Override
        public final void completed(Integer n, Boolean reading) {
            if (reading) {
                if (n < 0) {
                    closeQuietly(ch);
                    return;
                }
                received(n);
            } else if (out.hasRemaining()) {
                write();
            } else {
                written();
            }
        }

        @Override
        public final void failed(Throwable exc, Boolean reading) {
            closeQuietly(ch);
        }
    }

    /** Read, write back what was read, read again; close at end of stream or on an error. */
    private static final class Echo extends Conversation {
        private final ByteBuffer buf;

        Echo(AsynchronousSocketChannel ch, ByteBuffer buf) {
            super(ch, buf);
            this.buf = buf;
        }

        void read() {
            read(buf);
        }

        @Override
        void received(int n) {
            buf.flip();
            write();
        }

        @Override
        void written() {
            read();
        }
    }

    /** Read requests (one byte each); for each, write the whole response; close at end of stream. */
    private static final class Bulk extends Conversation {
        private final ByteBuffer request = ByteBuffer.allocate(64);
        private final ByteBuffer response;
        private int owed;

        Bulk(AsynchronousSocketChannel ch, ByteBuffer response) {
            super(ch, response);
            this.response = response;
        }

        void readRequest() {
            read(request);
        }

        @Override
        void received(int n) {
            owed += n;
            response.clear();
            write();
        }

        @Override
        void written() {
            if (--owed > 0) {
                response.clear();
                write();
            } else {
                readRequest();
            }
        }
    }

    private static void closeQuietly(AsynchronousSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public int port() {
        return port;
    }

    /** Closes the listener and every connection (the group's shutdownNow) and waits for the group to end. */
    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        group.shutdownNow();
        if (!group.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IOException("nio2 server: its channel group did not terminate within 30 s");
        }
    }
}
