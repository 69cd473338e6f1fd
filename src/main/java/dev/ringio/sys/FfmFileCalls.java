package dev.ringio.sys;

import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static dev.ringio.sys.FfmLinker.fast;
import static dev.ringio.sys.FfmLinker.rethrow;
import static dev.ringio.sys.FfmLinker.slow;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Part of {@link FfmShim}: the descriptor, file and path calls (read/write and their positioned
 * and vectored forms, open, stat, sync, directory entries, pipes, eventfd, splice, close) and
 * {@code strerror}, as default methods over downcall handles that {@link FfmShim} links once, when
 * it loads the library, and hands out through {@link #fileHandles()}. Critical or ordinary
 * downcalls as {@link FfmShim} says.
 *
 * <p>Threading: as {@link Shim}: every method is safe from any thread.
 */
interface FfmFileCalls extends Shim {

    /**
     * The downcall handles these methods call.
     *
     * @return the handles, linked once
     */
    FileHandles fileHandles();

    /** The downcall handles of {@link FfmFileCalls}. */
    final class FileHandles {
        final MethodHandle close;
        final MethodHandle eventfd;
        final MethodHandle read;
        final MethodHandle write;
        final MethodHandle pread;
        final MethodHandle pwrite;
        final MethodHandle pipe2;
        final MethodHandle lseek;
        final MethodHandle getdents64;
        final MethodHandle getrandom;
        final MethodHandle fcntl;
        final MethodHandle openat2;
        final MethodHandle ftruncate;
        final MethodHandle fstatMode;
        final MethodHandle strerror;
        final MethodHandle preadv;
        final MethodHandle preadNowait;
        final MethodHandle pwritev;
        final MethodHandle fsync;
        final MethodHandle fallocate;
        final MethodHandle statx;
        final MethodHandle unlinkat;
        final MethodHandle mkdirat;
        final MethodHandle renameat2;
        final MethodHandle symlinkat;
        final MethodHandle splice;

        FileHandles(SymbolLookup lib) {
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
            // The readiness engines' syscalls: all may block (regular files on the pool thread).
            preadv = slow(lib, "ringio_preadv", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG);
            // Never blocks (RWF_NOWAIT): at most a page-cache copy, so a critical downcall is fine.
            preadNowait = fast(lib, "ringio_pread_nowait", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
            pwritev = slow(lib, "ringio_pwritev", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG);
            fsync = slow(lib, "ringio_fsync", JAVA_INT, JAVA_INT, JAVA_INT);
            fallocate = slow(lib, "ringio_fallocate", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
            statx = slow(lib, "ringio_statx", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG);
            unlinkat = slow(lib, "ringio_unlinkat", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
            mkdirat = slow(lib, "ringio_mkdirat", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
            renameat2 = slow(lib, "ringio_renameat2", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
            symlinkat = slow(lib, "ringio_symlinkat", JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG);
            splice = slow(lib, "ringio_splice", JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        }
    }

    @Override
    default int close(int fd) {
        try {
            return (int) fileHandles().close.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int eventfd(int initval, int flags) {
        try {
            return (int) fileHandles().eventfd.invokeExact(initval, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long read(int fd, long buf, long len) {
        try {
            return (long) fileHandles().read.invokeExact(fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long write(int fd, long buf, long len) {
        try {
            return (long) fileHandles().write.invokeExact(fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long pread(int fd, long buf, long len, long offset) {
        try {
            return (long) fileHandles().pread.invokeExact(fd, buf, len, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long pwrite(int fd, long buf, long len, long offset) {
        try {
            return (long) fileHandles().pwrite.invokeExact(fd, buf, len, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int pipe2(long fdsOut, int flags) {
        try {
            return (int) fileHandles().pipe2.invokeExact(fdsOut, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long lseek(int fd, long offset, int whence) {
        try {
            return (long) fileHandles().lseek.invokeExact(fd, offset, whence);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long getdents64(int fd, long buf, long len) {
        try {
            return (long) fileHandles().getdents64.invokeExact(fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long getrandom(long buf, long len, int flags) {
        try {
            return (long) fileHandles().getrandom.invokeExact(buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long fcntl(int fd, int cmd, long arg) {
        try {
            return (long) fileHandles().fcntl.invokeExact(fd, cmd, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int openat2(int dirfd, long path, long how, long size) {
        try {
            return (int) fileHandles().openat2.invokeExact(dirfd, path, how, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int ftruncate(int fd, long length) {
        try {
            return (int) fileHandles().ftruncate.invokeExact(fd, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long fstatMode(int fd) {
        try {
            return (long) fileHandles().fstatMode.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int strerror(int errnum, long buf, int len) {
        try {
            return (int) fileHandles().strerror.invokeExact(errnum, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long preadv(int fd, long iov, int iovcnt, long offset) {
        try {
            return (long) fileHandles().preadv.invokeExact(fd, iov, iovcnt, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long preadNowait(int fd, long buf, long len, long offset) {
        try {
            return (long) fileHandles().preadNowait.invokeExact(fd, buf, len, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long pwritev(int fd, long iov, int iovcnt, long offset) {
        try {
            return (long) fileHandles().pwritev.invokeExact(fd, iov, iovcnt, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int fsync(int fd, int datasync) {
        try {
            return (int) fileHandles().fsync.invokeExact(fd, datasync);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int fallocate(int fd, int mode, long offset, long len) {
        try {
            return (int) fileHandles().fallocate.invokeExact(fd, mode, offset, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int statx(int dirfd, long path, int flags, int mask, long buf) {
        try {
            return (int) fileHandles().statx.invokeExact(dirfd, path, flags, mask, buf);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int unlinkat(int dirfd, long path, int flags) {
        try {
            return (int) fileHandles().unlinkat.invokeExact(dirfd, path, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int mkdirat(int dirfd, long path, int mode) {
        try {
            return (int) fileHandles().mkdirat.invokeExact(dirfd, path, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int renameat2(int oldDirfd, long oldPath, int newDirfd, long newPath, int flags) {
        try {
            return (int) fileHandles().renameat2.invokeExact(oldDirfd, oldPath, newDirfd, newPath, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int symlinkat(long target, int newDirfd, long linkPath) {
        try {
            return (int) fileHandles().symlinkat.invokeExact(target, newDirfd, linkPath);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long splice(int fdIn, int fdOut, long len, int flags) {
        try {
            return (long) fileHandles().splice.invokeExact(fdIn, fdOut, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
