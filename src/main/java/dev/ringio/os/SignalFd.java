package dev.ringio.os;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

/**
 * A signalfd ({@code signalfd(2)}, Gerbil's {@code std/os/signalfd}): a descriptor that yields a
 * {@link SignalInfo} record for each signal of its set taken from the signals pending for
 * <em>the thread that reads it</em> (sent to that thread, or to the process).
 *
 * <p><b>Delivery in a JVM.</b> A signal only stays pending, for a signalfd to take, while it is
 * blocked; an unblocked signal runs its action (for most, the default: the JVM dies). A signal
 * sent to the process goes to any one thread that does not block it, and a library cannot block
 * a signal in the JVM's own threads, so a signalfd reliably receives:
 * <ul>
 *   <li>signals sent to one thread ({@link Signals#killThread}, {@code tgkill}) that blocks them:
 *       the reading thread itself, or for {@link #records}, the engine's loop thread (it blocks the
 *       set there; send to the id {@code engine.execute(Signals::currentThreadId)} reports);</li>
 *   <li>signals sent to the process only in a process whose every thread blocks them (a small
 *       native program, or a JVM started with them blocked, as with {@code -Xrs} for SIGHUP, SIGINT
 *       and SIGTERM and a launcher that blocks them).</li>
 * </ul>
 * To react to signals sent to the process from inside an ordinary JVM, use {@link SignalHandlers}.
 *
 * <p>Threading: every method is safe from any thread; {@link #read()} blocks the calling thread.
 */
public final class SignalFd implements AutoCloseable {

    /** SFD_NONBLOCK: reads do not wait ({@link #read()} returns an empty list when nothing is pending). */
    public static final int SFD_NONBLOCK = 04000;
    /** SFD_CLOEXEC: always set by ringio. */
    public static final int SFD_CLOEXEC = 02000000;

    private final Fd fd;
    private volatile SignalSet signals;
    private final java.util.Set<Multishot> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private SignalFd(Fd fd, SignalSet signals) {
        this.fd = fd;
        this.signals = signals;
    }

    /**
     * A close-on-exec signalfd for {@code signals}. Any thread.
     *
     * @param signals the signals to take
     * @return the new signalfd, which the caller closes
     * @throws NativeIoException EMFILE, ENFILE, ENOMEM as signalfd(2) reports them
     */
    public static SignalFd open(SignalSet signals) throws NativeIoException {
        return open(signals, 0);
    }

    /**
     * A signalfd for {@code signals} with {@code flags} ({@link #SFD_NONBLOCK}; {@link #SFD_CLOEXEC}
     * is always added). Any thread.
     *
     * @param signals the signals to take
     * @param flags 0 or {@link #SFD_NONBLOCK}
     * @return the new signalfd, which the caller closes
     * @throws IllegalArgumentException for flags other than those two
     * @throws NativeIoException        EMFILE, ENFILE, ENOMEM as signalfd(2) reports them
     */
    public static SignalFd open(SignalSet signals, int flags) throws NativeIoException {
        Objects.requireNonNull(signals, "signals");
        if ((flags & ~(SFD_NONBLOCK | SFD_CLOEXEC)) != 0) {
            throw new IllegalArgumentException("signalfd: unknown flags 0x" + Integer.toHexString(flags));
        }
        int r = Shim.get().signalfd(-1, signals.bits(), flags | SFD_CLOEXEC);
        if (r < 0) {
            throw new NativeIoException("signalfd " + signals, -r);
        }
        return new SignalFd(Fd.adopt(r, Fd.Kind.SIGNALFD), signals.copy());
    }

    /**
     * The descriptor, usable on any engine (kind {@link Fd.Kind#SIGNALFD}).
     *
     * @return the descriptor
     */
    public Fd fd() {
        return fd;
    }

    /**
     * A copy of the set this signalfd takes.
     *
     * @return the signals
     */
    public SignalSet signals() {
        return signals.copy();
    }

    /**
     * Changes the set this signalfd takes ({@code signalfd(fd, set)}; Gerbil's {@code
     * signalfd-reset!}). Any thread.
     *
     * @param set the signals to take from now on
     * @throws NativeIoException naming {@code signalfd}, with the errno (EBADF after close)
     */
    public void reset(SignalSet set) throws NativeIoException {
        Objects.requireNonNull(set, "set");
        int raw = fd.acquire("signalfd reset");
        try {
            int r = Shim.get().signalfd(raw, set.bits(), 0);
            if (r < 0) {
                throw new NativeIoException("signalfd reset " + set, -r);
            }
            signals = set.copy();
        } finally {
            fd.release();
        }
    }

    /**
     * Reads the records pending for the calling thread, waiting for one unless the signalfd is
     * non-blocking (then an empty list when none is pending). At most 64 records per call.
     *
     * @return the records read
     * @throws NativeIoException EBADF after close
     */
    public List<SignalInfo> read() throws NativeIoException {
        return RecordStream.readNow(fd, "signalfd read", 64 * SignalInfo.SIZE, SignalFd::parse);
    }

    /**
     * Delivers the records through {@code engine}: the engine reads the signalfd, and the handler
     * receives each record on the engine's loop thread (keep it short), until {@link Multishot#cancel()},
     * {@link #close()} (then {@code onEnd}) or a failure ({@code onError}). The engine's reads run
     * on its loop thread, so first this blocks the set there (for good: unblocking later would let
     * a signal pending there run its default action); signals sent to the loop thread, or to a
     * process whose every thread blocks them, are then delivered. Any thread.
     *
     * @param engine the engine that reads the records
     * @param handler receives each record, on the engine's loop thread
     * @return the running stream; its {@code done()} completes when it ends
     */
    public Multishot records(IoEngine engine, MultishotHandler<SignalInfo> handler) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(handler, "handler");
        SignalSet set = signals();
        CompletableFuture<Void> blocked = new CompletableFuture<>();
        Runnable block = () -> {
            try {
                Signals.block(set);
                blocked.complete(null);
            } catch (Throwable t) {
                blocked.completeExceptionally(t);
            }
        };
        if (engine.inLoop()) {
            block.run();
        } else {
            engine.execute(block);
        }
        blocked.join();
        RecordStream<SignalInfo> stream = new RecordStream<>(engine, fd, 64 * SignalInfo.SIZE, SignalFd::parse, handler);
        streams.add(stream);
        stream.done().whenComplete((v, e) -> streams.remove(stream));
        return stream.start();
    }

    static void parse(ByteBuffer b, int n, java.util.function.Consumer<SignalInfo> out) {
        for (int at = 0; at + SignalInfo.SIZE <= n; at += SignalInfo.SIZE) {
            out.accept(SignalInfo.decode(b, at));
        }
    }

    /** Closes the descriptor (deferred while an engine operation holds it); a running {@link #records} stream ends. */
    @Override
    public void close() {
        streams.forEach(Multishot::cancel);
        fd.close();
    }

    @Override
    public String toString() {
        return "SignalFd[" + fd.value() + ", " + signals + "]";
    }
}
