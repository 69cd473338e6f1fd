package dev.ringio.os;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.EngineConfig;
import dev.ringio.Fd;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.OpenFlags;
import dev.ringio.net.Domain;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

/**
 * {@link Fd#kind()} of {@link Fd#adopt(int)}: a real descriptor of every kind Linux has, each
 * adopted from a raw number so the kind is detected (fstat's S_IFMT, and the anonymous inode's
 * name for eventfd, epoll, inotify, signalfd, timerfd, pidfd and io_uring).
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class FdKindTest {

    private static IoEngine engine;

    @BeforeAll
    static void open() throws Exception {
        engine = IoEngines.open("epoll", EngineConfig.builder().build());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static void assertKind(Fd.Kind expected, Fd original) throws Exception {
        try (original; Fd adopted = OsTesting.adoptCopy(original)) {
            assertEquals(expected, adopted.kind(), adopted + " from " + original);
        }
    }

    @Test
    void fileTypesFromFstat(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "x");
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, file);
        assertKind(Fd.Kind.FILE, engine.open(file, OpenFlags.O_RDONLY, 0).join());
        assertKind(Fd.Kind.DIRECTORY, engine.open(dir, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, 0).join());
        assertKind(Fd.Kind.SYMLINK, engine.open(link, OpenFlags.O_PATH | OpenFlags.O_NOFOLLOW, 0).join());
        assertKind(Fd.Kind.CHARACTER_DEVICE, engine.open(Path.of("/dev/null"), OpenFlags.O_RDONLY, 0).join());
        try (Pipe p = Pipe.open()) {
            assertKind(Fd.Kind.PIPE, Fcntl.dup(p.readEnd()));
        }
        assertKind(Fd.Kind.SOCKET, Sockets.socket(Domain.UNIX, SocketType.STREAM));
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(30, TimeUnit.SECONDS));
        KernelFeatures.assume(mk.exitValue() == 0, "mkfifo");
        assertKind(Fd.Kind.PIPE, engine.open(fifo, OpenFlags.O_RDWR, 0).join()); // a named pipe is a FIFO too
    }

    @Test
    void blockDevice() throws Exception {
        Path loop = Path.of("/dev/loop0");
        KernelFeatures.assume(Files.exists(loop) && Files.isReadable(loop), "a readable block device (/dev/loop0)");
        assertKind(Fd.Kind.BLOCK_DEVICE, engine.open(loop, OpenFlags.O_RDONLY, 0).join());
    }

    @Test
    void anonymousInodesByTheirName() throws Exception {
        assertKind(Fd.Kind.EVENTFD, OsTesting.eventfd());
        assertKind(Fd.Kind.EPOLL, OsTesting.epollFd());
        assertKind(Fd.Kind.INOTIFY, OsTesting.inotify());
        assertKind(Fd.Kind.SIGNALFD, OsTesting.signalfd());
        assertKind(Fd.Kind.TIMERFD, OsTesting.timerfd());
        try (Epoll ep = Epoll.create()) {
            assertKind(Fd.Kind.EPOLL, Fcntl.dup(ep.fd()));
        }
    }

    @Test
    void pidfdOfAChild() throws Exception {
        Process child = new ProcessBuilder("sleep", "600").start();
        try {
            assertKind(Fd.Kind.PIDFD, OsTesting.pidfd(child.pid()));
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void ioUringInstanceOfAnEngine() throws Exception {
        KernelFeatures.assumeIoUring();
        Map<Integer, String> before = LeakCheck.snapshot();
        try (IoEngine uring = IoEngines.open("io_uring", EngineConfig.builder().build())) {
            uring.noop().join(); // the ring exists once the loop has run
            Integer ringFd = null;
            for (Map.Entry<Integer, String> e : LeakCheck.newFds(before, LeakCheck.snapshot()).entrySet()) {
                if (e.getValue().equals("anon_inode:[io_uring]")) {
                    ringFd = e.getKey();
                }
            }
            assertNotNull(ringFd, "no new io_uring descriptor: " + LeakCheck.newFds(before, LeakCheck.snapshot()));
            // A raw number another owner closes: adopt a duplicate of it, never the number itself.
            int copy = (int) Fcntl.fcntl(Fd.adopt(ringFd, Fd.Kind.OTHER), Fcntl.F_DUPFD_CLOEXEC, 0);
            try (Fd adopted = Fd.adopt(copy)) {
                assertEquals(Fd.Kind.URING, adopted.kind());
            }
        }
    }
}
