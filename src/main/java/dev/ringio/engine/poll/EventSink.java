package dev.ringio.engine.poll;

/**
 * Receives the events of one {@link Poller#poll} call, one call per ready descriptor, on the
 * poller's owner thread.
 *
 * <p>The flags are what the OS reported, not what was asked for: {@code error} and {@code hangup}
 * come whatever the interest, and may come alone. A readiness engine should then retry both
 * directions, whose syscalls report the actual error or end of stream.
 *
 * <p>An implementation must not throw: an exception propagates out of {@code poll} and the rest
 * of that batch is not delivered (level-triggered registrations report again; one-shot ones
 * stay disarmed).
 */
@FunctionalInterface
public interface EventSink {

    /**
     * @param token    the token given at {@link Poller#register} or the latest {@link Poller#modify}
     * @param readable the descriptor is readable (or at end of stream)
     * @param writable the descriptor is writable
     * @param error    an error is pending on the descriptor (e.g. a failed connect; SO_ERROR says which)
     * @param hangup   the peer hung up: a pipe with no writer left, a socket shut down both ways
     */
    void accept(long token, boolean readable, boolean writable, boolean error, boolean hangup);
}
