package dev.ringio.sys;

import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static dev.ringio.sys.FfmLinker.fast;
import static dev.ringio.sys.FfmLinker.rethrow;
import static dev.ringio.sys.FfmLinker.slow;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Part of {@link FfmShim}: the io_uring set-up calls (create, register, probe, enter, destroy) and
 * the shim's own introspection (ABI version, struct layouts, constants), as default methods over
 * downcall handles that {@link FfmShim} links once, when it loads the library, and hands out
 * through {@link #ringHandles()}. Critical or ordinary downcalls as {@link FfmShim} says.
 *
 * <p>Threading: as {@link Shim}: every method is safe from any thread; the ring methods follow
 * io_uring's own rules (the engine calls them from its loop thread only).
 */
interface FfmRingCalls extends Shim {

    /**
     * The downcall handles these methods call.
     *
     * @return the handles, linked once
     */
    RingHandles ringHandles();

    /** The downcall handles of {@link FfmRingCalls}. */
    final class RingHandles {
        final MethodHandle abiVersion;
        final MethodHandle layout;
        final MethodHandle ringCreate;
        final MethodHandle ringRegisterRingFd;
        final MethodHandle ringRegisterBuffers;
        final MethodHandle ringUnregisterBuffers;
        final MethodHandle ringRegisterIowqMaxWorkers;
        final MethodHandle ringProbe;
        final MethodHandle ringDestroy;
        final MethodHandle enter;
        final MethodHandle enterTimeout;
        final MethodHandle ringRegisterBufRing;
        final MethodHandle ringUnregisterBufRing;
        final MethodHandle constValue;
        final MethodHandle constCount;
        final MethodHandle constName;

        RingHandles(SymbolLookup lib) {
            abiVersion = fast(lib, "ringio_abi_version", JAVA_LONG);
            layout = fast(lib, "ringio_layout", JAVA_LONG, JAVA_INT);
            ringCreate = slow(lib, "ringio_ring_create", JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
            ringRegisterRingFd = slow(lib, "ringio_ring_register_ring_fd", JAVA_INT, JAVA_LONG);
            ringRegisterBuffers = slow(lib, "ringio_ring_register_buffers", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
            ringUnregisterBuffers = slow(lib, "ringio_ring_unregister_buffers", JAVA_INT, JAVA_LONG);
            ringRegisterIowqMaxWorkers = slow(lib, "ringio_ring_register_iowq_max_workers",
                    JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
            ringProbe = slow(lib, "ringio_ring_probe", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
            ringDestroy = slow(lib, "ringio_ring_destroy", JAVA_INT, JAVA_LONG);
            enter = slow(lib, "ringio_enter", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
            enterTimeout = slow(lib, "ringio_enter_timeout", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
            ringRegisterBufRing = slow(lib, "ringio_ring_register_buf_ring", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT);
            ringUnregisterBufRing = slow(lib, "ringio_ring_unregister_buf_ring", JAVA_INT, JAVA_LONG, JAVA_INT);
            constValue = fast(lib, "ringio_const", JAVA_LONG, JAVA_LONG);
            constCount = fast(lib, "ringio_const_count", JAVA_INT);
            constName = fast(lib, "ringio_const_name", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        }
    }

    @Override
    default long abiVersion() {
        try {
            return (long) ringHandles().abiVersion.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long layout(int id) {
        try {
            return (long) ringHandles().layout.invokeExact(id);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long ringCreate(int entries, int setupFlags, int cqEntries, long infoOut) {
        try {
            return (long) ringHandles().ringCreate.invokeExact(entries, setupFlags, cqEntries, infoOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int ringRegisterRingFd(long ring) {
        try {
            return (int) ringHandles().ringRegisterRingFd.invokeExact(ring);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int ringRegisterBuffers(long ring, long iovecs, int count) {
        try {
            return (int) ringHandles().ringRegisterBuffers.invokeExact(ring, iovecs, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int ringUnregisterBuffers(long ring) {
        try {
            return (int) ringHandles().ringUnregisterBuffers.invokeExact(ring);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int ringRegisterIowqMaxWorkers(long ring, int bounded, int unbounded) {
        try {
            return (int) ringHandles().ringRegisterIowqMaxWorkers.invokeExact(ring, bounded, unbounded);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int ringProbe(long ring, long out, int len) {
        try {
            return (int) ringHandles().ringProbe.invokeExact(ring, out, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int ringDestroy(long ring) {
        try {
            return (int) ringHandles().ringDestroy.invokeExact(ring);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int enter(int fd, int toSubmit, int minComplete, int flags) {
        try {
            return (int) ringHandles().enter.invokeExact(fd, toSubmit, minComplete, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int enterTimeout(int fd, int toSubmit, int minComplete, int flags, long timeoutNanos) {
        try {
            return (int) ringHandles().enterTimeout.invokeExact(fd, toSubmit, minComplete, flags, timeoutNanos);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int ringRegisterBufRing(long ring, long addr, int entries, int bgid) {
        try {
            return (int) ringHandles().ringRegisterBufRing.invokeExact(ring, addr, entries, bgid);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int ringUnregisterBufRing(long ring, int bgid) {
        try {
            return (int) ringHandles().ringUnregisterBufRing.invokeExact(ring, bgid);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long constValue(long name) {
        try {
            return (long) ringHandles().constValue.invokeExact(name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int constCount() {
        try {
            return (int) ringHandles().constCount.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int constName(int index, long buf, int len) {
        try {
            return (int) ringHandles().constName.invokeExact(index, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
