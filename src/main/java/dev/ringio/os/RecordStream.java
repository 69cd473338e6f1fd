package dev.ringio.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

/**
 * Records of a descriptor that yields whole records per read (inotify, signalfd) delivered by an
 * engine: one {@code IoEngine.read} after another into one direct buffer, each result cut into
 * records and handed to the handler, on the engine's loop thread. A read that finds nothing
 * (EAGAIN, for a descriptor opened non-blocking) waits with {@code awaitReadable} and tries again.
 * Uses only the public engine API, so it runs the same on every engine.
 */
final class RecordStream<T> implements Multishot {

    /** Cuts {@code n} bytes of {@code buf} (from 0, native order) into records. */
    interface Parser<T> {
        void parse(ByteBuffer buf, int n, Consumer<T> out);
    }

    private final IoEngine engine;
    private final Fd fd;
    private final ByteBuffer buf;
    private final Parser<T> parser;
    private final MultishotHandler<T> handler;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean cancelled;
    private volatile CompletableFuture<?> pending;

    RecordStream(IoEngine engine, Fd fd, int bufferSize, Parser<T> parser, MultishotHandler<T> handler) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.fd = fd;
        this.buf = ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.nativeOrder());
        this.parser = parser;
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * The blocking counterpart of a stream: one {@code read(2)} of up to {@code bufferSize} bytes
     * on the calling thread (EINTR retried), cut into records; an empty list when a non-blocking
     * descriptor has none (EAGAIN). Any thread.
     *
     * @throws NativeIoException naming {@code op}: EBADF after close, or the read's error
     */
    static <T> List<T> readNow(Fd fd, String op, int bufferSize, Parser<T> parser) throws NativeIoException {
        int raw = fd.acquire(op);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(bufferSize, 8);
            long n;
            do {
                n = Shim.get().read(raw, seg.address(), seg.byteSize());
            } while (n == -Errno.EINTR.value());
            if (n == -Errno.EAGAIN.value()) {
                return List.of();
            }
            NativeIoException.check(op, n);
            List<T> out = new ArrayList<>();
            parser.parse(seg.asByteBuffer().order(ByteOrder.nativeOrder()), (int) n, out::add);
            return out;
        } finally {
            fd.release();
        }
    }

    RecordStream<T> start() {
        engine.execute(this::next);
        return this;
    }

    @Override
    public void cancel() {
        cancelled = true;
        CompletableFuture<?> p = pending;
        if (p != null) {
            p.cancel(true);
        }
    }

    @Override
    public CompletableFuture<Void> done() {
        return done.copy();
    }

    /** Reads until a read does not complete at once (then its callback continues); a loop, not recursion. */
    private void next() {
        while (!done.isDone()) {
            if (cancelled) {
                end();
                return;
            }
            buf.clear();
            CompletableFuture<Integer> f;
            try {
                f = engine.read(fd, buf, -1);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            pending = f;
            if (cancelled) {
                f.cancel(true);
            }
            if (!f.isDone()) {
                f.whenComplete((n, e) -> {
                    if (onResult(n, e)) {
                        next();
                    }
                });
                return;
            }
            Integer n = null;
            Throwable e = null;
            try {
                n = f.join();
            } catch (CompletionException | CancellationException x) {
                e = x;
            }
            if (!onResult(n, e)) {
                return;
            }
        }
    }

    /** True to read again now; false when the stream ended or a wait for readiness continues it. */
    private boolean onResult(Integer n, Throwable error) {
        if (error != null) {
            Throwable c = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cancelled || c instanceof CancellationException || !fd.isOpen()) {
                end();
            } else if (c instanceof NativeIoException nio && nio.is(Errno.EAGAIN)) {
                CompletableFuture<Integer> ready = engine.awaitReadable(fd);
                pending = ready;
                if (cancelled) {
                    ready.cancel(true);
                }
                ready.whenComplete((r, e2) -> {
                    if (e2 != null) {
                        onResult(null, e2);
                    } else {
                        next();
                    }
                });
            } else {
                fail(c);
            }
            return false;
        }
        if (n <= 0) {
            end(); // end of file: not for inotify or signalfd, but never spin on it
            return false;
        }
        try {
            parser.parse(buf, n, handler::onNext);
        } catch (RuntimeException e) {
            System.getLogger("dev.ringio").log(System.Logger.Level.WARNING, "a record handler failed", e);
        }
        return true;
    }

    private void end() {
        if (!done.isDone()) {
            try {
                handler.onEnd();
            } finally {
                done.complete(null);
            }
        }
    }

    private void fail(Throwable t) {
        if (!done.isDone()) {
            try {
                handler.onError(t);
            } finally {
                done.completeExceptionally(t);
            }
        }
    }
}
