package dev.ringio.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * A rival echo server on Netty's native transports (epoll or io_uring): one event-loop thread
 * serves the listening channel and every connection (the same thread count as ringio's one loop).
 * Each received buffer is written back as it is; the writes are flushed once per read batch, in
 * {@code channelReadComplete}. Reading stops while the outbound buffer is above its high-water
 * mark (Netty's writability), so a slow reader cannot make it buffer without bound. At end of
 * stream the pending echoes are written, then the connection closes. Netty's default allocator
 * (4.2: the adaptive pooling allocator); TCP_NODELAY on every connection.
 */
final class NettyEchoServer implements RunningServer {

    static final int BACKLOG = 1024;

    /** Netty's Linux native transports. */
    enum Transport {
        EPOLL,
        IO_URING;

        /** Why this transport cannot run here (Netty's own unavailability cause), or null if it can. */
        String unavailableReason() {
            Throwable cause;
            boolean available;
            try {
                if (this == EPOLL) {
                    available = Epoll.isAvailable();
                    cause = Epoll.unavailabilityCause();
                } else {
                    available = IoUring.isAvailable();
                    cause = IoUring.unavailabilityCause();
                }
            } catch (LinkageError e) {
                return "Netty " + this + " classes cannot load: " + e;
            }
            if (available) {
                return null;
            }
            return cause == null ? "Netty reports " + this + " unavailable" : cause.toString();
        }

        IoHandlerFactory handlerFactory() {
            return this == EPOLL ? EpollIoHandler.newFactory() : IoUringIoHandler.newFactory();
        }

        Class<? extends ServerChannel> serverChannel() {
            return this == EPOLL ? EpollServerSocketChannel.class : IoUringServerSocketChannel.class;
        }
    }

    private final EventLoopGroup group;
    private final Channel listener;
    private final int port;

    private NettyEchoServer(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
        this.port = ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Listens on 127.0.0.1, an ephemeral port, with one event loop of {@code transport}.
     *
     * @throws IllegalStateException if the transport is unavailable (with Netty's reason)
     */
    static NettyEchoServer start(Transport transport) throws InterruptedException {
        return start(transport, 1);
    }

    /** As {@link #start(Transport)} with {@code loops} event loops (the listener hands connections to them in turn). */
    static NettyEchoServer start(Transport transport, int loops) throws InterruptedException {
        String why = transport.unavailableReason();
        if (why != null) {
            throw new IllegalStateException("Netty " + transport + " unavailable: " + why);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, transport.handlerFactory());
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, BACKLOG)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // Without it Netty closes at end of stream and drops echoes still queued.
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new Echo())
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .sync()
                    .channel();
            return new NettyEchoServer(group, listener);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            throw e;
        }
    }

    /** Writes every received buffer back (the write takes ownership of it); flushes per read batch. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false); // the peer reads slower than it sends
            }
        }

        /** Reads again once the outbound buffer has drained below its low-water mark. */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        /** End of stream (half-closure allowed): close once every pending echo has been written. */
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset peer: this connection ends
        }
    }

    @Override
    public int port() {
        return port;
    }

    /** Closes the listener; the event loop's shutdown closes every connection; waits for its thread. */
    @Override
    public void close() throws InterruptedException {
        listener.close().await();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
        group.terminationFuture().await();
    }
}
