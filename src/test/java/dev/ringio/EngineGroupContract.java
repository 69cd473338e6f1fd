package dev.ringio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.net.Accepted;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an {@link EngineGroup} promises, on one kind of engine (the subclasses name it): one loop
 * thread per engine, round-robin placement, an fd's operations completing on its owner's loop,
 * connections spread over {@code SO_REUSEPORT} listeners, and a close with operations in flight on
 * every engine that completes every future and returns.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class EngineGroupContract {

    static final int SIZE = 3;

    EngineGroup group;

    /** The engine kind, as {@link IoEngines#group(String, int, EngineConfig)} names it. */
    abstract String engineName();

    @BeforeEach
    void openGroup() throws Exception {
        group = IoEngines.group(engineName(), SIZE, EngineConfig.defaults());
    }

    @AfterEach
    void closeGroup() {
        group.close();
    }

    /** The thread each engine's tasks run on, found by running one task on each. */
    private List<Thread> loopThreads() {
        List<Thread> threads = new ArrayList<>();
        for (IoEngine e : group.engines()) {
            CompletableFuture<Thread> t = new CompletableFuture<>();
            e.execute(() -> {
                assertSame(e, group.current(), "current() on the loop of " + e);
                t.complete(Thread.currentThread());
            });
            threads.add(await(t));
        }
        return threads;
    }

    @Test
    void opensNEnginesOfTheKindEachWithItsOwnLoopThread() {
        assertEquals(SIZE, group.size());
        assertEquals(SIZE, group.engines().size());
        assertEquals(SIZE, Set.copyOf(group.engines()).size(), "distinct engines");
        for (IoEngine e : group.engines()) {
            assertEquals(group.name(), e.name());
            assertTrue(group.contains(e));
        }
        assertEquals(engineName().equals("uring") ? "io_uring" : engineName(), group.name());
        List<Thread> threads = loopThreads();
        assertEquals(SIZE, new HashSet<>(threads).size(), "one loop thread per engine: " + threads);
        assertNull(group.current(), "the test thread is no loop");
    }

    @Test
    void nextPlacesWorkRoundRobin() {
        List<IoEngine> engines = group.engines();
        for (int i = 0; i < 3 * SIZE; i++) {
            assertSame(engines.get(i % SIZE), group.next(), "call " + i);
        }
    }

    @Test
    void ownerIsClaimedOnceEvenByConcurrentCallersAndSpreadsNewFds() throws Exception {
        Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
        try {
            int threads = 8;
            CyclicBarrier start = new CyclicBarrier(threads);
            AtomicReferenceArray<IoEngine> seen = new AtomicReferenceArray<>(threads);
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int me = i;
                callers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await(20, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    seen.set(me, group.owner(pair[0]));
                }));
            }
            for (Thread t : callers) {
                t.join();
            }
            IoEngine owner = group.owner(pair[0]);
            for (int i = 0; i < threads; i++) {
                assertSame(owner, seen.get(i), "caller " + i);
            }
            // A claim after the first one changes nothing.
            IoEngine other = group.engines().get((group.engines().indexOf(owner) + 1) % SIZE);
            assertSame(owner, group.assign(pair[0], other));
            // A fresh fd claimed for a chosen engine stays there.
            assertSame(other, group.assign(pair[1], other));
            assertSame(other, group.owner(pair[1]));
        } finally {
            pair[0].close();
            pair[1].close();
        }
        // New fds with no owner are spread: SIZE of them land on SIZE different engines.
        Set<IoEngine> owners = new HashSet<>();
        List<Fd> fds = new ArrayList<>();
        try {
            for (int i = 0; i < SIZE; i++) {
                Fd fd = Sockets.socket(Domain.INET, SocketType.STREAM);
                fds.add(fd);
                owners.add(group.owner(fd));
            }
        } finally {
            fds.forEach(Fd::close);
        }
        assertEquals(SIZE, owners.size(), "fresh fds spread over every engine");
    }

    @Test
    void refusesEnginesAndFdsOfAnotherGroup() throws Exception {
        try (EngineGroup other = IoEngines.group(engineName(), 1, EngineConfig.defaults());
             Fd fd = Sockets.socket(Domain.INET, SocketType.STREAM)) {
            IoEngine foreign = other.engines().getFirst();
            assertThrows(IllegalArgumentException.class, () -> group.assign(fd, foreign));
            assertSame(foreign, other.owner(fd));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> group.owner(fd));
            assertTrue(e.getMessage().contains("not an engine of this group"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> IoEngines.group(engineName(), 0, EngineConfig.defaults()));
    }

    @Test
    void anFdsOperationsCompleteOnItsOwnersLoopThread() throws Exception {
        List<Thread> loops = loopThreads();
        int pairs = 2 * SIZE;
        List<Fd[]> open = new ArrayList<>();
        try {
            List<CompletableFuture<Thread>> completedOn = new ArrayList<>();
            List<IoEngine> owners = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
                open.add(pair);
                IoEngine owner = group.owner(pair[0]);
                owners.add(owner);
                // Several operations on the same fd, each through the group's owner lookup.
                for (int op = 0; op < 3; op++) {
                    ByteBuffer dst = ByteBuffer.allocateDirect(1);
                    completedOn.add(group.owner(pair[0]).recv(pair[0], dst, Set.of())
                            .thenApply(n -> Thread.currentThread()));
                }
            }
            for (Fd[] pair : open) {
                Sockets.send(pair[1], ByteBuffer.wrap("abcdef".getBytes(StandardCharsets.US_ASCII)), Set.of());
            }
            for (int i = 0; i < completedOn.size(); i++) {
                IoEngine owner = owners.get(i / 3);
                Thread expected = loops.get(group.engines().indexOf(owner));
                assertSame(expected, await(completedOn.get(i)), "op " + i + " completed on its owner's loop");
            }
            assertEquals(SIZE, Set.copyOf(owners).size(), "the fds were spread over every engine");
        } finally {
            for (Fd[] pair : open) {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    @Test
    void reusePortListenersSpreadConnectionsOverEveryEngine() throws Exception {
        List<Fd> listeners = group.listenReusePort(Ipv4SockAddr.loopback(0), 256);
        int connections = 64;
        ConcurrentHashMap<Integer, AtomicInteger> perListener = new ConcurrentHashMap<>();
        List<Fd> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(connections);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Fd> clients = new ArrayList<>();
        try {
            assertEquals(SIZE, listeners.size());
            int port = ((Ipv4SockAddr) Sockets.getsockname(listeners.getFirst())).port();
            for (int i = 0; i < SIZE; i++) {
                Fd l = listeners.get(i);
                assertSame(group.engines().get(i), group.owner(l), "listener " + i + " owned by engine " + i);
                assertEquals(port, ((Ipv4SockAddr) Sockets.getsockname(l)).port(), "every listener on one port");
                perListener.put(i, new AtomicInteger());
                acceptForever(i, l, perListener.get(i), accepted, all, failure);
            }
            // Clients through ringio's own sockets: a JDK Socket would make the JDK open a descriptor it
            // keeps for the life of the JVM (its pre-close socket pair), which the leak check would see.
            for (int i = 0; i < connections; i++) {
                Fd client = Sockets.socket(Domain.INET, SocketType.STREAM);
                clients.add(client);
                await(group.next().connect(client, Ipv4SockAddr.loopback(port)));
            }
            assertTrue(all.await(30, TimeUnit.SECONDS), "accepted " + (connections - all.getCount()) + " of "
                    + connections + "; failure " + failure.get());
            assertNull(failure.get());
            for (int i = 0; i < SIZE; i++) {
                assertTrue(perListener.get(i).get() > 0, "listener " + i + " accepted none of " + connections
                        + ": " + perListener);
            }
            for (Fd fd : accepted) {
                assertNotNull(fd.owner(), "an accepted fd is claimed for the engine that accepted it");
            }
        } finally {
            for (int i = 0; i < listeners.size(); i++) {
                await(group.engines().get(i).close(listeners.get(i)));
            }
            clients.forEach(Fd::close);
            accepted.forEach(Fd::close);
        }
    }

    /** Accepts on {@code listener} on its own engine, one accept after another, until the listener closes. */
    private void acceptForever(int index, Fd listener, AtomicInteger count, List<Fd> accepted, CountDownLatch all,
                               AtomicReference<Throwable> failure) {
        IoEngine engine = group.owner(listener);
        engine.accept(listener).whenComplete((Accepted a, Throwable t) -> {
            if (t != null) {
                if (listener.isOpen()) {
                    failure.compareAndSet(null, t);
                }
                return;
            }
            group.assign(a.fd(), engine);
            if (!engine.inLoop()) {
                failure.compareAndSet(null, new AssertionError("accept of listener " + index + " completed off its loop"));
            }
            accepted.add(a.fd());
            count.incrementAndGet();
            all.countDown();
            acceptForever(index, listener, count, accepted, all, failure);
        });
    }

    @Test
    void closeWithOperationsInFlightOnEveryEngineCompletesEveryFutureAndReturns() throws Exception {
        List<Fd[]> open = new ArrayList<>();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        try {
            for (IoEngine e : group.engines()) {
                Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
                open.add(pair);
                assertSame(e, group.assign(pair[0], e));
                for (int i = 0; i < 4; i++) {
                    inFlight.add(e.recv(pair[0], ByteBuffer.allocateDirect(16), Set.of()));
                }
                inFlight.add(e.sleep(java.time.Duration.ofHours(1)));
                inFlight.add(e.awaitReadable(pair[0]));
            }
            // Every operation has reached its loop (a task queued after them has run) before the close.
            for (IoEngine e : group.engines()) {
                await(e.noop());
            }
            group.close();
            for (IoEngine e : group.engines()) {
                assertTrue(e.isClosed(), e + " closed");
            }
            for (int i = 0; i < inFlight.size(); i++) {
                CompletableFuture<?> f = inFlight.get(i);
                assertTrue(f.isDone(), "future " + i + " completed by the time close() returned");
                assertNotNull(failureOf(f), "future " + i + " failed");
            }
            assertThrows(EngineClosedException.class, group::next);
            assertTrue(group.isClosed());
            group.close(); // idempotent
        } finally {
            for (Fd[] pair : open) {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    @Test
    void closeFromALoopThreadReturnsAndEveryEngineFinishes() throws Exception {
        IoEngine first = group.engines().getFirst();
        CompletableFuture<Void> pending = group.engines().getLast().sleep(java.time.Duration.ofHours(1));
        CompletableFuture<Void> closedInCallback = new CompletableFuture<>();
        first.execute(() -> {
            group.close();
            closedInCallback.complete(null);
        });
        await(closedInCallback);
        assertNotNull(failureOf(pending));
        for (IoEngine e : group.engines()) {
            assertTrue(e.isClosed(), e + " closed");
        }
    }
}
