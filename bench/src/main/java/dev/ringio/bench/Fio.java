package dev.ringio.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fio as a rival of the file workloads: one job of 4 KiB random reads or writes on a test file for
 * a fixed time, its IOPS and CPU read from fio's JSON report. The workloads differ only in the
 * {@link Job}: direction, I/O engine, queue depth, and page cache or {@code O_DIRECT}.
 */
final class Fio {

    /**
     * One fio run's settings.
     *
     * @param file   the test file (read-only unless {@code write})
     * @param size   the part of the file the offsets fall in, in bytes
     * @param write  random writes (never fsynced) instead of random reads
     * @param engine fio's {@code --ioengine} ({@code io_uring}, {@code psync})
     * @param depth  fio's {@code --iodepth}
     * @param direct {@code O_DIRECT}; otherwise through the page cache, which fio must then not
     *               drop before the run ({@code --invalidate=0}): the cache was warmed on purpose
     */
    record Job(Path file, long size, boolean write, String engine, int depth, boolean direct) {
    }

    private static final Pattern USR_CPU = Pattern.compile("\"usr_cpu\"\\s*:\\s*([0-9.]+)");
    private static final Pattern SYS_CPU = Pattern.compile("\"sys_cpu\"\\s*:\\s*([0-9.]+)");

    private Fio() {
    }

    /** fio's arguments for {@code job} running {@code seconds}. */
    static List<String> arguments(Job job, double seconds) {
        List<String> args = new ArrayList<>(List.of("--name=ringio-bench", "--filename=" + job.file(),
                "--rw=" + (job.write() ? "randwrite" : "randread"), "--bs=4k", "--ioengine=" + job.engine(),
                "--iodepth=" + job.depth(), "--size=" + job.size(), job.direct() ? "--direct=1" : "--invalidate=0",
                "--time_based", "--runtime=" + Math.max(1, Math.round(seconds * 1000)) + "ms",
                "--output-format=json"));
        if (!job.write()) {
            args.add("--readonly");
        }
        return args;
    }

    /** Runs {@code job} for {@code seconds}: IOPS, with the CPU fio reports (user + system) as cores. */
    static Sample run(CProgram fio, Job job, double seconds) throws CProgram.CFailure {
        String out = fio.runForOutput(arguments(job, seconds), (long) seconds + 60);
        double iops = number(section(job.write() ? "write" : "read", "iops"), out, "iops");
        double cpuPercent = number(USR_CPU, out, "usr_cpu") + number(SYS_CPU, out, "sys_cpu");
        return new Sample(iops, Double.NaN, Double.NaN, cpuPercent / 100.0);
    }

    /** A figure of fio's JSON section for the direction ("read" or "write"), which precedes its nested objects. */
    private static Pattern section(String direction, String key) {
        return Pattern.compile("\"" + direction + "\"\\s*:\\s*\\{[^{}]*\"" + key + "\"\\s*:\\s*([0-9.]+)");
    }

    private static double number(Pattern p, String out, String what) throws CProgram.CFailure {
        Matcher m = p.matcher(out);
        if (!m.find()) {
            throw new CProgram.CFailure("fio printed no " + what);
        }
        return Double.parseDouble(m.group(1));
    }
}
