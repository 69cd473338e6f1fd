package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Fd;
import dev.ringio.net.Accepted;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketConstants;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code accept}, on every engine: one connection, its descriptor (close-on-exec) and the peer's
 * address. A connection nobody can receive any more (the future was completed meanwhile) is closed,
 * never leaked; one whose address the engine cannot decode is closed and the op fails.
 *
 * <p>Threading: {@link #accept} from any thread; the rest on the backend's threads.
 */
public final class AcceptOp extends EngineOp<Accepted> {

    private final MemorySegment address;
    private final MemorySegment length;
    private final KernelOp.Accept call;

    private AcceptOp(int listenFd) {
        super("accept");
        Arena a = Arena.ofAuto();
        this.address = a.allocate(SockAddr.MAX_SIZE, 8);
        this.length = a.allocate(JAVA_INT);
        this.call = new KernelOp.Accept(listenFd, address.address(), length.address(), SocketConstants.SOCK_CLOEXEC);
    }

    /** Accepts one connection on {@code listener}. Any thread. */
    public static CompletableFuture<Accepted> accept(Backend backend, Fd listener) {
        Objects.requireNonNull(listener, "listener");
        return new AcceptOp(listener.value()).holdAndSubmit(backend, listener, null);
    }

    /** The same call every attempt, with the address room reset (the kernel wrote the last length into it). */
    @Override
    public KernelOp next() {
        length.set(JAVA_INT, 0, SockAddr.MAX_SIZE);
        return call;
    }

    @Override
    protected boolean onResult(long res) {
        Fd fd = Fd.adopt((int) res, Fd.Kind.SOCKET);
        SockAddr peer;
        try {
            peer = SockAddr.decode(address, length.get(JAVA_INT, 0));
        } catch (RuntimeException e) {
            fd.close();
            fail(e);
            return false;
        }
        succeed(new Accepted(fd, peer));
        return false;
    }

    @Override
    protected void discard(Accepted value) {
        value.fd().close(); // nobody can receive it any more: never leak an accepted socket
    }
}
