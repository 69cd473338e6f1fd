package dev.ringio.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.ringio.EngineGroup;
import dev.ringio.Fd;
import dev.ringio.IoEngines;
import dev.ringio.net.Ipv4SockAddr;

/**
 * ringio's echo on an engine group, as {@code ringio echo --loops N} runs it: N engines of one
 * kind, one {@link EchoServer} (multishot accept and receive) per engine on its own
 * {@code SO_REUSEPORT} listener, all on one 127.0.0.1 port, so each loop serves the connections
 * the kernel hands its listener and nothing crosses between loops. The group is opened for the
 * server and closed with it.
 */
final class GroupEchoServer implements RunningServer {

    private final EngineGroup group;
    private final List<EchoServer> servers;

    private GroupEchoServer(EngineGroup group, List<EchoServer> servers) {
        this.group = group;
        this.servers = servers;
    }

    /** Opens {@code loops} engines of kind {@code engine} ("uring", "epoll") and an echo server on each. */
    static GroupEchoServer start(String engine, int loops) throws IOException {
        EngineGroup group = IoEngines.group(engine, loops, ProxyCommand.engineConfig("ringio-bench-group"));
        List<EchoServer> servers = new ArrayList<>();
        try {
            List<Fd> listeners = group.listenReusePort(Ipv4SockAddr.loopback(0), EchoServer.DEFAULT_BACKLOG);
            for (int i = 0; i < listeners.size(); i++) {
                try {
                    servers.add(EchoServer.startOn(group.engines().get(i), listeners.get(i),
                            EchoServer.DEFAULT_RING_ENTRIES, EchoServer.DEFAULT_BUFFER_SIZE, line -> { }));
                } catch (IOException | RuntimeException e) {
                    listeners.subList(i + 1, listeners.size()).forEach(Fd::close);
                    throw e;
                }
            }
            return new GroupEchoServer(group, servers);
        } catch (IOException | RuntimeException e) {
            servers.forEach(EchoServer::close);
            group.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return RunningServer.portOf(servers.getFirst().localAddress());
    }

    @Override
    public void close() {
        servers.forEach(EchoServer::close);
        group.close();
    }
}
