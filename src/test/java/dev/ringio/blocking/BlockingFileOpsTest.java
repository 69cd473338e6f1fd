package dev.ringio.blocking;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ringio.AtFlags;
import dev.ringio.EngineConfig;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.FileStat;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.net.Domain;
import dev.ringio.net.Protocol;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking forms of fchmodat / fchmod, fchownat / fchown, linkat, copyFileRange, sendfile and
 * socket with a raw protocol number, on a virtual thread, on each engine: success against real
 * files and sockets, and the kernel's refusals as {@link NativeIoException}s naming the op.
 */
@ExtendWith(LeakCheck.class)
class BlockingFileOpsTest {

    private static IoEngine open(String name) throws Exception {
        if (name.equals("uring")) {
            KernelFeatures.assume(KernelFeatures.ioUring(), KernelFeatures.IO_URING);
        }
        return IoEngines.open(name, EngineConfig.defaults());
    }

    private static <T> T onVirtualThread(BlockingIoContract.ThrowingSupplier<T> body) throws Exception {
        CompletableFuture<T> f = BlockingIoContract.onVirtualThread(body);
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "epoll"})
    void permissionsOwnershipAndLinks(String engineName, @TempDir Path dir) throws Exception {
        try (IoEngine engine = open(engineName)) {
            BlockingIo io = new BlockingIo(engine);
            Path f = Files.write(dir.resolve("f"), new byte[] {1, 2, 3});
            onVirtualThread(() -> {
                io.fchmodat(null, f.toString(), 0604, 0);
                io.fchownat(null, f.toString(), 4242, 4343, 0);
                io.linkat(null, f.toString(), null, dir.resolve("g").toString(), 0);
                Fd fd = io.open(f, OpenFlags.O_RDONLY, 0);
                try {
                    io.fchmod(fd, 0640);
                    io.fchown(fd, -1, 4444);
                } finally {
                    io.close(fd);
                }
                return null;
            });
            FileStat s = engine.statx(null, dir.resolve("g").toString(), 0, AtFlags.STATX_BASIC_STATS).get(20, TimeUnit.SECONDS);
            assertEquals(0640, s.mode() & 07777);
            assertEquals(4242, s.uid());
            assertEquals(4444, s.gid());
            assertEquals(2, s.links());
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> onVirtualThread(() -> {
                        io.linkat(null, f.toString(), null, f.toString(), 0);
                        return null;
                    }));
            assertTrue(e.is(Errno.EEXIST) && e.op().equals("linkat"), e.getMessage());
            e = assertThrows(NativeIoException.class, () -> onVirtualThread(() -> {
                io.fchmodat(null, dir.resolve("missing").toString(), 0600, 0);
                return null;
            }));
            assertTrue(e.is(Errno.ENOENT) && e.op().equals("fchmodat"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> io.fchownat(null, f.toString(), -5, 0, 0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "epoll"})
    void copyFileRangeSendfileAndRawSockets(String engineName, @TempDir Path dir) throws Exception {
        try (IoEngine engine = open(engineName)) {
            BlockingIo io = new BlockingIo(engine);
            byte[] content = new byte[70_000];
            new java.util.Random(7).nextBytes(content);
            Path src = Files.write(dir.resolve("src"), content);
            Path copy = dir.resolve("copy");
            byte[] sent = onVirtualThread(() -> {
                Fd in = io.open(src, OpenFlags.O_RDONLY, 0);
                Fd out = io.open(copy, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644);
                Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
                try {
                    long done = 0;
                    while (done < content.length) {
                        done += io.copyFileRange(in, done, out, done, content.length - done);
                    }
                    long n = io.sendfile(pair[0], in, 0, 1000);
                    ByteBuffer got = ByteBuffer.allocate((int) n);
                    while (got.hasRemaining()) {
                        io.read(pair[1], got, -1);
                    }
                    return Arrays.copyOf(got.array(), got.position());
                } finally {
                    io.close(in);
                    io.close(out);
                    io.close(pair[0]);
                    io.close(pair[1]);
                }
            });
            assertArrayEquals(content, Files.readAllBytes(copy));
            assertTrue(sent.length > 0);
            assertArrayEquals(Arrays.copyOf(content, sent.length), sent);
            Fd raw;
            try {
                raw = onVirtualThread(() -> io.socket(Domain.INET, Set.of(SocketType.RAW), Protocol.GRE.value()));
            } catch (NativeIoException refused) {
                KernelFeatures.assume(false, "raw IPv4 sockets: " + refused.getMessage());
                return;
            }
            try {
                assertEquals(47, Sockets.getOption(raw, SocketOptions.PROTOCOL));
            } finally {
                closeQuietly(io, raw);
            }
        }
    }

    private static void closeQuietly(BlockingIo io, Fd fd) throws IOException {
        io.close(fd);
    }
}
