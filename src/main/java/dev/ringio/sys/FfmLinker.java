package dev.ringio.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * How {@link FfmShim} and its parts link the shim's functions: {@link #fast} for calls that
 * cannot block, linked {@link Linker.Option#critical(boolean) critical} (no thread-state
 * transition, ~6 ns here), {@link #slow} for calls that may block, ordinary downcalls so the GC is
 * never held up by a sleeping thread; and {@link #rethrow} for what an {@code invokeExact} throws.
 *
 * <p>Threading: stateless; any thread.
 */
final class FfmLinker {

    private static final Linker LINKER = Linker.nativeLinker();

    private FfmLinker() {
    }

    /** A critical downcall handle to {@code name}, for a call that never blocks. */
    static MethodHandle fast(SymbolLookup lib, String name, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(lib, name), FunctionDescriptor.of(ret, args),
                Linker.Option.critical(false));
    }

    /** An ordinary downcall handle to {@code name}, for a call that may block. */
    static MethodHandle slow(SymbolLookup lib, String name, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(lib, name), FunctionDescriptor.of(ret, args));
    }

    private static MemorySegment symbol(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException(
                "libringio has no symbol " + name + " (stale build of shim/?)"));
    }

    /**
     * What to throw for {@code t}, thrown by a downcall's {@code invokeExact}: itself if unchecked
     * (an {@link Error} is thrown from here), else wrapped; the shim's functions never throw.
     */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
