package dev.ringio.net;

/**
 * What one {@link Sockets#recvfrom} delivered.
 *
 * @param bytes the bytes received (0 at end of stream on a stream socket; with
 *              {@link MsgFlag#TRUNC}, a datagram's full length even when the buffer held less)
 * @param from  the sender's address, or {@code null} when the kernel reported none (TCP, and
 *              Unix senders that are not bound; a Unix stream reports a bound peer's name)
 */
public record Received(int bytes, SockAddr from) {
}
