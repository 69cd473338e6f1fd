package dev.ringio.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

/**
 * An inotify instance ({@code inotify(7)}; Gerbil's {@code std/os/inotify}): watches on files and
 * directories, and their events, read either with a blocking {@link #read()} or as a stream an
 * engine delivers ({@link #events}).
 *
 * <pre>{@code
 * try (Inotify in = Inotify.open()) {
 *     int wd = in.addWatch(dir, EnumSet.of(InotifyMask.CREATE, InotifyMask.DELETE));
 *     Multishot s = in.events(engine, e -> System.out.println(e));   // on the loop thread
 *     ...
 * }
 * }</pre>
 *
 * <p>Events queue in the kernel until read, up to {@code /proc/sys/fs/inotify/max_queued_events}
 * (16384 by default); beyond that they are dropped and one {@link InotifyMask#Q_OVERFLOW} event
 * (wd -1) says so. Threading: every method is safe from any thread; one reader at a time.
 */
public final class Inotify implements AutoCloseable {

    /** IN_NONBLOCK for {@link #open(int)}: {@link #read()} does not wait. */
    public static final int IN_NONBLOCK = 04000;
    /** IN_CLOEXEC for {@link #open(int)}: always set by ringio. */
    public static final int IN_CLOEXEC = 02000000;
    /** IN_MOVE: MOVED_FROM | MOVED_TO. */
    public static final int IN_MOVE = 0x000000c0;
    /** IN_CLOSE: CLOSE_WRITE | CLOSE_NOWRITE. */
    public static final int IN_CLOSE = 0x00000018;
    /** IN_ALL_EVENTS: every event one can watch for (ACCESS through MOVE_SELF). */
    public static final int IN_ALL_EVENTS = 0x00000fff;
    /** sizeof(struct inotify_event) before the name. */
    static final int HEADER = 16;
    /** A buffer that always holds at least one event (header + NAME_MAX + 1), rounded up generously. */
    static final int BUFFER = 64 * 1024;

    private final Fd fd;
    private final Set<Multishot> streams = ConcurrentHashMap.newKeySet();

    private Inotify(Fd fd) {
        this.fd = fd;
    }

    /**
     * A close-on-exec inotify instance ({@code inotify_init1(IN_CLOEXEC)}). Any thread.
     *
     * @return the new instance, which the caller closes
     * @throws NativeIoException EMFILE when the per-user instance limit is reached
     */
    public static Inotify open() throws NativeIoException {
        return open(0);
    }

    /**
     * An inotify instance with {@code flags} ({@link #IN_NONBLOCK}; {@link #IN_CLOEXEC} always
     * added). Any thread.
     *
     * @param flags 0 or {@link #IN_NONBLOCK}
     * @return the new instance, which the caller closes
     * @throws IllegalArgumentException for other flags
     * @throws NativeIoException        EMFILE when the per-user instance limit
     *                                  ({@code max_user_instances}) is reached
     */
    public static Inotify open(int flags) throws NativeIoException {
        if ((flags & ~(IN_NONBLOCK | IN_CLOEXEC)) != 0) {
            throw new IllegalArgumentException("inotify_init1: unknown flags 0x" + Integer.toHexString(flags));
        }
        int r = Shim.get().inotifyInit1(flags | IN_CLOEXEC);
        if (r < 0) {
            throw new NativeIoException("inotify_init1", -r);
        }
        return new Inotify(Fd.adopt(r, Fd.Kind.INOTIFY));
    }

    /**
     * The descriptor (kind {@link Fd.Kind#INOTIFY}), usable on any engine.
     *
     * @return the descriptor
     */
    public Fd fd() {
        return fd;
    }

    /**
     * {@link #addWatch(Path, int)} with a set of {@link InotifyMask} bits.
     *
     * @param path the file or directory to watch
     * @param mask the events to watch for, and watch options
     * @return the watch descriptor
     * @throws NativeIoException naming the call, with the errno
     */
    public int addWatch(Path path, Set<InotifyMask> mask) throws NativeIoException {
        return addWatch(path, InotifyMask.bits(mask));
    }

    /**
     * Watches {@code path} for the events and with the flags of {@code mask}
     * ({@code inotify_add_watch(2)}); watching a path watched already replaces its mask (or adds
     * to it with {@link InotifyMask#MASK_ADD}) and returns the same watch descriptor. Any thread.
     *
     * @param path the file or directory to watch
     * @param mask {@code IN_*} event and option bits
     * @return the watch descriptor that events carry
     * @throws IllegalArgumentException if {@code mask} watches no event
     * @throws NativeIoException        naming the path: ENOENT, EACCES, ENOTDIR (ONLYDIR),
     *                                  EEXIST (MASK_CREATE), ENOSPC (the {@code max_user_watches} limit)
     */
    public int addWatch(Path path, int mask) throws NativeIoException {
        Objects.requireNonNull(path, "path");
        if ((mask & IN_ALL_EVENTS) == 0) {
            throw new IllegalArgumentException("inotify_add_watch " + path + ": the mask watches no event: 0x"
                    + Integer.toHexString(mask));
        }
        int raw = fd.acquire("inotify_add_watch " + path);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocateFrom(path.toString());
            int r = Shim.get().inotifyAddWatch(raw, p.address(), mask);
            if (r < 0) {
                throw new NativeIoException("inotify_add_watch " + path, -r);
            }
            return r;
        } finally {
            fd.release();
        }
    }

    /**
     * Removes the watch {@code wd} ({@code inotify_rm_watch(2)}); an {@link InotifyMask#IGNORED}
     * event for it follows. Any thread.
     *
     * @param wd the watch descriptor {@link #addWatch} returned
     * @throws NativeIoException EINVAL when {@code wd} is no watch of this instance (any more)
     */
    public void removeWatch(int wd) throws NativeIoException {
        int raw = fd.acquire("inotify_rm_watch");
        try {
            int r = Shim.get().inotifyRmWatch(raw, wd);
            if (r < 0) {
                throw new NativeIoException("inotify_rm_watch " + wd, -r);
            }
        } finally {
            fd.release();
        }
    }

    /**
     * Reads the queued events, waiting for at least one unless the instance is non-blocking (then
     * an empty list when none is queued). Up to 64 KiB of events per call.
     *
     * @return the events read, in the kernel's order
     * @throws NativeIoException EBADF after close
     */
    public List<InotifyEvent> read() throws NativeIoException {
        return RecordStream.readNow(fd, "inotify read", BUFFER, Inotify::parse);
    }

    /**
     * Delivers the events through {@code engine}: the engine reads the descriptor, and the handler
     * receives each event on the engine's loop thread (keep it short), in order, until
     * {@link Multishot#cancel()}, {@link #close()} (then {@code onEnd}) or a failure
     * ({@code onError}). One stream (or reader) per instance. Any thread.
     *
     * @param engine the engine that reads the events
     * @param handler receives each event, on the engine's loop thread
     * @return the running stream; cancel it to stop
     */
    public Multishot events(IoEngine engine, MultishotHandler<InotifyEvent> handler) {
        RecordStream<InotifyEvent> stream = new RecordStream<>(engine, fd, BUFFER, Inotify::parse, handler);
        streams.add(stream);
        stream.done().whenComplete((v, e) -> streams.remove(stream));
        return stream.start();
    }

    static void parse(ByteBuffer b, int n, Consumer<InotifyEvent> out) {
        int at = 0;
        while (at + HEADER <= n) {
            int wd = b.getInt(at);
            int mask = b.getInt(at + 4);
            int cookie = b.getInt(at + 8);
            int len = b.getInt(at + 12);
            String name = null;
            if (len > 0) {
                int end = at + HEADER;
                while (end < at + HEADER + len && b.get(end) != 0) {
                    end++;
                }
                byte[] bytes = new byte[end - at - HEADER];
                b.get(at + HEADER, bytes);
                name = new String(bytes, StandardCharsets.UTF_8);
            }
            out.accept(new InotifyEvent(wd, mask, cookie, name));
            at += HEADER + len;
        }
    }

    /** Closes the instance (every watch goes with it); a running {@link #events} stream ends. Idempotent. */
    @Override
    public void close() {
        streams.forEach(Multishot::cancel);
        fd.close();
    }

    /**
     * The set of event bits the kernel reports for anything ({@code IN_ALL_EVENTS}) as an EnumSet.
     *
     * @return a new set of every event bit
     */
    public static EnumSet<InotifyMask> allEvents() {
        return InotifyMask.of(IN_ALL_EVENTS);
    }

    @Override
    public String toString() {
        return "Inotify[" + fd.value() + (fd.isOpen() ? "" : ", closed") + "]";
    }
}
