package dev.ringio.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringio.EngineConfig;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.OpenFlags;
import dev.ringio.RawCompletion;
import dev.ringio.blocking.BlockingIo;
import dev.ringio.buffers.Chunk;

/**
 * The {@code file-reads} workload: 4 KiB reads at random 4 KiB-aligned offsets of a page-cached
 * file, on ext4 and on tmpfs, at queue depth 1 and 32 from one thread; then 32 virtual threads
 * each doing blocking reads. Every contender reads the same file in the same round.
 *
 * <ul>
 *   <li><b>ringio, fixed buffers, low-level</b>: {@code submitRead} into registered chunks from the
 *       loop thread; each completion submits the next read (QD reads always in flight).</li>
 *   <li><b>ringio, plain buffers, futures</b>: {@code read(fd, MemorySegment, offset)} futures;
 *       each future's completion (on the loop thread) issues the next.</li>
 *   <li><b>FileChannel</b> (the baseline): {@code read(ByteBuffer, position)} in a loop, one
 *       thread; it has no queue depth, so the same row is the baseline at QD 1 and at QD 32.</li>
 *   <li><b>AsynchronousFileChannel</b>: QD reads outstanding, each completion handler issues the
 *       next (the JDK runs them as preads on its thread pool).</li>
 *   <li><b>C liburing</b>: {@code read_bench FILE QD SECONDS fixed} (registered buffers and file).</li>
 *   <li><b>fio io_uring</b>: {@code --ioengine=io_uring --invalidate=0}, when fio is installed.</li>
 * </ul>
 */
final class FileReadWorkload implements Workload {

    static final int BLOCK = 4096;
    static final long FILE_SIZE = 256L << 20;
    static final int[] DEPTHS = {1, 32};
    static final int VIRTUAL_THREADS = 32;
    private static final int OFFSETS = 1 << 16;
    private static final long HANG_SECONDS = 15;

    @Override
    public String name() {
        return "file-reads";
    }

    @Override
    public String summary() {
        return "4 KiB random page-cache reads vs FileChannel, AIO, C, fio";
    }

    /** A test file in one directory, its size, and the random offsets every contender walks. */
    record TestFile(String fsLabel, String fsKey, Path path, long[] offsets) {
    }

    @Override
    public List<BenchTable> run(Plan plan, Progress progress) throws Exception {
        List<TestFile> files = new ArrayList<>();
        EngineConfig config = EngineConfig.builder().queueDepth(256).fixedBuffers(64, 16 * 1024).build();
        try (EngineSet engines = new EngineSet(config)) {
            for (String dir : List.of("/var/tmp", "/dev/shm")) {
                Path d = Path.of(dir);
                if (!Files.isDirectory(d) || !Files.isWritable(d)) {
                    progress.say(name(), dir + ": not a writable directory; its cases are skipped");
                    continue;
                }
                String fs = Mounts.fsType(d);
                progress.say(name(), "writing and warming a " + (FILE_SIZE >> 20) + " MiB file in " + dir + " (" + fs + ")");
                files.add(new TestFile(fs + " (" + dir + ")", fs, createFile(d), offsets()));
            }
            // The quick plan keeps ext4 at both depths, tmpfs at QD 32, and ext4's virtual threads.
            List<BenchCase> cases = new ArrayList<>();
            for (TestFile f : files) {
                for (int qd : DEPTHS) {
                    if (!plan.quick() || f == files.get(0) || qd > 1) {
                        cases.add(depthCase(f, qd, engines, plan));
                    }
                }
            }
            for (TestFile f : files) {
                if (!plan.quick() || f == files.get(0)) {
                    cases.add(virtualThreadCase(f, engines));
                }
            }
            Predicate<BenchCase> qd32 = bc -> bc.key.endsWith("-qd32");
            Predicate<BenchCase> everyCase = bc -> true;
            BenchTable table = new BenchTable("file-reads",
                    "4 KiB random reads of a page-cached " + (FILE_SIZE >> 20) + " MiB file, one thread (or "
                            + VIRTUAL_THREADS + " virtual threads)",
                    "reads/s", "FileChannel", false, cases, List.of(
                            new Target("QD32 reads ≥ 1.5 × FileChannel (io_uring, fixed)", 1.5, qd32,
                                    "uring-fixed-low-level", "filechannel"),
                            new Target("QD32 reads ≥ 1.0 × fio io_uring (io_uring, fixed)", 1.0, qd32,
                                    "uring-fixed-low-level", "fio"),
                            new Target("no case more than 10% slower than FileChannel (best ringio row)", 0.9,
                                    everyCase, Target.BEST_RINGIO, "filechannel")))
                    .note("FileChannel and its virtual-thread row have no queue depth: one pread per call")
                    .note("tmpfs: io_uring cannot read tmpfs without blocking, so it punts every read to an "
                            + "io-wq kernel worker (BENCHMARKING.md)");
            table.measure(plan, progress);
            return List.of(table);
        } finally {
            for (TestFile f : files) {
                Files.deleteIfExists(f.path());
            }
        }
    }

    private BenchCase depthCase(TestFile f, int qd, EngineSet engines, Plan plan) {
        List<Contender> row = new ArrayList<>();
        for (EngineSet.Slot slot : engines.slots()) {
            boolean uring = slot.name().equals("uring");
            row.add(engines.contender(slot, "fixed-low-level", "fixed buffers, low-level",
                    s -> Sample.of(ringioReads(slot.engine(), f, qd, s))));
            if (!plan.quick()) {
                row.add(engines.contender(slot, "fixed-future", "fixed buffers, futures",
                        s -> Sample.of(ringioFutureReads(slot.engine(), f, qd, s, true))));
            }
            if (!plan.quick() || uring) {
                row.add(engines.contender(slot, "plain-future", "plain buffers, futures",
                        s -> Sample.of(ringioFutureReads(slot.engine(), f, qd, s, false))));
            }
        }
        row.add(Contender.peer("filechannel", "FileChannel", s -> Sample.of(fileChannel(f, s))));
        row.add(Contender.peer("async-filechannel", "AsynchronousFileChannel", s -> Sample.of(asyncFileChannel(f, qd, s))));
        CProgram c = CProgram.locate("read_bench");
        row.add(c.available()
                ? Contender.peer("c", "C liburing", s -> Sample.of(c.number(c.run(List.of(f.path().toString(),
                        Integer.toString(qd), Stats.seconds(s), "fixed"), (long) s + 30), "ops_per_sec")))
                : Contender.unavailable(Contender.Role.PEER, "c", "C liburing", c.missingReason()));
        CProgram fio = CProgram.onPath("fio");
        row.add(fio.available()
                ? Contender.peer("fio", "fio io_uring", s -> Sample.of(fio(fio, f, qd, s)))
                : Contender.unavailable(Contender.Role.PEER, "fio", "fio io_uring", fio.missingReason()));
        return new BenchCase(f.fsKey() + "-qd" + qd, f.fsLabel() + ", queue depth " + qd, f.fsKey() + " QD" + qd,
                "filechannel", row);
    }

    private BenchCase virtualThreadCase(TestFile f, EngineSet engines) {
        List<Contender> row = new ArrayList<>();
        for (EngineSet.Slot slot : engines.slots()) {
            row.add(engines.contender(slot, "blocking-vt", "BlockingIo, fixed buffers",
                    s -> Sample.of(virtualThreads(f, s, blockingReader(slot.engine(), f)))));
        }
        row.add(Contender.peer("filechannel", "FileChannel", s -> Sample.of(virtualThreads(f, s, fileChannelReader(f)))));
        return new BenchCase(f.fsKey() + "-vt", f.fsLabel() + ", " + VIRTUAL_THREADS + " virtual threads",
                f.fsKey() + " " + VIRTUAL_THREADS + " VTs", "filechannel", row);
    }

    // ---- the file ---------------------------------------------------------------------------------

    private static Path createFile(Path dir) throws IOException {
        Path p = Files.createTempFile(dir, "ringio-bench-reads-", ".dat");
        try {
            TestFiles.fillAndWarm(p, FILE_SIZE, new SplittableRandom(42));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(p);
            throw e;
        }
        return p;
    }

    private static long[] offsets() {
        SplittableRandom rnd = new SplittableRandom(7);
        long[] o = new long[OFFSETS];
        for (int i = 0; i < o.length; i++) {
            o[i] = rnd.nextLong(FILE_SIZE / BLOCK) * BLOCK;
        }
        return o;
    }

    // ---- ringio, one thread -----------------------------------------------------------------------

    /** Low-level: QD {@code submitRead}s from the loop thread into registered chunks. */
    private static double ringioReads(IoEngine engine, TestFile f, int qd, double seconds) throws Exception {
        Fd fd = engine.open(f.path(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0).get(HANG_SECONDS, TimeUnit.SECONDS);
        Chunk[] chunks = new Chunk[0];
        try {
            chunks = PoolChunks.take(engine, qd);
            return new LowLevelReads(engine, fd, chunks, f.offsets()).measure(seconds);
        } finally {
            PoolChunks.free(engine, chunks);
            engine.close(fd).get(HANG_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Keeps {@code chunks.length} reads in flight from the loop thread until told to stop, then
     * drains. Every field but {@link Driver#stop} is touched on the loop thread only.
     */
    private static final class LowLevelReads extends Driver {
        private final IoEngine engine;
        private final Fd fd;
        private final Chunk[] chunks;
        private final RawCompletion[] completions; // one per slot, reused: nothing allocated per read

        LowLevelReads(IoEngine engine, Fd fd, Chunk[] chunks, long[] offsets) {
            super(engine, offsets, chunks.length);
            this.engine = engine;
            this.fd = fd;
            this.chunks = chunks;
            this.completions = new RawCompletion[chunks.length];
            for (int i = 0; i < chunks.length; i++) {
                int slot = i;
                completions[i] = result -> completed(slot, result);
            }
        }

        @Override
        void issue(int slot) throws Exception {
            engine.submitRead(fd, chunks[slot], BLOCK, nextOffset(), completions[slot]);
        }
    }

    /** Futures: each completion (on the loop thread) issues the next read into the same buffer. */
    private static double ringioFutureReads(IoEngine engine, TestFile f, int qd, double seconds, boolean fixed)
            throws Exception {
        Fd fd = engine.open(f.path(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0).get(HANG_SECONDS, TimeUnit.SECONDS);
        Chunk[] chunks = new Chunk[0];
        // An automatic arena: memory the kernel may use in place (the GC keeps it while an op holds
        // it). A confined arena's memory is refused by the future API, and a shared arena's would be
        // copied through bounce buffers (docs/reliability.md, "Memory handed to the kernel").
        MemorySegment plain = fixed ? null : Arena.ofAuto().allocate((long) BLOCK * qd, BLOCK);
        try {
            chunks = PoolChunks.take(engine, fixed ? qd : 0);
            Chunk[] slots = chunks;
            Driver run = new Driver(engine, f.offsets(), qd) {
                @Override
                void issue(int slot) {
                    CompletableFuture<Integer> read = fixed
                            ? engine.readUpTo(fd, slots[slot], BLOCK, nextOffset())
                            : engine.read(fd, plain.asSlice((long) slot * BLOCK, BLOCK), nextOffset());
                    read.whenComplete((n, e) -> completed(slot, e != null ? -1 : n));
                }
            };
            return run.measure(seconds);
        } finally {
            PoolChunks.free(engine, chunks);
            engine.close(fd).get(HANG_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Drives QD slots on the engine's loop thread: {@link #issue} one read per slot, and on each
     * completion {@link #completed} counts it and issues the next until {@link #stop}.
     */
    private abstract static class Driver implements Runnable {
        private final IoEngine engine;
        private final long[] offsets;
        private final int depth;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile boolean stop;
        private int next;
        private int inFlight;
        private long count;
        private long startNanos;
        private long endNanos;
        private String error;

        Driver(IoEngine engine, long[] offsets, int depth) {
            this.engine = engine;
            this.offsets = offsets;
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
                fail("a read returned " + result + " (expected " + BLOCK + ")");
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

    // ---- the JDK -----------------------------------------------------------------------------------

    private static double fileChannel(TestFile f, double seconds) throws IOException {
        try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
            long[] offsets = f.offsets();
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            long n = 0;
            long now;
            int i = 0;
            do {
                for (int k = 0; k < 64; k++) {
                    int r = ch.read(buf.clear(), offsets[i]);
                    if (r != BLOCK) {
                        throw new IOException("FileChannel.read returned " + r);
                    }
                    i = (i + 1) & (offsets.length - 1);
                }
                n += 64;
                now = System.nanoTime();
            } while (now < deadline);
            return n * 1e9 / (now - start);
        }
    }

    private static double asyncFileChannel(TestFile f, int qd, double seconds) throws Exception {
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(f.path(), StandardOpenOption.READ)) {
            long[] offsets = f.offsets();
            AtomicLong count = new AtomicLong();
            AtomicLong next = new AtomicLong();
            CompletableFuture<Void> done = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger(qd);
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            CompletionHandler<Integer, ByteBuffer> handler = new CompletionHandler<>() {
                @Override
                public void completed(Integer n, ByteBuffer buf) {
                    if (n != BLOCK) {
                        done.completeExceptionally(new IOException("AsynchronousFileChannel.read returned " + n));
                        return;
                    }
                    count.incrementAndGet();
                    if (System.nanoTime() < deadline && !done.isDone()) {
                        ch.read(buf.clear(), offsets[(int) (next.getAndIncrement() & (OFFSETS - 1))], buf, this);
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
                ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
                ch.read(buf, offsets[(int) (next.getAndIncrement() & (OFFSETS - 1))], buf, handler);
            }
            done.get((long) seconds + HANG_SECONDS, TimeUnit.SECONDS);
            return count.get() * 1e9 / (System.nanoTime() - start);
        }
    }

    // ---- virtual threads ---------------------------------------------------------------------------

    /** One virtual thread's reader: reads the block at {@code offset}; returns bytes read. */
    interface Reader extends AutoCloseable {
        int read(int thread, long offset) throws IOException;

        @Override
        void close() throws Exception;
    }

    private static Reader blockingReader(IoEngine engine, TestFile f) {
        return new Reader() {
            private Fd fd;
            private Chunk[] chunks = new Chunk[0];
            private final BlockingIo io = new BlockingIo(engine);

            @Override
            public int read(int thread, long offset) throws IOException {
                synchronized (this) {
                    if (fd == null) {
                        fd = io.open(f.path(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
                        chunks = PoolChunks.take(engine, VIRTUAL_THREADS);
                    }
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

    private static Reader fileChannelReader(TestFile f) throws IOException {
        FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ);
        ByteBuffer[] bufs = new ByteBuffer[VIRTUAL_THREADS];
        for (int i = 0; i < bufs.length; i++) {
            bufs[i] = ByteBuffer.allocateDirect(BLOCK);
        }
        return new Reader() {
            @Override
            public int read(int thread, long offset) throws IOException {
                return ch.read(bufs[thread].clear(), offset);
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    /** {@value #VIRTUAL_THREADS} virtual threads reading until the time is up; total reads/s. */
    private static double virtualThreads(TestFile f, double seconds, Reader reader) throws Exception {
        try (reader) {
            reader.read(0, 0); // opens lazily, off the clock
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            AtomicLong total = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            long[] offsets = f.offsets();
            for (int t = 0; t < VIRTUAL_THREADS; t++) {
                int id = t;
                threads.add(Thread.ofVirtual().name("bench-reader-" + t).start(() -> {
                    long n = 0;
                    int i = id * (OFFSETS / VIRTUAL_THREADS);
                    try {
                        while (System.nanoTime() < deadline) {
                            int r = reader.read(id, offsets[i]);
                            if (r != BLOCK) {
                                throw new IOException("read returned " + r);
                            }
                            i = (i + 1) & (OFFSETS - 1);
                            n++;
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                    total.addAndGet(n);
                }));
            }
            for (Thread t : threads) {
                if (!t.join(java.time.Duration.ofSeconds((long) seconds + HANG_SECONDS))) {
                    throw new IOException("a reader thread hung");
                }
            }
            long end = System.nanoTime();
            if (!errors.isEmpty()) {
                throw new IOException(Failures.describe(errors.get(0)), errors.get(0));
            }
            return total.get() * 1e9 / (end - start);
        }
    }

    // ---- fio ---------------------------------------------------------------------------------------

    private static final Pattern FIO_IOPS = Pattern.compile("\"iops\"\\s*:\\s*([0-9.]+)");

    private static double fio(CProgram fio, TestFile f, int qd, double seconds) throws CProgram.CFailure {
        String out = fio.runForOutput(List.of("--name=ringio-bench", "--filename=" + f.path(), "--readonly",
                "--rw=randread", "--bs=4k", "--ioengine=io_uring", "--iodepth=" + qd, "--invalidate=0",
                "--time_based", "--runtime=" + Math.max(1, Math.round(seconds * 1000)) + "ms",
                "--size=" + FILE_SIZE, "--output-format=json"), (long) seconds + 60);
        Matcher m = FIO_IOPS.matcher(out);
        if (!m.find()) {
            throw new CProgram.CFailure("fio printed no iops");
        }
        return Double.parseDouble(m.group(1));
    }
}
