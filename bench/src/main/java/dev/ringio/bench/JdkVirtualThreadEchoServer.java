package dev.ringio.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rival echo server in the JDK's own thread-per-connection style: a {@link ServerSocket} whose
 * accept loop runs on a virtual thread, and one virtual thread per connection copying its socket's
 * input stream back to its output stream through a 16 KiB array. The JDK parks each blocked virtual
 * thread on its own poller; the counterpart of {@link VirtualThreadEchoServer} on ringio's engine.
 */
final class JdkVirtualThreadEchoServer implements RunningServer {

    static final int BUFFER_SIZE = 16 * 1024;
    static final int BACKLOG = 1024;

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private JdkVirtualThreadEchoServer(ServerSocket server) {
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("jdk-echo-accept").unstarted(this::acceptLoop);
    }

    /** Listens on 127.0.0.1, an ephemeral port, and starts accepting. */
    static JdkVirtualThreadEchoServer start() throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        JdkVirtualThreadEchoServer s = new JdkVirtualThreadEchoServer(server);
        s.acceptor.start();
        return s;
    }

    @Override
    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                continue; // e.g. EMFILE: keep serving the connections we have
            }
            sockets.add(s);
            Thread t = Thread.ofVirtual().name("jdk-echo").unstarted(() -> serve(s));
            threads.add(t);
            t.start();
            if (server.isClosed()) {
                closeQuietly(s); // close() may have run its sweep before we added it
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[BUFFER_SIZE];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the peer reset, or the server is closing: this connection ends either way
        } finally {
            sockets.remove(s);
            threads.remove(Thread.currentThread());
        }
    }

    /** Closes the server socket and every connection, then waits for every thread to end. */
    @Override
    public void close() throws InterruptedException {
        closeQuietly(server);
        acceptor.join();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
