package dev.ringio.engine.poll;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.RawCompletion;
import dev.ringio.engine.StreamEnd;
import dev.ringio.net.Accepted;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketConstants;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;


/** The readiness engine's operations: what each one's attempt calls and what its result means. */
final class PollOps {

    private PollOps() {
    }

    /** The low-level API: one read, write or noop whose result (or -errno) goes to a {@link RawCompletion}. */
    static final class Raw extends PollOp<Void> {
        private final PollEngine engine;
        private final RawCompletion completion;
        int rawFd;
        private final long address;
        private final int len;
        private final long offset;
        private final boolean read;

        Raw(PollEngine engine, String name, Mode mode, RawCompletion completion, int rawFd, long address, int len,
            long offset, boolean read) {
            super(name, mode);
            this.engine = engine;
            this.completion = completion;
            this.rawFd = rawFd;
            this.address = address;
            this.len = len;
            this.offset = offset;
            this.read = read;
            this.interest = read ? Interest.READ : Interest.WRITE;
            this.needsNonBlocking = true;
        }

        @Override
        long attempt(Shim shim) {
            if (rawFd < 0) {
                return 0; // noop
            }
            return read ? (offset < 0 ? shim.read(rawFd, address, len) : shim.pread(rawFd, address, len, offset))
                    : (offset < 0 ? shim.write(rawFd, address, len) : shim.pwrite(rawFd, address, len, offset));
        }

        /** Set for a read of a regular file: the loop may try it with RWF_NOWAIT before the pool. */
        boolean pageCacheFirst;

        /**
         * The read served from the page cache on the calling (loop) thread, or -EAGAIN (and kin) when
         * it would block; never blocks.
         */
        long attemptNowait(Shim shim) {
            return shim.preadNowait(rawFd, address, len, offset);
        }

        @Override
        boolean onResult(long res) {
            deliver((int) res);
            return false;
        }

        @Override
        void abort(Throwable reason) {
            deliver(-Errno.ECANCELED.value());
        }

        private void deliver(int res) {
            state = DONE;
            releaseResources();
            future.completeFromEngine(null);
            try {
                completion.onComplete(res);
            } catch (Throwable t) {
                engine.callbackError(t);
            }
        }
    }

    /**
     * accept4 (the engine has made the listener non-blocking) into an address buffer; what both accepts share.
     * New sockets are close-on-exec and non-blocking.
     */
    static final class AcceptCall {
        private final int listenFd;
        private final MemorySegment addr;
        private final MemorySegment addrLen;

        AcceptCall(int listenFd) {
            this.listenFd = listenFd;
            Arena a = Arena.ofAuto();
            this.addr = a.allocate(SockAddr.MAX_SIZE, 8);
            this.addrLen = a.allocate(JAVA_INT);
        }

        long accept(Shim shim) {
            addrLen.set(JAVA_INT, 0, SockAddr.MAX_SIZE);
            return shim.accept4(listenFd, addr.address(), addrLen.address(), SocketConstants.SOCK_CLOEXEC | SocketConstants.SOCK_NONBLOCK);
        }

        /** The peer of the connection just accepted (throws for an unknown address family). */
        SockAddr peer() {
            return SockAddr.decode(addr, addrLen.get(JAVA_INT, 0));
        }
    }

    /**
     * What both multishot loops share: results to a handler whose exceptions go to the engine's
     * error handler; the stream ends exactly once ({@code onEnd} or {@code onError}); the op is its
     * own {@link Multishot} handle.
     */
    abstract static class Stream<T> extends PollOp<Void> implements Multishot {
        final PollEngine engine;
        private final StreamEnd<T> stream;

        Stream(String name, PollEngine engine, MultishotHandler<T> handler) {
            super(name, Mode.READY);
            this.engine = engine;
            this.stream = new StreamEnd<>(handler, engine::callbackError);
            this.interest = Interest.READ;
        }

        final boolean deliver(T item) {
            return stream.deliver(item);
        }

        final void endStream(Throwable failure) {
            stream.end(failure, null);
            if (failure == null) {
                succeed(null);
            } else {
                fail(failure);
            }
        }

        /** Cancelled, descriptor closed through the engine, or engine closing: the stream just ends. */
        @Override
        final void abort(Throwable reason) {
            endStream(null);
        }

        /** Submitted to a closed engine: it never started, so {@link #done()} fails. */
        @Override
        final void rejected(Throwable reason) {
            fail(reason);
        }

        @Override
        final void onFailed(Throwable t) {
            stream.end(t, null);
        }

        @Override
        public final void cancel() {
            future.cancel(true);
        }

        @Override
        public final CompletableFuture<Void> done() {
            return future;
        }
    }

    /** Multishot accept: accepts until EAGAIN on every readiness, delivering each connection. */
    static final class MultishotAccept extends Stream<Accepted> {
        private final AcceptCall call;

        MultishotAccept(PollEngine engine, int listenFd, MultishotHandler<Accepted> handler) {
            super("acceptMultishot", engine, handler);
            this.needsNonBlocking = true;
            this.call = new AcceptCall(listenFd);
        }

        @Override
        long attempt(Shim shim) {
            return call.accept(shim);
        }

        @Override
        boolean onResult(long res) {
            if (res == -Errno.ECONNABORTED.value()) {
                return true; // that connection is gone; keep accepting
            }
            if (res < 0) {
                endStream(new NativeIoException(name, (int) -res));
                return false;
            }
            Fd fd = Fd.adopt((int) res, Fd.Kind.SOCKET);
            SockAddr peer;
            try {
                peer = call.peer();
            } catch (RuntimeException unknownFamily) {
                peer = null;
            }
            if (!deliver(new Accepted(fd, peer))) {
                fd.close(); // nobody took it: never leak an accepted socket
            }
            return true;
        }
    }

    /** Multishot receive: on every readiness, receives into a buffer of the ring until EAGAIN. */
    static final class MultishotRecv extends Stream<MemorySegment> {
        private final int rawFd;
        private final PollBufferRing ring;
        private MemorySegment buffer;

        MultishotRecv(PollEngine engine, int rawFd, PollBufferRing ring, MultishotHandler<MemorySegment> handler) {
            super("recvMultishot", engine, handler);
            this.rawFd = rawFd;
            this.ring = ring;
        }

        /** Takes a buffer only for the call; keeps it only when bytes arrived (onResult gives it back). */
        @Override
        long attempt(Shim shim) {
            MemorySegment b = ring.take();
            long r = shim.recvfrom(rawFd, b.address(), b.byteSize(), SocketConstants.MSG_DONTWAIT, 0, 0);
            if (r > 0) {
                buffer = b;
            } else {
                ring.give(b);
            }
            return r;
        }

        @Override
        boolean onResult(long res) {
            if (res > 0) {
                MemorySegment b = buffer;
                buffer = null;
                try {
                    deliver(b.asSlice(0, res));
                } finally {
                    ring.give(b);
                }
                return true;
            }
            endStream(res == 0 ? null : new NativeIoException(name, (int) -res));
            return false;
        }
    }
}
