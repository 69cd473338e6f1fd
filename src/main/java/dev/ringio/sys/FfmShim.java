package dev.ringio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link Shim} over the JDK's Foreign Function &amp; Memory API (the default binding).
 *
 * <p>Calls that cannot block are linked {@link Linker.Option#critical(boolean) critical} (no
 * thread-state transition, ~6 ns here); calls that may block (io_uring_enter, read, write, ...)
 * are ordinary downcalls so the GC is never held up by a sleeping thread.
 */
final class FfmShim implements Shim {

    private static final Linker LINKER = Linker.nativeLinker();

    private final MethodHandle abiVersion;
    private final MethodHandle layout;
    private final MethodHandle ringCreate;
    private final MethodHandle ringRegisterRingFd;
    private final MethodHandle ringRegisterBuffers;
    private final MethodHandle ringUnregisterBuffers;
    private final MethodHandle ringRegisterIowqMaxWorkers;
    private final MethodHandle ringProbe;
    private final MethodHandle ringDestroy;
    private final MethodHandle enter;
    private final MethodHandle enterTimeout;
    private final MethodHandle close;
    private final MethodHandle eventfd;
    private final MethodHandle read;
    private final MethodHandle write;
    private final MethodHandle pread;
    private final MethodHandle pwrite;
    private final MethodHandle pipe2;
    private final MethodHandle lseek;
    private final MethodHandle getdents64;
    private final MethodHandle getrandom;
    private final MethodHandle fcntl;
    private final MethodHandle openat2;
    private final MethodHandle ftruncate;
    private final MethodHandle fstatMode;
    private final MethodHandle strerror;

    FfmShim(Path library) {
        SymbolLookup lib = SymbolLookup.libraryLookup(library, Arena.global());
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
        close = slow(lib, "ringio_close", JAVA_INT, JAVA_INT);
        eventfd = fast(lib, "ringio_eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
        read = slow(lib, "ringio_read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
        write = slow(lib, "ringio_write", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
        pread = slow(lib, "ringio_pread", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        pwrite = slow(lib, "ringio_pwrite", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        pipe2 = fast(lib, "ringio_pipe2", JAVA_INT, JAVA_LONG, JAVA_INT);
        lseek = fast(lib, "ringio_lseek", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
        getdents64 = slow(lib, "ringio_getdents64", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
        getrandom = slow(lib, "ringio_getrandom", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT);
        fcntl = fast(lib, "ringio_fcntl", JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG);
        openat2 = slow(lib, "ringio_openat2", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        ftruncate = slow(lib, "ringio_ftruncate", JAVA_INT, JAVA_INT, JAVA_LONG);
        fstatMode = fast(lib, "ringio_fstat_mode", JAVA_LONG, JAVA_INT);
        strerror = fast(lib, "ringio_strerror", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    }

    private static MethodHandle fast(SymbolLookup lib, String name, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(lib, name), FunctionDescriptor.of(ret, args),
                Linker.Option.critical(false));
    }

    private static MethodHandle slow(SymbolLookup lib, String name, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(lib, name), FunctionDescriptor.of(ret, args));
    }

    private static java.lang.foreign.MemorySegment symbol(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException(
                "libringio has no symbol " + name + " (stale build of shim/?)"));
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
    public long abiVersion() {
        try {
            return (long) abiVersion.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long layout(int id) {
        try {
            return (long) layout.invokeExact(id);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long ringCreate(int entries, int setupFlags, int cqEntries, long infoOut) {
        try {
            return (long) ringCreate.invokeExact(entries, setupFlags, cqEntries, infoOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ringRegisterRingFd(long ring) {
        try {
            return (int) ringRegisterRingFd.invokeExact(ring);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ringRegisterBuffers(long ring, long iovecs, int count) {
        try {
            return (int) ringRegisterBuffers.invokeExact(ring, iovecs, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ringUnregisterBuffers(long ring) {
        try {
            return (int) ringUnregisterBuffers.invokeExact(ring);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ringRegisterIowqMaxWorkers(long ring, int bounded, int unbounded) {
        try {
            return (int) ringRegisterIowqMaxWorkers.invokeExact(ring, bounded, unbounded);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ringProbe(long ring, long out, int len) {
        try {
            return (int) ringProbe.invokeExact(ring, out, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ringDestroy(long ring) {
        try {
            return (int) ringDestroy.invokeExact(ring);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int enter(int fd, int toSubmit, int minComplete, int flags) {
        try {
            return (int) enter.invokeExact(fd, toSubmit, minComplete, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int enterTimeout(int fd, int toSubmit, int minComplete, int flags, long timeoutNanos) {
        try {
            return (int) enterTimeout.invokeExact(fd, toSubmit, minComplete, flags, timeoutNanos);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int close(int fd) {
        try {
            return (int) close.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int eventfd(int initval, int flags) {
        try {
            return (int) eventfd.invokeExact(initval, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long read(int fd, long buf, long len) {
        try {
            return (long) read.invokeExact(fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long write(int fd, long buf, long len) {
        try {
            return (long) write.invokeExact(fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long pread(int fd, long buf, long len, long offset) {
        try {
            return (long) pread.invokeExact(fd, buf, len, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long pwrite(int fd, long buf, long len, long offset) {
        try {
            return (long) pwrite.invokeExact(fd, buf, len, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int pipe2(long fdsOut, int flags) {
        try {
            return (int) pipe2.invokeExact(fdsOut, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        try {
            return (long) lseek.invokeExact(fd, offset, whence);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long getdents64(int fd, long buf, long len) {
        try {
            return (long) getdents64.invokeExact(fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long getrandom(long buf, long len, int flags) {
        try {
            return (long) getrandom.invokeExact(buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long fcntl(int fd, int cmd, long arg) {
        try {
            return (long) fcntl.invokeExact(fd, cmd, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int openat2(int dirfd, long path, long how, long size) {
        try {
            return (int) openat2.invokeExact(dirfd, path, how, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ftruncate(int fd, long length) {
        try {
            return (int) ftruncate.invokeExact(fd, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long fstatMode(int fd) {
        try {
            return (long) fstatMode.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int strerror(int errnum, long buf, int len) {
        try {
            return (int) strerror.invokeExact(errnum, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
