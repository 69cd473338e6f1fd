package dev.ringio;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.buffers.Chunk;

import static org.junit.jupiter.api.Assertions.*;

class SmokeTest {
    @TempDir
    Path dir;

    @Test
    void noopReadWrite() throws Exception {
        try (IoEngine e = IoEngines.open(EngineConfig.builder().queueDepth(8).build())) {
            System.out.println(e);
            e.noop().get();
            e.sleep(Duration.ofMillis(5)).get();
            Path f = dir.resolve("a.txt");
            Files.writeString(f, "hello ringio");
            Fd fd = e.open(f, OpenFlags.O_RDWR, 0).get();
            Chunk c = e.bufferPool().alloc();
            int n = e.readUpTo(fd, c, 100, 0).get();
            assertEquals(12, n);
            assertEquals("hello ringio", new String(c.segment().asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            ByteBuffer bb = ByteBuffer.wrap("XY".getBytes());
            e.write(fd, bb, 0).get();
            assertEquals("XYllo ringio", Files.readString(f));
            assertEquals(12, e.fstat(fd).get().size());
            e.bufferPool().free(c);
            e.close(fd).get();
            assertFalse(fd.isOpen());
        }
    }
}
