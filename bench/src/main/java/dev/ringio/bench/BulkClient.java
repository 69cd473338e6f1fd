package dev.ringio.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of the nio workload's bulk case: {@code connections} platform threads, each on a
 * blocking JDK {@link SocketChannel}, asking for one response of {@code responseBytes} at a time
 * (one request byte) and reading it whole into a 1 MiB direct buffer. Reports MB/s (10^6 bytes)
 * counted over the measured window, after the warm-up.
 */
final class BulkClient {

    private BulkClient() {
    }

    static Sample run(int port, int connections, int responseBytes, double warmupSeconds, double seconds)
            throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long measureTo = measureFrom + (long) (seconds * 1e9);
        AtomicLong bytes = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < connections; i++) {
            threads.add(Thread.ofPlatform().daemon(true).name("bulk-client-" + i).start(() -> {
                try (SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    ByteBuffer request = ByteBuffer.allocate(1);
                    ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
                    while (System.nanoTime() < measureTo) {
                        c.write(request.clear());
                        long left = responseBytes;
                        while (left > 0) {
                            int n = c.read(in.clear().limit((int) Math.min(in.capacity(), left)));
                            if (n < 0) {
                                throw new EOFException("bulk client: end of stream with " + left + " bytes owed");
                            }
                            left -= n;
                            long now = System.nanoTime();
                            if (now >= measureFrom && now < measureTo) {
                                bytes.addAndGet(n);
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join((long) ((warmupSeconds + seconds) * 1000) + 60_000);
            if (t.isAlive()) {
                throw new IOException("bulk client: a connection made no progress for 60 s after the run");
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException("bulk client: " + failures.getFirst(), failures.getFirst());
        }
        return Sample.of(bytes.get() / 1e6 / seconds);
    }
}
