package dev.ringio.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.ringio.EngineGroup;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.SockAddr;

/**
 * ringio's echo on an engine group, one {@link EchoServer} (multishot receive) per engine, with the
 * connections spread across the loops in one of the two ways {@link EngineGroup} offers:
 *
 * <ul>
 *   <li>{@link #start}, as {@code ringio echo --loops N} runs it: one {@code SO_REUSEPORT} listener
 *       per engine, all on one 127.0.0.1 port, so each loop accepts and serves the connections the
 *       kernel hands its listener and nothing crosses between loops;</li>
 *   <li>{@link #startHandOff}: one listener, on the first engine, whose multishot accept places
 *       each connection with {@link EngineGroup#owner} (the engines in turn) and hands the ones
 *       placed elsewhere to that engine's server through its task queue
 *       ({@link dev.ringio.IoEngine#execute}).</li>
 * </ul>
 * The group is opened for the server and closed with it.
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

    /**
     * Opens {@code loops} engines of kind {@code engine}, one listener on the first, and an echo
     * server on each; the first engine's server hands every connection that
     * {@link EngineGroup#owner} places on another engine to that engine's server.
     */
    static GroupEchoServer startHandOff(String engine, int loops) throws IOException {
        EngineGroup group = IoEngines.group(engine, loops, ProxyCommand.engineConfig("ringio-bench-group"));
        List<EchoServer> servers = new ArrayList<>();
        try {
            IoEngine acceptor = group.engines().getFirst();
            Fd listener = ListeningSocket.open(acceptor, Ipv4SockAddr.loopback(0), EchoServer.DEFAULT_BACKLOG);
            group.assign(listener, acceptor);
            List<EchoServer> others = new ArrayList<>(); // others.get(i - 1) serves engine i
            try {
                SockAddr address = ListeningSocket.boundAddress(listener);
                for (IoEngine e : group.engines().subList(1, loops)) {
                    others.add(EchoServer.adopting(e, address, EchoServer.DEFAULT_RING_ENTRIES,
                            EchoServer.DEFAULT_BUFFER_SIZE, line -> { }));
                }
            } catch (IOException | RuntimeException e) {
                others.forEach(EchoServer::close);
                listener.close();
                throw e;
            }
            // Closed in this order: the acceptor first, so nothing is handed to a closed server.
            servers.add(EchoServer.startOn(acceptor, listener, EchoServer.DEFAULT_RING_ENTRIES,
                    EchoServer.DEFAULT_BUFFER_SIZE, line -> { }, client -> {
                        int i = group.engines().indexOf(group.owner(client.fd()));
                        return i == 0 ? null : others.get(i - 1);
                    }));
            servers.addAll(others);
            return new GroupEchoServer(group, servers);
        } catch (IOException | RuntimeException e) {
            servers.forEach(EchoServer::close);
            group.close();
            throw e;
        }
    }

    /** The echo server of each engine, in the group's order (the accepting one first). */
    List<EchoServer> servers() {
        return servers;
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
