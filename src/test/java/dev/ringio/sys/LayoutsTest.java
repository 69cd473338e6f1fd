package dev.ringio.sys;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.engine.uring.Layouts;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.*;

/** The Java struct layouts and constants agree with the shim's {@code offsetof}/{@code sizeof}/values. */
@ExtendWith(LeakCheck.class)
class LayoutsTest {

    @Test
    void javaLayoutsMatchTheShim() {
        assertEquals(List.of(), Layouts.mismatches(Shim.get()));
        assertDoesNotThrow(() -> Layouts.verify(Shim.get()));
    }

    @Test
    void everyIdTheShimDeclaresHasAValue() throws Exception {
        Map<String, Integer> ids = ShimHeader.layoutIds();
        Integer end = ids.remove("RINGIO_L_END");
        assertNotNull(end, "RINGIO_L_END sentinel in " + ShimHeader.path());
        assertTrue(ids.size() > 100, "parsed only " + ids.size() + " ids from " + ShimHeader.path());
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            if (Shim.get().layout(e.getValue()) == Long.MIN_VALUE) {
                missing.add(e.getKey() + " (" + e.getValue() + ")");
            }
        }
        assertEquals(List.of(), missing, "ids the header declares but ringio_layout does not answer");
    }

    @Test
    void unknownIdsReturnLongMinValue() throws Exception {
        Map<String, Integer> ids = ShimHeader.layoutIds();
        int end = ids.remove("RINGIO_L_END");
        Set<Integer> known = new HashSet<>(ids.values());
        List<Integer> answered = new ArrayList<>();
        for (int id = -5; id <= end + 5; id++) {
            if (!known.contains(id) && Shim.get().layout(id) != Long.MIN_VALUE) {
                answered.add(id);
            }
        }
        assertEquals(List.of(), answered, "ids not in the header must give LONG_MIN");
        assertEquals(Long.MIN_VALUE, Shim.get().layout(end));
        assertEquals(Long.MIN_VALUE, Shim.get().layout(Integer.MAX_VALUE));
        assertEquals(Long.MIN_VALUE, Shim.get().layout(Integer.MIN_VALUE));
    }

    @Test
    void negativeConstantsComeThrough() throws Exception {
        // The one exception to "-errno on failure": AT_FDCWD is a real negative value.
        int id = ShimHeader.layoutIds().get("RINGIO_C_AT_FDCWD");
        assertEquals(-100, Shim.get().layout(id));
    }

    @Test
    void kernelStructSizes() throws Exception {
        Map<String, Integer> ids = ShimHeader.layoutIds();
        assertEquals(64, Shim.get().layout(ids.get("RINGIO_L_SQE_SIZE")));
        assertEquals(16, Shim.get().layout(ids.get("RINGIO_L_CQE_SIZE")));
        assertEquals(256, Shim.get().layout(ids.get("RINGIO_L_STATX_SIZE")));
        assertEquals(24, Shim.get().layout(ids.get("RINGIO_L_OPEN_HOW_SIZE")));
    }
}
