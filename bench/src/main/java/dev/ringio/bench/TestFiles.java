package dev.ringio.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/** The data files of the file workloads and the JMH file benchmarks: written with random bytes, then warmed. */
public final class TestFiles {

    /** Written and read in blocks of this size. */
    static final int BLOCK = 1 << 20;

    private TestFiles() {
    }

    /**
     * Writes {@code size} bytes (a multiple of 1 MiB) of {@code random}'s longs to {@code file}
     * from its start, then reads it all once so that it sits in the page cache.
     */
    public static void fillAndWarm(Path file, long size, SplittableRandom random) throws IOException {
        fill(file, size, random);
        warm(file);
    }

    /**
     * Writes {@code size} bytes (a multiple of 1 MiB) of {@code random}'s longs to {@code file} from
     * its start and syncs it, so every block is allocated on the device (what O_DIRECT ops need to
     * reach the disk rather than allocate).
     */
    public static void fill(Path file, long size, SplittableRandom random) throws IOException {
        ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; written += BLOCK) {
                block.clear();
                while (block.hasRemaining()) {
                    block.putLong(random.nextLong());
                }
                block.flip();
                while (block.hasRemaining()) {
                    ch.write(block);
                }
            }
            ch.force(true);
        }
    }

    /** Reads the whole file once so every contender finds it in the page cache. */
    public static void warm(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
            while (ch.read(block.clear()) > 0) {
                // reading is the point
            }
        }
    }
}
