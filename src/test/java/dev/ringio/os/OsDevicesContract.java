package dev.ringio.os;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.Multishot;
import dev.ringio.MultishotHandler;
import dev.ringio.NativeIoException;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.testing.FutureAssertions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * inotify streams, signalfd records and child processes through an engine, against the real kernel
 * (real watches, real signals, real children). One concrete class per engine
 * ({@link OsDevicesUringTest}, {@link OsDevicesEpollTest}, and on the kqueue emulation
 * {@code dev.ringio.engine.poll.KqueueEmulatedOsDevicesTest}); nothing here depends on which.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class OsDevicesContract {

    /** A new, open engine of the kind under test. */
    protected abstract IoEngine openEngine() throws Exception;

    protected IoEngine engine;

    @BeforeAll
    void open() throws Exception {
        engine = openEngine();
    }

    @AfterAll
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Collects a stream's items; {@link #next} waits for one that matches. */
    static final class Collector<T> implements MultishotHandler<T> {
        final BlockingQueue<T> items = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        volatile Thread thread;

        @Override
        public void onNext(T item) {
            thread = Thread.currentThread();
            items.add(item);
        }

        @Override
        public void onError(Throwable failure) {
            ended.completeExceptionally(failure);
        }

        @Override
        public void onEnd() {
            ended.complete(null);
        }

        T next(Predicate<T> what, String description) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<T> skipped = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                T t = items.poll(100, TimeUnit.MILLISECONDS);
                if (t == null) {
                    if (ended.isDone()) {
                        break;
                    }
                    continue;
                }
                if (what.test(t)) {
                    return t;
                }
                skipped.add(t);
            }
            int n = skipped.size();
            return fail("no " + description + " within 30 s; saw " + n + " other item(s)"
                    + (ended.isDone() ? " (the stream ended: " + ended + ")" : "") + ", the last: "
                    + skipped.subList(Math.max(0, n - 8), n));
        }
    }

    // ---- inotify ---------------------------------------------------------------------------------

    @Test
    void inotifyStreamReportsCreateModifyDeleteWithNames(@TempDir Path dir) throws Exception {
        try (Inotify in = Inotify.open()) {
            int wd = in.addWatch(dir, EnumSet.of(InotifyMask.CREATE, InotifyMask.MODIFY, InotifyMask.DELETE));
            Collector<InotifyEvent> c = new Collector<>();
            Multishot s = in.events(engine, c);
            Path f = dir.resolve("a.txt");
            Files.writeString(f, "x");
            InotifyEvent created = c.next(e -> e.is(InotifyMask.CREATE), "IN_CREATE");
            assertEquals(wd, created.wd());
            assertEquals("a.txt", created.name());
            assertEquals(0, created.cookie());
            assertTrue(engine.toString() != null && c.thread != Thread.currentThread(), "delivered on the loop thread");
            Files.writeString(f, "more");
            assertEquals("a.txt", c.next(e -> e.is(InotifyMask.MODIFY), "IN_MODIFY").name());
            Files.delete(f);
            InotifyEvent deleted = c.next(e -> e.is(InotifyMask.DELETE), "IN_DELETE");
            assertEquals("a.txt", deleted.name());
            assertEquals(EnumSet.of(InotifyMask.DELETE), deleted.masks());
            s.cancel();
            await(s.done());
            assertTrue(c.ended.isDone(), "onEnd after cancel");
        }
    }

    @Test
    void inotifyMovePairsShareACookie(@TempDir Path dir) throws Exception {
        Path from = Files.createDirectory(dir.resolve("from"));
        Path to = Files.createDirectory(dir.resolve("to"));
        Files.writeString(from.resolve("f"), "x");
        try (Inotify in = Inotify.open()) {
            int wdFrom = in.addWatch(from, Inotify.IN_MOVE);
            int wdTo = in.addWatch(to, Inotify.IN_MOVE);
            assertNotEquals(wdFrom, wdTo);
            Collector<InotifyEvent> c = new Collector<>();
            Multishot s = in.events(engine, c);
            Files.move(from.resolve("f"), to.resolve("g"));
            Files.writeString(from.resolve("h"), "y");
            Files.move(from.resolve("h"), to.resolve("i"));
            InotifyEvent out1 = c.next(e -> e.is(InotifyMask.MOVED_FROM) && "f".equals(e.name()), "MOVED_FROM f");
            InotifyEvent in1 = c.next(e -> e.is(InotifyMask.MOVED_TO) && "g".equals(e.name()), "MOVED_TO g");
            InotifyEvent out2 = c.next(e -> e.is(InotifyMask.MOVED_FROM) && "h".equals(e.name()), "MOVED_FROM h");
            InotifyEvent in2 = c.next(e -> e.is(InotifyMask.MOVED_TO) && "i".equals(e.name()), "MOVED_TO i");
            assertEquals(wdFrom, out1.wd());
            assertEquals(wdTo, in1.wd());
            assertNotEquals(0, out1.cookie());
            assertEquals(out1.cookie(), in1.cookie(), "a move's two halves share the cookie");
            assertEquals(out2.cookie(), in2.cookie());
            assertNotEquals(out1.cookie(), out2.cookie(), "two moves, two cookies");
            s.cancel();
            await(s.done());
        }
    }

    @Test
    void removingAWatchYieldsInIgnoredAndTheWdIsGone(@TempDir Path dir) throws Exception {
        try (Inotify in = Inotify.open()) {
            int wd = in.addWatch(dir, Inotify.IN_ALL_EVENTS);
            Collector<InotifyEvent> c = new Collector<>();
            Multishot s = in.events(engine, c);
            in.removeWatch(wd);
            InotifyEvent ignored = c.next(e -> e.is(InotifyMask.IGNORED), "IN_IGNORED");
            assertEquals(wd, ignored.wd());
            NativeIoException again = assertThrows(NativeIoException.class, () -> in.removeWatch(wd));
            assertTrue(again.is(Errno.EINVAL), again.toString());
            assertTrue(again.getMessage().contains("inotify_rm_watch"), again.getMessage());
            s.cancel();
            await(s.done());
        }
    }

    @Test
    void aQueueOverflowIsReportedOnce(@TempDir Path dir) throws Exception {
        // Read through a BufferedReader: Files.readString of this size-0 /proc file returned "1" here.
        int max = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/fs/inotify/max_queued_events")).get(0).trim());
        assertTrue(max > 0 && max <= 1 << 20, "max_queued_events " + max);
        try (Inotify in = Inotify.open()) {
            Path f = Files.createFile(dir.resolve("busy"));
            // IN_OPEN and IN_CLOSE_NOWRITE of the watched file itself: two events per open, none merged
            // (the kernel only merges an event identical to the one last queued).
            in.addWatch(f, InotifyMask.OPEN.bit() | InotifyMask.CLOSE_NOWRITE.bit());
            for (int i = 0; i <= max / 2 + 16; i++) {
                Files.newInputStream(f).close();
            }
            Collector<InotifyEvent> c = new Collector<>();
            Multishot s = in.events(engine, c);
            InotifyEvent overflow = c.next(e -> e.is(InotifyMask.Q_OVERFLOW), "IN_Q_OVERFLOW");
            assertEquals(-1, overflow.wd());
            s.cancel();
            await(s.done());
            long overflows = c.items.stream().filter(e -> e.is(InotifyMask.Q_OVERFLOW)).count();
            assertEquals(0, overflows, "exactly one overflow event");
            assertTrue(c.items.size() <= max, "no more than the queue holds were delivered");
        }
    }

    @Test
    void closingTheInstanceEndsItsStream(@TempDir Path dir) throws Exception {
        Inotify in = Inotify.open();
        in.addWatch(dir, Inotify.IN_ALL_EVENTS);
        Collector<InotifyEvent> c = new Collector<>();
        Multishot s = in.events(engine, c);
        in.close();
        await(s.done());
        await(c.ended);
        await(in.fd().whenReleased());
    }

    // ---- signalfd through the engine -------------------------------------------------------------

    @Test
    void signalfdRecordsOfSignalsSentToTheLoopThread() throws Exception {
        int usr1 = Signal.SIGUSR1.number();
        int rt = Signals.realtime(3);
        try (SignalFd sfd = SignalFd.open(SignalSet.ofNumbers(usr1, rt))) {
            Collector<SignalInfo> c = new Collector<>();
            Multishot s = sfd.records(engine, c);
            CompletableFuture<Integer> loopTid = new CompletableFuture<>();
            engine.execute(() -> loopTid.complete(Signals.currentThreadId()));
            int tid = await(loopTid);
            CompletableFuture<SignalSet> loopMask = new CompletableFuture<>();
            engine.execute(() -> {
                try {
                    loopMask.complete(Signals.blocked());
                } catch (NativeIoException e) {
                    loopMask.completeExceptionally(e);
                }
            });
            assertTrue(await(loopMask).contains(usr1), "records() blocked the set on the loop thread");
            Signals.killThread(tid, usr1);
            SignalInfo got = c.next(i -> i.signo() == usr1, "SIGUSR1 record");
            assertEquals(ProcessHandle.current().pid(), got.pid());
            assertEquals(-6, got.code(), "SI_TKILL");
            assertEquals(Signal.SIGUSR1, got.signal().orElseThrow());
            Signals.killThread(tid, rt);
            SignalInfo rtInfo = c.next(i -> i.signo() == rt, "SIGRTMIN+3 record");
            assertEquals(ProcessHandle.current().pid(), rtInfo.pid());
            s.cancel();
            await(s.done());
        }
    }

    @Test
    void closingTheSignalfdEndsItsStream() throws Exception {
        SignalFd sfd = SignalFd.open(SignalSet.of(Signal.SIGUSR1));
        Collector<SignalInfo> c = new Collector<>();
        Multishot s = sfd.records(engine, c);
        sfd.close();
        await(s.done());
        await(c.ended);
        await(sfd.fd().whenReleased());
    }

    // ---- processes -------------------------------------------------------------------------------

    @Test
    void exitCodesAreReportedByTheEngine() throws Exception {
        for (int code : new int[] {0, 1, 42, 255}) {
            try (ChildProcess p = ChildProcess.builder("/bin/sh", "-c", "exit " + code).spawn(engine)) {
                ExitStatus st = await(p.onExit());
                assertTrue(st.exited(), st.toString());
                assertEquals(code, st.exitCode());
                assertEquals(p.pid(), st.pid());
                assertEquals(code == 0, st.success());
                assertFalse(Files.exists(Path.of("/proc/" + p.pid())), "reaped: no zombie of " + p.pid());
            }
        }
    }

    @Test
    void deathBySignalAndSignalThroughThePidfd() throws Exception {
        try (ChildProcess p = ChildProcess.builder("sleep", "60").spawn(engine)) {
            assertNull(p.exitStatus());
            p.signal(Signal.SIGTERM);
            ExitStatus st = await(p.onExit());
            assertFalse(st.exited());
            assertEquals(Signal.SIGTERM.number(), st.signal());
            assertEquals(128 + 15, st.shellStatus());
            NativeIoException gone = assertThrows(NativeIoException.class, () -> p.signal(Signal.SIGTERM));
            assertTrue(gone.is(Errno.ESRCH), gone.toString());
        }
        try (ChildProcess p = ChildProcess.builder("sleep", "60").spawn(engine)) {
            Signals.kill(p.pid(), Signal.SIGKILL);
            assertEquals(Signal.SIGKILL.number(), await(p.onExit()).signal());
        }
    }

    @Test
    void closeKillsARunningChildAndReapsIt() throws Exception {
        ChildProcess p = ChildProcess.builder("sleep", "600").pipeStdout().spawn(engine);
        long pid = p.pid();
        assertTrue(Files.exists(Path.of("/proc/" + pid)));
        p.close();
        ExitStatus st = p.exitStatus();
        assertNotNull(st, "close waited for the child");
        assertEquals(Signal.SIGKILL.number(), st.signal());
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "no zombie after close");
        assertEquals(st, await(p.onExit()));
        await(p.pidfd().whenReleased());
        assertFalse(p.stdout().isOpen());
    }

    @Test
    void anEngineClosedFirstFailsTheExitFutureAndCloseStillReaps() throws Exception {
        IoEngine own = openEngine();
        ChildProcess p;
        try {
            p = ChildProcess.builder("sleep", "600").spawn(own);
        } finally {
            own.close();
        }
        Throwable failure = dev.ringio.testing.FutureAssertions.failureOf(p.onExit());
        assertNotNull(failure);
        assertNull(p.exitStatus(), "still running");
        p.close();
        assertEquals(Signal.SIGKILL.number(), p.exitStatus().signal());
        assertFalse(Files.exists(Path.of("/proc/" + p.pid())), "no zombie");
    }

    @Test
    void waitForBlocksUntilTheEnd() throws Exception {
        try (ChildProcess p = ChildProcess.builder("/bin/sh", "-c", "sleep 0.2; exit 7").spawn(engine)) {
            ExitStatus st = p.waitFor();
            assertEquals(7, st.exitCode());
            assertEquals(st, await(p.onExit()));
            assertEquals(st, p.waitFor());
        }
    }

    @Test
    void twoHundredConcurrentChildren() throws Exception {
        List<ChildProcess> children = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                children.add(ChildProcess.builder("/bin/sh", "-c", "exit " + (i % 50)).spawn(engine));
            }
            for (int i = 0; i < children.size(); i++) {
                ExitStatus st = await(children.get(i).onExit());
                assertEquals(i % 50, st.exitCode(), st.toString());
            }
        } finally {
            children.forEach(ChildProcess::close);
        }
        for (ChildProcess p : children) {
            assertFalse(Files.exists(Path.of("/proc/" + p.pid())), "zombie " + p.pid());
        }
    }

    @Test
    void theChildSeesOnlyTheDescriptorsItWasGiven() throws Exception {
        try (dev.ringio.os.Pipe extra = Pipe.open();
                ChildProcess p = ChildProcess.builder("ls", "/proc/self/fd").pipeStdout().fd(5, extra.writeEnd())
                        .spawn(engine)) {
            String out = readAll(p.stdout());
            assertEquals(0, await(p.onExit()).exitCode());
            // ls's own directory descriptor takes the lowest free number, 3: 3 and 4 were closed.
            assertEquals(List.of("0", "1", "2", "3", "5"), Arrays.asList(out.trim().split("\\s+")), out);
        }
    }

    @Test
    void argvEnvironmentDirectoryAndStdinPipe(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("RINGIO_X", "hello world");
        env.put("PATH", "/usr/bin:/bin");
        try (ChildProcess p = ChildProcess.builder("sh", "-c", "read line; echo \"$0|$RINGIO_X|$(pwd)|$line\"", "arg zero")
                .environment(env).directory(dir).pipeStdin().pipeStdout().spawn(engine)) {
            await(engine.write(p.stdin(), ByteBuffer.wrap("from stdin\n".getBytes(StandardCharsets.UTF_8)), -1));
            p.stdin().close();
            String out = readAll(p.stdout());
            assertEquals("arg zero|hello world|" + dir.toRealPath() + "|from stdin\n", out);
            assertTrue(await(p.onExit()).success());
        }
    }

    @Test
    void stderrPipeAndStandardDescriptorsDefaultToDevNull() throws Exception {
        try (ChildProcess p = ChildProcess.builder("sh", "-c", "echo oops >&2; readlink /proc/self/fd/0 /proc/self/fd/1")
                .pipeStderr().spawn(engine)) {
            assertEquals("oops\n", readAll(p.stderr()));
            assertTrue(await(p.onExit()).success());
        }
        try (ChildProcess p = ChildProcess.builder("readlink", "/proc/self/fd/0", "/proc/self/fd/2")
                .pipeStdout().spawn(engine)) {
            assertEquals("/dev/null\n/dev/null\n", readAll(p.stdout()));
        }
    }

    @Test
    void spawnErrorsNameThePath(@TempDir Path dir) throws Exception {
        NativeIoException missing = assertThrows(NativeIoException.class,
                () -> ChildProcess.builder("/no/such/program").spawn(engine));
        assertTrue(missing.is(Errno.ENOENT), missing.toString());
        assertTrue(missing.getMessage().contains("/no/such/program"), missing.getMessage());

        NativeIoException notInPath = assertThrows(NativeIoException.class,
                () -> ChildProcess.builder("ringio-no-such-command").spawn(engine));
        assertTrue(notInPath.is(Errno.ENOENT), notInPath.toString());
        assertTrue(notInPath.getMessage().contains("ringio-no-such-command"), notInPath.getMessage());

        Path script = Files.writeString(dir.resolve("not-executable.sh"), "#!/bin/sh\nexit 0\n");
        NativeIoException denied = assertThrows(NativeIoException.class,
                () -> ChildProcess.builder(script.toString()).spawn(engine));
        assertTrue(denied.is(Errno.EACCES), denied.toString());
        assertTrue(denied.getMessage().contains(script.toString()), denied.getMessage());

        NativeIoException noDir = assertThrows(NativeIoException.class,
                () -> ChildProcess.builder("/bin/true").directory(dir.resolve("absent")).spawn(engine));
        assertTrue(noDir.is(Errno.ENOENT), noDir.toString());
        assertTrue(noDir.getMessage().contains("chdir " + dir.resolve("absent")), noDir.getMessage());

        Fd closed;
        try (Pipe p = Pipe.open()) {
            closed = p.writeEnd();
        }
        NativeIoException badFd = assertThrows(NativeIoException.class,
                () -> ChildProcess.builder("/bin/true").stdout(closed).spawn(engine));
        assertTrue(badFd.is(Errno.EBADF), badFd.toString());
    }

    /** Reads {@code fd} through the engine to end of stream. */
    String readAll(Fd fd) throws Exception {
        StringBuilder sb = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocateDirect(4096);
        while (true) {
            buf.clear();
            int n = await(engine.read(fd, buf, -1));
            if (n < 0) {
                return sb.toString();
            }
            buf.flip();
            sb.append(StandardCharsets.UTF_8.decode(buf));
            if (n == 0) {
                throw new EOFException("read returned 0");
            }
        }
    }
}
