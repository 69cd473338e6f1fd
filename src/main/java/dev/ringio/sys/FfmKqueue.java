package dev.ringio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link Kqueue} over FFM. errno is captured by the linker ({@link Linker.Option#captureCallState})
 * into a small per-thread segment, so a call allocates nothing after a thread's first. No call is
 * linked critical: {@code kevent} sleeps, and the other two are rare.
 */
final class FfmKqueue implements Kqueue {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** Where each thread's calls leave errno; freed with the thread's ThreadLocal entry. */
    private static final ThreadLocal<MemorySegment> ERRNO_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE));

    private final String description;
    private final MethodHandle kqueue;
    private final MethodHandle kevent;
    private final MethodHandle close;

    FfmKqueue(Path library, Symbols symbols) {
        SymbolLookup lookup = library == null ? LINKER.defaultLookup() : SymbolLookup.libraryLookup(library, Arena.global());
        this.description = (library == null ? "libc" : library.toString()) + " (ffm)";
        Linker.Option errno = Linker.Option.captureCallState("errno");
        kqueue = LINKER.downcallHandle(find(lookup, symbols.kqueue()), FunctionDescriptor.of(JAVA_INT), errno);
        kevent = LINKER.downcallHandle(find(lookup, symbols.kevent()),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG), errno);
        close = LINKER.downcallHandle(find(lookup, symbols.close()), FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
    }

    private MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new UnsupportedOperationException(
                description + " has no symbol " + name + (description.startsWith("libc") ? " (kqueue does not exist here)" : "")));
    }

    @Override
    public int kqueue() {
        MemorySegment state = ERRNO_STATE.get();
        try {
            return result((int) kqueue.invokeExact(state), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout) {
        MemorySegment state = ERRNO_STATE.get();
        try {
            return result((int) kevent.invokeExact(state, kq, changelist, nchanges, eventlist, nevents, timeout), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int close(int kq) {
        MemorySegment state = ERRNO_STATE.get();
        try {
            return result((int) close.invokeExact(state, kq), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** libc convention → ringio's: {@code -1} becomes {@code -errno}. */
    private static int result(int r, MemorySegment state) {
        return r == -1 ? -(int) ERRNO.get(state, 0L) : r;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "FfmKqueue[" + description + "]";
    }
}
