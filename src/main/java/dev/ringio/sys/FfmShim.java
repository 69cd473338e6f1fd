package dev.ringio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static dev.ringio.sys.FfmLinker.fast;
import static dev.ringio.sys.FfmLinker.rethrow;
import static dev.ringio.sys.FfmLinker.slow;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link Shim} over the JDK's Foreign Function &amp; Memory API (the default binding).
 *
 * <p>Calls that cannot block are linked {@link Linker.Option#critical(boolean) critical} (no
 * thread-state transition, ~6 ns here); calls that may block (io_uring_enter, read, write, ...)
 * are ordinary downcalls so the GC is never held up by a sleeping thread ({@link FfmLinker}).
 *
 * <p>It is composed by concern: the io_uring calls ({@link FfmRingCalls}), the descriptor, file
 * and path calls ({@link FfmFileCalls}) and the socket calls ({@link FfmSocketCalls}) are default
 * methods of those interfaces over handles this class links once, in its constructor; the
 * readiness calls (epoll, poll) and the OS layer's (processes, signals, inotify) are here.
 *
 * <p>Threading: as {@link Shim}: every method is safe from any thread.
 */
final class FfmShim implements FfmRingCalls, FfmFileCalls, FfmSocketCalls {

    private final RingHandles ring;
    private final FileHandles files;
    private final SocketHandles sockets;
    private final MethodHandle epollCreate;
    private final MethodHandle epollCtl;
    private final MethodHandle epollWait;
    private final MethodHandle pollConst;
    private final MethodHandle poll1;

    private final FileOpsHandles fileOps;

    FfmShim(Path library) {
        SymbolLookup lib = SymbolLookup.libraryLookup(library, Arena.global());
        ring = new RingHandles(lib);
        files = new FileHandles(lib);
        sockets = new SocketHandles(lib);
        epollCreate = fast(lib, "ringio_epoll_create", JAVA_INT, JAVA_INT);
        epollCtl = fast(lib, "ringio_epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
        // epoll_wait sleeps: an ordinary downcall, so a parked poller never holds up the GC.
        epollWait = slow(lib, "ringio_epoll_wait", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
        pollConst = fast(lib, "ringio_poll_const", JAVA_LONG, JAVA_LONG);
        poll1 = slow(lib, "ringio_poll1", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        osLayer = new OsLayerHandles(lib);
        fileOps = new FileOpsHandles(lib);
    }

    @Override
    public RingHandles ringHandles() {
        return ring;
    }

    @Override
    public FileHandles fileHandles() {
        return files;
    }

    @Override
    public SocketHandles socketHandles() {
        return sockets;
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
    public int poll1(int fd, int events, int timeoutMillis) {
        try {
            return (int) poll1.invokeExact(fd, events, timeoutMillis);
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
