package dev.ringio.net;

import dev.ringio.Fd;

/**
 * One accepted connection: the new socket (close-on-exec; the caller owns it) and the peer's
 * address. Closing it closes the socket.
 *
 * @param fd   the connection's descriptor (close-on-exec); the receiver owns it
 * @param peer the peer's address ({@link UnixSockAddr#UNNAMED} for an unbound Unix client), or
 *             {@code null} when the kernel could not tell
 */
public record Accepted(Fd fd, SockAddr peer) implements AutoCloseable {

    /** Closes {@link #fd()}. */
    @Override
    public void close() {
        fd.close();
    }
}
