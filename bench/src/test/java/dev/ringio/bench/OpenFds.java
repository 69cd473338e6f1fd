package dev.ringio.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** This process's open descriptors, from /proc/self/fd: for checking that nothing leaks. */
final class OpenFds {

    private static final Path PROC_FD = Path.of("/proc/self/fd");

    private OpenFds() {
    }

    /** Descriptor number → what it refers to ("socket:[123]", "pipe:[456]", a path). */
    static Map<Integer, String> snapshot() {
        Map<Integer, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(PROC_FD)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile (or the directory stream's own descriptor)
                }
                m.put(Integer.parseInt(p.getFileName().toString()), target);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + PROC_FD, e);
        }
        return m;
    }

    /**
     * Makes the JDK open what it opens once and keeps (a virtual-thread client's loopback
     * connection leaves one connected unix socket in this JVM, the JDK's own), so that it is in
     * the "before" snapshot and not reported as a leak.
     */
    static void warmUpJdkNetworking() throws IOException, InterruptedException {
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, loopback)) {
            Thread client = Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = new java.net.Socket(server.getInetAddress(), server.getLocalPort())) {
                    s.getOutputStream().write(1);
                    s.getInputStream().read();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (java.net.Socket s = server.accept()) {
                s.getInputStream().read();
                s.getOutputStream().write(2);
            }
            client.join();
        }
    }

    /** Sockets and pipes only: the kind of descriptor the network programs open. */
    static Map<Integer, String> socketsAndPipes() {
        Map<Integer, String> m = snapshot();
        m.values().removeIf(t -> !t.startsWith("socket:") && !t.startsWith("pipe:"));
        return m;
    }

    /**
     * Waits up to {@code millis} for the sockets and pipes open now to be no more than those in
     * {@code before} (closes may be deferred until in-flight operations complete); returns the
     * ones still open that were not open before.
     */
    static Map<Integer, String> leakedSince(Map<Integer, String> before, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (;;) {
            Map<Integer, String> now = socketsAndPipes();
            now.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
            if (now.isEmpty() || System.nanoTime() > deadline) {
                return describe(now);
            }
            Thread.sleep(20);
        }
    }

    /**
     * The sockets among {@code fds} described from /proc/net/tcp: "socket:[inode] 127.0.0.1:port ->
     * 127.0.0.1:port state" (for a leak report).
     */
    static Map<Integer, String> describe(Map<Integer, String> fds) {
        Map<String, String> byInode = new java.util.HashMap<>();
        String[] states = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
                "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || f[0].equals("sl")) {
                        continue;
                    }
                    int st = Integer.parseInt(f[3], 16);
                    byInode.put(f[9], hostPort(f[1]) + " -> " + hostPort(f[2]) + " "
                            + (st < states.length ? states[st] : "state " + st));
                }
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }
        for (String table : new String[] {"/proc/net/unix", "/proc/net/netlink", "/proc/net/udp", "/proc/net/raw"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    for (String x : f) {
                        byInode.putIfAbsent(x, "(in " + table + ": " + line.trim() + ")");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }
        Map<Integer, String> out = new TreeMap<>();
        fds.forEach((fd, target) -> {
            String inode = target.startsWith("socket:[") ? target.substring(8, target.length() - 1) : "";
            out.put(fd, target + (byInode.containsKey(inode) ? " " + byInode.get(inode) : ""));
        });
        return out;
    }

    private static String hostPort(String hex) {
        String[] p = hex.split(":");
        int port = Integer.parseInt(p[1], 16);
        if (p[0].length() == 8) {
            long a = Long.parseLong(p[0], 16); // little-endian on x86
            return (a & 0xff) + "." + ((a >> 8) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 24) & 0xff)
                    + ":" + port;
        }
        return "[" + p[0] + "]:" + port;
    }

    /** The soft "Max open files" limit from /proc/self/limits, or -1 if unreadable. */
    static long maxOpenFiles() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
