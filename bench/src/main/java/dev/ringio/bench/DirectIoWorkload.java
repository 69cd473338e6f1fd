package dev.ringio.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import com.sun.nio.file.ExtendedOpenOption;

import dev.ringio.EngineConfig;
import dev.ringio.OpenFlags;

/**
 * The {@code direct-io} workload: 4 KiB random reads, then 4 KiB random writes (never fsynced),
 * with {@code O_DIRECT} on a file on the disk, so every op is a real device request and none is
 * served by the page cache: the workload io_uring exists for. One thread keeps QD ops in flight;
 * threaded rows keep one op per thread in flight.
 *
 * <ul>
 *   <li><b>ringio io_uring</b> at QD 1, 32 and 128: low-level ({@code submitRead} from the loop
 *       thread) and futures, into registered chunks; <b>ringio epoll</b> at QD 32 (its file pool);
 *       <b>BlockingIo</b> from 32 virtual threads on each engine.</li>
 *   <li><b>FileChannel</b> opened with {@code ExtendedOpenOption.DIRECT}: one thread (the baseline
 *       of every case) and 32 platform threads sharing the channel; <b>AsynchronousFileChannel</b>
 *       with {@code DIRECT} and QD ops outstanding.</li>
 *   <li><b>C liburing</b> ({@code read_bench FILE QD SECONDS fixed direct [write]}) and, when
 *       installed, <b>fio</b> io_uring at the same depth and fio psync (one job).</li>
 * </ul>
 * Every row also carries the CPU its process spent per second; a second table per direction shows
 * ops per CPU-second (user + system time of every thread, io-wq kernel workers included).
 */
final class DirectIoWorkload implements Workload {

    static final int BLOCK = BlockRuns.BLOCK;
    static final long FILE_SIZE = 1L << 30;
    /** The quick plan's file: O_DIRECT ops reach the device whatever the size; writing it is what costs. */
    static final long QUICK_FILE_SIZE = 128L << 20;
    static final int THREADS = 32;
    private static final int OFFSETS = 1 << 16;

    @Override
    public String name() {
        return "direct-io";
    }

    @Override
    public String summary() {
        return "4 KiB random O_DIRECT reads and writes on the disk vs FileChannel, AIO, C, fio";
    }

    @Override
    public List<BenchTable> run(Plan plan, Progress progress) throws Exception {
        Path dir = Path.of("/var/tmp");
        long size = plan.quick() ? QUICK_FILE_SIZE : FILE_SIZE;
        String fs = Mounts.fsType(dir);
        progress.say(name(), "writing a " + (size >> 20) + " MiB file in " + dir + " (" + fs + ") and syncing it");
        Path file = createFile(dir, size);
        EngineConfig config = EngineConfig.builder().queueDepth(256).fixedBuffers(2 * 128 + 32, BLOCK).build();
        try (EngineSet engines = new EngineSet(config)) {
            long[] offsets = offsets(size);
            List<BenchTable> tables = new ArrayList<>();
            for (boolean write : plan.quick() ? new boolean[] {false} : new boolean[] {false, true}) {
                BlockRuns.Target t = target(file, offsets, write);
                List<BenchCase> cases = new ArrayList<>();
                for (int qd : plan.quick() ? new int[] {32} : new int[] {1, 32, 128}) {
                    cases.add(depthCase(t, size, fs, qd, engines, plan));
                }
                String ops = write ? "writes" : "reads";
                String key = "direct-" + ops;
                String what = "4 KiB random O_DIRECT " + ops + " of a " + (size >> 20) + " MiB file on " + fs;
                Predicate<BenchCase> qd32 = bc -> bc.key.endsWith("-qd32");
                BenchTable table = new BenchTable(key, what + ", one thread (or " + THREADS + " threads)",
                        ops + "/s", "FileChannel, 1 thread", false, cases, List.of(
                                new Target("QD32 ≥ 1.0 × fio io_uring QD32 (io_uring, low-level)", 1.0, qd32,
                                        "uring-fixed-low-level", "fio"),
                                new Target("QD32 ≥ 4 × FileChannel from 1 thread (io_uring, low-level)", 4.0, qd32,
                                        "uring-fixed-low-level", "filechannel"),
                                new Target("QD32 ≥ 1.0 × FileChannel from " + THREADS + " threads (io_uring, low-level)",
                                        1.0, qd32, "uring-fixed-low-level", "filechannel-threads"),
                                new Target("epoll engine QD32 ≥ 3 × FileChannel from 1 thread", 3.0, qd32,
                                        "epoll-fixed-low-level", "filechannel")))
                        .note("every figure is a device request: O_DIRECT bypasses the page cache; the file is "
                                + (size >> 20) + " MiB on " + fs + " (" + dir + ")")
                        .note("the FileChannel baseline has no queue depth: one thread, one pread/pwrite at a time");
                if (write) {
                    table.note("writes are never fsynced; the file's blocks are allocated beforehand");
                }
                table.measure(plan, progress);
                tables.add(table);
                tables.add(BenchTable.perCpuSecond(table, key + "-cpu", what + ": " + ops + " per CPU-second "
                        + "(the process's user + system time, io-wq workers included)", ops + "/CPU-s",
                        List.of(new Target("QD32: less CPU per op than FileChannel from " + THREADS
                                + " threads (io_uring, low-level)", 1.0, qd32, "uring-fixed-low-level",
                                "filechannel-threads"))));
            }
            return tables;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static BlockRuns.Target target(Path file, long[] offsets, boolean write) {
        int flags = (write ? OpenFlags.O_RDWR : OpenFlags.O_RDONLY) | OpenFlags.O_DIRECT | OpenFlags.O_CLOEXEC;
        Set<OpenOption> jdk = Set.of(write ? StandardOpenOption.WRITE : StandardOpenOption.READ,
                ExtendedOpenOption.DIRECT);
        return new BlockRuns.Target(file, flags, jdk, offsets, write);
    }

    private BenchCase depthCase(BlockRuns.Target t, long size, String fs, int qd, EngineSet engines, Plan plan) {
        List<Contender> row = new ArrayList<>();
        for (EngineSet.Slot slot : engines.slots()) {
            boolean uring = slot.name().equals("uring");
            if (uring || qd == 32) {
                row.add(engines.contender(slot, "fixed-low-level", "fixed buffers, low-level",
                        s -> BlockRuns.withCpu(() -> BlockRuns.lowLevel(slot.engine(), t, qd, s))));
                if (!plan.quick()) {
                    row.add(engines.contender(slot, "fixed-future", "fixed buffers, futures",
                            s -> BlockRuns.withCpu(() -> BlockRuns.futures(slot.engine(), t, qd, true, s))));
                }
            }
            if (qd == 32 && !plan.quick()) {
                row.add(engines.contender(slot, "blocking-vt", "BlockingIo, " + THREADS + " virtual threads",
                        s -> BlockRuns.withCpu(() -> BlockRuns.threads(t, THREADS,
                                BlockRuns.virtualThreads("bench-direct"), s,
                                BlockRuns.blockingIo(slot.engine(), t, THREADS)))));
            }
        }
        row.add(Contender.peer("filechannel", "FileChannel, 1 thread",
                s -> BlockRuns.withCpu(() -> BlockRuns.fileChannel(t, s))));
        if (qd == 32) {
            row.add(Contender.peer("filechannel-threads", "FileChannel, " + THREADS + " platform threads",
                    s -> BlockRuns.withCpu(() -> BlockRuns.threads(t, THREADS, BlockRuns.platformThreads("bench-direct"),
                            s, BlockRuns.fileChannel(t, THREADS)))));
        }
        if (!plan.quick()) {
            row.add(Contender.peer("async-filechannel", "AsynchronousFileChannel",
                    s -> BlockRuns.withCpu(() -> BlockRuns.asyncFileChannel(t, qd, s))));
        }
        CProgram c = CProgram.locate("read_bench");
        row.add(c.available()
                ? Contender.external("c", "C liburing", s -> cProgram(c, t, qd, s))
                : Contender.unavailable(Contender.Role.PEER, "c", "C liburing", c.missingReason()));
        CProgram fio = CProgram.onPath("fio");
        row.add(fio.available()
                ? Contender.external("fio", "fio io_uring", s -> fio(fio, t, size, "io_uring", qd, s))
                : Contender.unavailable(Contender.Role.PEER, "fio", "fio io_uring", fio.missingReason()));
        if (qd == 32 && !plan.quick()) {
            row.add(fio.available()
                    ? Contender.external("fio-psync", "fio psync, 1 job", s -> fio(fio, t, size, "psync", 1, s))
                    : Contender.unavailable(Contender.Role.PEER, "fio-psync", "fio psync, 1 job", fio.missingReason()));
        }
        String ops = t.write() ? "writes" : "reads";
        return new BenchCase("direct-" + ops + "-qd" + qd, fs + ", queue depth " + qd
                + (qd == 32 ? " (or " + THREADS + " threads)" : ""), ops + " QD" + qd, "filechannel", row);
    }

    // ---- the file ---------------------------------------------------------------------------------

    /** Random bytes written through the page cache, then synced, so every block is allocated on the disk. */
    private static Path createFile(Path dir, long size) throws IOException {
        Path p = Files.createTempFile(dir, "ringio-bench-direct-", ".dat");
        try {
            TestFiles.fill(p, size, new SplittableRandom(42));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(p);
            throw e;
        }
        return p;
    }

    private static long[] offsets(long size) {
        SplittableRandom rnd = new SplittableRandom(11);
        long[] o = new long[OFFSETS];
        for (int i = 0; i < o.length; i++) {
            o[i] = rnd.nextLong(size / BLOCK) * BLOCK;
        }
        return o;
    }

    // ---- C and fio -------------------------------------------------------------------------------

    private static Sample fio(CProgram fio, BlockRuns.Target t, long size, String engine, int qd, double seconds)
            throws CProgram.CFailure {
        return Fio.run(fio, new Fio.Job(t.path(), size, t.write(), engine, qd, true), seconds);
    }

    private static Sample cProgram(CProgram c, BlockRuns.Target t, int qd, double seconds) throws CProgram.CFailure {
        List<String> args = new ArrayList<>(List.of(t.path().toString(), Integer.toString(qd), Stats.seconds(seconds),
                "fixed", "direct"));
        if (t.write()) {
            args.add("write");
        }
        Map<String, String> m = c.run(args, (long) seconds + 30);
        return Sample.withCpu(c.number(m, "ops_per_sec"), c.number(m, "cpu_sec"), c.number(m, "seconds"));
    }
}
