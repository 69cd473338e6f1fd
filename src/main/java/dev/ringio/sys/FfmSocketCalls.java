package dev.ringio.sys;

import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static dev.ringio.sys.FfmLinker.fast;
import static dev.ringio.sys.FfmLinker.rethrow;
import static dev.ringio.sys.FfmLinker.slow;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Part of {@link FfmShim}: the socket calls (socket, bind, listen, connect, accept, options,
 * send/recv in their message and address forms, shutdown) and name resolution ({@code
 * getaddrinfo}), as default methods over downcall handles that {@link FfmShim} links once, when it
 * loads the library, and hands out through {@link #socketHandles()}. Critical or ordinary
 * downcalls as {@link FfmShim} says.
 *
 * <p>Threading: as {@link Shim}: every method is safe from any thread.
 */
interface FfmSocketCalls extends Shim {

    /**
     * The downcall handles these methods call.
     *
     * @return the handles, linked once
     */
    SocketHandles socketHandles();

    /** The downcall handles of {@link FfmSocketCalls}. */
    final class SocketHandles {
        final MethodHandle socket;
        final MethodHandle socketpair;
        final MethodHandle bind;
        final MethodHandle listen;
        final MethodHandle connect;
        final MethodHandle accept4;
        final MethodHandle getsockname;
        final MethodHandle getpeername;
        final MethodHandle setsockopt;
        final MethodHandle getsockopt;
        final MethodHandle shutdown;
        final MethodHandle sendmsg;
        final MethodHandle recvmsg;
        final MethodHandle getaddrinfo;
        final MethodHandle freeaddrinfo;
        final MethodHandle gaiStrerror;
        final MethodHandle sendto;
        final MethodHandle recvfrom;

        SocketHandles(SymbolLookup lib) {
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
            sendto = slow(lib, "ringio_sendto", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
            recvfrom = slow(lib, "ringio_recvfrom", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
        }
    }

    @Override
    default int socket(int domain, int type, int protocol) {
        try {
            return (int) socketHandles().socket.invokeExact(domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int socketpair(int domain, int type, int protocol, long fdsOut) {
        try {
            return (int) socketHandles().socketpair.invokeExact(domain, type, protocol, fdsOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int bind(int fd, long addr, int addrLen) {
        try {
            return (int) socketHandles().bind.invokeExact(fd, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int listen(int fd, int backlog) {
        try {
            return (int) socketHandles().listen.invokeExact(fd, backlog);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int connect(int fd, long addr, int addrLen) {
        try {
            return (int) socketHandles().connect.invokeExact(fd, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int accept4(int fd, long addr, long addrLenPtr, int flags) {
        try {
            return (int) socketHandles().accept4.invokeExact(fd, addr, addrLenPtr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int getsockname(int fd, long addr, long addrLenPtr) {
        try {
            return (int) socketHandles().getsockname.invokeExact(fd, addr, addrLenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int getpeername(int fd, long addr, long addrLenPtr) {
        try {
            return (int) socketHandles().getpeername.invokeExact(fd, addr, addrLenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int setsockopt(int fd, int level, int name, long value, int len) {
        try {
            return (int) socketHandles().setsockopt.invokeExact(fd, level, name, value, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int getsockopt(int fd, int level, int name, long value, long lenPtr) {
        try {
            return (int) socketHandles().getsockopt.invokeExact(fd, level, name, value, lenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int shutdown(int fd, int how) {
        try {
            return (int) socketHandles().shutdown.invokeExact(fd, how);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long sendmsg(int fd, long msg, int flags) {
        try {
            return (long) socketHandles().sendmsg.invokeExact(fd, msg, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long recvmsg(int fd, long msg, int flags) {
        try {
            return (long) socketHandles().recvmsg.invokeExact(fd, msg, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int getaddrinfo(long node, long service, long hints, long resOut) {
        try {
            return (int) socketHandles().getaddrinfo.invokeExact(node, service, hints, resOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int freeaddrinfo(long res) {
        try {
            return (int) socketHandles().freeaddrinfo.invokeExact(res);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default int gaiStrerror(int code, long buf, int len) {
        try {
            return (int) socketHandles().gaiStrerror.invokeExact(code, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long sendto(int fd, long buf, long len, int flags, long addr, int addrLen) {
        try {
            return (long) socketHandles().sendto.invokeExact(fd, buf, len, flags, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    default long recvfrom(int fd, long buf, long len, int flags, long addr, long addrLenPtr) {
        try {
            return (long) socketHandles().recvfrom.invokeExact(fd, buf, len, flags, addr, addrLenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
