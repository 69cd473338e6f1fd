package dev.ringio.bench.jmh;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.ringio.bench.TestFiles;
import dev.ringio.EngineConfig;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.OpenFlags;
import dev.ringio.buffers.Chunk;
import dev.ringio.os.Pipe;

/**
 * Sequential copy of a page-cached file, /var/tmp to /var/tmp: ringio read/write through
 * registered chunks, ringio splice through a pipe, {@link Files#copy} and
 * {@link FileChannel#transferTo}. The score is milliseconds per whole copy (SingleShotTime: each
 * iteration is one copy); MB/s = {@code size} MiB × 1.048576 / (score / 1000).
 *
 * <h2>What is timed</h2>
 * Each copy opens the source and a new destination ({@code O_TRUNC}), copies {@code size} MiB,
 * and closes both; no fsync, so this is page cache to page cache. Before each copy the destination
 * is deleted (untimed), which also drops its dirty pages so writeback of the previous copy rarely
 * overlaps the next one. After each copy (untimed) the destination's size and 64 random 4 KiB
 * pages are compared with the source; a mismatch, a failed op, a short read (end of file early) or
 * a zero-byte splice fails the benchmark with the reason.
 * <ul>
 * <li>{@link #ringioReadWrite}: four 256 KiB chunks of the engine's registered pool (READ_FIXED /
 *     WRITE_FIXED on io_uring), pipelined: chunk {@code i} carries file blocks {@code i, i+4, ...};
 *     each block is {@code readExactly} then, from its completion on the loop thread,
 *     {@code write}. The benchmark thread waits for a chunk's previous block before reusing it, so
 *     up to four blocks are in flight, reads of one overlapping writes of another.</li>
 * <li>{@link #ringioSplice}: file → pipe → file with {@code splice} (the descriptors' own file
 *     positions, which start at 0 on the fresh descriptors): 64 KiB (the default pipe capacity)
 *     into the pipe, then out of it until drained; two sequential round trips per 64 KiB.</li>
 * <li>{@link #filesCopy}: {@code Files.copy(src, dst, REPLACE_EXISTING)}.</li>
 * <li>{@link #transferTo}: {@code FileChannel.transferTo} in a loop until all is moved.</li>
 * </ul>
 *
 * <pre>
 * ./ringio bench --jmh FileCopyBenchmark -f 1 -wi 2 -i 5
 * ./ringio bench --jmh FileCopyBenchmark.ringio -p engine=uring -p size=1024
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
// Native access for ringio; Unsafe access for JMH's own harness (ringio itself never uses Unsafe).
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class FileCopyBenchmark {

    static final int CHUNK = 256 * 1024;
    static final int CHUNKS = 4;
    static final int PIPE_STEP = 64 * 1024;
    static final int PAGE = 4096;
    static final int SAMPLES = 64;

    /** The source file and the destination path, both in /var/tmp. */
    @State(Scope.Benchmark)
    public static class CopyFiles {
        /** File size in MiB. */
        @Param({"256"})
        public int size;

        Path src;
        Path dst;
        long bytes;
        private final SplittableRandom random = new SplittableRandom(7);

        @Setup(Level.Trial)
        public void create() throws IOException {
            if (size < 1) {
                throw new IllegalArgumentException("size must be at least 1 MiB, not " + size);
            }
            bytes = (long) size << 20;
            Path dir = Path.of("/var/tmp");
            src = Files.createTempFile(dir, "ringio-copy-src-", ".bin");
            dst = src.resolveSibling(src.getFileName() + ".copy");
            TestFiles.fillAndWarm(src, bytes, random);
        }

        @Setup(Level.Invocation)
        public void deleteDestination() throws IOException {
            Files.deleteIfExists(dst);
        }

        /** The copy's size and a sample of its pages must match the source. */
        @TearDown(Level.Invocation)
        public void verify() throws IOException {
            long got = Files.size(dst);
            if (got != bytes) {
                throw new IllegalStateException("copy is " + got + " bytes, source " + bytes);
            }
            ByteBuffer a = ByteBuffer.allocateDirect(PAGE);
            ByteBuffer b = ByteBuffer.allocateDirect(PAGE);
            try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(dst, StandardOpenOption.READ)) {
                for (int i = 0; i < SAMPLES; i++) {
                    long offset = random.nextLong(bytes / PAGE) * PAGE;
                    a.clear();
                    b.clear();
                    in.read(a, offset);
                    out.read(b, offset);
                    if (MemorySegment.ofBuffer(a.flip()).mismatch(MemorySegment.ofBuffer(b.flip())) != -1) {
                        throw new IllegalStateException("copy differs from the source in the page at " + offset);
                    }
                }
            }
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            if (dst != null) {
                Files.deleteIfExists(dst);
            }
            if (src != null) {
                Files.deleteIfExists(src);
            }
        }
    }

    /** A ringio engine with four registered 256 KiB chunks and a pipe. */
    @State(Scope.Thread)
    public static class Ringio {
        @Param({"uring", "epoll"})
        public String engine;

        IoEngine io;
        Chunk[] chunks;
        Pipe pipe;

        @Setup(Level.Trial)
        public void open() throws Exception {
            io = IoEngines.open(engine, EngineConfig.builder()
                    .queueDepth(256)
                    .fixedBuffers(CHUNKS, CHUNK)
                    .build());
            chunks = new Chunk[CHUNKS];
            for (int i = 0; i < CHUNKS; i++) {
                chunks[i] = io.bufferPool().alloc();
                if (chunks[i] == null) {
                    throw new IllegalStateException("the engine's pool has no free chunk for slot " + i);
                }
            }
            pipe = Pipe.open();
        }

        @TearDown(Level.Trial)
        public void close() {
            if (io == null) {
                return;
            }
            try {
                if (pipe != null) {
                    pipe.close();
                }
                for (Chunk c : chunks) {
                    if (c != null) {
                        io.bufferPool().free(c);
                    }
                }
            } finally {
                io.close();
            }
        }

        Fd openSource(CopyFiles f) {
            return io.open(f.src, OpenFlags.O_RDONLY, 0).join();
        }

        Fd openDestination(CopyFiles f) {
            return io.open(f.dst, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, 0644).join();
        }

        /** Closes both (through the engine, cancelling what is still in flight on them). */
        void closeBoth(Fd src, Fd dst) {
            try {
                io.close(src).join();
            } finally {
                if (dst != null) {
                    io.close(dst).join();
                }
            }
        }
    }

    /** ringio read/write through four registered chunks, up to four blocks in flight. */
    @Benchmark
    public void ringioReadWrite(CopyFiles f, Ringio s) {
        IoEngine io = s.io;
        Fd src = s.openSource(f);
        Fd dst = null;
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] inFlight = new CompletableFuture[CHUNKS];
        try {
            dst = s.openDestination(f);
            Fd out = dst;
            int slot = 0;
            for (long offset = 0; offset < f.bytes; offset += CHUNK) {
                if (inFlight[slot] != null) {
                    inFlight[slot].join();
                }
                Chunk c = s.chunks[slot];
                int len = (int) Math.min(CHUNK, f.bytes - offset);
                long at = offset;
                inFlight[slot] = io.readExactly(src, c, len, at).thenCompose(v -> io.write(out, c, len, at));
                slot = (slot + 1) % CHUNKS;
            }
            for (CompletableFuture<Void> op : inFlight) {
                if (op != null) {
                    op.join();
                }
            }
        } finally {
            s.closeBoth(src, dst);
        }
    }

    /** ringio splice: file → pipe → file, 64 KiB at a time. */
    @Benchmark
    public void ringioSplice(CopyFiles f, Ringio s) {
        IoEngine io = s.io;
        Fd src = s.openSource(f);
        Fd dst = null;
        try {
            dst = s.openDestination(f);
            for (long left = f.bytes; left > 0; ) {
                int in = io.splice(src, s.pipe.writeEnd(), (int) Math.min(PIPE_STEP, left)).join();
                if (in <= 0) {
                    throw new IllegalStateException("splice into the pipe: end of file with " + left + " bytes left");
                }
                for (int pending = in; pending > 0; ) {
                    int out = io.splice(s.pipe.readEnd(), dst, pending).join();
                    if (out <= 0) {
                        throw new IllegalStateException("splice out of the pipe moved " + out + " with "
                                + pending + " bytes in it");
                    }
                    pending -= out;
                }
                left -= in;
            }
        } finally {
            s.closeBoth(src, dst);
        }
    }

    /** Baseline: {@code Files.copy}. */
    @Benchmark
    public void filesCopy(CopyFiles f) throws IOException {
        Files.copy(f.src, f.dst, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Baseline: {@code FileChannel.transferTo} until everything has moved. */
    @Benchmark
    public void transferTo(CopyFiles f) throws IOException {
        try (FileChannel in = FileChannel.open(f.src, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(f.dst, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long pos = 0; pos < f.bytes; ) {
                long n = in.transferTo(pos, f.bytes - pos, out);
                if (n <= 0) {
                    throw new IllegalStateException("transferTo moved " + n + " bytes at " + pos + " of " + f.bytes);
                }
                pos += n;
            }
        }
    }
}
