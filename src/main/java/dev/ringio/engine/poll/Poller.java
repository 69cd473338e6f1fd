package dev.ringio.engine.poll;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;

/**
 * The one difference between the readiness engines (DESIGN.md, "The readiness engines"): watches
 * descriptors for readiness and reports it with the caller's 64-bit tokens. {@link EpollPoller} on
 * Linux; a kqueue poller on BSD and macOS.
 *
 * <p>Registrations are level-triggered unless {@link Interest#ONESHOT} is given: a ready
 * descriptor is reported by every {@link #poll} until the condition clears.
 *
 * <p>Threading: a poller belongs to one thread, its owner (the engine's loop). Every method is
 * <b>owner thread only</b>, except {@link #wakeup()}, which is safe from <b>any thread</b>. The
 * interface is implemented by final classes; it carries no state and no default behaviour.
 */
public interface Poller extends AutoCloseable {

    /**
     * The token a poller keeps for its own wakeup descriptor; {@link #register} and {@link #modify}
     * refuse it.
     */
    long RESERVED_TOKEN = Long.MIN_VALUE;

    /**
     * Starts watching {@code fd} for {@code interest} ({@link Interest} bits), reporting it with
     * {@code token}. Owner thread only.
     *
     * @throws IllegalArgumentException for unknown interest bits or {@link #RESERVED_TOKEN}
     * @throws NativeIoException        e.g. {@code EEXIST} (already registered), {@code EBADF}
     *                                  (closed), {@code EPERM} (a regular file or directory, which is
     *                                  always ready), naming the operation and the descriptor
     */
    void register(Fd fd, int interest, long token) throws NativeIoException;

    /**
     * Replaces the interest and token of a registered descriptor; re-arms a
     * {@link Interest#ONESHOT} registration that has fired. Owner thread only.
     *
     * @throws IllegalArgumentException for unknown interest bits or {@link #RESERVED_TOKEN}
     * @throws NativeIoException        e.g. {@code ENOENT} (not registered), {@code EBADF}
     */
    void modify(Fd fd, int interest, long token) throws NativeIoException;

    /**
     * Stops watching {@code fd}; events already collected by the OS but not yet polled are not
     * delivered afterwards. Call before closing the descriptor. Owner thread only.
     *
     * @throws NativeIoException e.g. {@code ENOENT} (not registered), {@code EBADF}
     */
    void deregister(Fd fd) throws NativeIoException;

    /**
     * Waits for readiness and hands each ready descriptor to {@code sink}. Owner thread only.
     *
     * <p>Returns early, possibly with 0, when {@link #wakeup()} was called (before or during the
     * wait) or a signal interrupted it; callers loop.
     *
     * @param timeoutNanos {@code -1} to wait until something is ready or a wakeup, {@code 0} not to
     *                     wait at all, else at most about this long (rounded up to the OS's
     *                     resolution)
     * @return how many events were delivered to {@code sink} (the wakeup itself is not one)
     * @throws IllegalArgumentException if {@code timeoutNanos < -1}
     * @throws NativeIoException        if the OS wait fails, or the poller is closed ({@code EBADF})
     */
    int poll(long timeoutNanos, EventSink sink) throws NativeIoException;

    /**
     * Makes the current or next {@link #poll} return promptly. Any thread; cheap when a wakeup is
     * already pending; does nothing after {@link #close()}.
     */
    void wakeup();

    /** Releases the OS resources; idempotent. Owner thread only (no poll may be running). */
    @Override
    void close();
}
