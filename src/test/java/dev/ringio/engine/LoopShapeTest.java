package dev.ringio.engine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.engine.poll.PollEngine;
import dev.ringio.engine.uring.UringEngine;
import dev.ringio.testing.KernelFeatures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one loop shape, on every Linux engine: an idle engine ends up parked in the kernel; the
 * need-wakeup flag wakes a parked engine for every submission from other threads; work submitted
 * on the loop thread skips the cross-thread queue. No timing is asserted: waits are bounded
 * ceilings against hangs.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LoopShapeTest {

    private static final Duration HANG = Duration.ofSeconds(60);
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** The loop counters both engines expose. */
    record Loop(IoEngine engine) {
        long parks() {
            return engine instanceof UringEngine u ? u.parks() : ((PollEngine) engine).parks();
        }

        boolean isParking() {
            return engine instanceof UringEngine u ? u.isParking() : ((PollEngine) engine).isParking();
        }

        long commandsDrained() {
            return engine instanceof UringEngine u ? u.commandsDrained() : ((PollEngine) engine).commandsDrained();
        }
    }

    private static IoEngine open(String name, EngineConfig.Builder config) throws Exception {
        if (name.equals("io_uring")) {
            KernelFeatures.assume(dev.ringio.EngineAvailability.of("io_uring").isAvailable(), KernelFeatures.IO_URING);
        }
        return IoEngines.open(name, config.build());
    }

    /** The loop thread, found by running a task on it. */
    private static Thread loopThread(IoEngine engine) throws Exception {
        AtomicReference<Thread> t = new AtomicReference<>();
        CompletableFuture<Void> ran = new CompletableFuture<>();
        engine.execute(() -> {
            t.set(Thread.currentThread());
            ran.complete(null);
        });
        ran.get(HANG.toSeconds(), TimeUnit.SECONDS);
        return t.get();
    }

    /** The kernel's view of a thread of this process found by name: its state letter and wait channel, or null. */
    private static String[] kernelState(String threadName) throws IOException {
        String comm = threadName.length() > 15 ? threadName.substring(0, 15) : threadName;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (!Files.readString(task.resolve("comm")).trim().equals(comm)) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    // pid (comm) S ...: the state follows the last ')'.
                    String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
                    return new String[] {state, Files.readString(task.resolve("wchan")).trim()};
                } catch (IOException gone) {
                    // the thread ended while we looked
                }
            }
        }
        return null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll"})
    void anIdleEngineEndsUpParkedInTheKernel(String name) throws Exception {
        String threadName = "lsp" + NAMES.incrementAndGet();
        try (IoEngine engine = open(name, EngineConfig.builder().threadName(threadName))) {
            Loop loop = new Loop(engine);
            engine.noop().get(HANG.toSeconds(), TimeUnit.SECONDS);
            Thread t = loopThread(engine);
            long deadline = System.nanoTime() + HANG.toNanos();
            String[] state = null;
            while (System.nanoTime() < deadline) {
                state = kernelState(t.getName());
                if (loop.isParking() && loop.parks() > 0 && state != null && state[0].equals("S")) {
                    break;
                }
                Thread.sleep(5);
            }
            assertTrue(loop.isParking() && loop.parks() > 0,
                    name + ": the idle loop never parked (parks " + loop.parks() + ")");
            assertTrue(state != null && state[0].equals("S"), name + ": the idle loop thread is not asleep in the kernel: "
                    + (state == null ? "not found in /proc" : "state " + state[0] + ", wchan " + state[1]));
            // Still works after parking, and parks again.
            long parks = loop.parks();
            engine.noop().get(HANG.toSeconds(), TimeUnit.SECONDS);
            while (loop.parks() == parks && System.nanoTime() < deadline + HANG.toNanos()) {
                Thread.sleep(5);
            }
            assertTrue(loop.parks() > parks, name + ": the loop did not park again after the wake-up");
        }
    }

    /**
     * 100,000 noops from 4 threads in bursts, the engine parked before every burst (it parks at
     * once when idle), so each burst's first submissions race the park: every future completes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll"})
    void everyNoopFromFourThreadsCompletesOnAnEngineParkedBetweenBursts(String name) throws Exception {
        try (IoEngine engine = open(name, EngineConfig.builder().idleTurns(0, 0).idleSpin(Duration.ZERO))) {
            Loop loop = new Loop(engine);
            int threads = 4;
            int bursts = 50;
            int perBurst = 500; // 4 x 50 x 500 = 100,000
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CyclicBarrier barrier = new CyclicBarrier(threads, () -> {
                // Between bursts: wait until the loop has parked, so the next burst wakes it.
                long deadline = System.nanoTime() + HANG.toNanos();
                while (!loop.isParking() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                if (!loop.isParking()) {
                    failure.compareAndSet(null, new AssertionError(name + ": the idle loop did not park between bursts"));
                }
            });
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                submitters.add(Thread.ofPlatform().start(() -> {
                    try {
                        CompletableFuture<?>[] fs = new CompletableFuture<?>[perBurst];
                        for (int b = 0; b < bursts; b++) {
                            barrier.await(HANG.toSeconds(), TimeUnit.SECONDS);
                            for (int i = 0; i < perBurst; i++) {
                                fs[i] = engine.noop();
                            }
                            for (CompletableFuture<?> f : fs) {
                                f.get(HANG.toSeconds(), TimeUnit.SECONDS);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                        barrier.reset();
                    }
                }));
            }
            for (Thread s : submitters) {
                s.join();
            }
            if (failure.get() != null) {
                throw new AssertionError(name + ": a noop was lost or failed", failure.get());
            }
            assertTrue(loop.parks() >= bursts, name + ": parked only " + loop.parks() + " times in " + bursts + " bursts");
        }
    }

    /**
     * From a task on the loop: 1,000 noops chained through their completions, and 100 tasks given
     * to execute; none of it goes through the cross-thread queue (only the first task does).
     */
    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll"})
    void workSubmittedOnTheLoopSkipsTheQueue(String name) throws Exception {
        try (IoEngine engine = open(name, EngineConfig.builder())) {
            Loop loop = new Loop(engine);
            engine.noop().get(HANG.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture<Integer> chained = new CompletableFuture<>();
            CompletableFuture<Integer> tasks = new CompletableFuture<>();
            AtomicInteger tasksRun = new AtomicInteger();
            long before = loop.commandsDrained();
            engine.execute(() -> {
                chain(engine, 1_000, chained);
                for (int i = 0; i < 100; i++) {
                    engine.execute(() -> {
                        if (tasksRun.incrementAndGet() == 100) {
                            tasks.complete(100);
                        }
                    });
                }
            });
            assertEquals(1_000, chained.get(HANG.toSeconds(), TimeUnit.SECONDS));
            assertEquals(100, tasks.get(HANG.toSeconds(), TimeUnit.SECONDS));
            assertEquals(1, loop.commandsDrained() - before,
                    name + ": on-loop submissions went through the cross-thread queue");
        }
    }

    /** Submits {@code left} noops one after the other, each from the previous one's completion. */
    private static void chain(IoEngine engine, int left, CompletableFuture<Integer> done) {
        engine.noop().whenComplete((v, t) -> {
            if (t != null) {
                done.completeExceptionally(t);
            } else if (left == 1) {
                done.complete(1_000);
            } else {
                chain(engine, left - 1, done);
            }
        });
    }

    /**
     * epoll: an op submitted on the loop runs its syscall before the submitting call returns (here
     * a noop, which has no syscall, completes at once); and a chain of 100,000 such ops, each
     * chained onto the previous completed future, does not overflow the stack, because inline
     * starts are budgeted and the rest wait for the next turn.
     */
    @ParameterizedTest
    @ValueSource(strings = {"epoll"})
    void aReadinessOpSubmittedOnTheLoopStartsInlineWithABoundedStack(String name) throws Exception {
        try (IoEngine engine = open(name, EngineConfig.builder())) {
            CompletableFuture<Boolean> doneAtOnce = new CompletableFuture<>();
            engine.execute(() -> doneAtOnce.complete(engine.noop().isDone()));
            assertTrue(doneAtOnce.get(HANG.toSeconds(), TimeUnit.SECONDS),
                    "a noop submitted on the loop did not complete inline");
            CompletableFuture<Integer> chained = new CompletableFuture<>();
            AtomicInteger maxDepth = new AtomicInteger();
            engine.execute(() -> deepChain(engine, 100_000, chained, maxDepth));
            assertEquals(100_000, chained.get(HANG.toSeconds(), TimeUnit.SECONDS));
            if (maxDepth.get() > 2_000) {
                fail("the stack grew with the chain: " + maxDepth.get() + " frames");
            }
        }
    }

    private static void deepChain(IoEngine engine, int left, CompletableFuture<Integer> done, AtomicInteger maxDepth) {
        if (left % 1_000 == 0) {
            int depth = StackWalker.getInstance().walk(s -> (int) s.count());
            maxDepth.accumulateAndGet(depth, Math::max);
        }
        engine.noop().whenComplete((v, t) -> {
            if (t != null) {
                done.completeExceptionally(t);
            } else if (left == 1) {
                done.complete(100_000);
            } else {
                deepChain(engine, left - 1, done, maxDepth);
            }
        });
    }
}
