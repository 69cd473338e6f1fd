package dev.ringio.bench;

import java.io.IOException;
import java.util.Set;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.net.Protocol;
import dev.ringio.net.SockAddr;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;

/**
 * A listening stream socket, set up through the engine: {@code socket}, {@code SO_REUSEADDR},
 * {@code bind}, {@code listen}. Shared by {@link TcpProxy} and {@link EchoServer}.
 */
final class ListeningSocket {

    private ListeningSocket() {
    }

    /**
     * Opens a stream socket listening on {@code address}. Any thread but the engine's loop (it
     * waits for each step).
     *
     * @return the listening descriptor; the caller owns it
     * @throws IOException naming the step that failed, e.g. {@code "bind: EADDRINUSE (...)"}
     */
    static Fd open(IoEngine engine, SockAddr address, int backlog) throws IOException {
        if (engine.inLoop()) {
            throw new IllegalStateException("ListeningSocket.open waits for the engine: not from its loop thread");
        }
        Fd fd = Failures.await(engine.socket(address.domain(), Set.of(SocketType.STREAM), Protocol.DEFAULT));
        try {
            // A restarted server must not wait out the old connections' TIME_WAIT to bind again.
            Sockets.setOption(fd, SocketOptions.REUSEADDR, true);
            Failures.await(engine.bind(fd, address));
            Failures.await(engine.listen(fd, backlog));
            return fd;
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** The address the socket is bound to ({@code getsockname}), e.g. the port the kernel chose for port 0. */
    static SockAddr boundAddress(Fd fd) throws IOException {
        return Sockets.getsockname(fd);
    }
}
