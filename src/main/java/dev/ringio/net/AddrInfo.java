package dev.ringio.net;

/**
 * One {@code getaddrinfo} result: an address to create a socket for and connect or bind to.
 *
 * @param family        the address family ({@code ai_family})
 * @param type          the socket type ({@code ai_socktype})
 * @param protocol      the protocol ({@code ai_protocol}; {@link Protocol#DEFAULT} for 0)
 * @param address       the socket address, with the service's port
 * @param canonicalName the host's canonical name when {@link AiFlag#CANONNAME} was asked for (the C
 *                      library reports it on the first result; ringio copies it to every result),
 *                      else {@code null}
 */
public record AddrInfo(Domain family, SocketType type, Protocol protocol, SockAddr address, String canonicalName) {
}
