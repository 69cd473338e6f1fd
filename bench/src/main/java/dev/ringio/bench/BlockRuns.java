package dev.ringio.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.RawCompletion;
import dev.ringio.blocking.BlockingIo;
import dev.ringio.buffers.Chunk;

/**
 * The measuring loops of the file workloads ({@code file-reads}, {@code direct-io}): 4 KiB reads or
 * writes at the offsets of a walk, on ringio (low-level from the loop thread, futures, BlockingIo
 * from threads), FileChannel (one thread or many) and AsynchronousFileChannel. Each returns ops per
 * second; {@link #withCpu} adds the CPU the process spent meanwhile.
 *
 * <p>A walk's length is a power of two; every contender walks the same offsets in the same order.
 */
final class BlockRuns {

    static final int BLOCK = 4096;
    private static final long HANG_SECONDS = 15;

    private BlockRuns() {
    }

    /** What one run does: which file, how it is opened, and whether it reads or writes. */
    record Target(Path path, int ringioFlags, Set<OpenOption> jdkOptions, long[] offsets, boolean write) {
        Target {
            if (Integer.bitCount(offsets.length) != 1) {
                throw new IllegalArgumentException("the walk's length must be a power of two: " + offsets.length);
            }
        }

        String verb() {
            return write ? "write" : "read";
        }
    }

    /** A measured run returning ops/s. */
    interface Run {
        double run() throws Exception;
    }

    /** Runs {@code run} and returns its ops/s with the CPU seconds per second the whole process used meanwhile. */
    static Sample withCpu(Run run) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        double value = run.run();
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        if (cpu0 < 0 || cpu1 < 0) {
            return Sample.of(value);
        }
        return Sample.withCpu(value, (cpu1 - cpu0) / 1e9, (t1 - t0) / 1e9);
    }

    // ---- ringio on one thread (the loop) ----------------------------------------------------------------

    /** Low-level: {@code qd} {@code submitRead}s (or writes) into registered chunks, issued from the loop thread. */
    static double lowLevel(IoEngine engine, Target t, int qd, double seconds) throws Exception {
        Fd fd = engine.open(t.path(), t.ringioFlags(), 0).get(HANG_SECONDS, TimeUnit.SECONDS);
        Chunk[] chunks = new Chunk[0];
        try {
            chunks = PoolChunks.take(engine, qd);
            Chunk[] slots = chunks;
            RawCompletion[] completions = new RawCompletion[qd]; // one per slot, reused: nothing allocated per op
            Driver run = new Driver(engine, t, qd) {
                @Override
                void issue(int slot) throws Exception {
                    if (t.write()) {
                        engine.submitWrite(fd, slots[slot], BLOCK, nextOffset(), completions[slot]);
                    } else {
                        engine.submitRead(fd, slots[slot], BLOCK, nextOffset(), completions[slot]);
                    }
                }
            };
            for (int i = 0; i < qd; i++) {
                int slot = i;
                completions[i] = result -> run.completed(slot, result);
            }
            return run.measure(seconds);
        } finally {
            PoolChunks.free(engine, chunks);
            engine.close(fd).get(HANG_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Futures: each completion (on the loop thread) issues the next op into the same buffer, a
     * registered chunk ({@code fixed}) or a slice of automatic-arena memory (used in place).
     */
    static double futures(IoEngine engine, Target t, int qd, boolean fixed, double seconds) throws Exception {
        Fd fd = engine.open(t.path(), t.ringioFlags(), 0).get(HANG_SECONDS, TimeUnit.SECONDS);
        Chunk[] chunks = new Chunk[0];
        // An automatic arena: memory the kernel may use in place (the GC keeps it while an op holds
        // it). A confined arena's memory is refused by the future API, and a shared arena's would be
        // copied through bounce buffers (docs/reliability.md, "Memory handed to the kernel").
        MemorySegment plain = fixed ? null : Arena.ofAuto().allocate((long) BLOCK * qd, BLOCK);
        try {
            chunks = PoolChunks.take(engine, fixed ? qd : 0);
            Chunk[] slots = chunks;
            Driver run = new Driver(engine, t, qd) {
                @Override
                void issue(int slot) {
                    CompletableFuture<Integer> op;
                    if (t.write()) {
                        op = (fixed ? engine.write(fd, slots[slot], BLOCK, nextOffset())
                                : engine.write(fd, plain.asSlice((long) slot * BLOCK, BLOCK), nextOffset()))
                                .thenApply(v -> BLOCK);
                    } else {
                        op = fixed ? engine.readUpTo(fd, slots[slot], BLOCK, nextOffset())
                                : engine.read(fd, plain.asSlice((long) slot * BLOCK, BLOCK), nextOffset());
                    }
                    op.whenComplete((n, e) -> completed(slot, e != null ? -1 : n));
                }
            };
            return run.measure(seconds);
        } finally {
            PoolChunks.free(engine, chunks);
            engine.close(fd).get(HANG_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Drives {@code depth} slots on the engine's loop thread: {@link #issue} one op per slot, and on
     * each completion {@link #completed} counts it and issues the next until {@link #stop}.
     */
    private abstract static class Driver implements Runnable {
        private final IoEngine engine;
        private final long[] offsets;
        private final String verb;
        private final int depth;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile boolean stop;
        private int next;
        private int inFlight;
        private long count;
        private long startNanos;
        private long endNanos;
        private String error;

        Driver(IoEngine engine, Target t, int depth) {
            this.engine = engine;
            this.offsets = t.offsets();
            this.verb = t.verb();
            this.depth = depth;
        }

        abstract void issue(int slot) throws Exception;

        final long nextOffset() {
            long o = offsets[next];
            next = (next + 1) & (offsets.length - 1);
            return o;
        }

        @Override
        public final void run() { // on the loop thread
            startNanos = System.nanoTime();
            for (int i = 0; i < depth; i++) {
                if (!tryIssue(i)) {
                    break;
                }
            }
        }

        private boolean tryIssue(int slot) {
            try {
                issue(slot);
                inFlight++;
                return true;
            } catch (Exception e) {
                fail("submit: " + Failures.describe(e));
                return false;
            }
        }

        final void completed(int slot, int result) { // on the loop thread
            inFlight--;
            if (result != BLOCK) {
                fail("a " + verb + " returned " + result + " (expected " + BLOCK + ")");
            } else {
                count++;
            }
            if (!stop && error == null) {
                tryIssue(slot);
            }
            if (inFlight == 0 && !done.isDone()) {
                endNanos = System.nanoTime();
                done.complete(null);
            }
        }

        private void fail(String why) {
            if (error == null) {
                error = why;
            }
            if (inFlight == 0 && !done.isDone()) {
                endNanos = System.nanoTime();
                done.complete(null);
            }
        }

        final double measure(double seconds) throws Exception {
            engine.execute(this);
            Thread.sleep((long) (seconds * 1000));
            stop = true;
            done.get(HANG_SECONDS, TimeUnit.SECONDS);
            if (error != null) {
                throw new IOException(error);
            }
            return count * 1e9 / (endNanos - startNanos);
        }
    }

    // ---- the JDK on one thread -------------------------------------------------------------------------

    /** A 4 KiB direct buffer aligned to 4 KiB (what O_DIRECT needs; harmless otherwise). */
    static ByteBuffer alignedBuffer() {
        return ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).slice(0, BLOCK);
    }

    /** {@code FileChannel.read/write(ByteBuffer, position)} in a loop on the calling thread. */
    static double fileChannel(Target t, double seconds) throws IOException {
        try (FileChannel ch = FileChannel.open(t.path(), t.jdkOptions())) {
            ByteBuffer buf = alignedBuffer();
            long[] offsets = t.offsets();
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            long n = 0;
            long now;
            int i = 0;
            do {
                for (int k = 0; k < 64; k++) {
                    int r = t.write() ? ch.write(buf.clear(), offsets[i]) : ch.read(buf.clear(), offsets[i]);
                    if (r != BLOCK) {
                        throw new IOException("FileChannel." + t.verb() + " returned " + r);
                    }
                    i = (i + 1) & (offsets.length - 1);
                }
                n += 64;
                now = System.nanoTime();
            } while (now < deadline);
            return n * 1e9 / (now - start);
        }
    }

    /** {@code qd} ops outstanding on an AsynchronousFileChannel; each completion handler issues the next. */
    static double asyncFileChannel(Target t, int qd, double seconds) throws Exception {
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(t.path(), t.jdkOptions(), null)) {
            long[] offsets = t.offsets();
            int mask = offsets.length - 1;
            AtomicLong count = new AtomicLong();
            AtomicLong next = new AtomicLong();
            CompletableFuture<Void> done = new CompletableFuture<>();
            AtomicInteger inFlight = new AtomicInteger(qd);
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            CompletionHandler<Integer, ByteBuffer> handler = new CompletionHandler<>() {
                @Override
                public void completed(Integer n, ByteBuffer buf) {
                    if (n != BLOCK) {
                        done.completeExceptionally(new IOException("AsynchronousFileChannel." + t.verb() + " returned " + n));
                        return;
                    }
                    count.incrementAndGet();
                    if (System.nanoTime() < deadline && !done.isDone()) {
                        issue(ch, t, buf, offsets[(int) (next.getAndIncrement() & mask)], this);
                    } else if (inFlight.decrementAndGet() == 0) {
                        done.complete(null);
                    }
                }

                @Override
                public void failed(Throwable e, ByteBuffer buf) {
                    done.completeExceptionally(e);
                }
            };
            for (int i = 0; i < qd; i++) {
                issue(ch, t, alignedBuffer(), offsets[(int) (next.getAndIncrement() & mask)], handler);
            }
            done.get((long) seconds + HANG_SECONDS, TimeUnit.SECONDS);
            return count.get() * 1e9 / (System.nanoTime() - start);
        }
    }

    private static void issue(AsynchronousFileChannel ch, Target t, ByteBuffer buf, long offset,
                              CompletionHandler<Integer, ByteBuffer> handler) {
        if (t.write()) {
            ch.write(buf.clear(), offset, buf, handler);
        } else {
            ch.read(buf.clear(), offset, buf, handler);
        }
    }

    // ---- many threads ------------------------------------------------------------------------------------

    /** One thread's ops: does op {@code thread}'s read or write at {@code offset}; returns the bytes moved. */
    interface Blocker extends AutoCloseable {
        int op(int thread, long offset) throws IOException;

        @Override
        void close() throws Exception;
    }

    /** BlockingIo on {@code engine}, one registered chunk per thread. */
    static Blocker blockingIo(IoEngine engine, Target t, int threads) {
        return new Blocker() {
            private final BlockingIo io = new BlockingIo(engine);
            private Fd fd;
            private Chunk[] chunks = new Chunk[0];

            @Override
            public int op(int thread, long offset) throws IOException {
                synchronized (this) {
                    if (fd == null) {
                        fd = io.open(t.path(), t.ringioFlags(), 0);
                        chunks = PoolChunks.take(engine, threads);
                    }
                }
                if (t.write()) {
                    io.write(fd, chunks[thread], BLOCK, offset);
                    return BLOCK;
                }
                return io.read(fd, chunks[thread], BLOCK, offset);
            }

            @Override
            public void close() throws IOException {
                PoolChunks.free(engine, chunks);
                if (fd != null) {
                    io.close(fd);
                }
            }
        };
    }

    /** One FileChannel shared by the threads, one aligned direct buffer per thread. */
    static Blocker fileChannel(Target t, int threads) throws IOException {
        FileChannel ch = FileChannel.open(t.path(), t.jdkOptions());
        ByteBuffer[] bufs = new ByteBuffer[threads];
        for (int i = 0; i < bufs.length; i++) {
            bufs[i] = alignedBuffer();
        }
        return new Blocker() {
            @Override
            public int op(int thread, long offset) throws IOException {
                return t.write() ? ch.write(bufs[thread].clear(), offset) : ch.read(bufs[thread].clear(), offset);
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    /** {@code threads} threads from {@code factory} doing blocking ops until the time is up; total ops/s. */
    static double threads(Target t, int threads, ThreadFactory factory, double seconds, Blocker blocker)
            throws Exception {
        try (blocker) {
            long[] offsets = t.offsets();
            int mask = offsets.length - 1;
            blocker.op(0, offsets[0]); // opens lazily, off the clock
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            AtomicLong total = new AtomicLong();
            List<Thread> started = new ArrayList<>();
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            for (int k = 0; k < threads; k++) {
                int id = k;
                Thread th = factory.newThread(() -> {
                    long n = 0;
                    int i = id * (offsets.length / threads);
                    try {
                        while (System.nanoTime() < deadline) {
                            int r = blocker.op(id, offsets[i & mask]);
                            if (r != BLOCK) {
                                throw new IOException(t.verb() + " returned " + r);
                            }
                            i++;
                            n++;
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                    total.addAndGet(n);
                });
                th.start();
                started.add(th);
            }
            for (Thread th : started) {
                if (!th.join(Duration.ofSeconds((long) seconds + HANG_SECONDS))) {
                    throw new IOException("a " + t.verb() + " thread hung");
                }
            }
            long end = System.nanoTime();
            if (!errors.isEmpty()) {
                throw new IOException(Failures.describe(errors.get(0)), errors.get(0));
            }
            return total.get() * 1e9 / (end - start);
        }
    }

    /** Virtual threads named {@code prefix-N}. */
    static ThreadFactory virtualThreads(String prefix) {
        return Thread.ofVirtual().name(prefix + "-", 0).factory();
    }

    /** Daemon platform threads named {@code prefix-N}. */
    static ThreadFactory platformThreads(String prefix) {
        return Thread.ofPlatform().daemon().name(prefix + "-", 0).factory();
    }
}
