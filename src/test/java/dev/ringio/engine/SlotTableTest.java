package dev.ringio.engine;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.*;

/** {@link SlotTable}: tokens, staleness, growth, generation wrap, iteration. Single-threaded, as the table is. */
@ExtendWith(LeakCheck.class)
class SlotTableTest {

    @Test
    void putGetRemove() {
        SlotTable t = new SlotTable(8);
        Object h = new Object();
        Object a1 = "fd";
        Object a2 = "chunk";
        long token = t.put(h, a1, a2);
        assertSame(h, t.get(token));
        assertSame(a1, t.attachment(token));
        assertSame(a2, t.attachment2(token));
        assertEquals(1, t.inUse());
        assertSame(h, t.remove(token));
        assertEquals(0, t.inUse());
    }

    @Test
    void putWithoutAttachmentsHasNullAttachments() {
        SlotTable t = new SlotTable(8);
        long token = t.put("h");
        assertEquals("h", t.get(token));
        assertNull(t.attachment(token));
        assertNull(t.attachment2(token));
    }

    @Test
    void putNullHandlerIsRejected() {
        SlotTable t = new SlotTable(8);
        assertThrows(NullPointerException.class, () -> t.put(null));
        assertEquals(0, t.inUse());
    }

    @Test
    void liveTokensAreUniqueAndNeverZeroOrNegative() {
        SlotTable t = new SlotTable(16);
        Set<Long> live = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            long token = t.put(i);
            assertTrue(token > 0, "token " + Long.toHexString(token) + " must be > 0 (0 means 'not in the kernel')");
            assertTrue(live.add(token), "duplicate live token " + Long.toHexString(token));
        }
        assertEquals(16, t.inUse());
    }

    @Test
    void reusedSlotGetsANewToken() {
        SlotTable t = new SlotTable(4);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            long token = t.put(i);
            assertTrue(seen.add(token), "token " + Long.toHexString(token) + " issued twice");
            assertEquals(i, t.remove(token));
        }
        assertEquals(0, t.inUse());
    }

    @Test
    void staleTokenAfterRemoveReturnsNull() {
        SlotTable t = new SlotTable(4);
        long old = t.put("old", "a", "b");
        assertEquals("old", t.remove(old));
        assertNull(t.get(old));
        assertNull(t.attachment(old));
        assertNull(t.attachment2(old));
        // The slot is reused: the stale token must still not see the new occupant.
        long fresh = t.put("new", "c", "d");
        assertEquals((int) old, (int) fresh, "the freed slot is reused first (LIFO free list)");
        assertNotEquals(old, fresh);
        assertNull(t.get(old));
        assertNull(t.attachment(old));
        assertNull(t.attachment2(old));
        assertNull(t.remove(old), "a stale token must not free the new occupant");
        assertEquals("new", t.get(fresh));
        assertEquals(1, t.inUse());
    }

    @Test
    void doubleRemoveReturnsNull() {
        SlotTable t = new SlotTable(4);
        long token = t.put("x");
        assertEquals("x", t.remove(token));
        assertNull(t.remove(token));
        assertEquals(0, t.inUse(), "a duplicate remove must not decrement the count twice");
        // and the free list was not corrupted: two puts get two different slots
        long a = t.put("a");
        long b = t.put("b");
        assertNotEquals((int) a, (int) b);
        assertEquals("a", t.get(a));
        assertEquals("b", t.get(b));
    }

    @Test
    void bogusTokensReturnNull() {
        SlotTable t = new SlotTable(4);
        long token = t.put("x");
        assertNull(t.get(0L), "generation 0 is never issued");
        assertNull(t.get(token & 0xffff_ffffL), "index without its generation");
        assertNull(t.get((1L << 32) | 0xffff_ffffL), "negative index");
        assertNull(t.get((1L << 32) | 1_000_000), "index past the end");
        assertNull(t.get(token + (1L << 32)), "wrong generation");
        assertNull(t.get(0x8000_0000_0000_0001L), "engine-internal user_data (top bit set)");
        assertNull(t.remove(0x8000_0000_0000_0001L));
        assertEquals("x", t.get(token));
        assertEquals(1, t.inUse());
    }

    @Test
    void growsBeyondInitialCapacity() {
        SlotTable t = new SlotTable(4);
        Map<Long, Integer> tokens = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            long token = t.put(i, "a" + i, "b" + i);
            assertNull(tokens.put(token, i), "duplicate token " + Long.toHexString(token));
        }
        assertEquals(10_000, t.inUse());
        for (Map.Entry<Long, Integer> e : tokens.entrySet()) {
            int i = e.getValue();
            assertEquals(i, t.get(e.getKey()));
            assertEquals("a" + i, t.attachment(e.getKey()));
            assertEquals("b" + i, t.attachment2(e.getKey()));
        }
        // remove half, grow again, everything still resolves
        List<Long> kept = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : tokens.entrySet()) {
            if (e.getValue() % 2 == 0) {
                assertEquals(e.getValue(), t.remove(e.getKey()));
            } else {
                kept.add(e.getKey());
            }
        }
        for (int i = 0; i < 20_000; i++) {
            long token = t.put(-i);
            assertEquals(-i, t.get(token));
        }
        assertEquals(25_000, t.inUse());
        for (long k : kept) {
            assertEquals(tokens.get(k), t.get(k));
        }
    }

    @Test
    void zeroOrNegativeInitialCapacityStillWorks() {
        for (int cap : new int[] {0, -5, 1}) {
            SlotTable t = new SlotTable(cap);
            List<Long> tokens = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                tokens.add(t.put(i));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(i, t.remove(tokens.get(i)));
            }
            assertEquals(0, t.inUse());
        }
    }

    @Test
    void generationWrapNeverSetsTheTopBitNorZero() throws Exception {
        SlotTable t = new SlotTable(4);
        long first = t.put("probe");
        int index = (int) first;
        assertSame("probe", t.remove(first));
        // Fast-forward the slot's generation close to the 2^31 limit instead of 2^31 put/remove rounds.
        int[] generations = (int[]) field(t, "generations");
        generations[index] = Integer.MAX_VALUE - 3;
        Set<Long> seen = new HashSet<>();
        long wrapped = -1;
        for (int i = 0; i < 8; i++) {
            long token = t.put("h" + i);
            assertEquals(index, (int) token, "the same slot is reused (LIFO free list)");
            assertTrue(token > 0, "token " + Long.toHexString(token) + " has its top bit set or is 0");
            int generation = (int) (token >>> 32);
            assertTrue(generation >= 1 && generation < Integer.MAX_VALUE,
                    "generation " + generation + " outside [1, 2^31 - 1)");
            assertTrue(seen.add(token));
            if (generation == 1) {
                wrapped = token;
            }
            assertEquals("h" + i, t.get(token));
            assertEquals("h" + i, t.remove(token));
            assertNull(t.get(token));
        }
        assertNotEquals(-1, wrapped, "the generation wrapped to 1 within 8 rounds");
    }

    @Test
    void forEachLiveVisitsExactlyTheLiveTokens() {
        SlotTable t = new SlotTable(4);
        Set<Long> live = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            live.add(t.put(i));
        }
        int removed = 0;
        for (Long token : new ArrayList<>(live)) {
            if (removed++ % 3 == 0) {
                t.remove(token);
                live.remove(token);
            }
        }
        Set<Long> visited = new HashSet<>();
        t.forEachLive(token -> assertTrue(visited.add(token), "visited twice: " + Long.toHexString(token)));
        assertEquals(live, visited);
        for (long token : visited) {
            assertNotNull(t.get(token));
        }
    }

    @Test
    void forEachLiveToleratesRemovalOfTheVisitedToken() {
        // The engine removes each slot from inside forEachLive when its loop dies (failEverything).
        SlotTable t = new SlotTable(4);
        for (int i = 0; i < 37; i++) {
            t.put(i, "fd" + i, null);
        }
        List<Object> handlers = new ArrayList<>();
        t.forEachLive(token -> {
            Object a = t.attachment(token);
            handlers.add(t.remove(token));
            assertNotNull(a);
        });
        assertEquals(37, handlers.size());
        assertFalse(handlers.contains(null));
        assertEquals(0, t.inUse());
        t.forEachLive(token -> fail("nothing is live any more"));
    }

    @Test
    void forEachLiveOnEmptyTableVisitsNothing() {
        new SlotTable(8).forEachLive(token -> fail("empty"));
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }
}
