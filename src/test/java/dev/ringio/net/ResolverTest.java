package dev.ringio.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.testing.FutureAssertions;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * getaddrinfo through the shim, on names this machine answers without a network: "localhost"
 * (/etc/hosts), numeric hosts, and NUMERICHOST cases. The sandbox has no DNS, so an unknown name
 * fails with EAI_NONAME or EAI_AGAIN.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class ResolverTest {

    private static final Hints TCP4_CANON = Hints.builder().flags(AiFlag.CANONNAME).family(Domain.INET).type(SocketType.STREAM).build();

    @Test
    void localhostWithItsCanonicalName() throws Exception {
        List<AddrInfo> r = Resolver.getaddrinfo("localhost", "80", TCP4_CANON);
        assertFalse(r.isEmpty());
        for (AddrInfo ai : r) {
            assertEquals(Domain.INET, ai.family());
            assertEquals(SocketType.STREAM, ai.type());
            assertEquals(Protocol.TCP, ai.protocol());
            assertEquals(Ipv4SockAddr.loopback(80), ai.address());
            assertEquals("localhost", ai.canonicalName(), "every result carries the canonical name");
        }
        assertThrows(UnsupportedOperationException.class, () -> r.add(r.getFirst()));
        // Without CANONNAME there is none.
        assertNull(Resolver.getaddrinfo("localhost", "80", Hints.builder().family(Domain.INET).build()).getFirst().canonicalName());
    }

    @Test
    void everyResultWithoutHints() throws Exception {
        // NULL hints: every socket type for the address.
        List<AddrInfo> r = Resolver.getaddrinfo("127.0.0.1", "53", null);
        Set<SocketType> types = EnumSet.noneOf(SocketType.class);
        for (AddrInfo ai : r) {
            assertEquals(Ipv4SockAddr.loopback(53), ai.address());
            types.add(ai.type());
            switch (ai.type()) {
                case STREAM -> assertEquals(Protocol.TCP, ai.protocol());
                case DGRAM -> assertEquals(Protocol.UDP, ai.protocol());
                case RAW -> assertEquals(Protocol.DEFAULT, ai.protocol());
                default -> fail("unexpected type " + ai);
            }
        }
        assertEquals(EnumSet.of(SocketType.STREAM, SocketType.DGRAM, SocketType.RAW), types);
    }

    @Test
    void numericHostsAndServices() throws Exception {
        Hints numeric = Hints.builder().flags(AiFlag.NUMERICHOST, AiFlag.NUMERICSERV, AiFlag.CANONNAME).type(SocketType.STREAM).build();
        List<AddrInfo> v6 = Resolver.getaddrinfo("::1", "443", numeric);
        assertEquals(1, v6.size());
        assertEquals(new AddrInfo(Domain.INET6, SocketType.STREAM, Protocol.TCP, Ipv6SockAddr.loopback(443), "::1"), v6.getFirst());
        List<AddrInfo> scoped = Resolver.getaddrinfo("fe80::1%1", "1", numeric);
        assertEquals(new Ipv6SockAddr(java.net.InetAddress.ofLiteral("fe80::1").getAddress(), 1, 0, 1), scoped.getFirst().address());

        // V4MAPPED: an IPv4 answer to an IPv6 question.
        List<AddrInfo> mapped = Resolver.getaddrinfo("127.0.0.1", "7",
                Hints.builder().flags(AiFlag.V4MAPPED).family(Domain.INET6).type(SocketType.DGRAM).build());
        assertEquals(SockAddr.parse("[::ffff:127.0.0.1]:7"), mapped.getFirst().address());
        assertEquals(Protocol.UDP, mapped.getFirst().protocol());
    }

    @Test
    void serviceNames() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/etc/services")), "/etc/services names the services");
        List<AddrInfo> r = Resolver.getaddrinfo("127.0.0.1", "http", Hints.builder().type(SocketType.STREAM).build());
        assertEquals(Ipv4SockAddr.loopback(80), r.getFirst().address());
    }

    @Test
    void noNodeGivesLoopbackOrTheWildcard() throws Exception {
        Hints stream = Hints.builder().type(SocketType.STREAM).build();
        for (AddrInfo ai : Resolver.getaddrinfo(null, "8080", stream)) {
            assertTrue(ai.address().equals(Ipv4SockAddr.loopback(8080)) || ai.address().equals(Ipv6SockAddr.loopback(8080)), ai.toString());
        }
        Hints passive = Hints.builder().type(SocketType.STREAM).flags(AiFlag.PASSIVE).build();
        for (AddrInfo ai : Resolver.getaddrinfo(null, "8080", passive)) {
            assertTrue(ai.address().equals(Ipv4SockAddr.any(8080)) || ai.address().equals(Ipv6SockAddr.any(8080)), ai.toString());
        }
        // No service: port 0.
        assertEquals(Ipv4SockAddr.loopback(0), Resolver.getaddrinfo("127.0.0.1", null, stream).getFirst().address());
    }

    @Test
    void failuresAreNamed() {
        ResolverException unknown = assertThrows(ResolverException.class, () -> Resolver.getaddrinfo("no-such-host.invalid", "80", null));
        assertTrue(unknown.eaiName().equals("EAI_NONAME") || unknown.eaiName().equals("EAI_AGAIN"), unknown.getMessage());
        assertTrue(unknown.getMessage().startsWith("getaddrinfo no-such-host.invalid service 80: " + unknown.eaiName() + " ("),
                unknown.getMessage());
        assertEquals(0, unknown.errno());

        failure("EAI_NONAME", SocketConstants.EAI_NONAME, "Name or service not known",
                () -> Resolver.getaddrinfo("localhost", "80", Hints.builder().flags(AiFlag.NUMERICHOST).build()));
        failure("EAI_SERVICE", SocketConstants.EAI_SERVICE, "Servname not supported for ai_socktype",
                () -> Resolver.getaddrinfo("127.0.0.1", "no-such-service-xyz", Hints.builder().type(SocketType.STREAM).build()));
        failure("EAI_ADDRFAMILY", SocketConstants.EAI_ADDRFAMILY, "Address family for hostname not supported",
                () -> Resolver.getaddrinfo("127.0.0.1", "80", Hints.builder().family(Domain.INET6).flags(AiFlag.NUMERICHOST).build()));
        failure("EAI_BADFLAGS", SocketConstants.EAI_BADFLAGS, "Bad value for ai_flags",
                () -> Resolver.getaddrinfo(null, "80", Hints.builder().flags(AiFlag.CANONNAME).build()));
        failure("EAI_SOCKTYPE", SocketConstants.EAI_SOCKTYPE, "ai_socktype not supported",
                () -> Resolver.getaddrinfo("127.0.0.1", "80", Hints.builder().type(SocketType.STREAM).protocol(Protocol.UDP).build()));
        failure("EAI_FAMILY", SocketConstants.EAI_FAMILY, "ai_family not supported",
                () -> Resolver.getaddrinfo("127.0.0.1", "80", Hints.builder().family(Domain.PACKET).build()));
    }

    private static void failure(String name, int code, String text, org.junit.jupiter.api.function.Executable call) {
        ResolverException e = assertThrows(ResolverException.class, call);
        assertEquals(name, e.eaiName(), e.getMessage());
        assertEquals(code, e.eaiCode());
        assertTrue(e.getMessage().contains(name + " (" + text + ")"), e.getMessage());
    }

    @Test
    void badArgumentsFailFast() {
        assertThrows(IllegalArgumentException.class, () -> Resolver.getaddrinfo(null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Resolver.getaddrinfo("local\0host", "80", null));
        assertThrows(IllegalArgumentException.class, () -> Hints.builder().type(SocketType.NONBLOCK).build());
        assertEquals(Hints.ANY, Hints.builder().build());
    }

    @Test
    void asynchronouslyOnAnExecutor() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "resolver-test"));
        try {
            AtomicReference<String> thread = new AtomicReference<>();
            CompletableFuture<List<AddrInfo>> f = Resolver.getaddrinfoAsync("localhost", "80", TCP4_CANON, r -> pool.execute(() -> {
                thread.set(Thread.currentThread().getName());
                r.run();
            }));
            assertEquals(Resolver.getaddrinfo("localhost", "80", TCP4_CANON), FutureAssertions.await(f));
            assertEquals("resolver-test", thread.get());

            CompletableFuture<List<AddrInfo>> bad = Resolver.getaddrinfoAsync("localhost", "80",
                    Hints.builder().flags(AiFlag.NUMERICHOST).build(), pool);
            ResolverException e = FutureAssertions.failure(bad, ResolverException.class);
            assertEquals("EAI_NONAME", e.eaiName());
        } finally {
            pool.shutdownNow();
        }
        CompletableFuture<List<AddrInfo>> rejected = Resolver.getaddrinfoAsync("localhost", "80", null, r -> {
            throw new RejectedExecutionException("full");
        });
        FutureAssertions.failure(rejected, RejectedExecutionException.class);
    }

    @Test
    void manyCallsFreeTheirResults() throws Exception {
        // A smoke test of the try/finally around freeaddrinfo: thousands of lookups, success and failure.
        for (int i = 0; i < 5000; i++) {
            Resolver.getaddrinfo("127.0.0.1", "80", null);
            assertThrows(ResolverException.class, () -> Resolver.getaddrinfo("x", "80", Hints.builder().flags(AiFlag.NUMERICHOST).build()));
        }
    }
}
