package dev.ringio.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.WritePendingException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.engine.Bounce;
import dev.ringio.net.Domain;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.ShutdownHow;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

/**
 * An {@link java.nio.channels.AsynchronousSocketChannel} on a ringio engine: connect is the
 * engine's {@code connect}, a read one {@code recv} (a scattering read one {@code recvmsg}), a
 * write one {@code send} (a gathering write one {@code sendmsg}); a timeout is an engine
 * {@code sleep} raced against the operation.
 *
 * <p>The JDK's rules apply: one read and one write may be outstanding at a time
 * ({@link ReadPendingException}, {@link WritePendingException}); an operation on a closed channel
 * fails with {@link ClosedChannelException}, one outstanding when the channel is closed with
 * {@link java.nio.channels.AsynchronousCloseException}; after a read (write) timed out or was
 * cancelled, further reads (writes) throw {@link IllegalStateException}, because bytes may have
 * been transferred that nobody saw; end of stream reads as -1; a failed connect closes the
 * channel.
 *
 * <p>A channel's operations stay on one engine: the provider's, or in a fixed-thread-pool group
 * the one of the group's engines it was placed on when opened or accepted. Completion handlers
 * run where the group runs them (see {@link RingioChannelGroup}). A single-buffer read or write
 * is first tried on the calling thread with a non-blocking system call ({@link NonBlockingAttempt}),
 * as the JDK does: always for the {@code Future} forms and for groups on an executor, and in a
 * fixed-thread-pool group when the caller is the channel's own loop within the nesting bound
 * (where the handler may run at once); only what would block goes to the engine. The socket is
 * created and closed with plain system calls, so opening or closing a channel never waits for a
 * loop that a handler may be holding.
 *
 * <p>Threading: every method is safe from any thread, the channel's loop thread included (where
 * a fixed-thread-pool group runs its completion handlers): opening, binding, options and shutdown
 * are plain system calls, operations only submit work, and {@link #close} waits for the engine's
 * close only when called off the group's loops. Only a
 * {@code Future} an operation returns is not to be waited on from the loop thread that completes
 * it: its {@code get} throws {@link IllegalStateException} there instead of waiting for itself.
 */
public final class RingioAsynchronousSocketChannel extends java.nio.channels.AsynchronousSocketChannel {

    private static final Set<MsgFlag> NO_FLAGS = Set.of();

    private enum State { UNCONNECTED, CONNECTING, CONNECTED }

    private final RingioChannelGroup group;
    private final IoEngine engine;
    private final HandlerExecutor handlers;
    private final Fd fd;
    private final Domain domain;

    private final Object lock = new Object();
    // All guarded by lock.
    private State state = State.UNCONNECTED;
    private boolean closed;
    private InetSocketAddress localAddress;
    private InetSocketAddress remoteAddress;
    private boolean reading;
    private boolean readKilled;
    private boolean readShutdown;
    private boolean writing;
    private boolean writeKilled;
    private boolean writeShutdown;

    /** A new, unconnected socket in {@code group}. */
    RingioAsynchronousSocketChannel(RingioChannelGroup group) throws IOException {
        super(group.provider());
        Domain d = InetAddressing.socketDomain();
        this.group = group;
        this.domain = d;
        // A plain socket(2), not the engine's: a fixed group's loop may be busy in a handler
        // waiting for this very thread (it holds a lock the handler wants).
        try {
            this.fd = Sockets.socket(d, Set.of(SocketType.STREAM), Protocol.DEFAULT);
        } catch (NativeIoException e) {
            throw JdkExceptions.translate(e);
        }
        try {
            this.engine = group.place(fd);
            this.handlers = group.handlers(engine);
            if (domain == Domain.INET6) {
                Sockets.setOption(fd, SocketOptions.IPV6_V6ONLY, false);
            }
            group.register(this);
        } catch (NativeIoException e) {
            fd.close();
            throw JdkExceptions.translate(e);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** A connection a listener accepted: already connected, owning {@code accepted}. */
    RingioAsynchronousSocketChannel(RingioChannelGroup group, Fd accepted, Domain domain) throws IOException {
        super(group.provider());
        this.group = group;
        this.domain = domain;
        this.fd = accepted;
        try {
            this.engine = group.place(accepted);
            this.handlers = group.handlers(engine);
            this.localAddress = InetAddressing.toJava(Sockets.getsockname(accepted));
            this.remoteAddress = InetAddressing.toJava(Sockets.getpeername(accepted));
            this.state = State.CONNECTED;
            group.register(this);
        } catch (NativeIoException e) {
            accepted.close();
            throw JdkExceptions.translate(e);
        } catch (RuntimeException e) {
            accepted.close();
            throw e;
        }
    }

    /** The engine this channel's operations go to (fixed for its life). Any thread. */
    IoEngine engine() {
        return engine;
    }

    // ---- binding, options, addresses ------------------------------------------------------------

    @Override
    public RingioAsynchronousSocketChannel bind(SocketAddress local) throws IOException {
        SockAddr address = local == null ? InetAddressing.wildcard(domain) : InetAddressing.toKernel(local, domain);
        synchronized (lock) {
            ensureOpen();
            if (state == State.CONNECTING) {
                throw new ConnectionPendingException();
            }
            if (localAddress != null) {
                throw new AlreadyBoundException();
            }
            try {
                Sockets.bind(fd, address);
                localAddress = InetAddressing.toJava(Sockets.getsockname(fd));
            } catch (NativeIoException e) {
                throw JdkExceptions.translate(e);
            }
        }
        return this;
    }

    @Override
    public <T> RingioAsynchronousSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        synchronized (lock) {
            ensureOpen();
            try {
                StandardOptions.set(StandardOptions.STREAM, fd, name, value);
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
                return StandardOptions.get(StandardOptions.STREAM, fd, name);
            } catch (NativeIoException e) {
                throw JdkExceptions.translate(e);
            }
        }
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return StandardOptions.names(StandardOptions.STREAM);
    }

    @Override
    public RingioAsynchronousSocketChannel shutdownInput() throws IOException {
        synchronized (lock) {
            ensureOpen();
            if (state != State.CONNECTED) {
                throw new NotYetConnectedException();
            }
            if (!readShutdown) {
                shutdownNow(ShutdownHow.READ);
                readShutdown = true;
            }
        }
        return this;
    }

    @Override
    public RingioAsynchronousSocketChannel shutdownOutput() throws IOException {
        synchronized (lock) {
            ensureOpen();
            if (state != State.CONNECTED) {
                throw new NotYetConnectedException();
            }
            if (!writeShutdown) {
                shutdownNow(ShutdownHow.WRITE);
                writeShutdown = true;
            }
        }
        return this;
    }

    private void shutdownNow(ShutdownHow how) throws IOException {
        try {
            Sockets.shutdown(fd, how);
        } catch (NativeIoException e) {
            throw JdkExceptions.translate(e);
        }
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        synchronized (lock) {
            ensureOpen();
            return remoteAddress;
        }
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        synchronized (lock) {
            ensureOpen();
            return localAddress;
        }
    }

    // ---- connect --------------------------------------------------------------------------------

    @Override
    public <A> void connect(SocketAddress remote, A attachment, CompletionHandler<Void, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        startConnect(remote, attachment, handler);
    }

    @Override
    public Future<Void> connect(SocketAddress remote) {
        return startConnect(remote, null, null);
    }

    private <A> Future<Void> startConnect(SocketAddress remote, A attachment, CompletionHandler<Void, ? super A> handler) {
        Objects.requireNonNull(remote, "remote");
        SockAddr address = InetAddressing.toKernel(remote, domain);
        InetSocketAddress javaRemote = (InetSocketAddress) remote;
        synchronized (lock) {
            if (!closed) {
                if (state == State.CONNECTED) {
                    throw new AlreadyConnectedException();
                }
                if (state == State.CONNECTING) {
                    throw new ConnectionPendingException();
                }
                state = State.CONNECTING;
            }
        }
        Outcome<Void, A> outcome = Outcome.of(handlers, attachment, handler);
        if (isClosed()) {
            outcome.fail(new ClosedChannelException());
            return outcome.future();
        }
        CompletableFuture<Void> op = submit(() -> engine.connect(fd, address));
        outcome.onCancel(mayInterrupt -> {
            op.cancel(true);
            closeQuietly(); // a cancelled connect leaves the socket in no usable state
        });
        op.whenComplete((v, failure) -> {
            if (failure == null) {
                InetSocketAddress local = null;
                try {
                    local = InetAddressing.toJava(Sockets.getsockname(fd));
                } catch (NativeIoException | RuntimeException ignored) {
                    // closed meanwhile: the address stays unknown
                }
                synchronized (lock) {
                    state = State.CONNECTED;
                    remoteAddress = javaRemote;
                    if (local != null) {
                        localAddress = local;
                    }
                }
                outcome.succeed(null);
            } else {
                Throwable t = JdkExceptions.translate(failure, isClosed());
                if (outcome.claim()) {
                    // The JDK closes a channel whose connect failed; it is of no further use.
                    closeQuietly();
                    outcome.deliverFailure(t);
                }
            }
        });
        return outcome.future();
    }

    // ---- read -----------------------------------------------------------------------------------

    @Override
    public Future<Integer> read(ByteBuffer dst) {
        checkWritable(dst);
        return startRead(new ByteBuffer[] {dst}, false, 0, TimeUnit.MILLISECONDS, null, null);
    }

    @Override
    public <A> void read(ByteBuffer dst, long timeout, TimeUnit unit, A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        checkWritable(dst);
        startRead(new ByteBuffer[] {dst}, false, timeout, unit, attachment, handler);
    }

    @Override
    public <A> void read(ByteBuffer[] dsts, int offset, int length, long timeout, TimeUnit unit, A attachment,
            CompletionHandler<Long, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        ByteBuffer[] slice = subArray(dsts, offset, length);
        for (ByteBuffer b : slice) {
            checkWritable(b);
        }
        startRead(slice, true, timeout, unit, attachment, handler);
    }

    @SuppressWarnings("unchecked")
    private <V extends Number, A> Future<V> startRead(ByteBuffer[] dsts, boolean scattering, long timeout, TimeUnit unit,
            A attachment, CompletionHandler<V, ? super A> handler) {
        Objects.requireNonNull(unit, "unit");
        boolean hasRoom = remaining(dsts) > 0;
        boolean atEnd;
        boolean isClosed;
        synchronized (lock) {
            isClosed = closed;
            if (!isClosed) {
                if (state != State.CONNECTED) {
                    throw new NotYetConnectedException();
                }
                if (readKilled) {
                    throw new IllegalStateException("Reading not allowed after a timed out or cancelled read");
                }
                if (reading) {
                    throw new ReadPendingException();
                }
                atEnd = readShutdown;
                reading = hasRoom && !atEnd;
            } else {
                atEnd = false;
            }
        }
        Outcome<V, A> outcome = Outcome.of(handlers, attachment, handler);
        if (isClosed) {
            outcome.fail(new ClosedChannelException());
            return outcome.future();
        }
        if (atEnd || !hasRoom) {
            long n = atEnd ? -1 : 0;
            outcome.succeed((V) (scattering ? (Number) n : (Number) (int) n));
            return outcome.future();
        }
        IllegalStateException refused = refusedMemory("read", dsts);
        if (refused != null) {
            synchronized (lock) {
                reading = false;
            }
            outcome.fail(handler == null ? new IOException(refused) : refused);
            return outcome.future();
        }
        if (!scattering && mayAttemptNow(handler)) {
            Integer n;
            try {
                n = NonBlockingAttempt.recv(fd, dsts[0]);
            } catch (NativeIoException | RuntimeException e) {
                return endAttempt(outcome, true, JdkExceptions.translate(e, isClosed()), null);
            }
            if (n != null) {
                return endAttempt(outcome, true, null, (V) n);
            }
        }
        CompletableFuture<? extends Number> op = scattering
                ? submit(() -> engine.recvMsg(fd, dsts)).thenApply(m -> m.bytes() > 0 ? m.bytes() : -1L)
                : submit(() -> engine.recv(fd, dsts[0], NO_FLAGS));
        return drive(op, outcome, true, scattering, timeout, unit);
    }

    // ---- write ----------------------------------------------------------------------------------

    @Override
    public Future<Integer> write(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        return startWrite(new ByteBuffer[] {src}, false, 0, TimeUnit.MILLISECONDS, null, null);
    }

    @Override
    public <A> void write(ByteBuffer src, long timeout, TimeUnit unit, A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(src, "src");
        startWrite(new ByteBuffer[] {src}, false, timeout, unit, attachment, handler);
    }

    @Override
    public <A> void write(ByteBuffer[] srcs, int offset, int length, long timeout, TimeUnit unit, A attachment,
            CompletionHandler<Long, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        startWrite(subArray(srcs, offset, length), true, timeout, unit, attachment, handler);
    }

    @SuppressWarnings("unchecked")
    private <V extends Number, A> Future<V> startWrite(ByteBuffer[] srcs, boolean gathering, long timeout, TimeUnit unit,
            A attachment, CompletionHandler<V, ? super A> handler) {
        Objects.requireNonNull(unit, "unit");
        boolean hasBytes = remaining(srcs) > 0;
        boolean shut;
        boolean isClosed;
        synchronized (lock) {
            isClosed = closed;
            shut = false;
            if (!isClosed) {
                if (state != State.CONNECTED) {
                    throw new NotYetConnectedException();
                }
                if (writeKilled) {
                    throw new IllegalStateException("Writing not allowed after a timed out or cancelled write");
                }
                if (writing) {
                    throw new WritePendingException();
                }
                shut = writeShutdown;
                writing = hasBytes && !shut;
            }
        }
        Outcome<V, A> outcome = Outcome.of(handlers, attachment, handler);
        if (isClosed || shut) {
            outcome.fail(new ClosedChannelException());
            return outcome.future();
        }
        if (!hasBytes) {
            outcome.succeed((V) (gathering ? (Number) 0L : (Number) 0));
            return outcome.future();
        }
        IllegalStateException refused = refusedMemory("write", srcs);
        if (refused != null) {
            synchronized (lock) {
                writing = false;
            }
            outcome.fail(handler == null ? new IOException(refused) : refused);
            return outcome.future();
        }
        if (!gathering && mayAttemptNow(handler)) {
            Integer n;
            try {
                n = NonBlockingAttempt.send(fd, srcs[0]);
            } catch (NativeIoException | RuntimeException e) {
                return endAttempt(outcome, false, JdkExceptions.translate(e, isClosed()), null);
            }
            if (n != null) {
                return endAttempt(outcome, false, null, (V) n);
            }
        }
        CompletableFuture<? extends Number> op = gathering
                ? submit(() -> engine.sendMsg(fd, srcs, List.of(), null))
                : submit(() -> engine.send(fd, srcs[0], NO_FLAGS));
        return drive(op, outcome, false, gathering, timeout, unit);
    }

    /**
     * Whether to try a read or write on the calling thread first: always for the Future form (its
     * result needs no thread) and on an executor group (the handler goes to the executor either
     * way); on a loop group only where the handler may then run directly (the channel's own loop,
     * within the nesting bound), as the JDK attempts on a fixed pool only where it may invoke
     * directly. Elsewhere the engine's completion runs the handler on the loop without a hop.
     */
    private boolean mayAttemptNow(CompletionHandler<?, ?> handler) {
        return handler == null || !group.onLoops() || group.mayInvokeDirect(engine);
    }

    /** Ends a read or write that completed (or failed) at once on the calling thread. */
    private <V, A> Future<V> endAttempt(Outcome<V, A> outcome, boolean read, Throwable failure, V value) {
        synchronized (lock) {
            if (read) {
                reading = false;
            } else {
                writing = false;
            }
        }
        if (failure == null) {
            outcome.succeed(value);
        } else {
            outcome.fail(failure);
        }
        return outcome.future();
    }

    /**
     * Drives one read ({@code read}) or write to its outcome: the timeout (InterruptedByTimeoutException,
     * and no more reads or writes of that direction), cancel (closing the channel when asked to
     * interrupt), the result ({@code vector}: a long count, else an int) or the translated failure.
     */
    @SuppressWarnings("unchecked")
    private <V extends Number, A> Future<V> drive(CompletableFuture<? extends Number> op, Outcome<V, A> outcome,
            boolean read, boolean vector, long timeout, TimeUnit unit) {
        CompletableFuture<Void> timer = startTimer(timeout, unit);
        Runnable kill = () -> {
            synchronized (lock) {
                if (read) {
                    readKilled = true;
                    reading = false;
                } else {
                    writeKilled = true;
                    writing = false;
                }
            }
            op.cancel(true);
        };
        outcome.onCancel(mayInterrupt -> {
            kill.run();
            cancelTimer(timer);
            if (mayInterrupt) {
                closeQuietly();
            }
        });
        if (timer != null) {
            timer.thenRun(() -> {
                if (outcome.claim()) {
                    kill.run();
                    outcome.deliverFailure(new InterruptedByTimeoutException());
                }
            });
        }
        op.whenComplete((n, failure) -> {
            cancelTimer(timer);
            if (!outcome.claim()) {
                return;
            }
            Throwable t = failure == null ? null : JdkExceptions.translate(failure, isClosed());
            synchronized (lock) {
                if (read) {
                    reading = false;
                } else {
                    writing = false;
                }
            }
            if (t == null) {
                outcome.deliverValue((V) (vector ? (Number) n.longValue() : (Number) n.intValue()));
            } else {
                outcome.deliverFailure(t);
            }
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

    /**
     * Closes the channel: outstanding operations fail with
     * {@link java.nio.channels.AsynchronousCloseException} (the engine cancels them), and this
     * returns once the descriptor is closed. Idempotent.
     */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            closeDescriptor(engine, fd, !group.isLoopThread());
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

    /**
     * Cancels the engine's operations on {@code fd} and closes it, waiting for the close when
     * {@code mayWait}. From the engine's loop thread (a failed connect or accept handled there) it
     * does not wait: that would wait on itself; nor from another loop of the same group (the
     * caller says so with {@code mayWait}), which could be waited on in turn.
     */
    static void closeDescriptor(IoEngine engine, Fd fd, boolean mayWait) throws IOException {
        CompletableFuture<Void> closing;
        try {
            closing = engine.close(fd);
        } catch (RuntimeException engineGone) {
            fd.close();
            return;
        }
        if (!mayWait || engine.inLoop()) {
            return;
        }
        try {
            UninterruptibleWait.get(closing, 30, TimeUnit.SECONDS); // the JDK's close ignores interrupts too
        } catch (ExecutionException e) {
            Throwable t = JdkExceptions.unwrap(e);
            if (!(t instanceof NativeIoException) && !(t instanceof IllegalStateException)) {
                throw new IOException("close: " + t, t);
            }
            fd.close(); // the engine could not close it (it is shutting down): close it here
        } catch (TimeoutException e) {
            throw new IOException("close: the engine did not close fd " + fd.value() + " within 30 s", e);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /**
     * Why the engine would refuse one of {@code buffers} (a direct buffer of a confined arena, or
     * of one already closed), or null. The JDK's provider finds this when it starts the operation
     * and fails the operation, not the call: a Future with an IOException caused by the
     * IllegalStateException (its completed-future form wraps what is no IOException), a handler
     * with the IllegalStateException itself; read and write never throw it.
     */
    static IllegalStateException refusedMemory(String op, ByteBuffer[] buffers) {
        for (ByteBuffer b : buffers) {
            if (b.isDirect()) {
                try {
                    Bounce.check(op, java.lang.foreign.MemorySegment.ofBuffer(b));
                } catch (IllegalStateException e) {
                    return e;
                }
            }
        }
        return null;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /** A timer completing after {@code timeout}, or null for none (a timeout <= 0 means none). */
    private CompletableFuture<Void> startTimer(long timeout, TimeUnit unit) {
        if (timeout <= 0) {
            return null;
        }
        return submit(() -> engine.sleep(Duration.ofNanos(unit.toNanos(timeout))));
    }

    private static void cancelTimer(CompletableFuture<Void> timer) {
        if (timer != null && !timer.isDone()) {
            timer.cancel(true);
        }
    }

    /** Runs an engine submission, turning an exception thrown at submission into a failed future. */
    static <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static ByteBuffer[] subArray(ByteBuffer[] buffers, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffers.length);
        ByteBuffer[] slice = Arrays.copyOfRange(buffers, offset, offset + length);
        for (ByteBuffer b : slice) {
            Objects.requireNonNull(b, "buffer");
        }
        return slice;
    }

    private static long remaining(ByteBuffer[] buffers) {
        long n = 0;
        for (ByteBuffer b : buffers) {
            n += b.remaining();
        }
        return n;
    }

    private static void checkWritable(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "RingioAsynchronousSocketChannel[" + (closed ? "closed" : state.name().toLowerCase())
                    + " local=" + localAddress + " remote=" + remoteAddress + " fd=" + fd.value() + "]";
        }
    }
}
