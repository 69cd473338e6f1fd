package dev.ringio.sys;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.EngineConfig;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.OpenFlags;
import dev.ringio.buffers.Chunk;
import dev.ringio.os.Pipe;
import dev.ringio.testing.LeakCheck;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * DESIGN.md, "Native boundary": no {@code sun.misc.Unsafe} in ringio's own code. The FFM test run
 * starts the JVM with {@code --sun-misc-unsafe-memory-access=deny}, under which any Unsafe memory
 * access throws; this class checks that the deny mode really is in effect and that an engine runs
 * under it (loop, ring memory, fixed buffers, the FFM shim). The whole FFM suite passing under it
 * is the broader proof. The JNR run allows Unsafe, which JNR-FFI needs.
 */
@ExtendWith(LeakCheck.class)
class FfmRunDeniesUnsafeTest {

    private static final String DENY = "--sun-misc-unsafe-memory-access=deny";

    @TempDir
    Path dir;

    @Test
    void ffmRunDeniesUnsafeAndTheEngineWorksUnderIt() throws Exception {
        assumeTrue(NativeLibrary.bindingName().equals("ffm"),
                "only the FFM run denies sun.misc.Unsafe (JNR-FFI needs it); binding is " + NativeLibrary.bindingName());
        List<String> args = jvmArguments();
        assertTrue(args.contains(DENY), "the FFM test run must start with " + DENY + "; JVM args: " + args);
        assertUnsafeMemoryAccessThrows();

        assertInstanceOf(FfmShim.class, Shim.get());
        try (IoEngine e = IoEngines.open(EngineConfig.builder().queueDepth(8).fixedBuffers(2, 4096).build())) {
            assertNull(e.noop().get(30, java.util.concurrent.TimeUnit.SECONDS));
            e.sleep(Duration.ofMillis(1)).get(30, java.util.concurrent.TimeUnit.SECONDS);
            try (Pipe p = Pipe.open()) {
                Chunk c = e.bufferPool().alloc();
                try {
                    c.segment().set(JAVA_BYTE, 0, (byte) 9);
                    e.write(p.writeEnd(), c, 1, -1).get(30, java.util.concurrent.TimeUnit.SECONDS);
                    c.segment().set(JAVA_BYTE, 0, (byte) 0);
                    assertEquals(1, e.readUpTo(p.readEnd(), c, 1, -1).get(30, java.util.concurrent.TimeUnit.SECONDS));
                    assertEquals(9, c.segment().get(JAVA_BYTE, 0));
                } finally {
                    e.bufferPool().free(c);
                }
            }
            Path f = dir.resolve("deny.txt");
            Files.writeString(f, "abc");
            Fd fd = e.open(f, OpenFlags.O_RDONLY, 0).get(30, java.util.concurrent.TimeUnit.SECONDS);
            try {
                ByteBuffer bb = ByteBuffer.allocate(3);
                assertEquals(3, e.read(fd, bb, 0).get(30, java.util.concurrent.TimeUnit.SECONDS));
                assertEquals(3, e.fstat(fd).get(30, java.util.concurrent.TimeUnit.SECONDS).size());
                MemorySegment random = MemorySegment.ofArray(new byte[16]);
                assertEquals(16, e.getrandom(random).get(30, java.util.concurrent.TimeUnit.SECONDS));
            } finally {
                e.close(fd).get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void jnrRunAllowsUnsafe() throws Exception {
        assumeTrue(NativeLibrary.bindingName().equals("jnr"), "JNR run only; binding is " + NativeLibrary.bindingName());
        List<String> args = jvmArguments();
        assertFalse(args.contains(DENY), "JNR-FFI cannot run under " + DENY + "; JVM args: " + args);
        assertFalse(Shim.get() instanceof FfmShim);
    }

    /**
     * {@code ManagementFactory.getRuntimeMXBean().getInputArguments()}, called reflectively: the
     * test sources compile inside module dev.ringio, which does not read java.management (at run
     * time the tests are on the class path and may use it).
     */
    @SuppressWarnings("unchecked")
    private static List<String> jvmArguments() throws ReflectiveOperationException {
        Object runtime = Class.forName("java.lang.management.ManagementFactory").getMethod("getRuntimeMXBean").invoke(null);
        return (List<String>) Class.forName("java.lang.management.RuntimeMXBean").getMethod("getInputArguments")
                .invoke(runtime);
    }

    /** Under deny, Unsafe's memory methods throw UnsupportedOperationException (JEP 471). */
    private static void assertUnsafeMemoryAccessThrows() throws Exception {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field f = unsafeClass.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object unsafe = f.get(null);
        var allocate = unsafeClass.getMethod("allocateMemory", long.class);
        var ex = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> allocate.invoke(unsafe, 8L));
        assertInstanceOf(UnsupportedOperationException.class, ex.getCause(),
                "sun.misc.Unsafe.allocateMemory must be refused under " + DENY);
    }
}
