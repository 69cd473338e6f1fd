package dev.ringio.net;

import dev.ringio.Fd;

/**
 * An accepted connection.
 *
 * @param fd   the connection's descriptor (close-on-exec); the receiver owns it
 * @param peer the peer's address, or {@code null} when the kernel could not tell
 */
public record Accepted(Fd fd, SockAddr peer) {
}
