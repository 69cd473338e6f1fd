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
    private final MethodHandle socket;
    private final MethodHandle socketpair;
    private final MethodHandle bind;
    private final MethodHandle listen;
    private final MethodHandle connect;
    private final MethodHandle accept4;
    private final MethodHandle getsockname;
    private final MethodHandle getpeername;
    private final MethodHandle setsockopt;
    private final MethodHandle getsockopt;
    private final MethodHandle shutdown;
    private final MethodHandle sendmsg;
    private final MethodHandle recvmsg;
    private final MethodHandle getaddrinfo;
    private final MethodHandle freeaddrinfo;
    private final MethodHandle gaiStrerror;
    private final MethodHandle ringRegisterBufRing;
    private final MethodHandle ringUnregisterBufRing;
    private final MethodHandle constValue;
    private final MethodHandle constCount;
    private final MethodHandle constName;
    private final MethodHandle epollCreate;
    private final MethodHandle epollCtl;
    private final MethodHandle epollWait;
    private final MethodHandle pollConst;
    private final MethodHandle preadv;
    private final MethodHandle preadNowait;
    private final MethodHandle pwritev;
    private final MethodHandle fsync;
    private final MethodHandle fallocate;
    private final MethodHandle statx;
    private final MethodHandle unlinkat;
    private final MethodHandle mkdirat;
    private final MethodHandle renameat2;
    private final MethodHandle symlinkat;
    private final MethodHandle splice;
    private final MethodHandle poll1;
    private final MethodHandle sendto;
    private final MethodHandle recvfrom;

    private final FileOpsHandles fileOps;

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
        socket = fast(lib, "ringio_socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        socketpair = fast(lib, "ringio_socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
        bind = fast(lib, "ringio_bind", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        listen = fast(lib, "ringio_listen", JAVA_INT, JAVA_INT, JAVA_INT);
        connect = slow(lib, "ringio_connect", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        accept4 = slow(lib, "ringio_accept4", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
        getsockname = fast(lib, "ringio_getsockname", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
        getpeername = fast(lib, "ringio_getpeername", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
        setsockopt = fast(lib, "ringio_setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        getsockopt = fast(lib, "ringio_getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
        shutdown = fast(lib, "ringio_shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
        sendmsg = slow(lib, "ringio_sendmsg", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
        recvmsg = slow(lib, "ringio_recvmsg", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
        getaddrinfo = slow(lib, "ringio_getaddrinfo", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        freeaddrinfo = slow(lib, "ringio_freeaddrinfo", JAVA_INT, JAVA_LONG);
        gaiStrerror = fast(lib, "ringio_gai_strerror", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        ringRegisterBufRing = slow(lib, "ringio_ring_register_buf_ring", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT);
        ringUnregisterBufRing = slow(lib, "ringio_ring_unregister_buf_ring", JAVA_INT, JAVA_LONG, JAVA_INT);
        constValue = fast(lib, "ringio_const", JAVA_LONG, JAVA_LONG);
        constCount = fast(lib, "ringio_const_count", JAVA_INT);
        constName = fast(lib, "ringio_const_name", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        epollCreate = fast(lib, "ringio_epoll_create", JAVA_INT, JAVA_INT);
        epollCtl = fast(lib, "ringio_epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
        // epoll_wait sleeps: an ordinary downcall, so a parked poller never holds up the GC.
        epollWait = slow(lib, "ringio_epoll_wait", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
        pollConst = fast(lib, "ringio_poll_const", JAVA_LONG, JAVA_LONG);
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
        poll1 = slow(lib, "ringio_poll1", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        sendto = slow(lib, "ringio_sendto", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
        recvfrom = slow(lib, "ringio_recvfrom", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
        osLayer = new OsLayerHandles(lib);
        fileOps = new FileOpsHandles(lib);
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

    @Override
    public int socket(int domain, int type, int protocol) {
        try {
            return (int) socket.invokeExact(domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int socketpair(int domain, int type, int protocol, long fdsOut) {
        try {
            return (int) socketpair.invokeExact(domain, type, protocol, fdsOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int bind(int fd, long addr, int addrLen) {
        try {
            return (int) bind.invokeExact(fd, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int listen(int fd, int backlog) {
        try {
            return (int) listen.invokeExact(fd, backlog);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int connect(int fd, long addr, int addrLen) {
        try {
            return (int) connect.invokeExact(fd, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int accept4(int fd, long addr, long addrLenPtr, int flags) {
        try {
            return (int) accept4.invokeExact(fd, addr, addrLenPtr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getsockname(int fd, long addr, long addrLenPtr) {
        try {
            return (int) getsockname.invokeExact(fd, addr, addrLenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getpeername(int fd, long addr, long addrLenPtr) {
        try {
            return (int) getpeername.invokeExact(fd, addr, addrLenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int len) {
        try {
            return (int) setsockopt.invokeExact(fd, level, name, value, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long lenPtr) {
        try {
            return (int) getsockopt.invokeExact(fd, level, name, value, lenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int shutdown(int fd, int how) {
        try {
            return (int) shutdown.invokeExact(fd, how);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long sendmsg(int fd, long msg, int flags) {
        try {
            return (long) sendmsg.invokeExact(fd, msg, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long recvmsg(int fd, long msg, int flags) {
        try {
            return (long) recvmsg.invokeExact(fd, msg, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getaddrinfo(long node, long service, long hints, long resOut) {
        try {
            return (int) getaddrinfo.invokeExact(node, service, hints, resOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int freeaddrinfo(long res) {
        try {
            return (int) freeaddrinfo.invokeExact(res);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int gaiStrerror(int code, long buf, int len) {
        try {
            return (int) gaiStrerror.invokeExact(code, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ringRegisterBufRing(long ring, long addr, int entries, int bgid) {
        try {
            return (int) ringRegisterBufRing.invokeExact(ring, addr, entries, bgid);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ringUnregisterBufRing(long ring, int bgid) {
        try {
            return (int) ringUnregisterBufRing.invokeExact(ring, bgid);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long constValue(long name) {
        try {
            return (long) constValue.invokeExact(name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int constCount() {
        try {
            return (int) constCount.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int constName(int index, long buf, int len) {
        try {
            return (int) constName.invokeExact(index, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epollCreate(int flags) {
        try {
            return (int) epollCreate.invokeExact(flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, int events, long data) {
        try {
            return (int) epollCtl.invokeExact(epfd, op, fd, events, data);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epollWait(int epfd, long eventsOut, int max, int timeoutMillis) {
        try {
            return (int) epollWait.invokeExact(epfd, eventsOut, max, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long pollConst(long name) {
        try {
            return (long) pollConst.invokeExact(name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long preadv(int fd, long iov, int iovcnt, long offset) {
        try {
            return (long) preadv.invokeExact(fd, iov, iovcnt, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long preadNowait(int fd, long buf, long len, long offset) {
        try {
            return (long) preadNowait.invokeExact(fd, buf, len, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long pwritev(int fd, long iov, int iovcnt, long offset) {
        try {
            return (long) pwritev.invokeExact(fd, iov, iovcnt, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fsync(int fd, int datasync) {
        try {
            return (int) fsync.invokeExact(fd, datasync);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long len) {
        try {
            return (int) fallocate.invokeExact(fd, mode, offset, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int statx(int dirfd, long path, int flags, int mask, long buf) {
        try {
            return (int) statx.invokeExact(dirfd, path, flags, mask, buf);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int unlinkat(int dirfd, long path, int flags) {
        try {
            return (int) unlinkat.invokeExact(dirfd, path, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int mkdirat(int dirfd, long path, int mode) {
        try {
            return (int) mkdirat.invokeExact(dirfd, path, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int renameat2(int oldDirfd, long oldPath, int newDirfd, long newPath, int flags) {
        try {
            return (int) renameat2.invokeExact(oldDirfd, oldPath, newDirfd, newPath, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int symlinkat(long target, int newDirfd, long linkPath) {
        try {
            return (int) symlinkat.invokeExact(target, newDirfd, linkPath);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long splice(int fdIn, int fdOut, long len, int flags) {
        try {
            return (long) splice.invokeExact(fdIn, fdOut, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int poll1(int fd, int events, int timeoutMillis) {
        try {
            return (int) poll1.invokeExact(fd, events, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long sendto(int fd, long buf, long len, int flags, long addr, int addrLen) {
        try {
            return (long) sendto.invokeExact(fd, buf, len, flags, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long recvfrom(int fd, long buf, long len, int flags, long addr, long addrLenPtr) {
        try {
            return (long) recvfrom.invokeExact(fd, buf, len, flags, addr, addrLenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- fcntl, fd kinds, epoll (issue 13) ----

    private final OsLayerHandles osLayer;

    /** The downcall handles of the OS layer's block of ringio.h. */
    private static final class OsLayerHandles {
        final MethodHandle getpid;
        final MethodHandle getppid;
        final MethodHandle timerfdCreate;
        final MethodHandle syscall4;
        final MethodHandle osConst;

        OsLayerHandles(SymbolLookup lib) {
            getpid = fast(lib, "ringio_getpid", JAVA_LONG);
            getppid = fast(lib, "ringio_getppid", JAVA_LONG);
            timerfdCreate = fast(lib, "ringio_timerfd_create", JAVA_INT, JAVA_INT, JAVA_INT);
            // Any syscall: some of them sleep, so an ordinary downcall.
            syscall4 = slow(lib, "ringio_syscall4", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
            osConst = fast(lib, "ringio_os_const", JAVA_LONG, JAVA_LONG);
        }
    }

    @Override
    public long getpid() {
        try {
            return (long) osLayer.getpid.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long getppid() {
        try {
            return (long) osLayer.getppid.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int timerfdCreate(int clockid, int flags) {
        try {
            return (int) osLayer.timerfdCreate.invokeExact(clockid, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long syscall4(long nr, long a1, long a2, long a3, long a4) {
        try {
            return (long) osLayer.syscall4.invokeExact(nr, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long osConst(long name) {
        try {
            return (long) osLayer.osConst.invokeExact(name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- inotify, signals, processes (issue 13) ----

    /**
     * The issue-13 calls, linked on first use from the same library file (a second dlopen of a
     * loaded library only counts a reference). waitid may block (without WNOHANG), spawn waits for
     * the child's exec, inotify_add_watch walks a path, quiesce yields: ordinary downcalls; the
     * rest are short critical ones.
     */
    private static final class OsCalls {
        private static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup(NativeLibrary.path(), Arena.global());
        static final MethodHandle inotifyInit1 = fast(LOOKUP, "ringio_inotify_init1", JAVA_INT, JAVA_INT);
        static final MethodHandle inotifyAddWatch = slow(LOOKUP, "ringio_inotify_add_watch", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle inotifyRmWatch = fast(LOOKUP, "ringio_inotify_rm_watch", JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle kill = fast(LOOKUP, "ringio_kill", JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle tgkill = fast(LOOKUP, "ringio_tgkill", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle gettid = fast(LOOKUP, "ringio_gettid", JAVA_INT);
        static final MethodHandle sigRt = fast(LOOKUP, "ringio_sig_rt", JAVA_INT, JAVA_INT);
        static final MethodHandle sigmask = fast(LOOKUP, "ringio_sigmask", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
        static final MethodHandle sigpending = fast(LOOKUP, "ringio_sigpending", JAVA_INT, JAVA_LONG);
        static final MethodHandle signalfd = fast(LOOKUP, "ringio_signalfd", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle sigNotifyFd = fast(LOOKUP, "ringio_sig_notify_fd", JAVA_INT, JAVA_INT);
        static final MethodHandle sigHandlerInstall = fast(LOOKUP, "ringio_sig_handler_install", JAVA_INT, JAVA_INT);
        static final MethodHandle sigHandlerRestore = fast(LOOKUP, "ringio_sig_handler_restore", JAVA_INT, JAVA_INT);
        static final MethodHandle sigQuiesce = slow(LOOKUP, "ringio_sig_quiesce", JAVA_INT);
        static final MethodHandle sigDisposition = fast(LOOKUP, "ringio_sig_disposition", JAVA_INT, JAVA_INT);
        static final MethodHandle spawn = slow(LOOKUP, "ringio_spawn", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG);
        static final MethodHandle pidfdSendSignal = fast(LOOKUP, "ringio_pidfd_send_signal", JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle waitidPidfd = slow(LOOKUP, "ringio_waitid_pidfd", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    }

    @Override
    public int inotifyInit1(int flags) {
        try {
            return (int) OsCalls.inotifyInit1.invokeExact(flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int inotifyAddWatch(int fd, long path, int mask) {
        try {
            return (int) OsCalls.inotifyAddWatch.invokeExact(fd, path, mask);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int inotifyRmWatch(int fd, int wd) {
        try {
            return (int) OsCalls.inotifyRmWatch.invokeExact(fd, wd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int kill(int pid, int sig) {
        try {
            return (int) OsCalls.kill.invokeExact(pid, sig);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int tgkill(int tgid, int tid, int sig) {
        try {
            return (int) OsCalls.tgkill.invokeExact(tgid, tid, sig);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int gettid() {
        try {
            return (int) OsCalls.gettid.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int sigRt(int max) {
        try {
            return (int) OsCalls.sigRt.invokeExact(max);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int sigmask(int how, long bits, long oldOut) {
        try {
            return (int) OsCalls.sigmask.invokeExact(how, bits, oldOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int sigpending(long out) {
        try {
            return (int) OsCalls.sigpending.invokeExact(out);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int signalfd(int fd, long bits, int flags) {
        try {
            return (int) OsCalls.signalfd.invokeExact(fd, bits, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int sigNotifyFd(int fd) {
        try {
            return (int) OsCalls.sigNotifyFd.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int sigHandlerInstall(int sig) {
        try {
            return (int) OsCalls.sigHandlerInstall.invokeExact(sig);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int sigHandlerRestore(int sig) {
        try {
            return (int) OsCalls.sigHandlerRestore.invokeExact(sig);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int sigQuiesce() {
        try {
            return (int) OsCalls.sigQuiesce.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int sigDisposition(int sig) {
        try {
            return (int) OsCalls.sigDisposition.invokeExact(sig);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int spawn(long path, long argv, long envp, long cwd, long map, int nmap, long out) {
        try {
            return (int) OsCalls.spawn.invokeExact(path, argv, envp, cwd, map, nmap, out);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int pidfdSendSignal(int pidfd, int sig) {
        try {
            return (int) OsCalls.pidfdSendSignal.invokeExact(pidfd, sig);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int waitidPidfd(int pidfd, int options, long out) {
        try {
            return (int) OsCalls.waitidPidfd.invokeExact(pidfd, options, out);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- ops: permissions, ownership, hard links, in-kernel copies (issue 13) ---------------------

    /** The downcalls of the file ops that run off the loop (they may block: ordinary downcalls). */
    private static final class FileOpsHandles {
        final MethodHandle fchmodat;
        final MethodHandle fchmod;
        final MethodHandle fchownat;
        final MethodHandle fchown;
        final MethodHandle linkat;
        final MethodHandle copyFileRange;
        final MethodHandle sendfile;

        FileOpsHandles(SymbolLookup lib) {
            fchmodat = slow(lib, "ringio_fchmodat", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
            fchmod = slow(lib, "ringio_fchmod", JAVA_INT, JAVA_INT, JAVA_INT);
            fchownat = slow(lib, "ringio_fchownat", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT);
            fchown = slow(lib, "ringio_fchown", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
            linkat = slow(lib, "ringio_linkat", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
            copyFileRange = slow(lib, "ringio_copy_file_range", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG,
                    JAVA_LONG);
            sendfile = slow(lib, "ringio_sendfile", JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
        }
    }

    @Override
    public int fchmodat(int dirfd, long path, int mode, int flags) {
        try {
            return (int) fileOps.fchmodat.invokeExact(dirfd, path, mode, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fchmod(int fd, int mode) {
        try {
            return (int) fileOps.fchmod.invokeExact(fd, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fchownat(int dirfd, long path, int uid, int gid, int flags) {
        try {
            return (int) fileOps.fchownat.invokeExact(dirfd, path, uid, gid, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fchown(int fd, int uid, int gid) {
        try {
            return (int) fileOps.fchown.invokeExact(fd, uid, gid);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int linkat(int oldDirfd, long oldPath, int newDirfd, long newPath, int flags) {
        try {
            return (int) fileOps.linkat.invokeExact(oldDirfd, oldPath, newDirfd, newPath, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long copyFileRange(int fdIn, long offIn, int fdOut, long offOut, long len) {
        try {
            return (long) fileOps.copyFileRange.invokeExact(fdIn, offIn, fdOut, offOut, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long sendfile(int outFd, int inFd, long offset, long count) {
        try {
            return (long) fileOps.sendfile.invokeExact(outFd, inFd, offset, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
