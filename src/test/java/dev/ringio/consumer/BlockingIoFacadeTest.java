package dev.ringio.consumer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.Fd;
import dev.ringio.FileStat;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.OpenFlags;
import dev.ringio.blocking.BlockingIo;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BlockingIo}'s public methods are its own for a caller outside its package, whichever
 * source file holds them (the file and path operations live in a package-private superclass, to
 * keep each file a readable size): each is declared by {@code BlockingIo} (the compiler's public
 * bridge), reachable through a public lookup, and works when called that way on a real file.
 */
@ExtendWith(LeakCheck.class)
class BlockingIoFacadeTest {

    @Test
    void everyPublicMethodIsDeclaredByBlockingIoAndPubliclyReachable() throws Exception {
        List<String> notOwn = new ArrayList<>();
        int count = 0;
        for (Method m : BlockingIo.class.getMethods()) {
            if (m.getDeclaringClass() == Object.class) {
                continue;
            }
            count++;
            if (m.getDeclaringClass() != BlockingIo.class) {
                notOwn.add(m.toString());
            }
            MethodHandles.publicLookup().unreflect(m); // IllegalAccessException if not reachable
        }
        assertEquals(List.of(), notOwn, "public methods a caller would reach through a non-public class");
        assertTrue(count > 50, "BlockingIo has " + count + " public methods");
    }

    @Test
    void aFileMethodCalledThroughAPublicLookupWorks(@TempDir Path dir) throws Throwable {
        Path file = dir.resolve("f");
        Files.write(file, new byte[] {1, 2, 3});
        try (IoEngine engine = IoEngines.open()) {
            BlockingIo io = new BlockingIo(engine);
            MethodHandle fstat = MethodHandles.publicLookup().findVirtual(BlockingIo.class, "fstat",
                    java.lang.invoke.MethodType.methodType(FileStat.class, Fd.class));
            Fd fd = io.open(file, OpenFlags.O_RDONLY, 0);
            try {
                FileStat stat = (FileStat) fstat.invokeExact(io, fd);
                assertEquals(3, stat.size());
            } finally {
                io.close(fd);
            }
            assertFalse(fd.isOpen());
        }
    }
}
