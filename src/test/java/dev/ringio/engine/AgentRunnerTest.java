package dev.ringio.engine;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner's need-wakeup protocol on its own, with a park that is a real blocking wait (a
 * semaphore permit, as an eventfd is one): many threads hand commands to a loop that parks
 * whenever it is idle (no spin, no yield), so nearly every burst races a park; every command must
 * be run, none may wait for ever.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentRunnerTest {

    /** A loop whose only work is a command queue; parks on a semaphore. */
    static final class QueueAgent implements Agent {
        final MpscUnboundedAtomicArrayQueue<Runnable> queue = new MpscUnboundedAtomicArrayQueue<>(64);
        final Semaphore permit = new Semaphore(0);
        final AtomicLong unparks = new AtomicLong();
        volatile boolean stop;
        boolean done;

        @Override
        public int doWork() {
            int n = 0;
            Runnable r;
            while (n < 100 && (r = queue.poll()) != null) {
                r.run();
                n++;
            }
            if (stop && queue.isEmpty()) {
                done = true;
            }
            return n;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public boolean hasExternalWork() {
            return !queue.isEmpty() || stop;
        }

        @Override
        public void park() {
            try {
                // Bounded only so a lost wake-up fails the test instead of hanging it; a lost one
                // shows as commands not run below, since nothing else would unpark us in time.
                permit.tryAcquire(60, TimeUnit.SECONDS);
                permit.drainPermits(); // an eventfd read takes the whole count
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void unpark() {
            unparks.incrementAndGet();
            permit.release();
        }
    }

    @Test
    void everyCommandFromFourThreadsRunsThoughTheLoopParksBetweenThem() throws Exception {
        QueueAgent agent = new QueueAgent();
        AgentRunner runner = new AgentRunner(agent, new IdleStrategy(0, 0, 0, System::nanoTime));
        Thread loop = Thread.ofPlatform().name("agent-runner-test").start(runner::run);
        int threads = 4;
        int perThread = 10_000;
        AtomicLong ran = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] submitters = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            submitters[t] = Thread.ofPlatform().start(() -> {
                try {
                    // Ping-pong: one command at a time, each waited for, so the loop runs dry and
                    // parks between them and every hand-over races a park. A lost wake-up leaves
                    // the command unrun (nothing else would wake the loop in time).
                    for (int i = 0; i < perThread; i++) {
                        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
                        agent.queue.offer(() -> {
                            ran.incrementAndGet();
                            done.complete(null);
                        });
                        runner.wakeup();
                        done.get(30, TimeUnit.SECONDS);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        for (Thread s : submitters) {
            s.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a command was not run (lost wake-up?); parks " + runner.parks(), failure.get());
        }
        assertEquals((long) threads * perThread, ran.get());
        assertTrue(runner.parks() > 0, "the loop never parked, so the race was not exercised");
        // A woken loop that finds nothing to do parks again: an idle loop ends up parked.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(runner.isParking() && loop.getState() == Thread.State.TIMED_WAITING) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(runner.isParking() && loop.getState() == Thread.State.TIMED_WAITING, "an idle loop must end up parked");
        agent.stop = true;
        runner.wakeup();
        loop.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(Thread.State.TERMINATED, loop.getState());
        // The flag saves syscalls: an unpark only for a loop that announced a park, not one per command.
        assertTrue(agent.unparks.get() <= (long) threads * perThread,
                agent.unparks.get() + " unparks for " + threads * perThread + " commands");
    }
}
