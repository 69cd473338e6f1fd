package dev.ringio.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ringio.EngineConfig;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.os.Pipe;

import static dev.ringio.testing.FutureAssertions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounce pool: buffers are reused (not allocated per operation), sized to the request's class,
 * idle memory stays within its bound, and what goes beyond is freed at once. And which memory
 * {@link Bounce} uses in place.
 */
class BouncePoolTest {

    @Test
    void aReleasedBufferIsReusedForTheNextRequestOfItsClass() {
        BouncePool pool = new BouncePool(BouncePool.MAX_IDLE_BYTES);
        BouncePool.Lease first = pool.acquire(1000);
        assertEquals(BouncePool.MIN_CLASS, first.memory().byteSize());
        first.release();
        first.release(); // idempotent
        for (int i = 0; i < 1000; i++) {
            BouncePool.Lease l = pool.acquire(1 + i % BouncePool.MIN_CLASS);
            assertSame(first.memory(), l.memory());
            l.release();
        }
        assertEquals(1, pool.created());
        assertEquals(0, pool.freed());
        assertEquals(0, pool.leased());
        assertEquals(1, pool.idleCount());
        BouncePool.Lease bigger = pool.acquire(BouncePool.MIN_CLASS + 1);
        assertEquals(2L * BouncePool.MIN_CLASS, bigger.memory().byteSize());
        bigger.release();
    }

    @Test
    void idleMemoryStaysWithinItsBoundAndTheRestIsFreedAtOnce() {
        BouncePool pool = new BouncePool(BouncePool.MAX_IDLE_BYTES);
        List<BouncePool.Lease> out = new ArrayList<>();
        int n = (int) (3 * BouncePool.MAX_IDLE_BYTES / BouncePool.MAX_CLASS);
        for (int i = 0; i < n; i++) {
            out.add(pool.acquire(BouncePool.MAX_CLASS));
        }
        assertEquals(n, pool.leased());
        out.forEach(BouncePool.Lease::release);
        assertEquals(0, pool.leased());
        assertEquals(BouncePool.MAX_IDLE_BYTES, pool.idleBytes());
        assertEquals(BouncePool.MAX_IDLE_BYTES / BouncePool.MAX_CLASS, pool.idleCount());
        assertEquals(n - pool.idleCount(), pool.freed());
        // Freed means freed: the memory of a dropped buffer is no longer alive.
        assertFalse(out.get(out.size() - 1).memory().scope().isAlive());
        assertTrue(out.get(0).memory().scope().isAlive());
    }

    @Test
    void theClassInUseStaysPooledWhenOtherClassesFilledTheIdleBudget() {
        BouncePool pool = new BouncePool(BouncePool.MAX_IDLE_BYTES);
        List<BouncePool.Lease> out = new ArrayList<>();
        for (long b = 0; b < BouncePool.MAX_IDLE_BYTES; b += BouncePool.MAX_CLASS) {
            out.add(pool.acquire(BouncePool.MAX_CLASS));
        }
        out.forEach(BouncePool.Lease::release);
        assertEquals(BouncePool.MAX_IDLE_BYTES, pool.idleBytes());
        long created = pool.created();
        for (int i = 0; i < 1000; i++) {
            pool.acquire(1).release();
        }
        assertEquals(created + 1, pool.created(), "a small buffer allocated per use");
        assertEquals(1, pool.freed(), "one large idle buffer made room for the small one");
        assertTrue(pool.idleBytes() <= BouncePool.MAX_IDLE_BYTES);
    }

    @Test
    void aRequestAboveTheLargestClassGetsItsOwnBufferFreedOnRelease() {
        BouncePool pool = new BouncePool(BouncePool.MAX_IDLE_BYTES);
        BouncePool.Lease huge = pool.acquire(BouncePool.MAX_CLASS + 1);
        assertEquals(BouncePool.MAX_CLASS + 1, huge.memory().byteSize());
        huge.release();
        assertFalse(huge.memory().scope().isAlive());
        assertEquals(0, pool.idleCount());
        BouncePool.Lease again = pool.acquire(BouncePool.MAX_CLASS + 1);
        assertNotSame(huge.memory(), again.memory());
        again.release();
    }

    @Test
    void onlyMemoryTheCallerCannotFreeMidFlightIsUsedInPlace() {
        assertTrue(Bounce.inPlace(Arena.global().allocate(8)));
        assertTrue(Bounce.inPlace(Arena.ofAuto().allocate(8)));
        assertTrue(Bounce.inPlace(MemorySegment.ofBuffer(ByteBuffer.allocateDirect(8))));
        assertFalse(Bounce.inPlace(MemorySegment.ofArray(new byte[8])));
        assertFalse(Bounce.inPlace(MemorySegment.ofBuffer(ByteBuffer.allocate(8))));
        try (Arena shared = Arena.ofShared(); Arena confined = Arena.ofConfined()) {
            assertFalse(Bounce.inPlace(shared.allocate(8)));
            assertFalse(Bounce.inPlace(MemorySegment.ofBuffer(shared.allocate(8).asByteBuffer())));
            assertFalse(Bounce.inPlace(confined.allocate(8)));
        }
    }

    /**
     * Many heap-buffer reads and writes through an engine allocate bounce memory once, not per
     * operation, and give it all back. Counts of the process-wide pool, not timing.
     */
    @Test
    void heapBufferTransfersThroughEveryEngineReuseBounceMemory() throws Exception {
        for (String name : new String[] {"io_uring", "epoll"}) {
            try (IoEngine engine = "io_uring".equals(name) ? IoEngines.openUring(EngineConfig.defaults())
                    : IoEngines.open("epoll", EngineConfig.defaults())) {
                Pipe pipe = Pipe.open();
                try {
                    Fd r = pipe.readEnd();
                    Fd w = pipe.writeEnd();
                    ByteBuffer big = ByteBuffer.allocate(1 << 20);
                    // Warm up: the first transfers may have to create the buffers.
                    await(engine.write(w, ByteBuffer.wrap(new byte[] {1}), -1));
                    await(engine.read(r, big.clear(), -1));
                    long created = BouncePool.SHARED.created();
                    long leased = BouncePool.SHARED.leased();
                    for (int i = 0; i < 500; i++) {
                        await(engine.write(w, ByteBuffer.wrap(new byte[] {(byte) i}), -1));
                        assertEquals(1, await(engine.read(r, big.clear(), -1)));
                        assertEquals((byte) i, big.get(0));
                    }
                    assertEquals(created, BouncePool.SHARED.created(), name + ": bounce memory allocated per operation");
                    assertEquals(leased, BouncePool.SHARED.leased(), name + ": bounce memory not given back");
                    assertTrue(BouncePool.SHARED.idleBytes() <= BouncePool.MAX_IDLE_BYTES);
                } finally {
                    pipe.readEnd().close();
                    pipe.writeEnd().close();
                }
            }
        }
    }
}
