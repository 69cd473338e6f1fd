package dev.ringio.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ringio.EngineConfig;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.OpenFlags;
import dev.ringio.buffers.Chunk;
import dev.ringio.os.Pipe;

/**
 * The {@code copy} workload: a sequential copy of a page-cached file (1 GiB; 256 MiB in the quick
 * plan) to a new file in the same ext4 directory. One copy per round; MB/s of the file's size over
 * the copy's wall time, from open to close (no fsync: this measures the page cache, as the reads do).
 *
 * <ul>
 *   <li><b>ringio read/write, fixed buffers</b>: {@value #SLOTS} registered 1 MiB chunks, each
 *       cycling read-then-write of the next 1 MiB of the file, driven from the loop thread.</li>
 *   <li><b>ringio splice</b>: file → pipe → file through a pipe grown to {@value #SPLICE_CHUNK}
 *       bytes, a splice in, then splices out until the pipe is empty, from a caller thread.</li>
 *   <li><b>FileChannel.transferTo</b> (the baseline) and <b>Files.copy</b>: the JDK, which on
 *       Linux copies in the kernel ({@code copy_file_range}/{@code sendfile}).</li>
 * </ul>
 */
final class CopyWorkload implements Workload {

    static final int CHUNK = 1 << 20;
    static final int SLOTS = 4;
    static final int SPLICE_CHUNK = 1 << 20;
    private static final long HANG_SECONDS = 60;

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public String summary() {
        return "1 GiB file copy vs Files.copy, FileChannel.transferTo";
    }

    @Override
    public List<BenchTable> run(Plan plan, Progress progress) throws Exception {
        long size = plan.quick() ? 256L << 20 : 1L << 30;
        Path dir = Path.of("/var/tmp");
        String fs = Mounts.fsType(dir);
        progress.say(name(), "writing and warming a " + (size >> 20) + " MiB file in " + dir + " (" + fs + ")");
        Path src = Files.createTempFile(dir, "ringio-bench-copy-", ".src");
        Path dst = dir.resolve(src.getFileName().toString().replace(".src", ".dst"));
        EngineConfig config = EngineConfig.builder().queueDepth(256).fixedBuffers(SLOTS * 2, CHUNK).build();
        try (EngineSet engines = new EngineSet(config)) {
            TestFiles.fillAndWarm(src, size, new SplittableRandom(3));
            List<Contender> row = new ArrayList<>();
            for (EngineSet.Slot slot : engines.slots()) {
                row.add(engines.contender(slot, "read-write", "read/write, fixed buffers",
                        s -> mbPerSec(size, () -> readWrite(slot.engine(), src, dst, size), src, dst)));
                row.add(engines.contender(slot, "splice", "splice through a pipe",
                        s -> mbPerSec(size, () -> splice(slot.engine(), src, dst, size), src, dst)));
            }
            row.add(Contender.peer("transferto", "FileChannel.transferTo",
                    s -> mbPerSec(size, () -> transferTo(src, dst, size), src, dst)));
            row.add(Contender.peer("files-copy", "Files.copy",
                    s -> mbPerSec(size, () -> Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING), src, dst)));
            String label = fs + " (" + dir + "), " + (size >> 20) + " MiB";
            BenchCase bc = new BenchCase("copy", label, fs + " " + (size >> 20) + " MiB", "transferto", row);
            BenchTable table = new BenchTable("copy", "Sequential copy of a page-cached file (no fsync)", "MB/s",
                    "FileChannel.transferTo", false, List.of(bc), List.of(
                            new Target("copy not more than 10% slower than FileChannel (best ringio row)", 0.9,
                                    c -> true, Target.BEST_RINGIO, "transferto")))
                    .note("one copy per round (the round length does not apply); MB = 10^6 bytes")
                    .note("the JDK copies in the kernel (copy_file_range/sendfile): no data crosses into user space");
            table.measure(plan, progress);
            return List.of(table);
        } finally {
            Files.deleteIfExists(src);
            Files.deleteIfExists(dst);
        }
    }

    /** One copy of the file. */
    @FunctionalInterface
    interface Copy {
        void run() throws Exception;
    }

    private static Sample mbPerSec(long size, Copy copy, Path src, Path dst) throws Exception {
        Files.deleteIfExists(dst);
        long start = System.nanoTime();
        copy.run();
        long nanos = System.nanoTime() - start;
        try {
            verify(src, dst, size);
        } finally {
            Files.deleteIfExists(dst);
        }
        return Sample.of(size / 1e6 / (nanos / 1e9));
    }

    /** The copy has the source's size and the same bytes in 16 blocks spread over the file. */
    private static void verify(Path src, Path dst, long size) throws IOException {
        if (Files.size(dst) != size) {
            throw new IOException("the copy has " + Files.size(dst) + " bytes, not " + size);
        }
        try (FileChannel a = FileChannel.open(src); FileChannel b = FileChannel.open(dst)) {
            ByteBuffer x = ByteBuffer.allocate(4096);
            ByteBuffer y = ByteBuffer.allocate(4096);
            for (int i = 0; i < 16; i++) {
                long pos = (size - 4096) / 15 * i;
                a.read(x.clear(), pos);
                b.read(y.clear(), pos);
                if (!x.flip().equals(y.flip())) {
                    throw new IOException("the copy differs from the source at offset " + pos);
                }
            }
        }
    }

    // ---- ringio --------------------------------------------------------------------------------------

    private static Fd open(IoEngine engine, Path p, int flags) throws Exception {
        // openat2 refuses a mode without O_CREAT (EINVAL), unlike open(2), which ignores it.
        int mode = (flags & OpenFlags.O_CREAT) != 0 ? 0644 : 0;
        return engine.open(p, flags | OpenFlags.O_CLOEXEC, mode).get(HANG_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * {@value #SLOTS} chunks, each repeating: read the next 1 MiB of the source at its offset, write
     * it at the same offset of the destination. The continuations run on the loop thread.
     */
    private static void readWrite(IoEngine engine, Path srcPath, Path dstPath, long size) throws Exception {
        Fd src = open(engine, srcPath, OpenFlags.O_RDONLY);
        Fd dst = null;
        Chunk[] chunks = new Chunk[0];
        try {
            dst = open(engine, dstPath, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC);
            chunks = PoolChunks.take(engine, SLOTS);
            Pump pump = new Pump(engine, src, dst, chunks, size);
            engine.execute(pump::start);
            pump.done.get(HANG_SECONDS, TimeUnit.SECONDS);
        } finally {
            PoolChunks.free(engine, chunks);
            engine.close(src).get(HANG_SECONDS, TimeUnit.SECONDS);
            if (dst != null) {
                engine.close(dst).get(HANG_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    /** The read/write pipeline; every field but {@link #done} is touched on the loop thread only. */
    private static final class Pump {
        private final IoEngine engine;
        private final Fd src;
        private final Fd dst;
        private final Chunk[] chunks;
        private final long size;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private long nextOffset;
        private int active;

        Pump(IoEngine engine, Fd src, Fd dst, Chunk[] chunks, long size) {
            this.engine = engine;
            this.src = src;
            this.dst = dst;
            this.chunks = chunks;
            this.size = size;
        }

        void start() {
            for (Chunk c : chunks) {
                active++;
                next(c);
            }
        }

        private void next(Chunk c) {
            if (done.isDone()) {
                return;
            }
            if (nextOffset >= size) {
                if (--active == 0) {
                    done.complete(null);
                }
                return;
            }
            long off = nextOffset;
            int len = (int) Math.min(CHUNK, size - off);
            nextOffset += len;
            engine.readExactly(src, c, len, off)
                    .thenCompose(v -> engine.write(dst, c, len, off))
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            done.completeExceptionally(e);
                        } else {
                            next(c);
                        }
                    });
        }
    }

    /** file → pipe → file: one splice in, then splices out until the pipe is empty, repeated. */
    private static void splice(IoEngine engine, Path srcPath, Path dstPath, long size) throws Exception {
        Fd src = open(engine, srcPath, OpenFlags.O_RDONLY);
        Fd dst = null;
        try (Pipe pipe = Pipe.open(engine.name().equals("epoll") || engine.name().equals("kqueue"))) {
            dst = open(engine, dstPath, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC);
            pipe.setCapacity(SPLICE_CHUNK);
            long moved = 0;
            while (moved < size) {
                int in = engine.splice(src, pipe.writeEnd(), SPLICE_CHUNK).get(HANG_SECONDS, TimeUnit.SECONDS);
                if (in <= 0) {
                    throw new IOException("splice from the source returned " + in + " after " + moved + " bytes");
                }
                for (int left = in; left > 0; ) {
                    int out = engine.splice(pipe.readEnd(), dst, left).get(HANG_SECONDS, TimeUnit.SECONDS);
                    if (out <= 0) {
                        throw new IOException("splice to the destination returned " + out);
                    }
                    left -= out;
                }
                moved += in;
            }
        } finally {
            engine.close(src).get(HANG_SECONDS, TimeUnit.SECONDS);
            if (dst != null) {
                engine.close(dst).get(HANG_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    // ---- the JDK -------------------------------------------------------------------------------------

    private static void transferTo(Path srcPath, Path dstPath, long size) throws IOException {
        try (FileChannel src = FileChannel.open(srcPath, StandardOpenOption.READ);
             FileChannel dst = FileChannel.open(dstPath, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long pos = 0; pos < size; ) {
                pos += src.transferTo(pos, size - pos, dst);
            }
        }
    }
}
