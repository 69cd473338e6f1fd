package dev.ringio.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.net.Accepted;
import dev.ringio.net.Domain;
import dev.ringio.net.Protocol;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

import static dev.ringio.nio.RingioAsynchronousSocketChannel.submit;

/**
 * An {@link AsynchronousServerSocketChannel} on a ringio engine: each accept is one engine
 * {@code accept}. As on the JDK (on Linux), {@code SO_REUSEADDR} is on from the start, one accept
 * may be outstanding at a time ({@link AcceptPendingException}), closing the channel fails an
 * outstanding accept with {@link java.nio.channels.AsynchronousCloseException}, and a connection
 * accepted after the group was shut down is closed and reported as an {@link IOException} whose
 * cause is a {@link ShutdownChannelGroupException}. In a fixed-thread-pool group the listener
 * sits on one of the group's engines and each accepted connection is placed on the next one, so
 * a server's connections spread over the group's loops.
 *
 * <p>Threading: every method is safe from any thread, the listener's loop thread included (where
 * a fixed-thread-pool group runs its completion handlers): no method waits for a loop, and
 * {@link #close} waits for the engine's close only when called off the group's loops. The
 * {@code Future} of {@code accept()} is not to be waited on from the loop thread that completes it:
 * its {@code get} throws {@link IllegalStateException} there instead of waiting for itself.
 */
public final class RingioAsynchronousServerSocketChannel extends AsynchronousServerSocketChannel {

    private final RingioChannelGroup group;
    private final IoEngine engine;
    private final HandlerExecutor handlers;
    private final Fd fd;
    private final Domain domain;

    private final Object lock = new Object();
    // Guarded by lock.
    private boolean closed;
    private boolean accepting;
    private InetSocketAddress localAddress;

    RingioAsynchronousServerSocketChannel(RingioChannelGroup group) throws IOException {
        super(group.provider());
        Domain d = InetAddressing.socketDomain();
        this.group = group;
        this.domain = d;
        // A plain socket(2): opening never waits for a loop (see RingioAsynchronousSocketChannel).
        try {
            this.fd = Sockets.socket(d, Set.of(SocketType.STREAM), Protocol.DEFAULT);
        } catch (NativeIoException e) {
            throw JdkExceptions.translate(e);
        }
        try {
            this.engine = group.place(fd);
            this.handlers = group.handlers(engine);
            if (d == Domain.INET6) {
                Sockets.setOption(fd, SocketOptions.IPV6_V6ONLY, false);
            }
            Sockets.setOption(fd, SocketOptions.REUSEADDR, true);
            group.register(this);
        } catch (NativeIoException e) {
            fd.close();
            throw JdkExceptions.translate(e);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Binds ({@code null}: an ephemeral port on the wildcard address) and listens; {@code backlog < 1}: 50. */
    @Override
    public RingioAsynchronousServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        SockAddr address = local == null ? InetAddressing.wildcard(domain) : InetAddressing.toKernel(local, domain);
        synchronized (lock) {
            ensureOpen();
            if (localAddress != null) {
                throw new AlreadyBoundException();
            }
            try {
                Sockets.bind(fd, address);
                Sockets.listen(fd, backlog < 1 ? 50 : backlog);
                localAddress = InetAddressing.toJava(Sockets.getsockname(fd));
            } catch (NativeIoException e) {
                throw JdkExceptions.translate(e);
            }
        }
        return this;
    }

    @Override
    public <T> RingioAsynchronousServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        synchronized (lock) {
            ensureOpen();
            try {
                StandardOptions.set(StandardOptions.LISTENER, fd, name, value);
            } catch (NativeIoException e) {
                throw JdkExceptions.translate(e);
            }
        }
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        synchronized (lock) {
            ensureOpen();
            try {
                return StandardOptions.get(StandardOptions.LISTENER, fd, name);
            } catch (NativeIoException e) {
                throw JdkExceptions.translate(e);
            }
        }
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return StandardOptions.names(StandardOptions.LISTENER);
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        synchronized (lock) {
            ensureOpen();
            return localAddress;
        }
    }

    // ---- accept ---------------------------------------------------------------------------------

    @Override
    public <A> void accept(A attachment, CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        startAccept(attachment, handler);
    }

    @Override
    public Future<AsynchronousSocketChannel> accept() {
        return startAccept(null, null);
    }

    private <A> Future<AsynchronousSocketChannel> startAccept(A attachment,
            CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        boolean isClosed;
        synchronized (lock) {
            isClosed = closed;
            if (!isClosed) {
                if (localAddress == null) {
                    throw new NotYetBoundException();
                }
                if (accepting) {
                    throw new AcceptPendingException();
                }
                accepting = true;
            }
        }
        Outcome<AsynchronousSocketChannel, A> outcome = Outcome.of(handlers, attachment, handler);
        if (isClosed) {
            outcome.fail(new ClosedChannelException());
            return outcome.future();
        }
        CompletableFuture<Accepted> op = submit(() -> engine.accept(fd));
        outcome.onCancel(mayInterrupt -> {
            synchronized (lock) {
                accepting = false;
            }
            op.cancel(true);
            if (mayInterrupt) {
                closeQuietly();
            }
        });
        op.whenComplete((accepted, failure) -> {
            synchronized (lock) {
                accepting = false;
            }
            if (failure != null) {
                outcome.fail(JdkExceptions.translate(failure, isClosed()));
                return;
            }
            if (!outcome.claim()) {
                accepted.close(); // the accept was cancelled: nobody will take this connection
                return;
            }
            if (group.isShutdown()) {
                accepted.close();
                IOException e = new IOException("connection closed: the channel group is shut down");
                e.initCause(new ShutdownChannelGroupException());
                outcome.deliverFailure(e);
                return;
            }
            RingioAsynchronousSocketChannel channel;
            try {
                channel = new RingioAsynchronousSocketChannel(group, accepted.fd(), domain);
            } catch (IOException | RuntimeException e) {
                outcome.deliverFailure(e); // the constructor closed the descriptor
                return;
            }
            outcome.deliverValue(channel);
        });
        return outcome.future();
    }

    // ---- closing --------------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return !isClosed();
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Closes the listener; an outstanding accept fails with AsynchronousCloseException. Idempotent. */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            RingioAsynchronousSocketChannel.closeDescriptor(engine, fd, !group.isLoopThread());
        } finally {
            group.unregister(this);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // the descriptor is closed (or marked closing) either way
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "RingioAsynchronousServerSocketChannel[" + (closed ? "closed" : "open")
                    + " local=" + localAddress + " fd=" + fd.value() + "]";
        }
    }
}
