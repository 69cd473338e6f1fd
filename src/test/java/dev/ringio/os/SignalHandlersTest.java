package dev.ringio.os;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.sys.Shim;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java signal handlers with real signals sent to this JVM (by itself and by a child), the signals
 * the JVM owns refused, previous actions restored, and a child JVM's thread dump on SIGQUIT still
 * working after all of it.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SignalHandlersTest {

    private static final long PID = ProcessHandle.current().pid();

    @AfterEach
    void noHandlerLeft() throws InterruptedException {
        assertTrue(SignalHandlers.handled().isEmpty(), "handlers left: " + SignalHandlers.handled());
        // The dispatcher thread ends once the last handler is gone.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (signalThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(signalThreadAlive(), "ringio-signals still running");
    }

    static boolean signalThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("ringio-signals") && t.isAlive());
    }

    record Seen(SignalDelivery delivery, String thread) {
    }

    @Test
    void aSignalSentToTheProcessRunsTheHandlerOnRingiosThread() throws Exception {
        int usr1 = Signal.SIGUSR1.number();
        int before = Shim.get().sigDisposition(usr1);
        BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        try (SignalHandlers.Registration r = SignalHandlers.add(Signal.SIGUSR1,
                d -> seen.add(new Seen(d, Thread.currentThread().getName())))) {
            assertEquals(usr1, r.signal());
            assertEquals(3, Shim.get().sigDisposition(usr1), "ringio's native handler installed");
            assertTrue(SignalHandlers.handled().contains(usr1));
            Signals.kill(PID, Signal.SIGUSR1);
            Seen s = seen.poll(20, TimeUnit.SECONDS);
            assertNotNull(s, "handler ran");
            assertEquals("ringio-signals", s.thread());
            assertEquals(usr1, s.delivery().signal());
            assertEquals(PID, s.delivery().pid());
            assertEquals(0, s.delivery().code(), "SI_USER");
            assertEquals(SignalsTest.uid(), s.delivery().uid());
        }
        assertEquals(before, Shim.get().sigDisposition(usr1), "the previous action is back");
    }

    @Test
    void aSignalFromAChildReachesTheHandlerWithTheChildsPid() throws Exception {
        BlockingQueue<SignalDelivery> seen = new LinkedBlockingQueue<>();
        int rt = Signals.realtime(5);
        try (SignalHandlers.Registration r = SignalHandlers.add(rt, seen::add)) {
            Process child = new ProcessBuilder("/bin/sh", "-c", "kill -s " + Signals.name(rt).substring(3) + " " + PID).start();
            assertEquals(0, child.waitFor());
            SignalDelivery d = seen.poll(20, TimeUnit.SECONDS);
            assertNotNull(d, "handler ran");
            assertEquals(rt, d.signal());
            assertEquals(child.pid(), d.pid(), "sent by the child");
        }
    }

    @Test
    void severalHandlersRunInOrderAndRemoveOneOrAll() throws Exception {
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        BlockingQueue<Integer> done = new LinkedBlockingQueue<>();
        SignalHandlers.Registration a = SignalHandlers.add(Signal.SIGWINCH, d -> calls.add("a"));
        SignalHandlers.Registration b = SignalHandlers.add(Signal.SIGWINCH, d -> {
            calls.add("b");
            done.add(1);
        });
        SignalHandlers.Registration boom = SignalHandlers.add(Signal.SIGWINCH, d -> {
            throw new IllegalStateException("a failing handler is logged, the others still run");
        });
        try {
            Signals.kill(PID, Signal.SIGWINCH);
            assertNotNull(done.poll(20, TimeUnit.SECONDS));
            assertEquals(List.of("a", "b"), List.copyOf(calls));
            a.close();
            a.close(); // idempotent
            calls.clear();
            Signals.kill(PID, Signal.SIGWINCH);
            assertNotNull(done.poll(20, TimeUnit.SECONDS));
            assertEquals(List.of("b"), List.copyOf(calls));
        } finally {
            boom.close();
            SignalHandlers.remove(Signal.SIGWINCH); // removes b too
        }
        assertFalse(SignalHandlers.handled().contains(Signal.SIGWINCH));
        b.close(); // already removed: nothing happens
    }

    @Test
    void theJvmsSignalsAreRefusedWithTheReason() {
        for (Signal s : new Signal[] {Signal.SIGSEGV, Signal.SIGBUS, Signal.SIGFPE, Signal.SIGILL, Signal.SIGTRAP,
            Signal.SIGQUIT, Signal.SIGUSR2, Signal.SIGPIPE, Signal.SIGXFSZ, Signal.SIGKILL, Signal.SIGSTOP}) {
            int before = Shim.get().sigDisposition(s.number());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignalHandlers.add(s, d -> { }));
            assertTrue(e.getMessage().contains(s.name()), e.getMessage());
            assertEquals(SignalHandlers.refusalReason(s.number()).orElseThrow(),
                    e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
            assertEquals(before, Shim.get().sigDisposition(s.number()), "untouched: " + s);
        }
        assertTrue(SignalHandlers.refusalReason(Signal.SIGSEGV.number()).orElseThrow().contains("NullPointerException"));
        assertTrue(SignalHandlers.refusalReason(Signal.SIGQUIT.number()).orElseThrow().contains("thread dump"));
        assertTrue(SignalHandlers.refusalReason(Signals.rtMax() - 2).orElseThrow().contains("JDK"));
        assertTrue(SignalHandlers.refusalReason(32).orElseThrow().contains("C library"));
        assertTrue(SignalHandlers.refusalReason(Signal.SIGUSR1.number()).isEmpty());
        assertTrue(SignalHandlers.refusalReason(Signal.SIGTERM.number()).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> SignalHandlers.add(65, d -> { }));
    }

    @Test
    void handlingSigtermReplacesTheJvmsShutdownHandlerUntilRemoved() throws Exception {
        int term = Signal.SIGTERM.number();
        assertEquals(2, Shim.get().sigDisposition(term), "the JVM's shutdown handler");
        try (SignalHandlers.Registration r = SignalHandlers.add(Signal.SIGTERM, d -> { })) {
            assertEquals(3, Shim.get().sigDisposition(term));
        }
        assertEquals(2, Shim.get().sigDisposition(term), "the JVM's handler is back");
    }

    /**
     * After handlers, signalfds and masks were used in a JVM, that JVM still prints its thread dump
     * on SIGQUIT: a child JVM runs {@link SignalsThenWaitProgram}, then gets a real SIGQUIT.
     */
    @Test
    void aChildJvmStillDumpsItsThreadsOnSigquitAfterUsingSignals() throws Exception {
        String binding = System.getProperty("ringio.binding", "ffm");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dringio.binding=" + binding));
        if ("jnr".equals(binding)) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SignalsThenWaitProgram.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (java.io.IOException ignored) {
                // the child is gone
            }
        });
        List<String> seen = new ArrayList<>();
        try {
            assertNotNull(waitFor(lines, seen, "READY"), "child ready: " + seen);
            Signals.kill(p.pid(), Signal.SIGQUIT);
            assertNotNull(waitFor(lines, seen, "Full thread dump"), "thread dump after SIGQUIT: " + seen);
            assertTrue(p.isAlive(), "SIGQUIT printed a dump and did not kill the JVM");
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            pump.join(30_000);
        }
    }

    private static String waitFor(BlockingQueue<String> lines, List<String> seen, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l != null) {
                seen.add(l);
                if (l.contains(what)) {
                    return l;
                }
            }
        }
        return null;
    }
}
