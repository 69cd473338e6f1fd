package dev.ringio.bench;

import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Ipv6SockAddr;
import dev.ringio.net.SockAddr;

/**
 * A server under test in a network workload (an echo server or a proxy), listening on 127.0.0.1.
 * The workload starts one, points the load generator (a separate process) at {@link #port()},
 * and closes it before the next contender starts.
 */
interface RunningServer extends AutoCloseable {

    /** The TCP port it listens on, at 127.0.0.1. */
    int port();

    /** Stops accepting, closes every connection, and ends its threads; frees every fd it opened. */
    @Override
    void close() throws Exception;

    /** The port of an IP socket address (for ringio's servers, which report a {@link SockAddr}). */
    static int portOf(SockAddr address) {
        return switch (address) {
            case Ipv4SockAddr a -> a.port();
            case Ipv6SockAddr a -> a.port();
            default -> throw new IllegalArgumentException("not an IP address: " + address);
        };
    }
}
