package dev.ringio.engine.uring;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.OpenFlags;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.Protocol;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.os.Pipe;

/**
 * Run by {@link SeccompRefusalTest} in a child JVM, with and without the seccomp launcher: prints
 * what engine selection sees, what {@link IoEngines#open()} does, and whether a small real workload
 * passes on the engine it opened, one {@code key=value} a line:
 * {@code availability.<engine>=<reason or "available">}, then {@code opened=<engine name> (<description>)}
 * with {@code refused.<engine>=<reason>} for each engine passed over, then {@code workload=ok} or
 * {@code workload-failed=...}; or {@code open-failed=<exception class>: <message>}. Exits 0 either
 * way; the test judges the output.
 */
public final class SeccompChild {

    private SeccompChild() {
    }

    public static void main(String[] args) {
        for (Map.Entry<String, String> e : IoEngines.availability().entrySet()) {
            System.out.println("availability." + e.getKey() + "=" + e.getValue());
        }
        try (IoEngine engine = IoEngines.open()) {
            System.out.println("opened=" + engine.name() + " (" + engine + ")");
            IoEngines.lastSelection().refusals().forEach((k, v) -> System.out.println("refused." + k + "=" + v));
            try {
                workload(engine);
                System.out.println("workload=ok");
            } catch (Throwable t) {
                System.out.println("workload-failed=" + t);
            }
        } catch (Exception e) {
            System.out.println("open-failed=" + e.getClass().getName() + ": " + e.getMessage());
        }
        System.out.flush();
    }

    /** A file written and read back, a pipe, a TCP round trip over loopback, a timer: each checked. */
    private static void workload(IoEngine engine) throws Exception {
        Path dir = Files.createTempDirectory("ringio-seccomp-child");
        byte[] data = "ringio under Docker's seccomp profile".getBytes(StandardCharsets.UTF_8);
        Fd file = engine.open(dir.resolve("f"), OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644).get(10, TimeUnit.SECONDS);
        engine.write(file, ByteBuffer.wrap(data), 0).get(10, TimeUnit.SECONDS);
        ByteBuffer back = ByteBuffer.allocate(data.length);
        engine.read(file, back, 0).get(10, TimeUnit.SECONDS);
        check("file", data, back.array());
        engine.close(file).get(10, TimeUnit.SECONDS);

        try (Pipe pipe = Pipe.open()) {
            engine.write(pipe.writeEnd(), ByteBuffer.wrap(data), -1).get(10, TimeUnit.SECONDS);
            ByteBuffer p = ByteBuffer.allocate(data.length);
            engine.read(pipe.readEnd(), p, -1).get(10, TimeUnit.SECONDS);
            check("pipe", data, p.array());
        }

        Fd listener = engine.socket(Domain.INET, Set.of(SocketType.STREAM), Protocol.DEFAULT).get(10, TimeUnit.SECONDS);
        engine.bind(listener, Ipv4SockAddr.loopback(0)).get(10, TimeUnit.SECONDS);
        engine.listen(listener, 8).get(10, TimeUnit.SECONDS);
        var accepted = engine.accept(listener);
        Fd client = engine.socket(Domain.INET, Set.of(SocketType.STREAM), Protocol.DEFAULT).get(10, TimeUnit.SECONDS);
        engine.connect(client, Sockets.getsockname(listener)).get(10, TimeUnit.SECONDS);
        Fd server = accepted.get(10, TimeUnit.SECONDS).fd();
        engine.sendAll(client, ByteBuffer.wrap(data), Set.of()).get(10, TimeUnit.SECONDS);
        ByteBuffer got = ByteBuffer.allocate(data.length);
        while (got.hasRemaining()) {
            engine.recv(server, got, Set.of()).get(10, TimeUnit.SECONDS);
        }
        check("tcp", data, got.array());
        engine.close(client).get(10, TimeUnit.SECONDS);
        engine.close(server).get(10, TimeUnit.SECONDS);
        engine.close(listener).get(10, TimeUnit.SECONDS);

        long t0 = System.nanoTime();
        engine.sleep(Duration.ofMillis(20)).get(10, TimeUnit.SECONDS);
        if (System.nanoTime() - t0 < 20_000_000L) {
            throw new AssertionError("sleep(20 ms) returned early");
        }
        Files.delete(dir.resolve("f"));
        Files.delete(dir);
    }

    private static void check(String what, byte[] want, byte[] got) {
        if (!java.util.Arrays.equals(want, got)) {
            throw new AssertionError(what + ": read back " + new String(got, StandardCharsets.UTF_8));
        }
    }
}
