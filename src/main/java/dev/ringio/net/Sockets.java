package dev.ringio.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The raw socket device (Gerbil's {@code :std/os/socket}, arew's {@code (arew network socket)}):
 * plain system calls on {@link Fd}s, no engine involved.
 *
 * <p>Rules shared by every method:
 * <ul>
 *   <li>Threading: any thread. {@link #connect}, {@link #accept}, {@link #sendto}/{@link #send} and
 *       {@link #recvfrom}/{@link #recv} block the calling thread when the socket is blocking (the
 *       default), so never call them on an engine's loop thread; use the engine's operations
 *       there.</li>
 *   <li>Every descriptor made here is close-on-exec ({@code SOCK_CLOEXEC} is always added).</li>
 *   <li>The {@code Fd} is {@linkplain Fd#acquire(String) held} for the duration of each call, so a
 *       concurrent {@code close} cannot let the number be reused under it; a closed {@code Fd}
 *       fails with {@code EBADF}.</li>
 *   <li>Errors are {@link NativeIoException}s naming the operation (and the address, where there
 *       is one), e.g. {@code "connect 127.0.0.1:9: ECONNREFUSED (Connection refused)"}; bad
 *       arguments fail with {@link IllegalArgumentException} before any system call. A call
 *       interrupted by a signal ({@code EINTR}) is retried.</li>
 *   <li>Sends always add {@link MsgFlag#NOSIGNAL}: writing to a closed connection is an
 *       {@code EPIPE} exception, never a SIGPIPE.</li>
 * </ul>
 */
public final class Sockets {

    /** The backlog {@link #listen(Fd)} uses (Gerbil's default). */
    public static final int DEFAULT_BACKLOG = 10;

    private Sockets() {
    }

    /**
     * Holds {@code fd} for one call; before the first call of the process, checks that the structs
     * built here (sockaddr, msghdr, linger, timeval, ...) match this platform's headers.
     */
    private static int acquire(Fd fd, String op) throws NativeIoException {
        NetLayouts.verify();
        return fd.acquire(op);
    }

    // ---- creating ---------------------------------------------------------------------------------

    /**
     * Creates a socket ({@code socket(2)}), close-on-exec whether or not {@code type} says so.
     *
     * @param type     one base type ({@link SocketType#STREAM}, {@link SocketType#DGRAM}, ...) and any
     *                 flags ({@link SocketType#NONBLOCK})
     * @param protocol {@link Protocol#DEFAULT} for the domain's usual protocol
     * @param domain the address family
     * @return the socket, of kind {@link Fd.Kind#SOCKET}
     * @throws IllegalArgumentException unless {@code type} has exactly one base type
     * @throws NativeIoException        e.g. {@code EAFNOSUPPORT}, {@code EPROTONOSUPPORT}, {@code EPERM}
     *                                  or {@code EACCES} (a raw socket without CAP_NET_RAW), {@code EMFILE}
     */
    public static Fd socket(Domain domain, Set<SocketType> type, Protocol protocol) throws NativeIoException {
        Objects.requireNonNull(protocol, "protocol");
        return socket(domain, type, protocol.value());
    }

    /**
     * Creates a socket ({@code socket(2)}) for any protocol number, including the ones
     * {@link Protocol} does not name: an {@code IPPROTO_*} value for the inet families, or a
     * link-layer protocol in network byte order for {@link Domain#PACKET} (e.g. {@code ETH_P_ALL},
     * 0x0003, as {@code 0x0300}). Close-on-exec whether or not {@code type} says so.
     *
     * @param protocol the protocol number, 0 for the domain's usual protocol
     * @param domain the address family
     * @param type the socket type, with {@code NONBLOCK} / {@code CLOEXEC} modifiers
     * @return the socket, of kind {@link Fd.Kind#SOCKET}
     * @throws IllegalArgumentException unless {@code type} has exactly one base type, or if
     *                                  {@code protocol} is negative
     * @throws NativeIoException        e.g. {@code EPROTONOSUPPORT}, {@code ESOCKTNOSUPPORT},
     *                                  {@code EPERM} (a raw or packet socket without CAP_NET_RAW)
     */
    public static Fd socket(Domain domain, Set<SocketType> type, int protocol) throws NativeIoException {
        Objects.requireNonNull(domain, "domain");
        if (protocol < 0) {
            throw new IllegalArgumentException("socket: negative protocol " + protocol);
        }
        int bits = SocketType.bits(type) | SocketType.CLOEXEC.value();
        int fd = (int) NativeIoException.check("socket", Shim.get().socket(domain.value(), bits, protocol));
        return Fd.adopt(fd, Fd.Kind.SOCKET);
    }

    /**
     * {@code socket(domain, EnumSet.of(type), Protocol.DEFAULT)}.
     *
     * @param domain the address family
     * @param type the socket's base type
     * @return the new socket, which the caller owns
     * @throws NativeIoException naming the call, with the errno
     */
    public static Fd socket(Domain domain, SocketType type) throws NativeIoException {
        return socket(domain, EnumSet.of(type), Protocol.DEFAULT);
    }

    /**
     * Creates a pair of connected sockets ({@code socketpair(2)}; Linux supports it for
     * {@link Domain#UNIX} only), both close-on-exec.
     *
     * @param domain the address family
     * @param type the socket type, with modifiers
     * @return the two ends
     * @throws NativeIoException e.g. {@code EOPNOTSUPP} for an inet domain
     */
    public static Fd[] socketpair(Domain domain, Set<SocketType> type) throws NativeIoException {
        Objects.requireNonNull(domain, "domain");
        int bits = SocketType.bits(type) | SocketType.CLOEXEC.value();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            NativeIoException.check("socketpair", Shim.get().socketpair(domain.value(), bits, 0, fds.address()));
            return new Fd[] {Fd.adopt(fds.getAtIndex(JAVA_INT, 0), Fd.Kind.SOCKET),
                    Fd.adopt(fds.getAtIndex(JAVA_INT, 1), Fd.Kind.SOCKET)};
        }
    }

    // ---- addresses and connections ----------------------------------------------------------------

    /**
     * Gives the socket a local address ({@code bind(2)}).
     *
     * @param fd the socket
     * @param address the local address to bind to
     * @throws NativeIoException e.g. {@code EADDRINUSE}, {@code EADDRNOTAVAIL}, {@code EACCES} (a port
     *                           below 1024 unprivileged), {@code EINVAL} (already bound)
     */
    public static void bind(Fd fd, SockAddr address) throws NativeIoException {
        Objects.requireNonNull(address, "address");
        String op = "bind " + address;
        int raw = acquire(fd, op);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockAddr.MAX_SIZE, 8);
            int len = address.encode(sa);
            NativeIoException.check(op, Shim.get().bind(raw, sa.address(), len));
        } finally {
            fd.release();
        }
    }

    /**
     * {@link #listen(Fd, int)} with {@link #DEFAULT_BACKLOG} (10).
     *
     * @param fd the socket
     * @throws NativeIoException naming the call, with the errno
     */
    public static void listen(Fd fd) throws NativeIoException {
        listen(fd, DEFAULT_BACKLOG);
    }

    /**
     * Marks the socket as accepting connections ({@code listen(2)}); the kernel caps
     * {@code backlog} at {@code net.core.somaxconn}.
     *
     * @param fd the socket
     * @param backlog the length of the queue of pending connections, {@code >= 0}
     * @throws IllegalArgumentException for a negative backlog
     * @throws NativeIoException        e.g. {@code EOPNOTSUPP} on a datagram socket
     */
    public static void listen(Fd fd, int backlog) throws NativeIoException {
        if (backlog < 0) {
            throw new IllegalArgumentException("listen: negative backlog " + backlog);
        }
        int raw = acquire(fd, "listen");
        try {
            NativeIoException.check("listen", Shim.get().listen(raw, backlog));
        } finally {
            fd.release();
        }
    }

    /**
     * Connects the socket ({@code connect(2)}). On a blocking socket this waits for the
     * connection (or for {@link SocketOptions#SNDTIMEO}); on a {@link SocketType#NONBLOCK} socket a
     * connection that cannot complete at once is left in progress. For a datagram socket it sets
     * the default destination.
     *
     * @param fd the socket
     * @param address the peer's address
     * @return {@code true} when connected; {@code false} when the connection is in progress
     *         ({@code EINPROGRESS}: a non-blocking socket, or a blocking one whose send timeout ran
     *         out) — wait until the socket is writable, then read {@link SocketOptions#ERROR}
     * @throws NativeIoException e.g. {@code ECONNREFUSED}, {@code ENOENT} (no such Unix socket),
     *                           {@code ETIMEDOUT}, {@code ENETUNREACH}, {@code EISCONN}
     */
    public static boolean connect(Fd fd, SockAddr address) throws NativeIoException {
        Objects.requireNonNull(address, "address");
        String op = "connect " + address;
        int raw = acquire(fd, op);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockAddr.MAX_SIZE, 8);
            int len = address.encode(sa);
            boolean interrupted = false;
            for (;;) {
                int r = Shim.get().connect(raw, sa.address(), len);
                if (r >= 0) {
                    return true;
                }
                int errno = -r;
                if (errno == Errno.EINPROGRESS.value()) {
                    return false;
                }
                if (errno == Errno.EINTR.value()) {
                    // An interrupted connect goes on in the background; calling again reports on it.
                    interrupted = true;
                    continue;
                }
                if (interrupted && errno == Errno.EISCONN.value()) {
                    return true;
                }
                if (interrupted && errno == Errno.EALREADY.value()) {
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                throw new NativeIoException(op, errno);
            }
        } finally {
            fd.release();
        }
    }

    /**
     * Accepts one connection ({@code accept4(2)} with {@code SOCK_CLOEXEC}); blocks on a blocking
     * listener.
     *
     * @param listener a listening socket
     * @return the new connection and its peer's address
     * @throws NativeIoException e.g. {@code EINVAL} (not listening), {@code EAGAIN} (a non-blocking
     *                           listener with nothing pending), {@code EMFILE}
     */
    public static Accepted accept(Fd listener) throws NativeIoException {
        return accept(listener, EnumSet.noneOf(SocketType.class));
    }

    /**
     * As {@link #accept(Fd)}, giving the new socket {@code flags} (only {@link SocketType#NONBLOCK}
     * and {@link SocketType#CLOEXEC}; close-on-exec is always set).
     *
     * @param listener a listening socket
     * @param flags {@link SocketType#NONBLOCK} and/or {@link SocketType#CLOEXEC}
     * @return the new connection and its peer's address
     * @throws IllegalArgumentException if {@code flags} holds a base type
     * @throws NativeIoException naming the call, with the errno
     */
    public static Accepted accept(Fd listener, Set<SocketType> flags) throws NativeIoException {
        int bits = SocketType.CLOEXEC.value();
        for (SocketType f : flags) {
            if (!f.isFlag()) {
                throw new IllegalArgumentException("accept: " + f + " is not a flag (NONBLOCK, CLOEXEC)");
            }
            bits |= f.value();
        }
        int raw = acquire(listener, "accept");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockAddr.MAX_SIZE, 8);
            MemorySegment len = arena.allocate(JAVA_INT);
            for (;;) {
                len.set(JAVA_INT, 0, SockAddr.MAX_SIZE);
                int r = Shim.get().accept4(raw, sa.address(), len.address(), bits);
                if (r == -Errno.EINTR.value()) {
                    continue;
                }
                int fd = (int) NativeIoException.check("accept", r);
                Fd accepted = Fd.adopt(fd, Fd.Kind.SOCKET);
                try {
                    return new Accepted(accepted, SockAddr.decode(sa, len.get(JAVA_INT, 0)));
                } catch (RuntimeException e) {
                    accepted.close(); // an address family ringio cannot show: do not leak the socket
                    throw e;
                }
            }
        } finally {
            listener.release();
        }
    }

    /**
     * Ends one or both directions of a connection ({@code shutdown(2)}). {@code ENOTCONN} (the peer
     * already gone, or never connected) is ignored: the direction is shut either way.
     *
     * @param fd the socket
     * @param how which direction(s) to shut down
     * @throws NativeIoException e.g. {@code ENOTSOCK}, {@code EBADF}
     */
    public static void shutdown(Fd fd, ShutdownHow how) throws NativeIoException {
        Objects.requireNonNull(how, "how");
        String op = "shutdown " + how;
        int raw = acquire(fd, op);
        try {
            int r = Shim.get().shutdown(raw, how.value());
            if (r < 0 && r != -Errno.ENOTCONN.value()) {
                throw new NativeIoException(op, -r);
            }
        } finally {
            fd.release();
        }
    }

    /**
     * The socket's local address ({@code getsockname(2)}); {@link UnixSockAddr#UNNAMED} for an
     * unbound Unix socket.
     *
     * @param fd the socket
     * @return the socket's local address
     * @throws NativeIoException naming the call, with the errno
     */
    public static SockAddr getsockname(Fd fd) throws NativeIoException {
        return name(fd, "getsockname", false);
    }

    /**
     * The connected peer's address ({@code getpeername(2)}).
     *
     * @param fd the socket
     * @return the connected peer's address
     * @throws NativeIoException {@code ENOTCONN} when not connected
     */
    public static SockAddr getpeername(Fd fd) throws NativeIoException {
        return name(fd, "getpeername", true);
    }

    private static SockAddr name(Fd fd, String op, boolean peer) throws NativeIoException {
        int raw = acquire(fd, op);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockAddr.MAX_SIZE, 8);
            MemorySegment len = arena.allocateFrom(JAVA_INT, SockAddr.MAX_SIZE);
            int r = peer ? Shim.get().getpeername(raw, sa.address(), len.address())
                    : Shim.get().getsockname(raw, sa.address(), len.address());
            NativeIoException.check(op, r);
            return SockAddr.decode(sa, len.get(JAVA_INT, 0));
        } finally {
            fd.release();
        }
    }

    /**
     * The socket's address family ({@code SO_DOMAIN}), Gerbil's {@code socket-domain}.
     *
     * @param fd the socket
     * @return the address family
     * @throws NativeIoException naming the call, with the errno
     */
    public static Domain domain(Fd fd) throws NativeIoException {
        return Domain.of(getOption(fd, SocketOptions.DOMAIN));
    }

    /**
     * The socket's base type ({@code SO_TYPE}).
     *
     * @param fd the socket
     * @return the base type
     * @throws NativeIoException naming the call, with the errno
     */
    public static SocketType type(Fd fd) throws NativeIoException {
        return SocketType.of(getOption(fd, SocketOptions.TYPE));
    }

    /**
     * The socket's protocol ({@code SO_PROTOCOL}); {@link Protocol#DEFAULT} for 0 (Unix sockets).
     *
     * @param fd the socket
     * @return the protocol
     * @throws IllegalArgumentException for a protocol {@link Protocol} does not name
     * @throws NativeIoException naming the call, with the errno
     */
    public static Protocol protocol(Fd fd) throws NativeIoException {
        return Protocol.of(getOption(fd, SocketOptions.PROTOCOL));
    }

    /**
     * The socket's protocol number ({@code SO_PROTOCOL}), whether or not {@link Protocol} names it.
     *
     * @param fd the socket
     * @return the protocol number
     * @throws NativeIoException naming the call, with the errno
     */
    public static int protocolNumber(Fd fd) throws NativeIoException {
        return getOption(fd, SocketOptions.PROTOCOL);
    }

    // ---- data -------------------------------------------------------------------------------------

    /**
     * Sends the bytes between {@code src}'s position and limit to {@code destination}
     * ({@code sendmsg(2)} with {@link MsgFlag#NOSIGNAL} added), and advances the position by the
     * bytes sent. A stream socket may take fewer bytes than offered; a datagram goes whole or not
     * at all ({@code EMSGSIZE}).
     *
     * @param destination where to send (datagram sockets), or {@code null} for the connected peer
     * @param fd the socket
     * @param src the bytes to send, from position to limit
     * @param flags the {@code MSG_*} flags
     * @return the bytes sent
     * @throws NativeIoException e.g. {@code EPIPE} (the connection is shut for writing),
     *                           {@code ECONNRESET}, {@code EAGAIN} (non-blocking, or SNDTIMEO ran out),
     *                           {@code EDESTADDRREQ}, {@code EMSGSIZE}
     */
    public static int sendto(Fd fd, ByteBuffer src, Set<MsgFlag> flags, SockAddr destination) throws NativeIoException {
        Objects.requireNonNull(src, "src");
        int bits = MsgFlag.bits(flags) | MsgFlag.NOSIGNAL.value();
        String op = destination == null ? "send" : "sendto " + destination;
        int length = src.remaining();
        int raw = acquire(fd, op);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data;
            if (src.isDirect()) {
                data = MemorySegment.ofBuffer(src);
            } else {
                data = arena.allocate(Math.max(1, length));
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, data, 0, length);
            }
            MemorySegment msg = message(arena, data, length, destination);
            long n;
            do {
                n = Shim.get().sendmsg(raw, msg.address(), bits);
            } while (n == -Errno.EINTR.value());
            NativeIoException.check(op, n);
            src.position(src.position() + (int) n);
            return (int) n;
        } finally {
            Reference.reachabilityFence(src);
            fd.release();
        }
    }

    /**
     * {@link #sendto} to the connected peer ({@code send(2)}).
     *
     * @param fd the socket
     * @param src the bytes to send, from position to limit
     * @param flags the {@code MSG_*} flags
     * @return the byte count sent
     * @throws NativeIoException naming the call, with the errno
     */
    public static int send(Fd fd, ByteBuffer src, Set<MsgFlag> flags) throws NativeIoException {
        return sendto(fd, src, flags, null);
    }

    /**
     * Receives into {@code dst} between its position and limit ({@code recvmsg(2)}), advancing the
     * position by the bytes stored, and reports the sender.
     *
     * @param fd the socket
     * @param dst the buffer to fill, from position to limit
     * @param flags the {@code MSG_*} flags
     * @return the bytes received and the sender; 0 bytes at end of stream on a stream socket
     * @throws IllegalArgumentException if {@code dst} is read-only
     * @throws NativeIoException        e.g. {@code EAGAIN} (non-blocking, or RCVTIMEO ran out),
     *                                  {@code ECONNRESET}, {@code ENOTCONN}
     */
    public static Received recvfrom(Fd fd, ByteBuffer dst, Set<MsgFlag> flags) throws NativeIoException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("recvfrom: read-only buffer");
        }
        int bits = MsgFlag.bits(flags);
        int length = dst.remaining();
        int raw = acquire(fd, "recvfrom");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = dst.isDirect() ? MemorySegment.ofBuffer(dst) : arena.allocate(Math.max(1, length));
            MemorySegment name = arena.allocate(SockAddr.MAX_SIZE, 8);
            MemorySegment msg = message(arena, data, length, null);
            msg.set(JAVA_LONG, NetLayouts.Msghdr.NAME, name.address());
            long n;
            do {
                msg.set(JAVA_INT, NetLayouts.Msghdr.NAMELEN, SockAddr.MAX_SIZE);
                n = Shim.get().recvmsg(raw, msg.address(), bits);
            } while (n == -Errno.EINTR.value());
            NativeIoException.check("recvfrom", n);
            // With MSG_TRUNC the kernel reports a datagram's full length, which may exceed the buffer.
            int stored = (int) Math.min(n, length);
            if (!dst.isDirect()) {
                MemorySegment.copy(data, 0, MemorySegment.ofBuffer(dst), 0, stored);
            }
            dst.position(dst.position() + stored);
            int nameLen = msg.get(JAVA_INT, NetLayouts.Msghdr.NAMELEN);
            return new Received((int) n, nameLen == 0 ? null : SockAddr.decode(name, nameLen));
        } finally {
            Reference.reachabilityFence(dst);
            fd.release();
        }
    }

    /**
     * {@link #recvfrom} without the sender ({@code recv(2)}): the bytes received, 0 at end of
     * stream.
     *
     * @param fd the socket
     * @param dst the buffer to fill, from position to limit
     * @param flags the {@code MSG_*} flags
     * @return the byte count received, 0 at end of stream
     * @throws NativeIoException naming the call, with the errno
     */
    public static int recv(Fd fd, ByteBuffer dst, Set<MsgFlag> flags) throws NativeIoException {
        return recvfrom(fd, dst, flags).bytes();
    }

    /** A msghdr with one iovec over {@code data}, and {@code destination} as its name when given. */
    private static MemorySegment message(Arena arena, MemorySegment data, int length, SockAddr destination) {
        MemorySegment msg = arena.allocate(NetLayouts.Msghdr.SIZE, 8);
        MemorySegment iov = arena.allocate(NetLayouts.Iovec.SIZE, 8);
        iov.set(JAVA_LONG, NetLayouts.Iovec.BASE, data.address());
        iov.set(JAVA_LONG, NetLayouts.Iovec.LEN, length);
        msg.set(JAVA_LONG, NetLayouts.Msghdr.IOV, iov.address());
        msg.set(JAVA_LONG, NetLayouts.Msghdr.IOVLEN, 1);
        if (destination != null) {
            MemorySegment name = arena.allocate(SockAddr.MAX_SIZE, 8);
            int len = destination.encode(name);
            msg.set(JAVA_LONG, NetLayouts.Msghdr.NAME, name.address());
            msg.set(JAVA_INT, NetLayouts.Msghdr.NAMELEN, len);
        }
        return msg;
    }

    // ---- options ----------------------------------------------------------------------------------

    /**
     * Reads a socket option ({@code getsockopt(2)}).
     *
     * @param <T> the option's value type
     * @param fd the socket
     * @param option the option to read
     * @return the option's value
     * @throws UnsupportedOperationException for a write-only option (before any system call)
     * @throws NativeIoException             e.g. {@code ENOPROTOOPT} (no such option at that level,
     *                                       or not on this kind of socket), {@code ENOTCONN}
     */
    public static <T> T getOption(Fd fd, SocketOption<T> option) throws NativeIoException {
        Objects.requireNonNull(option, "option");
        String op = "getsockopt " + option.name();
        if (!option.isReadable()) {
            throw new UnsupportedOperationException(op + ": write-only option");
        }
        OptionCodec<T> codec = option.codec();
        int raw = acquire(fd, op);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(codec.capacity(), 8);
            MemorySegment len = arena.allocateFrom(JAVA_INT, codec.capacity());
            NativeIoException.check(op, Shim.get().getsockopt(raw, option.level(), option.optname(), value.address(), len.address()));
            return codec.decode(value, len.get(JAVA_INT, 0));
        } finally {
            fd.release();
        }
    }

    /**
     * Writes a socket option ({@code setsockopt(2)}).
     *
     * @param <T> the option's value type
     * @param fd the socket
     * @param option the option to set
     * @param value the new value
     * @throws UnsupportedOperationException for a read-only option (before any system call)
     * @throws IllegalArgumentException      if {@code value} is not of the option's type (possible
     *                                       through raw or unchecked types), or is out of the C type's
     *                                       range (a name too long, a negative timeout)
     * @throws NativeIoException             e.g. {@code ENOPROTOOPT}, {@code EINVAL} (a value the
     *                                       kernel refuses), {@code EPERM}/{@code EACCES} (privileged)
     */
    public static <T> void setOption(Fd fd, SocketOption<T> option, T value) throws NativeIoException {
        Objects.requireNonNull(option, "option");
        String op = "setsockopt " + option.name();
        if (!option.isWritable()) {
            throw new UnsupportedOperationException(op + ": read-only option");
        }
        Objects.requireNonNull(value, () -> op + ": null value");
        if (!option.type().isInstance(value)) {
            throw new IllegalArgumentException(op + ": value " + value + " is a " + value.getClass().getTypeName()
                    + ", the option takes a " + option.type().getTypeName());
        }
        OptionCodec<T> codec = option.codec();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = codec.encode(option.type().cast(value), arena, op);
            int raw = acquire(fd, op);
            try {
                NativeIoException.check(op, Shim.get().setsockopt(raw, option.level(), option.optname(),
                        bytes.address(), (int) bytes.byteSize()));
            } finally {
                fd.release();
            }
        }
    }
}
