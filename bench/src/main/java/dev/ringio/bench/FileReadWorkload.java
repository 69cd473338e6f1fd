package dev.ringio.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import dev.ringio.EngineConfig;
import dev.ringio.OpenFlags;

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

    static final int BLOCK = BlockRuns.BLOCK;
    static final long FILE_SIZE = 256L << 20;
    static final int[] DEPTHS = {1, 32};
    static final int VIRTUAL_THREADS = 32;
    private static final int OFFSETS = 1 << 16;

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
        /** Reads through the page cache (no O_DIRECT). */
        BlockRuns.Target target() {
            return new BlockRuns.Target(path, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC,
                    Set.of(StandardOpenOption.READ), offsets, false);
        }
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
        BlockRuns.Target t = f.target();
        List<Contender> row = new ArrayList<>();
        for (EngineSet.Slot slot : engines.slots()) {
            boolean uring = slot.name().equals("uring");
            row.add(engines.contender(slot, "fixed-low-level", "fixed buffers, low-level",
                    s -> Sample.of(BlockRuns.lowLevel(slot.engine(), t, qd, s))));
            if (!plan.quick()) {
                row.add(engines.contender(slot, "fixed-future", "fixed buffers, futures",
                        s -> Sample.of(BlockRuns.futures(slot.engine(), t, qd, true, s))));
            }
            if (!plan.quick() || uring) {
                row.add(engines.contender(slot, "plain-future", "plain buffers, futures",
                        s -> Sample.of(BlockRuns.futures(slot.engine(), t, qd, false, s))));
            }
        }
        row.add(Contender.peer("filechannel", "FileChannel", s -> Sample.of(BlockRuns.fileChannel(t, s))));
        if (!plan.quick()) { // the weakest rival (0.05-0.3 x FileChannel): the full run only, to keep --quick short
            row.add(Contender.peer("async-filechannel", "AsynchronousFileChannel",
                    s -> Sample.of(BlockRuns.asyncFileChannel(t, qd, s))));
        }
        CProgram c = CProgram.locate("read_bench");
        row.add(c.available()
                ? Contender.external("c", "C liburing", s -> Sample.of(c.number(c.run(List.of(f.path().toString(),
                        Integer.toString(qd), Stats.seconds(s), "fixed"), (long) s + 30), "ops_per_sec")))
                : Contender.unavailable(Contender.Role.PEER, "c", "C liburing", c.missingReason()));
        CProgram fio = CProgram.onPath("fio");
        row.add(fio.available()
                ? Contender.external("fio", "fio io_uring",
                        s -> Fio.run(fio, new Fio.Job(f.path(), FILE_SIZE, false, "io_uring", qd, false), s))
                : Contender.unavailable(Contender.Role.PEER, "fio", "fio io_uring", fio.missingReason()));
        return new BenchCase(f.fsKey() + "-qd" + qd, f.fsLabel() + ", queue depth " + qd, f.fsKey() + " QD" + qd,
                "filechannel", row);
    }

    private BenchCase virtualThreadCase(TestFile f, EngineSet engines) {
        BlockRuns.Target t = f.target();
        List<Contender> row = new ArrayList<>();
        for (EngineSet.Slot slot : engines.slots()) {
            row.add(engines.contender(slot, "blocking-vt", "BlockingIo, fixed buffers",
                    s -> Sample.of(BlockRuns.threads(t, VIRTUAL_THREADS, BlockRuns.virtualThreads("bench-reader"), s,
                            BlockRuns.blockingIo(slot.engine(), t, VIRTUAL_THREADS)))));
        }
        row.add(Contender.peer("filechannel", "FileChannel", s -> Sample.of(BlockRuns.threads(t, VIRTUAL_THREADS,
                BlockRuns.virtualThreads("bench-reader"), s, BlockRuns.fileChannel(t, VIRTUAL_THREADS)))));
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
}
