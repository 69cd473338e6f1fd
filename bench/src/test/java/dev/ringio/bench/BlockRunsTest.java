package dev.ringio.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import com.sun.nio.file.ExtendedOpenOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.ringio.EngineConfig;
import dev.ringio.OpenFlags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The measuring loops of the file workloads on a real 4 MiB file with O_DIRECT (and without), on
 * every engine that starts here: each counts only whole 4 KiB ops, writes really reach the file,
 * and nothing leaks (descriptors, pool chunks). The figures themselves are not judged.
 */
@Timeout(120)
class BlockRunsTest {

    private static final double SECONDS = 0.1;
    private static Path file;
    private static long[] offsets;

    @BeforeAll
    static void createFile() throws Exception {
        file = Files.createTempFile(Path.of("/var/tmp"), "ringio-blockruns-", ".dat");
        TestFiles.fill(file, 4L << 20, new SplittableRandom(3));
        offsets = new long[64];
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = rnd.nextLong((4L << 20) / BlockRuns.BLOCK) * BlockRuns.BLOCK;
        }
    }

    @AfterAll
    static void deleteFile() throws Exception {
        Files.deleteIfExists(file);
    }

    private static BlockRuns.Target target(boolean direct, boolean write) {
        int flags = (write ? OpenFlags.O_RDWR : OpenFlags.O_RDONLY) | (direct ? OpenFlags.O_DIRECT : 0)
                | OpenFlags.O_CLOEXEC;
        Set<OpenOption> jdk = direct
                ? Set.of(write ? StandardOpenOption.WRITE : StandardOpenOption.READ, ExtendedOpenOption.DIRECT)
                : Set.of(write ? StandardOpenOption.WRITE : StandardOpenOption.READ);
        return new BlockRuns.Target(file, flags, jdk, offsets, write);
    }

    @Test
    void everyLoopReadsAndWritesWithAndWithoutODirectOnEveryEngine() throws Exception {
        Map<Integer, String> fdsBefore = OpenFds.snapshot();
        EngineConfig config = EngineConfig.builder().queueDepth(64).fixedBuffers(48, BlockRuns.BLOCK).build();
        try (EngineSet engines = new EngineSet(config)) {
            for (boolean direct : new boolean[] {true, false}) {
                for (boolean write : new boolean[] {false, true}) {
                    BlockRuns.Target t = target(direct, write);
                    String what = (direct ? "O_DIRECT " : "") + t.verb();
                    for (EngineSet.Slot slot : engines.slots()) {
                        if (!slot.available()) {
                            continue;
                        }
                        int free = slot.engine().bufferPool().freeCount();
                        positive(what + ", " + slot.name() + " low-level", BlockRuns.lowLevel(slot.engine(), t, 8, SECONDS));
                        positive(what + ", " + slot.name() + " fixed futures", BlockRuns.futures(slot.engine(), t, 8, true, SECONDS));
                        positive(what + ", " + slot.name() + " plain futures", BlockRuns.futures(slot.engine(), t, 8, false, SECONDS));
                        positive(what + ", " + slot.name() + " BlockingIo", BlockRuns.threads(t, 4,
                                BlockRuns.virtualThreads("test-blockruns"), SECONDS, BlockRuns.blockingIo(slot.engine(), t, 4)));
                        assertEquals(free, slot.engine().bufferPool().freeCount(), what + ", " + slot.name() + ": chunks");
                    }
                    positive(what + ", FileChannel", BlockRuns.fileChannel(t, SECONDS));
                    positive(what + ", FileChannel threads", BlockRuns.threads(t, 4,
                            BlockRuns.platformThreads("test-blockruns"), SECONDS, BlockRuns.fileChannel(t, 4)));
                    positive(what + ", AsynchronousFileChannel", BlockRuns.asyncFileChannel(t, 4, SECONDS));
                }
            }
        }
        assertEquals(4L << 20, Files.size(file), "writes stay inside the file");
        assertEquals(fdsBefore, OpenFds.snapshot(), "descriptors");
    }

    @Test
    void aWriteRunReallyChangesTheFile() throws Exception {
        ByteBuffer before = ByteBuffer.allocate(BlockRuns.BLOCK);
        while (before.hasRemaining()) {
            before.put((byte) 0x5A);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(before.flip(), offsets[0]);
            ch.force(true);
        }
        // Platform threads with FileChannel write their (zeroed) aligned buffers at the walk's offsets.
        positive("write", BlockRuns.threads(target(true, true), 1, BlockRuns.platformThreads("test-blockruns"),
                SECONDS, BlockRuns.fileChannel(target(true, true), 1)));
        ByteBuffer after = ByteBuffer.allocate(BlockRuns.BLOCK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.read(after, offsets[0]);
        }
        assertNotEquals(before.flip(), after.flip(), "the block at the first offset was rewritten");
        assertEquals(ByteBuffer.allocate(BlockRuns.BLOCK), after, "with the writer's zeroed buffer");
    }

    @Test
    void withCpuReportsTheCoresTheProcessKeptBusy() throws Exception {
        Sample s = BlockRuns.withCpu(() -> {
            long end = System.nanoTime() + 200_000_000L;
            long x = 0;
            while (System.nanoTime() < end) {
                x += x * 31 + 7; // busy
            }
            return x == 42 ? 1 : 1000;
        });
        assertEquals(1000, s.value());
        assertTrue(s.hasCpu() && s.cpuCores() > 0.3 && s.cpuCores() < 64, "cores: " + s.cpuCores());
    }

    @Test
    void aWalkMustBeAPowerOfTwoLong() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new BlockRuns.Target(file, 0, Set.of(), new long[3], false));
    }

    private static void positive(String what, double opsPerSecond) {
        assertTrue(opsPerSecond > 0 && !Double.isInfinite(opsPerSecond), what + ": " + opsPerSecond);
    }
}
