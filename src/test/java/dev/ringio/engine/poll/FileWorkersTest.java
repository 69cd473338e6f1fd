package dev.ringio.engine.poll;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FileWorkers}: a thread per task while busy ones block, up to the limit; then a FIFO line. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileWorkersTest {

    @Test
    void aNewTaskGetsAThreadWhileTheOthersAreBlockedUpToTheLimit() throws Exception {
        FileWorkers w = new FileWorkers("test-grow-", 3);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(w.execute(() -> {
                running.countDown();
                await(release);
            }));
        }
        assertTrue(running.await(20, TimeUnit.SECONDS), "three blocked tasks run at once");
        assertEquals(3, w.threads());
        CountDownLatch fourth = new CountDownLatch(1);
        w.execute(fourth::countDown);
        assertFalse(fourth.await(50, TimeUnit.MILLISECONDS), "beyond the limit a task waits in line");
        assertEquals(3, w.threads());
        release.countDown();
        assertTrue(fourth.await(20, TimeUnit.SECONDS));
        w.shutdown();
    }

    @Test
    void anIdleThreadIsReusedAndTasksInLineRunInOrder() throws Exception {
        FileWorkers w = new FileWorkers("test-order-", 1);
        CountDownLatch release = new CountDownLatch(1);
        w.execute(() -> await(release));
        List<Integer> order = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            int n = i;
            w.execute(() -> {
                synchronized (order) {
                    order.add(n);
                }
                done.countDown();
            });
        }
        release.countDown();
        assertTrue(done.await(20, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), order);
        CountDownLatch again = new CountDownLatch(1);
        w.execute(again::countDown);
        assertTrue(again.await(20, TimeUnit.SECONDS));
        assertEquals(1, w.threads(), "one thread did it all");
        w.shutdown();
    }

    @Test
    void shutdownRunsWhatIsInLineRefusesMoreAndRetiresTheThreads() throws Exception {
        FileWorkers w = new FileWorkers("test-stop-", 2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            w.execute(() -> {
                await(release);
                ran.incrementAndGet();
            });
        }
        w.shutdown();
        assertFalse(w.execute(ran::incrementAndGet), "refused after shutdown");
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (w.threads() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        assertEquals(0, w.threads());
        assertEquals(5, ran.get());
    }

    @Test
    void threadsAreDaemons() throws Exception {
        FileWorkers w = new FileWorkers("test-daemon-", 1);
        boolean[] daemon = new boolean[1];
        CountDownLatch done = new CountDownLatch(1);
        w.execute(() -> {
            daemon[0] = Thread.currentThread().isDaemon();
            done.countDown();
        });
        assertTrue(done.await(20, TimeUnit.SECONDS));
        assertTrue(daemon[0]);
        w.shutdown();
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
