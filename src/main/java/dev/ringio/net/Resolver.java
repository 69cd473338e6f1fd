package dev.ringio.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.ringio.Errno;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library's resolver ({@code getaddrinfo(3)}, arew's {@code getaddrinfo}): names and
 * services to socket addresses, as configured by {@code /etc/nsswitch.conf} ({@code /etc/hosts},
 * DNS, ...).
 *
 * <p>Threading: any thread. {@link #getaddrinfo} blocks, possibly for seconds (DNS), so it never
 * belongs on an engine's loop thread; {@link #getaddrinfoAsync} runs it on an executor of the
 * caller's choosing.
 */
public final class Resolver {

    // The longest canonical name read back (NI_MAXHOST).
    private static final int MAX_NAME = 1025;
    // ringio_getaddrinfo returns -(this + errno) for EAI_SYSTEM, so the errno survives.
    private static final int SYSTEM_ERRNO_BASE = 10000;

    private Resolver() {
    }

    /**
     * Resolves {@code node} and {@code service}, returning every result in the resolver's order;
     * the C result list is always freed.
     *
     * @param node    a host name or numeric address, or {@code null} (then: loopback, or the wildcard
     *                with {@link AiFlag#PASSIVE})
     * @param service a service name ("http") or port number ("80"), or {@code null} (port 0)
     * @param hints   what to return, or {@code null} for the C library's defaults (any family, type
     *                and protocol; {@code AI_V4MAPPED | AI_ADDRCONFIG})
     * @return every address found, in the resolver's order
     * @throws IllegalArgumentException if both {@code node} and {@code service} are null, or one
     *                                  contains a NUL character
     * @throws ResolverException        e.g. {@code EAI_NONAME} (no such host or service, or not
     *                                  numeric under NUMERICHOST), {@code EAI_AGAIN} (a name server
     *                                  did not answer), {@code EAI_SERVICE}, {@code EAI_SYSTEM}
     */
    public static List<AddrInfo> getaddrinfo(String node, String service, Hints hints) throws ResolverException {
        if (node == null && service == null) {
            throw new IllegalArgumentException("getaddrinfo: node and service are both null");
        }
        if ((node != null && node.indexOf('\0') >= 0) || (service != null && service.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("getaddrinfo: NUL character in node or service");
        }
        NetLayouts.verify();
        Shim shim = Shim.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = node == null ? MemorySegment.NULL : arena.allocateFrom(node);
            MemorySegment s = service == null ? MemorySegment.NULL : arena.allocateFrom(service);
            MemorySegment h = hints == null ? MemorySegment.NULL : encode(hints, arena);
            MemorySegment res = arena.allocate(JAVA_LONG); // zeroed: stays NULL on failure
            int r = shim.getaddrinfo(n.address(), s.address(), h.address(), res.address());
            long list = res.get(JAVA_LONG, 0);
            try {
                if (r != 0) {
                    throw failure(shim, node, service, r);
                }
                return walk(list);
            } finally {
                shim.freeaddrinfo(list);
            }
        }
    }

    /**
     * {@link #getaddrinfo} on {@code executor}: the future completes with the results, or
     * exceptionally with the {@link ResolverException} (or {@link IllegalArgumentException}, or the
     * executor's {@link java.util.concurrent.RejectedExecutionException}). Any thread; returns at once.
     *
     * @param node a host name or numeric address, or {@code null}
     * @param service a service name or port number, or {@code null}
     * @param hints what to return, or {@code null} for the C library's defaults
     * @param executor where the blocking lookup runs
     * @return a future of every address found
     */
    public static CompletableFuture<List<AddrInfo>> getaddrinfoAsync(String node, String service, Hints hints, Executor executor) {
        Objects.requireNonNull(executor, "executor");
        CompletableFuture<List<AddrInfo>> f = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    f.complete(getaddrinfo(node, service, hints));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private static MemorySegment encode(Hints hints, Arena arena) {
        MemorySegment h = arena.allocate(NetLayouts.Addrinfo.SIZE, 8);
        h.set(JAVA_INT, NetLayouts.Addrinfo.FLAGS, AiFlag.bits(hints.flags()));
        h.set(JAVA_INT, NetLayouts.Addrinfo.FAMILY, hints.family().value());
        h.set(JAVA_INT, NetLayouts.Addrinfo.SOCKTYPE, hints.type() == null ? 0 : hints.type().value());
        h.set(JAVA_INT, NetLayouts.Addrinfo.PROTOCOL, hints.protocol().value());
        return h;
    }

    // reinterpret: the C library's result list, valid until freeaddrinfo, which runs after this returns.
    @SuppressWarnings("restricted")
    private static List<AddrInfo> walk(long head) {
        record Raw(Domain family, SocketType type, Protocol protocol, SockAddr address) {
        }
        List<Raw> raws = new ArrayList<>();
        String canonical = null;
        for (long p = head; p != 0; ) {
            MemorySegment ai = MemorySegment.ofAddress(p).reinterpret(NetLayouts.Addrinfo.SIZE);
            int family = ai.get(JAVA_INT, NetLayouts.Addrinfo.FAMILY);
            long cn = ai.get(JAVA_LONG, NetLayouts.Addrinfo.CANONNAME);
            if (cn != 0 && canonical == null) {
                canonical = MemorySegment.ofAddress(cn).reinterpret(MAX_NAME).getString(0);
            }
            // glibc gives only IPv4 and IPv6 results; anything else would have no SockAddr form.
            if (family == Domain.INET.value() || family == Domain.INET6.value()) {
                int len = ai.get(JAVA_INT, NetLayouts.Addrinfo.ADDRLEN);
                MemorySegment sa = MemorySegment.ofAddress(ai.get(JAVA_LONG, NetLayouts.Addrinfo.ADDR)).reinterpret(len);
                raws.add(new Raw(Domain.of(family), SocketType.of(ai.get(JAVA_INT, NetLayouts.Addrinfo.SOCKTYPE)),
                        Protocol.of(ai.get(JAVA_INT, NetLayouts.Addrinfo.PROTOCOL)), SockAddr.decode(sa, len)));
            }
            p = ai.get(JAVA_LONG, NetLayouts.Addrinfo.NEXT);
        }
        List<AddrInfo> out = new ArrayList<>(raws.size());
        for (Raw r : raws) {
            out.add(new AddrInfo(r.family(), r.type(), r.protocol(), r.address(), canonical));
        }
        return Collections.unmodifiableList(out);
    }

    private static ResolverException failure(Shim shim, String node, String service, int r) {
        int code = r <= -SYSTEM_ERRNO_BASE ? SocketConstants.EAI_SYSTEM : r;
        int errno = r <= -SYSTEM_ERRNO_BASE ? -r - SYSTEM_ERRNO_BASE : 0;
        String text;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            text = shim.gaiStrerror(code, buf.address(), (int) buf.byteSize()) >= 0 ? buf.getString(0) : "?";
        }
        StringBuilder msg = new StringBuilder("getaddrinfo");
        if (node != null) {
            msg.append(' ').append(node);
        }
        if (service != null) {
            msg.append(" service ").append(service);
        }
        msg.append(": ").append(ResolverException.nameOf(code)).append(" (").append(text).append(')');
        if (errno != 0) {
            msg.append(" [").append(Errno.nameOf(errno)).append(": ").append(Errno.describe(errno)).append(']');
        }
        return new ResolverException(msg.toString(), code, errno);
    }
}
