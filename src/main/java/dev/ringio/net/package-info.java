/**
 * The raw socket layer: Gerbil's {@code :std/os/socket} and arew's {@code (arew network socket)}
 * in Java, over plain system calls (the engines offer the same operations as completions).
 *
 * <ul>
 *   <li>{@link dev.ringio.net.Sockets}: socket, socketpair, bind, listen, connect, accept, shutdown,
 *       getsockname/getpeername, send/sendto/recv/recvfrom, and typed socket options.</li>
 *   <li>{@link dev.ringio.net.SocketOptions}: the whole option table as typed
 *       {@link dev.ringio.net.SocketOption}s, with their value types ({@link dev.ringio.net.Linger},
 *       {@link dev.ringio.net.Ucred}, {@link dev.ringio.net.IpMreq}, ...).</li>
 *   <li>{@link dev.ringio.net.SockAddr}: IPv4, IPv6 and Unix addresses, to and from kernel structs,
 *       text and {@code java.net}.</li>
 *   <li>{@link dev.ringio.net.Resolver}: {@code getaddrinfo} with every result and named errors.</li>
 *   <li>Constants: {@link dev.ringio.net.Domain}, {@link dev.ringio.net.SocketType},
 *       {@link dev.ringio.net.Protocol}, {@link dev.ringio.net.MsgFlag},
 *       {@link dev.ringio.net.ShutdownHow}, {@link dev.ringio.net.AiFlag}, and every C value by
 *       name in {@link dev.ringio.net.SocketConstants}.</li>
 * </ul>
 *
 * <p>Values are Linux x86_64's, hard-coded, and checked against the C headers the native shim was
 * built with (in the tests, and once per process before the first socket call for struct layouts).
 * Every method says its threading rule; the static ones here are safe from any thread, and the
 * ones that may block say so.
 */
package dev.ringio.net;
