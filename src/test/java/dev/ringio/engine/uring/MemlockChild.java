package dev.ringio.engine.uring;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Set;

import dev.ringio.EngineConfig;
import dev.ringio.Fd;
import dev.ringio.OpenFlags;
import dev.ringio.buffers.Chunk;

/**
 * Run by {@link MemlockRefusalTest} in a child JVM as an unprivileged user with RLIMIT_MEMLOCK 0:
 * opens an engine (whose buffer registration the kernel must refuse), writes and reads a file
 * through a pool chunk, and prints what it saw.
 */
public final class MemlockChild {

    private MemlockChild() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0], "memlock-child.bin");
        try (UringEngine engine = UringEngine.open(EngineConfig.defaults())) {
            System.out.println("registered=" + engine.fixedBuffersRegistered());
            Fd fd = engine.openat2(null, file.toString(), OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0600, Set.of()).join();
            Chunk chunk = engine.bufferPool().alloc();
            try {
                for (int i = 0; i < 4096; i++) {
                    chunk.segment().set(ValueLayout.JAVA_BYTE, i, (byte) i);
                }
                engine.write(fd, chunk, 4096, 0).join();
                chunk.segment().fill((byte) 0);
                int n = engine.readUpTo(fd, chunk, 4096, 0).join();
                boolean same = n == 4096;
                for (int i = 0; i < 4096 && same; i++) {
                    same = chunk.segment().get(ValueLayout.JAVA_BYTE, i) == (byte) i;
                }
                System.out.println("roundtrip=" + (same ? "ok" : "corrupt"));
            } finally {
                engine.bufferPool().free(chunk);
                engine.close(fd).join();
            }
        }
    }
}
