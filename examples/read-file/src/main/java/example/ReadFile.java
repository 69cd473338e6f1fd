package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.OpenFlags;
import dev.ringio.buffers.Chunk;

/**
 * Reads a whole file through ringio, chunk by chunk, into buffers of the engine's registered pool
 * (io_uring reads them with READ_FIXED: no copy, no per-read pinning), and checks what it read.
 *
 * <p>With an argument it reads that file; without, it writes a 1 MiB temporary file of random
 * bytes, reads it back, compares, and deletes it. Exits 1 if what it read differs.
 */
public final class ReadFile {

    public static void main(String[] args) throws Exception {
        Path file;
        byte[] expected = null;
        if (args.length > 0) {
            file = Path.of(args[0]);
        } else {
            file = Files.createTempFile("ringio-read-file", ".bin");
            file.toFile().deleteOnExit();
            expected = new byte[1 << 20];
            new Random(42).nextBytes(expected);
            Files.write(file, expected);
        }

        // IoEngines.open(): io_uring, else epoll (IoEngines.availability() says why).
        try (IoEngine engine = IoEngines.open()) {
            Fd fd = engine.open(file, OpenFlags.O_RDONLY, 0).join();
            // A chunk of the registered pool; allocOrWait() would wait for one instead of null.
            Chunk chunk = engine.bufferPool().alloc();
            if (chunk == null) {
                throw new IllegalStateException("the buffer pool is empty");
            }
            CRC32 crc = new CRC32();
            long offset = 0;
            try {
                while (true) {
                    // Futures complete on the engine's loop thread; join() here, on main, is fine.
                    int n = engine.readUpTo(fd, chunk, chunk.size(), offset).join();
                    if (n <= 0) {
                        break; // -1 (or 0) at end of file
                    }
                    crc.update(chunk.segment().asSlice(0, n).asByteBuffer());
                    offset += n;
                }
            } finally {
                engine.bufferPool().free(chunk);    // back to the pool, for the next read
                engine.close(fd).join();
            }
            System.out.printf("read %d bytes of %s with the %s engine in %d KiB chunks, crc32 %08x%n",
                    offset, file, engine.name(), chunk.size() / 1024, crc.getValue());
            if (expected != null) {
                CRC32 want = new CRC32();
                want.update(expected);
                if (offset != expected.length || want.getValue() != crc.getValue()) {
                    System.err.println("MISMATCH: expected " + expected.length + " bytes, crc32 "
                            + Long.toHexString(want.getValue()));
                    System.exit(1);
                }
                System.out.println("ok: matches what was written");
            }
        }
    }

    private ReadFile() {
    }
}
