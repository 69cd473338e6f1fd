package dev.ringio.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.ringio.sys.Shim;

/**
 * The OS layer's constants as the C headers of the loaded shim define them
 * ({@code ringio_os_const}), for the start-up layout checks and the tests. Any thread.
 */
final class OsConstants {

    private OsConstants() {
    }

    /** The value of {@code name} ("F_DUPFD", "sizeof(epoll_event)"); Long.MIN_VALUE if unknown. */
    static long value(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocateFrom(name);
            return Shim.get().osConst(n.address());
        }
    }
}
