package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.ReceivedMessage;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketConstants;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

/**
 * The message operations, on every engine: sendTo, recvFrom, sendMsg, recvMsg and recvMsgWithFds,
 * one {@code sendmsg(2)} / {@code recvmsg(2)} over a {@link MsgHeader} (the peer's address, the
 * buffers gathered or scattered whole, an {@code SCM_RIGHTS} control buffer). Descriptors passed
 * with sendMsg are held until the kernel has answered (it takes its own references during the
 * call); descriptors received arrive close-on-exec and are closed if nobody can receive the
 * message any more. A receive on a stream socket with no room in any buffer completes at once with
 * an empty message, as {@code read} does.
 *
 * <p>Threading: the static methods from any thread; the rest on the backend's threads.
 */
public final class MsgOp<T> extends EngineOp<T> {

    /** What a successful result means. */
    private enum Answer {
        /** The count as an Integer (sendTo). */
        INT,
        /** The count as a Long (sendMsg). */
        LONG,
        /** The received message: count, sender, descriptors, flags. */
        MESSAGE
    }

    private final KernelOp call;
    private final MsgHeader header;
    private final Answer answer;
    @SuppressWarnings("unused") // the header's memory stays reachable until the kernel is done with it
    private final Arena arena;

    private MsgOp(String name, KernelOp call, MsgHeader header, Answer answer, Arena arena) {
        super(name);
        this.call = call;
        this.header = header;
        this.answer = answer;
        this.arena = arena;
    }

    // ---- the public operations -----------------------------------------------------------------

    /** {@code sendto}: {@code src} as one datagram (or stream bytes) to {@code destination}; MSG_NOSIGNAL always. */
    public static CompletableFuture<Integer> sendTo(Backend backend, Fd fd, ByteBuffer src, Set<MsgFlag> flags,
                                                    SockAddr destination) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(src, "src");
        return send(backend, "sendTo", fd, new ByteBuffer[] {src}, List.of(), destination,
                TransferOp.msgFlags(flags, true), Answer.INT);
    }

    /** {@code recvfrom}: into {@code dst}, with the sender's address. */
    public static CompletableFuture<ReceivedMessage> recvFrom(Backend backend, Fd fd, ByteBuffer dst,
                                                              Set<MsgFlag> flags) {
        Objects.requireNonNull(dst, "dst");
        return receive(backend, "recvFrom", fd, new ByteBuffer[] {dst}, 0, TransferOp.msgFlags(flags, false));
    }

    /** {@code sendmsg} of {@code buffers} (gathered) with {@code fds} over SCM_RIGHTS, to {@code destination} (null: connected). */
    public static CompletableFuture<Long> sendMsg(Backend backend, Fd fd, ByteBuffer[] buffers, List<Fd> fds,
                                                  SockAddr destination) {
        Objects.requireNonNull(fds, "fds");
        return send(backend, "sendMsg", fd, buffers, fds, destination, SocketConstants.MSG_NOSIGNAL, Answer.LONG);
    }

    /** {@code recvmsg} into {@code buffers} (scattered), refusing descriptors. */
    public static CompletableFuture<ReceivedMessage> recvMsg(Backend backend, Fd fd, ByteBuffer[] buffers) {
        return receive(backend, "recvMsg", fd, buffers, 0, 0);
    }

    /** {@code recvmsg} into {@code buffers}, accepting up to {@code maxFds} descriptors (close-on-exec). */
    public static CompletableFuture<ReceivedMessage> recvMsgWithFds(Backend backend, Fd fd, int maxFds,
                                                                    ByteBuffer[] buffers) {
        checkMaxFds(maxFds);
        return receive(backend, "recvMsgWithFds", fd, buffers, maxFds, SocketConstants.MSG_CMSG_CLOEXEC);
    }

    private static <T> CompletableFuture<T> send(Backend backend, String name, Fd fd, ByteBuffer[] buffers,
                                                 List<Fd> fds, SockAddr destination, int flags, Answer answer) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(buffers, "buffers");
        Arena a = Arena.ofAuto();
        MsgHeader header = MsgHeader.forSend(name, buffers, destination, fds.size(), a);
        MsgOp<T> op = new MsgOp<>(name, new KernelOp.SendMsg(fd.value(), header.address(), flags), header, answer, a);
        op.span = header.span();
        List<Fd> held = new ArrayList<>(fds.size());
        op.passed = held; // released with the op, whatever happens below
        try {
            for (int i = 0; i < fds.size(); i++) {
                Fd passed = Objects.requireNonNull(fds.get(i), name + ": fds[" + i + "]");
                header.passFd(i, passed.acquire(name));
                held.add(passed);
            }
            op.hold(fd, null);
        } catch (NativeIoException | RuntimeException e) {
            op.releaseResources();
            if (e instanceof NativeIoException n) {
                return CompletableFuture.failedFuture(n);
            }
            throw (RuntimeException) e;
        }
        backend.submit(op);
        return op;
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<ReceivedMessage> receive(Backend backend, String name, Fd fd,
                                                              ByteBuffer[] buffers, int maxFds, int flags) {
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(buffers, "buffers");
        Arena a = Arena.ofAuto();
        MsgHeader header = MsgHeader.forReceive(name, buffers, maxFds, a);
        CompletableFuture<ReceivedMessage> none = nothingToReceive(backend.isClosed(), fd, buffers);
        if (none != null) {
            header.span().release(); // nothing reaches the kernel: the bounce memory goes back now
            return none;
        }
        MsgOp<ReceivedMessage> op = new MsgOp<>(name, new KernelOp.RecvMsg(fd.value(), header.address(), flags),
                header, Answer.MESSAGE, a);
        op.span = header.span();
        return op.holdAndSubmit(backend, fd, null);
    }

    /** How many descriptors one receive accepts: 1..SCM_MAX_FD. */
    private static void checkMaxFds(int maxFds) {
        if (maxFds < 1 || maxFds > MsgHeader.MAX_FDS) {
            throw new IllegalArgumentException("recvMsgWithFds: maxFds " + maxFds + " outside 1..253 (SCM_MAX_FD)");
        }
    }

    /**
     * A message receive ({@code recvFrom}, {@code recvMsg}, {@code recvMsgWithFds}) with no room
     * in any buffer: on a stream socket it completes at once with 0 bytes (no sender, no
     * descriptors), as the JDK's scattering read with no room returns 0; null otherwise, and the
     * kernel receives the message (a datagram is taken and truncated, as
     * {@code DatagramChannel.receive} takes it into a full buffer). Null too when the socket's type
     * cannot be read (closed, not a socket), or the engine is closed: the operation itself then
     * reports the error.
     */
    private static CompletableFuture<ReceivedMessage> nothingToReceive(boolean engineClosed, Fd fd, ByteBuffer[] buffers) {
        if (engineClosed) {
            return null;
        }
        for (ByteBuffer b : buffers) {
            if (b == null || b.hasRemaining()) {
                return null;
            }
        }
        try {
            if (Sockets.type(fd) != SocketType.STREAM) {
                return null;
            }
        } catch (NativeIoException | RuntimeException e) {
            return null;
        }
        return CompletableFuture.completedFuture(new ReceivedMessage(0, null, List.of(), Set.of()));
    }

    // ---- the kernel side -------------------------------------------------------------------------

    /** The same call every attempt, with what recvmsg writes back reset (after an EINTR). */
    @Override
    public KernelOp next() {
        header.resetForReceive();
        return call;
    }

    /** Copies a receive out of bounce memory (which may throw: the backend then fails the op). */
    @Override
    @SuppressWarnings("unchecked")
    protected boolean onResult(long res) {
        header.completed(res);
        Object value = switch (answer) {
            case INT -> (int) res;
            case LONG -> res;
            case MESSAGE -> header.message((int) res);
        };
        succeed((T) value);
        return false;
    }

    @Override
    protected void discard(T value) {
        if (value instanceof ReceivedMessage m) {
            m.fds().forEach(Fd::close); // nobody can receive them any more: never leak a passed descriptor
        }
    }
}
