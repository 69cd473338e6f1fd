package dev.ringio.blocking;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ringio.EngineConfig;
import dev.ringio.EngineGroup;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.testing.FutureAssertions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BlockingIo#of(EngineGroup)}: a thread-per-connection server on virtual threads whose
 * connections spread over the group's engines, each connection's operations on its owner's loop.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingIoGroupTest {

    private static final int LOOPS = 2;
    private static final int CONNECTIONS = 8;

    private static EngineGroup open(String engine) throws IOException {
        if (engine.equals("uring")) {
            KernelFeatures.assume(KernelFeatures.ioUring(), KernelFeatures.IO_URING);
        }
        return IoEngines.group(engine, LOOPS, EngineConfig.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "epoll"})
    void virtualThreadConnectionsSpreadOverTheGroupAndEachStaysOnItsOwner(String engine) throws Exception {
        try (EngineGroup group = open(engine)) {
            BlockingIo io = BlockingIo.of(group);
            try (RingioServerSocket server = RingioServerSocket.open(io,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CONNECTIONS)) {
                InetSocketAddress at = server.localAddress();
                List<RingioSocket> served = new ArrayList<>();
                List<Thread> handlers = new ArrayList<>();
                Thread acceptor = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < CONNECTIONS; i++) {
                            RingioSocket s = server.accept();
                            synchronized (served) {
                                served.add(s);
                            }
                            Thread h = Thread.ofVirtual().start(() -> echoOnce(s));
                            synchronized (handlers) {
                                handlers.add(h);
                            }
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                List<RingioSocket> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < CONNECTIONS; i++) {
                        RingioSocket c = RingioSocket.connect(io, at);
                        clients.add(c);
                        String msg = "hello " + i;
                        c.write(ByteBuffer.wrap(msg.getBytes(StandardCharsets.US_ASCII)));
                        ByteBuffer back = ByteBuffer.allocate(msg.length());
                        while (back.hasRemaining()) {
                            assertTrue(c.read(back) > 0, "echo of connection " + i);
                        }
                        assertEquals(msg, new String(back.array(), StandardCharsets.US_ASCII));
                    }
                    acceptor.join();
                    Set<IoEngine> owners = new HashSet<>();
                    for (RingioSocket s : served) {
                        owners.add(group.owner(s.fd()));
                    }
                    Set<IoEngine> clientOwners = new HashSet<>();
                    for (RingioSocket c : clients) {
                        IoEngine owner = group.owner(c.fd());
                        clientOwners.add(owner);
                        // A receive through the group view, pending until the server echoes what is
                        // written after it is armed, completes on the owner's loop.
                        CompletableFuture<IoEngine> ranOn = io.engine().recv(c.fd(), ByteBuffer.allocateDirect(1), Set.of())
                                .thenApply(n -> group.current());
                        c.write(ByteBuffer.wrap(new byte[] {'x'}));
                        assertSame(owner, await(ranOn), "a receive on " + c.fd() + " completed on its owner's loop");
                    }
                    // Each new descriptor's first operation claims it with next(), round robin: how the
                    // claims of clients and accepted connections interleave is up to the scheduler,
                    // but together they cover every engine.
                    owners.addAll(clientOwners);
                    assertEquals(LOOPS, owners.size(), "connections spread over every engine of the group");
                } finally {
                    for (RingioSocket c : clients) {
                        c.close();
                    }
                    acceptor.join();
                    synchronized (handlers) {
                        for (Thread h : handlers) {
                            h.join();
                        }
                    }
                    for (RingioSocket s : served) {
                        s.close();
                    }
                }
            }
        }
    }

    /** Echoes until end of stream. */
    private static void echoOnce(RingioSocket s) {
        ByteBuffer buf = ByteBuffer.allocate(256);
        try {
            while (s.read(buf.clear()) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    s.write(buf);
                }
            }
        } catch (IOException e) {
            // the client side asserts the echo
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "epoll"})
    void blockingCallsAreRefusedOnEveryLoopOfTheGroupAndBufferRingsNeedOneEngine(String engine) throws Exception {
        try (EngineGroup group = open(engine)) {
            BlockingIo io = BlockingIo.of(group);
            for (IoEngine e : group.engines()) {
                CompletableFuture<Throwable> refused = new CompletableFuture<>();
                e.execute(() -> {
                    try {
                        io.sleep(java.time.Duration.ofMillis(1));
                        refused.complete(null);
                    } catch (Throwable t) {
                        refused.complete(t);
                    }
                });
                assertTrue(await(refused) instanceof IllegalStateException, "on the loop of " + e);
            }
            assertThrows(UnsupportedOperationException.class, () -> io.engine().bufferRing(8, 4096));
            assertEquals(group.name(), io.engine().name());
            Fd fd = await(io.engine().socket(dev.ringio.net.Domain.INET, Set.of(dev.ringio.net.SocketType.STREAM),
                    dev.ringio.net.Protocol.DEFAULT));
            io.close(fd);
            assertTrue(!fd.isOpen());
        }
    }
}
