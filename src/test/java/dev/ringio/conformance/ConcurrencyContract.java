package dev.ringio.conformance;

import java.io.EOFException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.ringio.AtFlags;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.FileStat;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.Resolve;
import dev.ringio.Whence;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.os.Pipe;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static dev.ringio.testing.FutureAssertions.failureOf;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many threads submitting at once; every result is checked byte for byte. */
public abstract class ConcurrencyContract extends ContractBase {

    // ---- the concurrent workload -----------------------------------------------------------------

    /**
     * 4 threads, each with 50 operations in flight at once (200 in all; on the depth-2 engine
     * that is 100x its submission queue), first writing distinct blocks of one file, then reading
     * them back, then both at once on disjoint halves; every byte is checked.
     */
    @Test
    void concurrentReadWriteWorkloadFrom4Threads() throws Exception {
        final int threads = 4;
        final int perThread = 50;
        final int block = 4096;
        final int blocks = threads * perThread;
        Path p = dir.resolve("workload.bin");
        Fd fd = open(p, OpenFlags.O_CREAT | RW);

        // phase 1: writes of seed 1
        runConcurrently(threads, t -> writeBlocks(fd, t * perThread, perThread, block, 1));
        byte[] all = Files.readAllBytes(p);
        assertEquals((long) blocks * block, all.length);
        for (int i = 0; i < blocks; i++) {
            assertArrayEquals(pattern(block, seedOf(1, i)), slice(all, i * block, (i + 1) * block), "block " + i);
        }
        // phase 2: reads
        runConcurrently(threads, t -> readBlocks(fd, t * perThread, perThread, block, 1));
        // phase 3: threads 0 and 1 rewrite the second half (seed 2) while 2 and 3 read the first half
        int half = blocks / 2;
        runConcurrently(threads, t -> {
            if (t < 2) {
                writeBlocks(fd, half + t * (half / 2), half / 2, block, 2);
            } else {
                readBlocks(fd, (t - 2) * (half / 2), half / 2, block, 1);
            }
        });
        runConcurrently(threads, t -> readBlocks(fd, half + t * (half / 4), half / 4, block, 2));
        LeakCheck.assertPoolFull(engine.bufferPool());
        assertEquals(0, fd.users());
    }

    private static int seedOf(int generation, int blockIndex) {
        return generation * 1_000_000 + blockIndex;
    }


    /** Submits {@code count} writes at once (chunk, heap segment, direct buffer, writev), then waits. */
    private void writeBlocks(Fd fd, int first, int count, int block, int generation) {
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        List<Chunk> cs = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            byte[] d = pattern(block, seedOf(generation, i));
            long off = (long) i * block;
            switch (i % 4) {
                case 0 -> {
                    Chunk c = engine.bufferPool().alloc();
                    assertNotNull(c, "pool exhausted");
                    put(c, d);
                    cs.add(c);
                    fs.add(engine.write(fd, c, block, off));
                }
                case 1 -> fs.add(engine.write(fd, MemorySegment.ofArray(d), off));
                case 2 -> fs.add(engine.write(fd, ByteBuffer.allocateDirect(block).put(d).flip(), off));
                default -> fs.add(engine.writev(fd, new ByteBuffer[] {ByteBuffer.wrap(d, 0, 1000),
                        ByteBuffer.allocateDirect(block - 1000).put(d, 1000, block - 1000).flip()}, off));
            }
        }
        for (CompletableFuture<Void> f : fs) {
            await(f);
        }
        cs.forEach(c -> c.pool().free(c));
    }

    /** Submits {@code count} reads at once (chunk, heap segment, direct buffer, readv), then checks each. */
    private void readBlocks(Fd fd, int first, int count, int block, int generation) {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        List<Object> dsts = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            long off = (long) i * block;
            switch (i % 4) {
                case 0 -> {
                    Chunk c = engine.bufferPool().alloc();
                    assertNotNull(c, "pool exhausted");
                    dsts.add(c);
                    fs.add(engine.readExactly(fd, c, block, off));
                }
                case 1 -> {
                    byte[] arr = new byte[block];
                    dsts.add(arr);
                    fs.add(engine.read(fd, MemorySegment.ofArray(arr), off));
                }
                case 2 -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(block);
                    dsts.add(b);
                    fs.add(engine.read(fd, b, off));
                }
                default -> {
                    ByteBuffer[] bs = {ByteBuffer.allocate(1000), ByteBuffer.allocateDirect(block - 1000)};
                    dsts.add(bs);
                    fs.add(engine.readv(fd, bs, off));
                }
            }
        }
        for (int k = 0; k < count; k++) {
            int i = first + k;
            Object r = await(fs.get(k));
            byte[] want = pattern(block, seedOf(generation, i));
            Object d = dsts.get(k);
            byte[] got;
            if (d instanceof Chunk c) {
                got = bytes(c, block);
                c.pool().free(c);
            } else if (d instanceof byte[] arr) {
                assertEquals(block, r, "count of block " + i);
                got = arr;
            } else if (d instanceof ByteBuffer b) {
                assertEquals(block, r, "count of block " + i);
                assertEquals(block, b.position());
                got = bytes(b, 0, block);
            } else {
                ByteBuffer[] bs = (ByteBuffer[]) d;
                assertEquals((long) block, r, "count of block " + i);
                got = new byte[block];
                System.arraycopy(bytes(bs[0], 0, 1000), 0, got, 0, 1000);
                System.arraycopy(bytes(bs[1], 0, block - 1000), 0, got, 1000, block - 1000);
            }
            assertArrayEquals(want, got, "block " + i + " (generation " + generation + ")");
        }
    }

    /**
     * 8 threads at once, each with its own unix datagram pair and its own region of one shared
     * file, each submitting 200 operations without waiting in between (50 file writes, then 50
     * reads of them; 50 datagram sends and 50 receives), plus a 256 KiB stream transfer per
     * thread; every byte is checked.
     */
    @Test
    void eightThreadsTimes200OpsOverFilesAndSocketPairs() throws Exception {
        final int threads = 8;
        final int perKind = 50;
        final int block = 1024;
        Fd fd = open(dir.resolve("eight.bin"), OpenFlags.O_CREAT | RW);
        Fd[][] dgrams = new Fd[threads][];
        Fd[][] streams = new Fd[threads][];
        for (int t = 0; t < threads; t++) {
            dgrams[t] = socketPair(DGRAM);
            streams[t] = socketPair(STREAM);
        }
        runConcurrently(threads, t -> {
            // file: 50 writes in flight, then 50 reads in flight
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < perKind; i++) {
                long off = (long) (t * perKind + i) * block;
                byte[] d = pattern(block, 7_000 + t * perKind + i);
                writes.add(i % 2 == 0 ? engine.write(fd, ByteBuffer.wrap(d), off)
                        : engine.write(fd, MemorySegment.ofArray(d), off));
            }
            // datagrams: 50 receives and 50 sends in flight at once
            List<CompletableFuture<Integer>> recvs = new ArrayList<>();
            List<ByteBuffer> recvBufs = new ArrayList<>();
            for (int i = 0; i < perKind; i++) {
                ByteBuffer b = i % 2 == 0 ? ByteBuffer.allocate(block) : ByteBuffer.allocateDirect(block);
                recvBufs.add(b);
                recvs.add(engine.recv(dgrams[t][1], b, NO_FLAGS));
            }
            List<CompletableFuture<Integer>> sends = new ArrayList<>();
            for (int i = 0; i < perKind; i++) {
                byte[] d = pattern(block, 9_000 + t * perKind + i);
                d[0] = (byte) i; // which datagram this is: receives may complete in any order
                sends.add(engine.send(dgrams[t][0], ByteBuffer.wrap(d), NO_FLAGS));
            }
            // a stream transfer alongside
            byte[] big = pattern(256 * 1024, 11_000 + t);
            CompletableFuture<Void> streamed = engine.sendAll(streams[t][0], ByteBuffer.wrap(big), NO_FLAGS);
            for (CompletableFuture<Void> w : writes) {
                await(w);
            }
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            List<ByteBuffer> readBufs = new ArrayList<>();
            for (int i = 0; i < perKind; i++) {
                long off = (long) (t * perKind + i) * block;
                ByteBuffer b = i % 2 == 0 ? ByteBuffer.allocateDirect(block) : ByteBuffer.allocate(block);
                readBufs.add(b);
                reads.add(engine.read(fd, b, off));
            }
            for (int i = 0; i < perKind; i++) {
                assertEquals(block, await(reads.get(i)), "read " + i + " of thread " + t);
                assertArrayEquals(pattern(block, 7_000 + t * perKind + i), bytes(readBufs.get(i), 0, block),
                        "block " + i + " of thread " + t);
            }
            for (CompletableFuture<Integer> f : sends) {
                assertEquals(block, await(f));
            }
            boolean[] seen = new boolean[perKind];
            for (int k = 0; k < perKind; k++) {
                assertEquals(block, await(recvs.get(k)), "datagram receive " + k + " of thread " + t);
                byte[] got = bytes(recvBufs.get(k), 0, block);
                int i = got[0];
                assertTrue(i >= 0 && i < perKind && !seen[i], "datagram " + i + " twice or out of range");
                seen[i] = true;
                byte[] want = pattern(block, 9_000 + t * perKind + i);
                want[0] = (byte) i;
                assertArrayEquals(want, got, "datagram " + i + " of thread " + t);
            }
            ByteBuffer in = ByteBuffer.allocateDirect(big.length);
            while (in.hasRemaining()) {
                assertTrue(await(engine.recv(streams[t][1], in, NO_FLAGS)) > 0, "early end of stream");
            }
            await(streamed);
            assertArrayEquals(big, bytes(in, 0, big.length), "stream of thread " + t);
        });
        assertEquals(0, fd.users());
        for (int t = 0; t < threads; t++) {
            assertEquals(0, dgrams[t][0].users());
            assertEquals(0, dgrams[t][1].users());
        }
    }
}
