package dev.ringio.consumer;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.OpenFlags;
import dev.ringio.buffers.Chunk;

/**
 * Run by {@link AsDependencyTest} in a child JVM, as an application using ringio would be: opens an
 * engine (which loads the shim), reads the file named by the first argument into a pool chunk, and
 * prints the module ringio ran in ({@code null} on the class path) and what it read. Its package is
 * none of ringio's, so on the class path next to a named ringio nothing is split.
 */
public final class ConsumerChild {

    private ConsumerChild() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("module=" + IoEngine.class.getModule().getName());
        Path file = Path.of(args[0]);
        try (IoEngine engine = IoEngines.open()) {
            Fd fd = engine.open(file, OpenFlags.O_RDONLY, 0).join();
            try {
                Chunk chunk = engine.bufferPool().alloc();
                try {
                    int n = engine.readUpTo(fd, chunk, chunk.size(), 0).join();
                    byte[] bytes = chunk.segment().asSlice(0, Math.max(n, 0)).toArray(ValueLayout.JAVA_BYTE);
                    System.out.println("engine=" + engine.name() + " read=" + new String(bytes, StandardCharsets.UTF_8));
                } finally {
                    engine.bufferPool().free(chunk);
                }
            } finally {
                engine.close(fd).join();
            }
        }
    }
}
