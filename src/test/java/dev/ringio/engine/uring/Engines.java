package dev.ringio.engine.uring;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import dev.ringio.IoEngine;
import dev.ringio.engine.EngineOp;
import dev.ringio.engine.KernelOp;
import dev.ringio.engine.SlotTable;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the engine tests share: hang guards (every wait is bounded so a bug fails a test instead of
 * hanging the build) and read access to the loop's private state, taken on the loop thread.
 *
 * <p>The guards are generous ceilings against hangs, never performance thresholds.
 */
final class Engines {

    /** How long any single wait may take before the test fails as hung. */
    static final Duration HANG = Duration.ofSeconds(30);

    private Engines() {
    }

    /** {@code f.get()} bounded by {@link #HANG}; a timeout fails the test. */
    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.get(HANG.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("future not done after " + HANG + ": " + f + loopThreads(), e);
        }
    }

    /** The stacks of every live engine loop thread, for a hang's failure message. */
    static String loopThreads() {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().contains("loop")) {
                sb.append("\n  ").append(t).append(' ').append(t.getState());
                for (StackTraceElement el : stack) {
                    sb.append("\n      at ").append(el);
                }
            }
        });
        return sb.toString();
    }

    /** Waits for {@code f} to fail and returns its failure (unwrapped); fails the test if it succeeds. */
    static Throwable failureOf(CompletableFuture<?> f) throws Exception {
        try {
            Object v = f.get(HANG.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got the value " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            // JDK 25's get() throws a fresh CancellationException("get") caused by the future's own.
            return e.getCause() instanceof java.util.concurrent.CancellationException own ? own : e;
        } catch (TimeoutException e) {
            throw new AssertionError("future not done after " + HANG + ": " + f + loopThreads(), e);
        }
    }

    /** Closes {@code engine} on another thread and fails if close() has not returned within {@link #HANG}. */
    static void closeWithin(IoEngine engine) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofPlatform().name("closer").start(() -> {
            try {
                engine.close();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.join(HANG);
        if (t.isAlive()) {
            fail("engine.close() did not return within " + HANG + ": " + engine + loopThreads());
        }
        if (failure[0] != null) {
            throw new AssertionError("engine.close() threw", failure[0]);
        }
    }

    /** Polls {@code condition} until true; fails the test after {@link #HANG}. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not true after " + HANG + ": " + what + loopThreads());
            }
            Thread.sleep(1);
        }
    }

    /** Runs {@code task} on the loop thread and returns its result. */
    static <T> T onLoop(UringEngine engine, Callable<T> task) throws Exception {
        CompletableFuture<T> r = new CompletableFuture<>();
        engine.execute(() -> {
            try {
                r.complete(task.call());
            } catch (Throwable t) {
                r.completeExceptionally(t);
            }
        });
        return await(r);
    }

    /** Slots in use (ops the kernel owns), read on the loop thread. */
    static int slotsInUse(UringEngine engine) throws Exception {
        return onLoop(engine, () -> slots(engine).inUse());
    }

    /** The loop's slot table. Loop thread only. */
    static SlotTable slots(UringEngine engine) {
        return (SlotTable) field(engine, "slots");
    }

    /** The loop's user-space SQ overflow queue. Loop thread only. */
    @SuppressWarnings("unchecked")
    static ArrayDeque<EngineOp<?>> overflow(UringEngine engine) {
        return (ArrayDeque<EngineOp<?>>) field(field(engine, "submission"), "overflow");
    }

    /** Cancels the loop could not submit for lack of an SQE: {target token, fd, flags}. Loop thread only. */
    @SuppressWarnings("unchecked")
    static ArrayDeque<long[]> pendingCancels(UringEngine engine) {
        return (ArrayDeque<long[]>) field(field(engine, "cancellation"), "pendingCancels");
    }

    /** The op behind a future the engine returned: the op is its own future. */
    static EngineOp<?> opOf(CompletableFuture<?> future) {
        return (EngineOp<?>) future;
    }

    /** The loop thread itself. */
    static Thread loopThread(UringEngine engine) {
        return (Thread) field(engine, "loop");
    }

    /** A NOP op built the way the engine builds one, for placing directly into the overflow queue. */
    static EngineOp<Void> nopOp(UringEngine engine) {
        EngineOp<Void> op = new EngineOp<>("noop") {
            @Override
            public KernelOp next() {
                return KernelOp.Nop.INSTANCE;
            }

            @Override
            protected boolean onResult(long res) {
                succeed(null);
                return false;
            }
        };
        op.submittedTo(engine);
        return op;
    }

    /** Waits for the loop thread to end (after close). */
    static void assertLoopThreadEnds(UringEngine engine) throws InterruptedException {
        Thread loop = loopThread(engine);
        loop.join(HANG);
        assertTrue(!loop.isAlive(), "loop thread " + loop.getName() + " still alive after close");
    }

    private static Object field(Object target, String name) {
        try {
            Field f = target.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(target.getClass().getSimpleName() + " has no field " + name + " any more; update the test", e);
        }
    }
}
