package dev.ringio.bench.jmh;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.ringio.bench.TestFiles;
import dev.ringio.EngineConfig;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.RawCompletion;
import dev.ringio.buffers.Chunk;

/**
 * 4 KiB random reads of a page-cached 256 MiB file: ringio (low-level and future API) against
 * {@link FileChannel} and {@link AsynchronousFileChannel}. Scores are reads per second.
 *
 * <h2>Design</h2>
 * Every invocation performs exactly {@value #READS} reads ({@code @OperationsPerInvocation}), at
 * 4 KiB-aligned offsets taken in turn from a precomputed table of random page numbers (no
 * {@code Random} in the hot path); every read must return 4096 bytes or the benchmark fails with
 * the errno or the short count. {@code queueDepth} is how many reads are kept in flight: a
 * completed read is replaced by the next one at once, so the depth stays full except for the
 * last {@code queueDepth} reads of an invocation (3% of them at depth 32); depth 1 is one read
 * at a time.
 * <ul>
 * <li>{@link #ringioRaw}: {@code submitRead} with a {@link RawCompletion} per slot. The benchmark
 *     thread starts the invocation on the loop thread ({@code execute}) and waits for one future;
 *     each completion submits the slot's next read from inside the callback, so the reads never
 *     leave the loop thread.</li>
 * <li>{@link #ringioFuture}: the future API from the benchmark thread: {@code queueDepth}
 *     futures, the oldest joined and replaced in turn (two thread hand-offs per read).</li>
 * <li>{@link #fileChannel}: {@code FileChannel.read(direct buffer, position)}, one thread; depth 1
 *     by nature (it has no {@code queueDepth} parameter).</li>
 * <li>{@link #asyncFileChannel}: {@code AsynchronousFileChannel} (the JDK's default thread pool)
 *     with {@code queueDepth} outstanding {@link Future}s, oldest joined and replaced in turn.</li>
 * </ul>
 *
 * <h2>Parameters</h2>
 * {@code fs}: {@code tmp} puts the file in /var/tmp (ext4 here), {@code shm} in /dev/shm (tmpfs,
 * where io_uring punts reads to kernel workers). The file is written once per trial (fork) with
 * random bytes through a {@link FileChannel} and read once to warm the page cache; it is deleted at
 * the end. {@code engine}: {@code uring} or {@code epoll}. {@code buffers}: {@code fixed} reads
 * into chunks of the engine's registered pool (READ_FIXED on io_uring); {@code plain} opens the
 * engine with registration off, so the low-level API issues plain READs into the same chunk memory
 * (it only takes chunks), and the future API reads into a page-aligned {@link MemorySegment} per
 * slot with {@code read(Fd, MemorySegment, long)}. The epoll engine never registers buffers, so
 * there {@code fixed} and {@code plain} differ only in the future API's entry point.
 *
 * <pre>
 * ./ringio bench --jmh FileReadBenchmark -f 1 -wi 3 -i 5
 * ./ringio bench --jmh 'FileReadBenchmark.ringioRaw' -p engine=uring -p queueDepth=32 -p fs=tmp
 * ./ringio bench --jmh 'FileReadBenchmark.(fileChannel|asyncFileChannel)'
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Native access for ringio; Unsafe access for JMH's own harness (ringio itself never uses Unsafe).
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class FileReadBenchmark {

    /** Reads per invocation. */
    static final int READS = 1024;
    static final int PAGE = 4096;
    static final long FILE_SIZE = 256L << 20;
    static final int PAGES = (int) (FILE_SIZE / PAGE);
    /** Size of the random offset table (a power of two). */
    static final int TABLE = 1 << 16;

    /** The page-cached file, shared by every benchmark. */
    @State(Scope.Benchmark)
    public static class DataFile {
        @Param({"tmp", "shm"})
        public String fs;

        Path path;
        /** Random page numbers, 0 .. PAGES-1. */
        final int[] pages = new int[TABLE];

        @Setup(Level.Trial)
        public void create() throws IOException {
            Path dir = switch (fs) {
                case "tmp" -> Path.of("/var/tmp");
                case "shm" -> Path.of("/dev/shm");
                default -> throw new IllegalArgumentException("fs must be tmp or shm, not " + fs);
            };
            path = Files.createTempFile(dir, "ringio-fileread-", ".bin");
            SplittableRandom random = new SplittableRandom(42);
            TestFiles.fillAndWarm(path, FILE_SIZE, random);
            for (int i = 0; i < TABLE; i++) {
                pages[i] = random.nextInt(PAGES);
            }
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            if (path != null) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** How many reads are kept in flight (ringio and AsynchronousFileChannel). */
    @State(Scope.Thread)
    public static class Depth {
        @Param({"1", "32"})
        public int queueDepth;
    }

    /** A ringio engine, the file opened on it, and one buffer per in-flight slot. */
    @State(Scope.Thread)
    public static class Ringio {
        @Param({"uring", "epoll"})
        public String engine;

        @Param({"fixed", "plain"})
        public String buffers;

        IoEngine io;
        Fd fd;
        int[] pages;
        Chunk[] chunks;
        MemorySegment[] segments;
        Arena arena;
        Slot[] slots;
        CompletableFuture<?>[] futures;
        int cursor;

        // State of the current raw invocation; written and read on the loop thread only,
        // except 'done', which hands the outcome back.
        int issued;
        int completed;
        CompletableFuture<Void> done;

        @Setup(Level.Trial)
        public void open(DataFile file, Depth depth) throws Exception {
            boolean fixed = switch (buffers) {
                case "fixed" -> true;
                case "plain" -> false;
                default -> throw new IllegalArgumentException("buffers must be fixed or plain, not " + buffers);
            };
            int qd = depth.queueDepth;
            io = IoEngines.open(engine, EngineConfig.builder()
                    .queueDepth(256)
                    .fixedBuffers(Math.max(qd, 1), PAGE)
                    .registerFixedBuffers(fixed)
                    .build());
            if (fixed && engine.equals("uring") && !io.fixedBuffersRegistered()) {
                throw new IllegalStateException("buffers=fixed, but the kernel refused to register the pool");
            }
            fd = io.open(file.path, OpenFlags.O_RDONLY, 0).join();
            pages = file.pages;
            chunks = new Chunk[qd];
            slots = new Slot[qd];
            futures = new CompletableFuture<?>[qd];
            for (int i = 0; i < qd; i++) {
                chunks[i] = io.bufferPool().alloc();
                if (chunks[i] == null) {
                    throw new IllegalStateException("the engine's pool has no free chunk for slot " + i);
                }
                slots[i] = new Slot(this, chunks[i]);
            }
            if (!fixed) {
                // Automatic: used in place by the kernel (a shared arena's memory, which its owner
                // may close mid-flight, would be copied through bounce buffers).
                arena = Arena.ofAuto();
                segments = new MemorySegment[qd];
                for (int i = 0; i < qd; i++) {
                    segments[i] = arena.allocate(PAGE, PAGE);
                }
            }
            verify(file);
        }

        /** One read through this state's buffers, compared with FileChannel's bytes of the same page. */
        private void verify(DataFile file) throws IOException {
            long offset = (long) pages[TABLE - 1] * PAGE;
            int n = readOne(this, 0, offset).join();
            if (n != PAGE) {
                throw readFailure(n);
            }
            MemorySegment got = segments == null ? chunks[0].segment().asSlice(0, PAGE) : segments[0];
            ByteBuffer want = ByteBuffer.allocateDirect(PAGE);
            try (FileChannel ch = FileChannel.open(file.path, StandardOpenOption.READ)) {
                ch.read(want, offset);
            }
            if (got.mismatch(MemorySegment.ofBuffer(want.flip())) != -1) {
                throw new IllegalStateException(engine + "/" + buffers + ": read bytes differ from the file's");
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            if (io == null) {
                return;
            }
            try {
                if (fd != null) {
                    io.close(fd).join();
                }
            } finally {
                if (chunks != null) {
                    for (Chunk c : chunks) {
                        if (c != null) {
                            io.bufferPool().free(c);
                        }
                    }
                }
                io.close();
                arena = null; // automatic: freed by the GC once unreachable
            }
        }

        long nextOffset() {
            int c = cursor;
            cursor = (c + 1) & (TABLE - 1);
            return (long) pages[c] * PAGE;
        }

        /** Loop thread: submits the next read on {@code slot}, or fails the invocation. */
        void submit(Slot slot) {
            issued++;
            try {
                io.submitRead(fd, slot.chunk, PAGE, nextOffset(), slot);
            } catch (NativeIoException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }
    }

    /** One in-flight read of the raw variant: its chunk and its completion. */
    static final class Slot implements RawCompletion {
        private final Ringio state;
        final Chunk chunk;

        Slot(Ringio state, Chunk chunk) {
            this.state = state;
            this.chunk = chunk;
        }

        @Override
        public void onComplete(int result) {
            Ringio s = state;
            if (result != PAGE) {
                s.done.completeExceptionally(readFailure(result));
                return;
            }
            if (++s.completed == READS) {
                s.done.complete(null);
            } else if (s.issued < READS && !s.done.isDone()) {
                s.submit(this);
            }
        }
    }

    static IllegalStateException readFailure(long result) {
        if (result < 0) {
            return new IllegalStateException("4 KiB read failed: " + Errno.describe((int) -result));
        }
        return new IllegalStateException("4 KiB read returned " + result + " bytes, expected " + PAGE);
    }

    /** The low-level API: reads resubmitted from their completions on the loop thread. */
    @Benchmark
    @OperationsPerInvocation(READS)
    public void ringioRaw(Ringio s) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        s.done = done;
        s.io.execute(() -> {
            s.issued = 0;
            s.completed = 0;
            for (Slot slot : s.slots) {
                s.submit(slot);
            }
        });
        done.join();
    }

    /** The future API from the benchmark thread; the oldest read is joined and replaced in turn. */
    @Benchmark
    @OperationsPerInvocation(READS)
    public void ringioFuture(Ringio s) {
        CompletableFuture<?>[] fs = s.futures;
        int qd = fs.length;
        int submitted = 0;
        for (; submitted < qd; submitted++) {
            fs[submitted] = readOne(s, submitted);
        }
        for (int i = 0; i < READS; i++) {
            int slot = i % qd;
            Object n = fs[slot].join();
            if (((Integer) n) != PAGE) {
                throw readFailure((Integer) n);
            }
            fs[slot] = submitted < READS ? readOne(s, slot) : null;
            if (fs[slot] != null) {
                submitted++;
            }
        }
    }

    private static CompletableFuture<Integer> readOne(Ringio s, int slot) {
        return readOne(s, slot, s.nextOffset());
    }

    private static CompletableFuture<Integer> readOne(Ringio s, int slot, long offset) {
        return s.segments == null
                ? s.io.readUpTo(s.fd, s.chunks[slot], PAGE, offset)
                : s.io.read(s.fd, s.segments[slot], offset);
    }

    /** A FileChannel and a direct buffer for the blocking baseline. */
    @State(Scope.Thread)
    public static class Blocking {
        FileChannel channel;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(PAGE);
        int[] pages;
        int cursor;

        @Setup(Level.Trial)
        public void open(DataFile file) throws IOException {
            channel = FileChannel.open(file.path, StandardOpenOption.READ);
            pages = file.pages;
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** Baseline: {@code FileChannel.read(direct, position)}, one read at a time. */
    @Benchmark
    @OperationsPerInvocation(READS)
    public void fileChannel(Blocking s) throws IOException {
        ByteBuffer b = s.buffer;
        int c = s.cursor;
        for (int i = 0; i < READS; i++) {
            b.clear();
            int n = s.channel.read(b, (long) s.pages[c] * PAGE);
            c = (c + 1) & (TABLE - 1);
            if (n != PAGE) {
                throw readFailure(n);
            }
        }
        s.cursor = c;
    }

    /** An AsynchronousFileChannel and one direct buffer per outstanding read. */
    @State(Scope.Thread)
    public static class Async {
        AsynchronousFileChannel channel;
        ByteBuffer[] buffers;
        Future<?>[] futures;
        int[] pages;
        int cursor;

        @Setup(Level.Trial)
        public void open(DataFile file, Depth depth) throws IOException {
            channel = AsynchronousFileChannel.open(file.path, StandardOpenOption.READ);
            pages = file.pages;
            buffers = new ByteBuffer[depth.queueDepth];
            futures = new Future<?>[depth.queueDepth];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.allocateDirect(PAGE);
            }
        }

        Future<Integer> read(int slot) {
            ByteBuffer b = buffers[slot];
            b.clear();
            long offset = (long) pages[cursor] * PAGE;
            cursor = (cursor + 1) & (TABLE - 1);
            return channel.read(b, offset);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** Baseline: AsynchronousFileChannel with {@code queueDepth} outstanding futures. */
    @Benchmark
    @OperationsPerInvocation(READS)
    public void asyncFileChannel(Async s) throws InterruptedException, ExecutionException {
        Future<?>[] fs = s.futures;
        int qd = fs.length;
        int submitted = 0;
        for (; submitted < qd; submitted++) {
            fs[submitted] = s.read(submitted);
        }
        for (int i = 0; i < READS; i++) {
            int slot = i % qd;
            int n = (Integer) fs[slot].get();
            if (n != PAGE) {
                throw readFailure(n);
            }
            if (submitted < READS) {
                fs[slot] = s.read(slot);
                submitted++;
            } else {
                fs[slot] = null;
            }
        }
    }
}
