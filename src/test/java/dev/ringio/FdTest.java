package dev.ringio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.os.Pipe;
import dev.ringio.sys.Shim;
import dev.ringio.testing.LeakCheck;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

/** {@link Fd}: reference counting, deferred close, errors after close, adoption and kind detection. */
@ExtendWith(LeakCheck.class)
class FdTest {

    @TempDir
    Path dir;

    // ---- O_DIRECT ----------------------------------------------------------------------------------

    @Test
    void isDirectTellsAnODirectFileFromEveryOtherDescriptor() throws Exception {
        // O_DIRECT needs a file system that supports it: /var/tmp (the disk), not a tmpfs @TempDir.
        Path file = Files.createTempFile(Path.of("/var/tmp"), "ringio-fdtest-", ".dat");
        try {
            Fd d = Fd.adopt(openat2(file, OpenFlags.O_RDONLY | OpenFlags.O_DIRECT | OpenFlags.O_CLOEXEC));
            assertTrue(d.isDirect(), "opened with O_DIRECT");
            assertTrue(d.isDirect(), "remembered");
            d.close();
            assertTrue(d.isDirect(), "the answer stays after close");
            Fd plain = Fd.adopt(openat2(file, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC));
            assertFalse(plain.isDirect(), "a page-cache file");
            plain.close();
            assertFalse(plain.isDirect());
            try (Pipe p = Pipe.open()) {
                assertFalse(p.readEnd().isDirect(), "a pipe");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** openat2(AT_FDCWD, path, {flags}) through the shim: a raw descriptor. */
    private static int openat2(Path path, int flags) throws NativeIoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path.toString());
            MemorySegment how = a.allocate(24, 8); // struct open_how { u64 flags, mode, resolve }
            how.set(JAVA_LONG, 0, flags);
            return (int) NativeIoException.check("openat2", Shim.get().openat2(-100, p.address(), how.address(), 24));
        }
    }

    // ---- acquire / release / close ---------------------------------------------------------------

    @Test
    void acquireHeldWorksWhileAnotherUserHoldsAClosingDescriptorOnly() throws Exception {
        try (Pipe p = Pipe.open()) {
            Fd fd = p.readEnd();
            fd.acquire("op");                       // an engine op holds it
            fd.close();                             // marked; the op keeps it open
            NativeIoException refused = org.junit.jupiter.api.Assertions.assertThrows(NativeIoException.class,
                    () -> fd.acquire("read"));
            org.junit.jupiter.api.Assertions.assertEquals("read", refused.op());
            org.junit.jupiter.api.Assertions.assertEquals(fd.value(), fd.acquireHeld("epoll_ctl ADD"));
            org.junit.jupiter.api.Assertions.assertEquals(2, fd.users());
            fd.release();
            fd.release();                           // the last user: closed now
            org.junit.jupiter.api.Assertions.assertTrue(fd.isReleased());
            NativeIoException gone = org.junit.jupiter.api.Assertions.assertThrows(NativeIoException.class,
                    () -> fd.acquireHeld("epoll_ctl ADD"));
            org.junit.jupiter.api.Assertions.assertTrue(gone.is(Errno.EBADF));
            org.junit.jupiter.api.Assertions.assertEquals("epoll_ctl ADD", gone.op());
        }
    }

    @Test
    void revokeMarksClosingAndRevokedAtOnceAndTheLastReleaseCloses() throws Exception {
        try (Pipe p = Pipe.open()) {
            Fd fd = p.readEnd();
            fd.acquire("recv");                     // an op took hold before the revocation
            assertFalse(fd.isRevoked());
            assertTrue(fd.revoke(Runnable::run));
            assertTrue(fd.isRevoked(), "an engine now refuses to submit the op that holds it");
            assertFalse(fd.isOpen());
            assertFalse(fd.isReleased(), "still held");
            assertTrue(assertThrows(NativeIoException.class, () -> fd.acquire("read")).is(Errno.EBADF));
            assertFalse(fd.revoke(Runnable::run), "revoked once");
            fd.release();
            assertTrue(fd.isReleased());
            assertNull(fd.whenReleased().get(5, TimeUnit.SECONDS));
        }
    }

    /**
     * whenSettled: completes with the close when nothing is abandoned; completes once the only
     * holds left are abandoned calls' (the descriptor still open under them), and never while a
     * live hold remains or merely because the last release is about to close the descriptor.
     */
    @Test
    void whenSettledWaitsForLiveHoldsOnlyAndTheDescriptorStaysOpenUnderAbandonedOnes() throws Exception {
        try (Pipe p = Pipe.open()) {
            Fd fd = p.readEnd();
            fd.acquire("read");                     // an abandoned call's hold, soon
            fd.acquire("recv");                     // a live op's
            CompletableFuture<Void> settled = fd.whenSettled();
            fd.abandonHold();
            assertFalse(settled.isDone(), "not closing yet");
            assertTrue(fd.revoke(Runnable::run));
            assertFalse(settled.isDone(), "a live hold remains");
            fd.release();
            assertTrue(settled.isDone(), "only the abandoned hold is left");
            assertFalse(fd.isReleased(), "the abandoned call still holds the descriptor");
            assertTrue(Files.exists(Path.of("/proc/self/fd/" + fd.value())));
            fd.releaseAbandoned();                  // the call returned
            assertTrue(fd.isReleased());
            fd.whenReleased().get(5, TimeUnit.SECONDS);
        }
        try (Pipe p = Pipe.open()) {
            Fd fd = p.writeEnd();
            fd.acquire("write");
            Runnable[] closeLater = new Runnable[1];
            fd.revoke(task -> closeLater[0] = task); // the final close(2) runs later, elsewhere
            CompletableFuture<Void> settled = fd.whenSettled();
            fd.release();
            assertFalse(settled.isDone(), "the descriptor is not closed yet");
            closeLater[0].run();
            assertTrue(settled.isDone() && fd.isReleased());
        }
    }

    @Test
    void revokeAfterACloseStillRevokesAndCloseAfterRevokeIsANoop() throws Exception {
        try (Pipe p = Pipe.open()) {
            Fd fd = p.readEnd();
            fd.acquire("recv");
            fd.close();
            assertFalse(fd.isRevoked(), "Fd.close alone leaves in-flight ops alone");
            assertTrue(fd.revoke(Runnable::run));
            assertTrue(fd.isRevoked());
            fd.close();
            fd.release();
            assertTrue(fd.isReleased());
        }
    }

    @Test
    void closeActionsRunOnceOnCloseOrRevokeUnlessRemoved() throws Exception {
        try (Pipe p = Pipe.open()) {
            Fd a = p.readEnd();
            Fd b = p.writeEnd();
            AtomicLong runs = new AtomicLong();
            Runnable count = runs::incrementAndGet;
            Runnable removed = () -> fail("a removed action must not run");
            assertTrue(a.onClose(count));
            assertTrue(a.onClose(removed));
            assertTrue(a.onClose(count::run));
            assertTrue(a.removeOnClose(removed));
            assertFalse(a.removeOnClose(removed), "removed once");
            a.close();
            a.close();
            assertEquals(2, runs.get(), "each registered action ran once");
            assertFalse(a.onClose(count), "closing already: the caller acts itself");
            assertFalse(a.removeOnClose(count), "a close took it");
            assertTrue(b.onClose(count));
            assertTrue(b.revoke(Runnable::run));
            assertEquals(3, runs.get(), "revoke runs the actions too");
        }
    }

    @Test
    void concurrentOnCloseAndCloseNeverLoseTheWakeup() throws Exception {
        for (int i = 0; i < 2000; i++) {
            Pipe p = Pipe.open();
            Fd fd = p.readEnd();
            AtomicLong woken = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            Thread closer = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                fd.close();
            });
            go.countDown();
            // Either the action is registered before the close takes the actions (and runs once),
            // or registration sees the mark and the caller must act itself: never neither.
            boolean registered = fd.onClose(woken::incrementAndGet);
            closer.join(10_000);
            assertFalse(closer.isAlive());
            assertEquals(registered ? 1 : 0, woken.get(), "iteration " + i);
            assertTrue(fd.isReleased());
            p.writeEnd().close();
        }
    }

    @Test
    void closeWithoutUsersClosesAtOnce() throws Exception {
        Path file = newFile("plain");
        Fd fd = Fd.adopt(rawOpen(file, OpenFlags.O_RDONLY));
        String target = linkOf(fd.value());
        assertTrue(fd.isOpen());
        assertFalse(fd.isReleased());
        fd.close();
        assertFalse(fd.isOpen());
        assertTrue(fd.isReleased());
        assertNull(fd.whenReleased().get(30, TimeUnit.SECONDS));
        assertNotEquals(target, linkOf(fd.value()), "the OS descriptor is closed");
    }

    @Test
    void closeWhileAcquiredDefersTheOsCloseUntilRelease() throws Exception {
        Path file = newFile("held");
        Fd fd = Fd.adopt(rawOpen(file, OpenFlags.O_RDONLY));
        String target = linkOf(fd.value());
        assertEquals(file.toString(), target);

        assertEquals(fd.value(), fd.acquire("test-op"));
        assertEquals(1, fd.users());
        CompletableFuture<Void> released = fd.whenReleased();
        fd.close();
        assertFalse(fd.isOpen(), "closing: no new users");
        assertFalse(fd.isReleased(), "but the OS descriptor stays open while held");
        assertEquals(target, linkOf(fd.value()), "/proc/self/fd still shows the file");
        assertFalse(released.isDone());

        fd.release();
        assertEquals(0, fd.users());
        assertTrue(fd.isReleased());
        assertNull(released.get(30, TimeUnit.SECONDS));
        assertNotEquals(target, linkOf(fd.value()), "closed by the last release");
    }

    @Test
    void nestedAcquiresCloseOnTheLastRelease() throws Exception {
        Path file = newFile("nested");
        Fd fd = Fd.adopt(rawOpen(file, OpenFlags.O_RDONLY));
        String target = linkOf(fd.value());
        fd.acquire("a");
        fd.acquire("b");
        fd.acquire("c");
        assertEquals(3, fd.users());
        fd.close();
        fd.release();
        fd.release();
        assertEquals(1, fd.users());
        assertFalse(fd.isReleased());
        assertEquals(target, linkOf(fd.value()));
        fd.release();
        assertTrue(fd.isReleased());
        assertNotEquals(target, linkOf(fd.value()));
    }

    @Test
    void releaseWithoutCloseKeepsItOpen() throws Exception {
        try (Pipe p = Pipe.open()) {
            Fd fd = p.readEnd();
            fd.acquire("x");
            fd.release();
            assertTrue(fd.isOpen());
            assertFalse(fd.isReleased());
            assertEquals(0, fd.users());
            assertFalse(fd.whenReleased().isDone());
        }
    }

    @Test
    void acquireAfterCloseFailsWithEbadfNamingTheOp() throws Exception {
        Pipe p = Pipe.open();
        p.close();
        NativeIoException e = assertThrows(NativeIoException.class, () -> p.readEnd().acquire("my-read"));
        assertTrue(e.is(Errno.EBADF), e.getMessage());
        assertEquals(Errno.EBADF.value(), e.errno());
        assertEquals("my-read", e.op());
        assertTrue(e.getMessage().contains("my-read"), e.getMessage());
        assertTrue(e.getMessage().contains("EBADF"), e.getMessage());
        assertEquals(0, p.readEnd().users(), "a failed acquire takes nothing");
    }

    @Test
    void acquireWhileClosingButStillHeldFails() throws Exception {
        Pipe p = Pipe.open();
        Fd fd = p.readEnd();
        fd.acquire("first");
        fd.close();
        NativeIoException e = assertThrows(NativeIoException.class, () -> fd.acquire("second"));
        assertTrue(e.is(Errno.EBADF));
        assertEquals("second", e.op());
        assertEquals(1, fd.users());
        fd.release();
        assertTrue(fd.isReleased());
        p.close();
    }

    @Test
    void releaseWithoutAcquireIsRefusedAndChangesNothing() throws Exception {
        try (Pipe p = Pipe.open()) {
            Fd fd = p.readEnd();
            assertThrows(IllegalStateException.class, fd::release);
            assertEquals(0, fd.users());
            assertTrue(fd.isOpen());
            fd.acquire("x");
            fd.release();
            assertThrows(IllegalStateException.class, fd::release);
            assertEquals(0, fd.users());
        }
    }

    @Test
    void closeIsIdempotent() throws Exception {
        Pipe p = Pipe.open();
        Fd fd = p.readEnd();
        fd.close();
        fd.close();
        fd.close();
        assertTrue(fd.isReleased());
        assertNull(fd.whenReleased().get(30, TimeUnit.SECONDS));
        p.close();
    }

    @Test
    void whenReleasedCompletesForEveryCaller() throws Exception {
        Pipe p = Pipe.open();
        Fd fd = p.readEnd();
        CompletableFuture<Void> a = fd.whenReleased();
        CompletableFuture<Void> b = fd.whenReleased();
        a.cancel(true); // a caller's copy; must not affect the others
        fd.close();
        assertNull(b.get(30, TimeUnit.SECONDS));
        assertNull(fd.whenReleased().get(30, TimeUnit.SECONDS));
        p.close();
    }

    @Test
    void lseekAfterCloseIsEbadfAndOnAPipeIsEspipe() throws Exception {
        Pipe p = Pipe.open();
        NativeIoException spipe = assertThrows(NativeIoException.class, () -> p.readEnd().lseek(0, Whence.SET));
        assertTrue(spipe.is(Errno.ESPIPE), spipe.getMessage());
        assertEquals(0, p.readEnd().users(), "lseek releases what it acquired, also on failure");
        p.close();
        NativeIoException badf = assertThrows(NativeIoException.class, () -> p.readEnd().lseek(0, Whence.SET));
        assertTrue(badf.is(Errno.EBADF));
        assertEquals("lseek", badf.op());
    }

    @Test
    void lseekOnAFile() throws Exception {
        Path file = dir.resolve("seek");
        Files.writeString(file, "0123456789");
        Fd fd = Fd.adopt(rawOpen(file, OpenFlags.O_RDONLY));
        try {
            assertEquals(10, fd.lseek(0, Whence.END));
            assertEquals(4, fd.lseek(4, Whence.SET));
            assertEquals(6, fd.lseek(2, Whence.CUR));
        } finally {
            fd.close();
        }
    }

    @Test
    void toStringShowsNumberKindAndClosed() throws Exception {
        Pipe p = Pipe.open();
        Fd fd = p.readEnd();
        assertEquals("Fd[" + fd.value() + ", PIPE]", fd.toString());
        p.close();
        assertEquals("Fd[" + fd.value() + ", PIPE, closed]", fd.toString());
    }

    /** Four threads acquire and release while another closes: exactly one OS close, never while held. */
    @Test
    void concurrentAcquireReleaseAndClose() throws Exception {
        for (int round = 0; round < 20; round++) {
            Pipe p = Pipe.open();
            Fd fd = p.readEnd();
            String target = linkOf(fd.value());
            AtomicLong refused = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < 20_000; i++) {
                            int raw;
                            try {
                                raw = fd.acquire("stress");
                            } catch (NativeIoException closed) {
                                refused.incrementAndGet();
                                continue;
                            }
                            // While held, the number must still be the pipe, never closed under us.
                            if (i % 1000 == 0 && !target.equals(linkOf(raw))) {
                                failure.compareAndSet(null, new AssertionError("closed while held"));
                            }
                            fd.release();
                        }
                    } catch (Throwable x) {
                        failure.compareAndSet(null, x);
                    }
                }));
            }
            go.countDown();
            Thread.sleep(round % 3);
            fd.close();
            for (Thread t : threads) {
                t.join(30_000);
                assertFalse(t.isAlive());
            }
            assertNull(failure.get());
            assertEquals(0, fd.users());
            assertTrue(fd.isReleased());
            assertNull(fd.whenReleased().get(30, TimeUnit.SECONDS));
            p.close();
        }
    }

    // ---- adopt and kinds ---------------------------------------------------------------------------

    @Test
    void adoptNegativeIsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Fd.adopt(-1));
        assertThrows(IllegalArgumentException.class, () -> Fd.adopt(Integer.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> Fd.adopt(-1, Fd.Kind.FILE));
    }

    @Test
    void adoptOfAClosedNumberIsEbadf() throws Exception {
        // A number just closed (no other thread of this test opens descriptors) and one far above any limit.
        int[] fds = rawPipe();
        Shim.get().close(fds[0]);
        Shim.get().close(fds[1]);
        for (int closed : new int[] {fds[0], 1 << 24}) {
            NativeIoException e = assertThrows(NativeIoException.class, () -> Fd.adopt(closed));
            assertTrue(e.is(Errno.EBADF), e.getMessage());
            assertTrue(e.getMessage().contains(String.valueOf(closed)), "names the number: " + e.getMessage());
        }
    }

    @Test
    void adoptDetectsTheKind() throws Exception {
        Path file = newFile("kind");
        Fd f = Fd.adopt(rawOpen(file, OpenFlags.O_RDONLY));
        Fd d = Fd.adopt(rawOpen(dir, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY));
        int[] pipe = rawPipe();
        Fd r = Fd.adopt(pipe[0]);
        Fd w = Fd.adopt(pipe[1]);
        Fd dev = Fd.adopt(rawOpen(Path.of("/dev/null"), OpenFlags.O_RDONLY));
        Fd ev = Fd.adopt(Shim.get().eventfd(0, OpenFlags.O_CLOEXEC));
        try {
            assertEquals(Fd.Kind.FILE, f.kind());
            assertEquals(Fd.Kind.DIRECTORY, d.kind());
            assertEquals(Fd.Kind.PIPE, r.kind());
            assertEquals(Fd.Kind.PIPE, w.kind());
            assertEquals(Fd.Kind.CHARACTER_DEVICE, dev.kind());
            assertEquals(Fd.Kind.EVENTFD, ev.kind(), "an anonymous inode, told apart by its name");
        } finally {
            for (Fd x : new Fd[] {f, d, r, w, dev, ev}) {
                x.close();
                assertTrue(x.isReleased());
            }
        }
    }

    @Test
    void adoptWithAKnownKindTrustsIt() throws Exception {
        int[] pipe = rawPipe();
        Fd r = Fd.adopt(pipe[0], Fd.Kind.PIPE);
        Fd w = Fd.adopt(pipe[1], null);
        assertEquals(Fd.Kind.PIPE, r.kind());
        assertEquals(Fd.Kind.OTHER, w.kind());
        r.close();
        w.close();
    }

    @Test
    void kindOfModeCoversTheFileTypes() {
        assertEquals(Fd.Kind.FILE, Fd.kindOfMode(0100644));
        assertEquals(Fd.Kind.DIRECTORY, Fd.kindOfMode(0040755));
        assertEquals(Fd.Kind.PIPE, Fd.kindOfMode(0010600));
        assertEquals(Fd.Kind.SOCKET, Fd.kindOfMode(0140777));
        assertEquals(Fd.Kind.CHARACTER_DEVICE, Fd.kindOfMode(0020666));
        assertEquals(Fd.Kind.BLOCK_DEVICE, Fd.kindOfMode(0060660));
        assertEquals(Fd.Kind.SYMLINK, Fd.kindOfMode(0120777));
        assertEquals(Fd.Kind.OTHER, Fd.kindOfMode(0));
    }

    // ---- raw descriptors (not through an engine) --------------------------------------------------

    private Path newFile(String name) throws Exception {
        Path file = dir.resolve(name + "-" + System.nanoTime());
        Files.writeString(file, name);
        return file;
    }

    /** openat2(AT_FDCWD, path, {flags | O_CLOEXEC}) through the shim; the raw number. */
    private static int rawOpen(Path path, int flags) throws NativeIoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path.toString());
            MemorySegment how = a.allocate(24, 8);
            how.set(JAVA_LONG, 0, (long) (flags | OpenFlags.O_CLOEXEC));
            return (int) NativeIoException.check("openat2 " + path,
                    Shim.get().openat2(AtFlags.AT_FDCWD, p.address(), how.address(), 24));
        }
    }

    private static int[] rawPipe() throws NativeIoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            NativeIoException.check("pipe2", Shim.get().pipe2(fds.address(), OpenFlags.O_CLOEXEC));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    /** Where /proc/self/fd/{@code n} points, or "" when {@code n} is not open. */
    private static String linkOf(int n) {
        Path p = Path.of("/proc/self/fd/" + n);
        try {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return "";
            }
            return Files.readSymbolicLink(p).toString();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void closeWithAnExecutorRunsTheFinalCloseThere() throws Exception {
        // An event loop closes this way so that a close(2) that blocks in the kernel never blocks it.
        dev.ringio.os.Pipe pipe = dev.ringio.os.Pipe.open();
        try {
            java.util.List<Runnable> deferred = new java.util.ArrayList<>();
            Fd fd = pipe.readEnd();
            fd.close(deferred::add);
            assertFalse(fd.isOpen(), "marked closing at once");
            assertFalse(fd.isReleased(), "the OS close waits for the executor");
            assertTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/fd/" + fd.value())));
            assertEquals(1, deferred.size());
            deferred.get(0).run();
            assertTrue(fd.isReleased());
            fd.whenReleased().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pipe.close();
        }
    }

    @Test
    void closeWithARefusingExecutorClosesOnTheCallingThread() throws Exception {
        dev.ringio.os.Pipe pipe = dev.ringio.os.Pipe.open();
        try {
            Fd fd = pipe.readEnd();
            fd.close(task -> {
                throw new java.util.concurrent.RejectedExecutionException("shut down");
            });
            assertTrue(fd.isReleased());
        } finally {
            pipe.close();
        }
    }
}
