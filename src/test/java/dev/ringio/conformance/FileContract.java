package dev.ringio.conformance;

import java.io.EOFException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.ringio.AtFlags;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.FileStat;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.Resolve;
import dev.ringio.Whence;
import dev.ringio.buffers.Chunk;
import dev.ringio.buffers.FixedBufferPool;
import dev.ringio.os.Pipe;
import dev.ringio.testing.KernelFeatures;
import dev.ringio.testing.LeakCheck;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static dev.ringio.testing.FutureAssertions.failureOf;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file side of {@link dev.ringio.IoEngine}: open, close, every read and write form, fsync, statx / fstat,
 * ftruncate, fallocate, awaitReadable / awaitWritable; success, end of file, bad inputs and kernel errors
 * (exception type, op name, errno name).
 */
public abstract class FileContract extends ContractBase {

    // ---- openat2 / open --------------------------------------------------------------------------

    @Test
    void openReadsAnExistingFileAndSetsCloexec() throws Exception {
        Path p = file("a.txt", "hello".getBytes());
        Fd fd = open(p, RO);
        assertTrue(fd.isOpen());
        assertEquals(Fd.Kind.FILE, fd.kind());
        assertCloexec(fd);
        assertEquals(p.toRealPath().toString(), Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.value())).toString());
        assertEquals(OpenFlags.O_RDONLY, fdFlags(fd) & OpenFlags.O_ACCMODE);
    }

    @Test
    void openat2SetsCloexecEvenWhenNotAsked() throws Exception {
        Path p = file("b.txt", new byte[1]);
        Fd fd = track(await(engine.openat2(null, p.toString(), RW, 0, Set.of())));
        assertCloexec(fd);
        assertEquals(OpenFlags.O_RDWR, fdFlags(fd) & OpenFlags.O_ACCMODE);
        Fd d = track(await(engine.openat2(null, dir.toString(), OpenFlags.O_DIRECTORY, 0, Set.of())));
        assertCloexec(d);
        assertEquals(Fd.Kind.DIRECTORY, d.kind());
    }

    @Test
    void openat2CreatesWithModeRelativeToDirectory() throws Exception {
        Fd d = openDir(dir);
        Fd fd = track(await(engine.openat2(d, "created.txt", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0640, Set.of())));
        assertCloexec(fd);
        Path p = dir.resolve("created.txt");
        assertTrue(Files.isRegularFile(p));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    }

    @Test
    void openat2BeneathAllowsPathsInsideAndRefusesDotDot() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/inner.txt"), "in");
        Files.writeString(dir.resolve("x"), "outside");
        Fd sub = openDir(dir.resolve("sub"));
        Fd inner = track(await(engine.openat2(sub, "inner.txt", RO, 0, Set.of(Resolve.BENEATH))));
        assertEquals(Fd.Kind.FILE, inner.kind());
        NativeIoException e = failure(engine.openat2(sub, "../x", RO, 0, Set.of(Resolve.BENEATH)), Errno.EXDEV);
        assertTrue(e.getMessage().contains("../x"), e.getMessage());
        failure(engine.openat2(sub, dir.resolve("x").toString(), RO, 0, Set.of(Resolve.BENEATH)), Errno.EXDEV);
    }

    @Test
    void openat2InRootResolvesAbsolutePathsUnderTheDirectory() throws Exception {
        Files.writeString(dir.resolve("root.txt"), "rooted");
        Fd d = openDir(dir);
        Fd fd = track(await(engine.openat2(d, "/root.txt", RO, 0, Set.of(Resolve.IN_ROOT))));
        assertEquals(Fd.Kind.FILE, fd.kind());
        Chunk c = chunk();
        assertEquals(6, await(engine.readUpTo(fd, c, 100, 0)));
        assertArrayEquals("rooted".getBytes(), bytes(c, 6));
        free(c);
    }

    @Test
    void openat2NoSymlinksRefusesASymlinkWithEloop() throws Exception {
        Path target = file("t.txt", new byte[1]);
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        failure(engine.openat2(null, link.toString(), RO, 0, Set.of(Resolve.NO_SYMLINKS)), Errno.ELOOP);
        failure(engine.open(link, RO | OpenFlags.O_NOFOLLOW, 0), Errno.ELOOP);
    }

    @Test
    void openNonexistentFailsWithEnoentNamingThePath() {
        Path p = dir.resolve("does-not-exist.txt");
        NativeIoException e = failure(engine.open(p, RO, 0), Errno.ENOENT);
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.op().startsWith("openat2"), e.op());
        assertEquals(Errno.ENOENT.value(), e.errno());
        NativeIoException e2 = failure(engine.openat2(null, p.toString(), RO, 0, Set.of()), Errno.ENOENT);
        assertTrue(e2.getMessage().contains(p.toString()), e2.getMessage());
    }

    @Test
    void openCreateExclusiveOnAnExistingFileFailsWithEexist() throws Exception {
        Path p = file("exists.txt", new byte[3]);
        failure(engine.open(p, OpenFlags.O_CREAT | OpenFlags.O_EXCL | RW, 0600), Errno.EEXIST);
        assertEquals(3, Files.size(p));
    }

    @Test
    void openADirectoryForWritingFailsWithEisdir() {
        failure(engine.open(dir, WO, 0), Errno.EISDIR);
        failure(engine.open(dir, RW, 0), Errno.EISDIR);
    }

    @Test
    void openARegularFileWithODirectoryFailsWithEnotdir() throws Exception {
        Path p = file("plain.txt", new byte[1]);
        failure(engine.open(p, RO | OpenFlags.O_DIRECTORY, 0), Errno.ENOTDIR);
        failure(engine.open(p.resolve("child"), RO, 0), Errno.ENOTDIR);
    }

    @Test
    void openBadArgumentsThrow() {
        assertThrows(IllegalArgumentException.class,
                () -> engine.openat2(null, dir + "/a\0b", RO, 0, Set.of()));
        assertThrows(IllegalArgumentException.class,
                () -> engine.openat2(null, dir + "/m", OpenFlags.O_CREAT | RW, 010000, Set.of()));
        assertThrows(IllegalArgumentException.class,
                () -> engine.openat2(null, dir + "/m", OpenFlags.O_CREAT | RW, -1, Set.of()));
        assertThrows(NullPointerException.class, () -> engine.openat2(null, null, RO, 0, Set.of()));
        assertThrows(NullPointerException.class, () -> engine.openat2(null, dir.toString(), RO, 0, null));
        assertThrows(NullPointerException.class, () -> engine.open(null, RO, 0));
        assertFalse(Files.exists(dir.resolve("m")));
    }

    @Test
    void openat2RelativeToARegularFileFailsWithEnotdir() throws Exception {
        Fd f = open(file("notdir", new byte[1]), RO);
        failure(engine.openat2(f, "child", RO, 0, Set.of()), Errno.ENOTDIR);
        assertEquals(0, f.users());
    }

    @Test
    void openat2IsStrictAboutFlagsAndMode() throws Exception {
        Path p = file("strict", new byte[1]);
        // openat2(2), unlike open(2), refuses unknown flags and a mode without O_CREAT / O_TMPFILE
        failure(engine.openat2(null, p.toString(), RO | 0x40000000, 0, Set.of()), Errno.EINVAL);
        failure(engine.open(p, RO, 0644), Errno.EINVAL);
        // RESOLVE_CACHED cannot create
        failure(engine.openat2(null, dir.resolve("new").toString(), OpenFlags.O_CREAT | RW, 0600,
                Set.of(Resolve.CACHED)), Errno.EAGAIN);
        assertFalse(Files.exists(dir.resolve("new")));
    }

    @Test
    void openat2WithAClosedDirectoryFailsWithEbadf() throws Exception {
        Fd d = openDir(dir);
        await(engine.close(d));
        failure(engine.openat2(d, "x", RO, 0, Set.of()), Errno.EBADF, "openat2");
    }

    @Test
    void openWithOPathGivesADescriptorThatCannotBeReadButCanBeStatted() throws Exception {
        Path p = file("opath.txt", new byte[42]);
        Fd fd = open(p, OpenFlags.O_PATH);
        assertCloexec(fd);
        assertEquals(Fd.Kind.FILE, fd.kind());
        assertEquals(42, await(engine.fstat(fd)).size());
        Chunk c = chunk();
        failure(engine.readUpTo(fd, c, 10, 0), Errno.EBADF, "read");
        free(c);
    }

    @Test
    void openTmpfileRelativeToADirectoryCreatesAnUnnamedFile() throws Exception {
        Fd d = openDir(dir);
        Fd fd = track(await(engine.openat2(d, ".", OpenFlags.O_TMPFILE | RW, 0600, Set.of())));
        assertCloexec(fd);
        await(engine.write(fd, ByteBuffer.wrap("anonymous".getBytes()), 0));
        ByteBuffer b = ByteBuffer.allocate(20);
        assertEquals(9, await(engine.read(fd, b, 0)));
        assertArrayEquals("anonymous".getBytes(), bytes(b, 0, 9));
        assertEquals(List.of(), await(engine.readDir(d)), "an O_TMPFILE file has no name");
        failure(engine.openat2(d, ".", OpenFlags.O_TMPFILE | RO, 0600, Set.of()), Errno.EINVAL);
    }

    // ---- close -----------------------------------------------------------------------------------

    @Test
    void closeCompletesAndTheDescriptorIsGone() throws Exception {
        Path p = file("c.txt", "data".getBytes());
        Fd fd = open(p, RW);
        assertNull(await(engine.close(fd)));
        assertFalse(fd.isOpen());
        assertTrue(fd.isReleased());
        assertNotOpenOn(fd, p);
        // idempotent
        assertNull(await(engine.close(fd)));
    }

    @Test
    void operationsOnAClosedFdFailWithEbadfNamingTheOp() throws Exception {
        Path p = file("closed.txt", pattern(100, 1));
        Fd fd = open(p, RW);
        await(engine.close(fd));
        Chunk c = chunk();
        failure(engine.readUpTo(fd, c, 10, 0), Errno.EBADF, "read");
        failure(engine.readExactly(fd, c, 10, 0), Errno.EBADF, "readExactly");
        failure(engine.write(fd, c, 10, 0), Errno.EBADF, "write");
        failure(engine.read(fd, MemorySegment.ofArray(new byte[4]), 0), Errno.EBADF, "read");
        failure(engine.read(fd, ByteBuffer.allocate(4), 0), Errno.EBADF, "read");
        failure(engine.readv(fd, new ByteBuffer[] {ByteBuffer.allocate(4)}, 0), Errno.EBADF, "readv");
        failure(engine.readv(fd, new MemorySegment[] {MemorySegment.ofArray(new byte[4])}, 0), Errno.EBADF, "readv");
        failure(engine.write(fd, MemorySegment.ofArray(new byte[4]), 0), Errno.EBADF, "write");
        failure(engine.write(fd, ByteBuffer.allocate(4), 0), Errno.EBADF, "write");
        failure(engine.writev(fd, new ByteBuffer[] {ByteBuffer.allocate(4)}, 0), Errno.EBADF, "writev");
        failure(engine.writevSingle(fd, new ByteBuffer[] {ByteBuffer.allocate(4)}, 0), Errno.EBADF, "writevSingle");
        failure(engine.fsync(fd), Errno.EBADF, "fsync");
        failure(engine.fdatasync(fd), Errno.EBADF, "fdatasync");
        failure(engine.fstat(fd), Errno.EBADF, "fstat");
        failure(engine.ftruncate(fd, 0), Errno.EBADF, "ftruncate");
        failure(engine.fallocate(fd, 0, 0, 10), Errno.EBADF, "fallocate");
        failure(engine.awaitReadable(fd), Errno.EBADF, "awaitReadable");
        failure(engine.awaitWritable(fd), Errno.EBADF, "awaitWritable");
        NativeIoException e = assertThrows(NativeIoException.class, () -> fd.lseek(0, Whence.SET));
        assertEquals("EBADF", e.errnoName());
        assertEquals("lseek", e.op());
        free(c);
        assertEquals(100, Files.size(p), "nothing reached the file");
        assertArrayEquals(pattern(100, 1), Files.readAllBytes(p));
    }

    @Test
    void pathOperationsWithAClosedDirectoryFailWithEbadfNamingTheOp() throws Exception {
        Fd d = openDir(dir);
        Fd other = openDir(dir);
        await(engine.close(d));
        failure(engine.statx(d, "x", 0, AtFlags.STATX_BASIC_STATS), Errno.EBADF, "statx");
        failure(engine.unlinkat(d, "x", false), Errno.EBADF, "unlinkat");
        failure(engine.mkdirat(d, "x", 0700), Errno.EBADF, "mkdirat");
        failure(engine.renameat(d, "x", other, "y", 0), Errno.EBADF, "renameat");
        failure(engine.renameat(other, "x", d, "y", 0), Errno.EBADF, "renameat");
        failure(engine.symlinkat("t", d, "x"), Errno.EBADF, "symlinkat");
        failure(engine.readDir(d), Errno.EBADF, "readDir");
        assertEquals(0, other.users(), "a failed renameat must release the directory it acquired");
    }

    @Test
    void closeCancelsAnOperationInFlightAndReleasesTheDescriptor() throws Exception {
        Pipe p = pipe();
        CompletableFuture<Integer> readable = engine.awaitReadable(p.readEnd());
        await(engine.sleep(Duration.ofMillis(20)));
        assertFalse(readable.isDone());
        CompletableFuture<Void> closed = engine.close(p.readEnd());
        assertNull(await(closed));
        assertTrue(p.readEnd().isReleased());
        failureOf(readable); // cancelled: completes exceptionally, whatever the type
        assertEquals(0, p.readEnd().users());
    }

    // ---- readUpTo --------------------------------------------------------------------------------

    @Test
    void readUpToReadsFromAnOffset() throws Exception {
        byte[] data = pattern(1000, 2);
        Fd fd = open(file("r.bin", data), RO);
        Chunk c = chunk();
        assertEquals(1000, await(engine.readUpTo(fd, c, 1000, 0)));
        assertArrayEquals(data, bytes(c, 1000));
        assertEquals(300, await(engine.readUpTo(fd, c, 300, 500)));
        assertArrayEquals(slice(data, 500, 800), bytes(c, 300));
        assertEquals(0, fd.lseek(0, Whence.CUR), "an explicit offset leaves the position alone");
        free(c);
    }

    @Test
    void readUpToIsPartialAtTheEndAndMinusOneAtEof() throws Exception {
        byte[] data = pattern(100, 3);
        Fd fd = open(file("eof.bin", data), RO);
        Chunk c = chunk();
        assertEquals(50, await(engine.readUpTo(fd, c, 200, 50)));
        assertArrayEquals(slice(data, 50, 100), bytes(c, 50));
        assertEquals(-1, await(engine.readUpTo(fd, c, 200, 100)));
        assertEquals(-1, await(engine.readUpTo(fd, c, 200, 5000)));
        Fd empty = open(file("empty.bin", new byte[0]), RO);
        assertEquals(-1, await(engine.readUpTo(empty, c, 10, 0)));
        assertEquals(-1, await(engine.readUpTo(empty, c, 10, -1)));
        free(c);
    }

    @Test
    void readUpToWithOffsetMinusOneUsesAndAdvancesThePosition() throws Exception {
        byte[] data = pattern(100, 4);
        Fd fd = open(file("pos.bin", data), RO);
        assertEquals(10, fd.lseek(10, Whence.SET));
        Chunk c = chunk();
        assertEquals(20, await(engine.readUpTo(fd, c, 20, -1)));
        assertArrayEquals(slice(data, 10, 30), bytes(c, 20));
        assertEquals(30, fd.lseek(0, Whence.CUR));
        assertEquals(70, await(engine.readUpTo(fd, c, 1000, -1)));
        assertArrayEquals(slice(data, 30, 100), bytes(c, 70));
        assertEquals(-1, await(engine.readUpTo(fd, c, 1000, -1)));
        free(c);
    }

    @Test
    void readUpToFullChunk() throws Exception {
        Chunk c = chunk();
        byte[] data = pattern(c.size() + 10, 5);
        Fd fd = open(file("big.bin", data), RO);
        assertEquals(c.size(), await(engine.readUpTo(fd, c, c.size(), 0)));
        assertArrayEquals(slice(data, 0, c.size()), bytes(c, c.size()));
        free(c);
    }

    @Test
    void readUpToIntoAChunkOfAnotherPool() throws Exception {
        FixedBufferPool other = foreignPool(2, 4096);
        Chunk c = other.alloc();
        byte[] data = pattern(3000, 6);
        Fd fd = open(file("foreign.bin", data), RW);
        assertEquals(3000, await(engine.readUpTo(fd, c, 4096, 0)));
        assertArrayEquals(data, c.segment().asSlice(0, 3000).toArray(JAVA_BYTE));
        put(c, pattern(4096, 7));
        await(engine.write(fd, c, 4096, 0));
        assertArrayEquals(pattern(4096, 7), Files.readAllBytes(dir.resolve("foreign.bin")));
        other.free(c);
        LeakCheck.assertPoolFull(other);
    }

    @Test
    void readUpToBadArgumentsThrowIllegalArgument() throws Exception {
        Fd fd = open(file("args.bin", new byte[10]), RO);
        Chunk c = chunk();
        assertThrows(IllegalArgumentException.class, () -> engine.readUpTo(fd, c, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.readUpTo(fd, c, c.size() + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.readUpTo(fd, c, 10, -2));
        assertThrows(IllegalArgumentException.class, () -> engine.readUpTo(fd, c, 10, Long.MIN_VALUE));
        assertThrows(NullPointerException.class, () -> engine.readUpTo(null, c, 10, 0));
        assertThrows(NullPointerException.class, () -> engine.readUpTo(fd, null, 10, 0));
        assertEquals(0, c.retainCount());
        assertEquals(0, fd.users());
        free(c);
    }

    @Test
    void readUpToIntoAFreedChunkFailsWithIllegalState() throws Exception {
        Fd fd = open(file("freed.bin", new byte[10]), RO);
        Chunk c = chunk();
        free(c);
        failure(engine.readUpTo(fd, c, 10, 0), IllegalStateException.class);
        failure(engine.readExactly(fd, c, 10, 0), IllegalStateException.class);
        failure(engine.write(fd, c, 10, 0), IllegalStateException.class);
        assertEquals(0, fd.users(), "the fd must not stay acquired");
    }

    @Test
    void readUpToOnAClosedFdFailsWithEbadf() throws Exception {
        Fd fd = open(file("cl.bin", new byte[10]), RO);
        fd.close(); // Fd.close directly, not through the engine
        Chunk c = chunk();
        failure(engine.readUpTo(fd, c, 10, 0), Errno.EBADF, "read");
        assertEquals(0, c.retainCount());
        free(c);
    }

    @Test
    void readUpToOnADirectoryFailsWithEisdir() throws Exception {
        Fd d = openDir(dir);
        Chunk c = chunk();
        failure(engine.readUpTo(d, c, 10, 0), Errno.EISDIR, "read");
        failure(engine.read(d, ByteBuffer.allocate(10), 0), Errno.EISDIR, "read");
        free(c);
    }

    @Test
    void readUpToOnAWriteOnlyFdFailsWithEbadf() throws Exception {
        Fd fd = open(file("wo.bin", new byte[10]), WO);
        Chunk c = chunk();
        failure(engine.readUpTo(fd, c, 10, 0), Errno.EBADF, "read");
        free(c);
    }

    @Test
    void readUpToOnAPipeReturnsWhatIsThere() throws Exception {
        Pipe p = pipe();
        Chunk c = chunk();
        CompletableFuture<Integer> r = engine.readUpTo(p.readEnd(), c, 100, -1);
        await(engine.write(p.writeEnd(), MemorySegment.ofArray("abcde".getBytes()), -1));
        assertEquals(5, await(r));
        assertArrayEquals("abcde".getBytes(), bytes(c, 5));
        await(engine.close(p.writeEnd()));
        assertEquals(-1, await(engine.readUpTo(p.readEnd(), c, 100, -1)));
        free(c);
    }

    // ---- readExactly -----------------------------------------------------------------------------

    @Test
    void readExactlyReadsExactlyLen() throws Exception {
        byte[] data = pattern(5000, 8);
        Fd fd = open(file("x.bin", data), RO);
        Chunk c = chunk();
        put(c, new byte[5000]);
        assertNull(await(engine.readExactly(fd, c, 3000, 1000)));
        assertArrayEquals(slice(data, 1000, 4000), bytes(c, 3000));
        assertEquals(0, c.segment().get(JAVA_BYTE, 3000), "nothing past len");
        assertNull(await(engine.readExactly(fd, c, 0, 0)));
        free(c);
    }

    @Test
    void readExactlyFailsWithEofExceptionWhenTheDataRunsOut() throws Exception {
        Fd fd = open(file("short.bin", pattern(10, 9)), RO);
        Chunk c = chunk();
        failure(engine.readExactly(fd, c, 20, 0), EOFException.class);
        failure(engine.readExactly(fd, c, 1, 10), EOFException.class);
        fd.lseek(8, Whence.SET);
        EOFException e = failure(engine.readExactly(fd, c, 5, -1), EOFException.class);
        assertTrue(e.getMessage().contains("2 of 5"), e.getMessage());
        free(c);
    }

    @Test
    void readExactlyLoopsOverShortReadsFromAPipe() throws Exception {
        Pipe p = pipe();
        Chunk c = chunk();
        CompletableFuture<Void> r = engine.readExactly(p.readEnd(), c, 10, -1);
        await(engine.write(p.writeEnd(), MemorySegment.ofArray("01234".getBytes()), -1));
        await(engine.sleep(Duration.ofMillis(100)));
        assertFalse(r.isDone(), "readExactly completed with only 5 of 10 bytes: " + r);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                return;
            }
            engine.write(p.writeEnd(), ByteBuffer.wrap("56789".getBytes()), -1).join();
        });
        assertNull(await(r));
        writer.join();
        assertArrayEquals("0123456789".getBytes(), bytes(c, 10));
        free(c);
    }

    @Test
    void readExactlyFromAPipeWhoseWriterClosesFailsWithEof() throws Exception {
        Pipe p = pipe();
        Chunk c = chunk();
        CompletableFuture<Void> r = engine.readExactly(p.readEnd(), c, 10, -1);
        await(engine.write(p.writeEnd(), MemorySegment.ofArray("01234".getBytes()), -1));
        await(engine.close(p.writeEnd()));
        EOFException e = failure(r, EOFException.class);
        assertTrue(e.getMessage().contains("5"), e.getMessage());
        free(c);
    }

    @Test
    void readExactlyBadArguments() throws Exception {
        Fd fd = open(file("rx.bin", new byte[10]), RO);
        Chunk c = chunk();
        assertThrows(IllegalArgumentException.class, () -> engine.readExactly(fd, c, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.readExactly(fd, c, c.size() + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.readExactly(fd, c, 1, -2));
        Fd d = openDir(dir);
        failure(engine.readExactly(d, c, 1, 0), Errno.EISDIR, "readExactly");
        free(c);
    }

    // ---- read(Fd, MemorySegment) -----------------------------------------------------------------

    @Test
    void readIntoANativeSegment() throws Exception {
        byte[] data = pattern(4096, 10);
        Fd fd = open(file("seg.bin", data), RO);
        MemorySegment seg = Arena.ofAuto().allocate(8192);
        assertEquals(4096, await(engine.read(fd, seg, 0)));
        assertArrayEquals(data, seg.asSlice(0, 4096).toArray(JAVA_BYTE));
        assertEquals(-1, await(engine.read(fd, seg, 4096)));
        MemorySegment small = Arena.ofAuto().allocate(100);
        assertEquals(100, await(engine.read(fd, small, 200)));
        assertArrayEquals(slice(data, 200, 300), small.toArray(JAVA_BYTE));
    }

    @Test
    void readIntoAHeapSegment() throws Exception {
        byte[] data = pattern(3000, 11);
        Fd fd = open(file("heap.bin", data), RO);
        byte[] arr = new byte[4000];
        Arrays.fill(arr, (byte) 0x55);
        MemorySegment seg = MemorySegment.ofArray(arr);
        assertEquals(3000, await(engine.read(fd, seg, 0)));
        assertArrayEquals(data, slice(arr, 0, 3000));
        for (int i = 3000; i < 4000; i++) {
            assertEquals(0x55, arr[i], "byte " + i + " past the count was changed");
        }
        assertEquals(-1, await(engine.read(fd, seg, 3000)));
        assertEquals(0x55, arr[3500]);
        // a slice in the middle of an array
        MemorySegment mid = MemorySegment.ofArray(arr).asSlice(100, 50);
        assertEquals(50, await(engine.read(fd, mid, 1000)));
        assertArrayEquals(slice(data, 1000, 1050), slice(arr, 100, 150));
    }

    @Test
    void readWithOffsetMinusOneIntoASegmentAdvancesThePosition() throws Exception {
        byte[] data = pattern(100, 12);
        Fd fd = open(file("segpos.bin", data), RO);
        fd.lseek(40, Whence.SET);
        byte[] arr = new byte[30];
        assertEquals(30, await(engine.read(fd, MemorySegment.ofArray(arr), -1)));
        assertArrayEquals(slice(data, 40, 70), arr);
        assertEquals(70, fd.lseek(0, Whence.CUR));
    }

    @Test
    void readIntoASegmentBadArguments() throws Exception {
        Fd fd = open(file("segargs.bin", new byte[10]), RO);
        MemorySegment ro = MemorySegment.ofArray(new byte[10]).asReadOnly();
        assertThrows(IllegalArgumentException.class, () -> engine.read(fd, ro, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.read(fd, Arena.ofAuto().allocate(10).asReadOnly(), 0));
        assertThrows(IllegalArgumentException.class, () -> engine.read(fd, MemorySegment.ofArray(new byte[10]), -2));
        assertThrows(NullPointerException.class, () -> engine.read(fd, (MemorySegment) null, 0));
        assertThrows(NullPointerException.class, () -> engine.read(null, MemorySegment.ofArray(new byte[1]), 0));
        assertEquals(0, fd.users());
    }

    // ---- read(Fd, ByteBuffer) --------------------------------------------------------------------

    @Test
    void readIntoAHeapByteBufferAdvancesThePosition() throws Exception {
        byte[] data = pattern(100, 13);
        Fd fd = open(file("bb.bin", data), RO);
        ByteBuffer b = ByteBuffer.allocate(20);
        b.position(2).limit(12);
        assertEquals(10, await(engine.read(fd, b, 5)));
        assertEquals(12, b.position());
        assertEquals(12, b.limit());
        assertArrayEquals(slice(data, 5, 15), bytes(b, 2, 12));
        assertArrayEquals(new byte[2], bytes(b, 0, 2));
        assertArrayEquals(new byte[8], bytes(b, 12, 20));
        // a slice of an array (non-zero array offset)
        byte[] arr = new byte[30];
        ByteBuffer sliced = ByteBuffer.wrap(arr, 10, 15).slice();
        assertEquals(15, await(engine.read(fd, sliced, 50)));
        assertEquals(15, sliced.position());
        assertArrayEquals(slice(data, 50, 65), slice(arr, 10, 25));
        assertArrayEquals(new byte[10], slice(arr, 0, 10));
        assertArrayEquals(new byte[5], slice(arr, 25, 30));
    }

    @Test
    void readIntoADirectByteBufferAdvancesThePosition() throws Exception {
        byte[] data = pattern(100, 14);
        Fd fd = open(file("dbb.bin", data), RO);
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        b.position(4);
        assertEquals(60, await(engine.read(fd, b, 0)));
        assertEquals(64, b.position());
        assertArrayEquals(slice(data, 0, 60), bytes(b, 4, 64));
        b.clear();
        assertEquals(40, await(engine.read(fd, b, 60)));
        assertEquals(40, b.position());
        assertArrayEquals(slice(data, 60, 100), bytes(b, 0, 40));
    }

    @Test
    void readIntoAByteBufferAtEofReturnsMinusOneAndKeepsThePosition() throws Exception {
        Fd fd = open(file("bbeof.bin", new byte[5]), RO);
        ByteBuffer heap = ByteBuffer.allocate(10);
        heap.position(3);
        assertEquals(-1, await(engine.read(fd, heap, 5)));
        assertEquals(3, heap.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(10);
        assertEquals(-1, await(engine.read(fd, direct, 100)));
        assertEquals(0, direct.position());
    }

    @Test
    void readIntoAByteBufferWithOffsetMinusOne() throws Exception {
        byte[] data = pattern(50, 15);
        Fd fd = open(file("bbpos.bin", data), RO);
        ByteBuffer b = ByteBuffer.allocate(20);
        assertEquals(20, await(engine.read(fd, b, -1)));
        b.clear();
        assertEquals(20, await(engine.read(fd, b, -1)));
        assertArrayEquals(slice(data, 20, 40), bytes(b, 0, 20));
        assertEquals(40, fd.lseek(0, Whence.CUR));
    }

    @Test
    void readIntoAReadOnlyByteBufferThrowsIllegalArgument() throws Exception {
        Fd fd = open(file("robb.bin", new byte[10]), RO);
        assertThrows(IllegalArgumentException.class, () -> engine.read(fd, ByteBuffer.allocate(10).asReadOnlyBuffer(), 0));
        assertThrows(IllegalArgumentException.class,
                () -> engine.read(fd, ByteBuffer.allocateDirect(10).asReadOnlyBuffer(), 0));
        assertThrows(IllegalArgumentException.class, () -> engine.read(fd, ByteBuffer.allocate(10), -2));
        assertThrows(NullPointerException.class, () -> engine.read(fd, (ByteBuffer) null, 0));
        assertEquals(0, fd.users());
    }

    // ---- readv -----------------------------------------------------------------------------------

    @Test
    void readvIntoByteBuffersFillsThemInOrderAndAdvancesPositions() throws Exception {
        byte[] data = pattern(15, 16);
        Fd fd = open(file("rv.bin", data), RO);
        ByteBuffer a = ByteBuffer.allocate(3);
        ByteBuffer b = ByteBuffer.allocateDirect(5);
        ByteBuffer c = ByteBuffer.allocate(10);
        c.position(2).limit(9);
        assertEquals(15L, await(engine.readv(fd, new ByteBuffer[] {a, b, c}, 0)));
        assertEquals(3, a.position());
        assertEquals(5, b.position());
        assertEquals(9, c.position());
        assertArrayEquals(slice(data, 0, 3), bytes(a, 0, 3));
        assertArrayEquals(slice(data, 3, 8), bytes(b, 0, 5));
        assertArrayEquals(slice(data, 8, 15), bytes(c, 2, 9));
    }

    @Test
    void readvStopsAtEndOfFileAndAdvancesOnlyWhatWasFilled() throws Exception {
        byte[] data = pattern(6, 17);
        Fd fd = open(file("rvshort.bin", data), RO);
        ByteBuffer a = ByteBuffer.allocateDirect(4);
        ByteBuffer b = ByteBuffer.allocateDirect(4);
        ByteBuffer c = ByteBuffer.allocateDirect(4);
        assertEquals(6L, await(engine.readv(fd, new ByteBuffer[] {a, b, c}, 0)));
        assertEquals(4, a.position());
        assertEquals(2, b.position());
        assertEquals(0, c.position());
        assertArrayEquals(slice(data, 0, 4), bytes(a, 0, 4));
        assertArrayEquals(slice(data, 4, 6), bytes(b, 0, 2));
        a.clear();
        assertEquals(-1L, await(engine.readv(fd, new ByteBuffer[] {a}, 6)));
        assertEquals(0, a.position());
    }

    @Test
    void readvIntoHeapBuffersLeavesBytesPastTheCountUntouched() throws Exception {
        byte[] data = pattern(6, 18);
        Fd fd = open(file("rvheap.bin", data), RO);
        ByteBuffer a = ByteBuffer.allocate(4);
        ByteBuffer b = ByteBuffer.allocate(8);
        Arrays.fill(b.array(), (byte) 0x55);
        assertEquals(6L, await(engine.readv(fd, new ByteBuffer[] {a, b}, 0)));
        assertEquals(4, a.position());
        assertEquals(2, b.position());
        assertArrayEquals(slice(data, 4, 6), bytes(b, 0, 2));
        byte[] untouched = new byte[6];
        Arrays.fill(untouched, (byte) 0x55);
        assertArrayEquals(untouched, bytes(b, 2, 8),
                "readv changed heap-buffer bytes past the count it returned");
    }

    @Test
    void readvIntoSegmentsFillsThemInOrder() throws Exception {
        byte[] data = pattern(40, 19);
        Fd fd = open(file("rvseg.bin", data), RO);
        MemorySegment a = Arena.ofAuto().allocate(10);
        byte[] arr = new byte[10];
        MemorySegment b = MemorySegment.ofArray(arr);
        MemorySegment c = Arena.ofAuto().allocate(20);
        assertEquals(40L, await(engine.readv(fd, new MemorySegment[] {a, b, c}, 0)));
        assertArrayEquals(slice(data, 0, 10), a.toArray(JAVA_BYTE));
        assertArrayEquals(slice(data, 10, 20), arr);
        assertArrayEquals(slice(data, 20, 40), c.toArray(JAVA_BYTE));
        assertEquals(-1L, await(engine.readv(fd, new MemorySegment[] {a}, 40)));
    }

    @Test
    void readvIntoHeapSegmentsLeavesBytesPastTheCountUntouched() throws Exception {
        byte[] data = pattern(12, 20);
        Fd fd = open(file("rvsegheap.bin", data), RO);
        byte[] arr = new byte[20];
        Arrays.fill(arr, (byte) 0x55);
        assertEquals(12L, await(engine.readv(fd, new MemorySegment[] {MemorySegment.ofArray(arr)}, 0)));
        assertArrayEquals(data, slice(arr, 0, 12));
        byte[] untouched = new byte[8];
        Arrays.fill(untouched, (byte) 0x55);
        assertArrayEquals(untouched, slice(arr, 12, 20),
                "readv changed heap-segment bytes past the count it returned");
    }

    @Test
    void readvWithOffsetMinusOneAdvancesThePosition() throws Exception {
        byte[] data = pattern(30, 21);
        Fd fd = open(file("rvpos.bin", data), RO);
        fd.lseek(5, Whence.SET);
        ByteBuffer a = ByteBuffer.allocateDirect(5);
        ByteBuffer b = ByteBuffer.allocate(5);
        assertEquals(10L, await(engine.readv(fd, new ByteBuffer[] {a, b}, -1)));
        assertEquals(15, fd.lseek(0, Whence.CUR));
        assertArrayEquals(slice(data, 5, 10), bytes(a, 0, 5));
        assertArrayEquals(slice(data, 10, 15), bytes(b, 0, 5));
    }

    @Test
    void readvBadArguments() throws Exception {
        Fd fd = open(file("rvargs.bin", new byte[10]), RO);
        assertThrows(IllegalArgumentException.class,
                () -> engine.readv(fd, new ByteBuffer[] {ByteBuffer.allocate(2), ByteBuffer.allocate(2).asReadOnlyBuffer()}, 0));
        assertThrows(IllegalArgumentException.class,
                () -> engine.readv(fd, new MemorySegment[] {MemorySegment.ofArray(new byte[2]).asReadOnly()}, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.readv(fd, new ByteBuffer[] {ByteBuffer.allocate(2)}, -2));
        assertThrows(NullPointerException.class, () -> engine.readv(fd, new ByteBuffer[] {null}, 0));
        assertThrows(NullPointerException.class, () -> engine.readv(fd, (ByteBuffer[]) null, 0));
        assertThrows(NullPointerException.class, () -> engine.readv(fd, (MemorySegment[]) null, 0));
        Fd d = openDir(dir);
        failure(engine.readv(d, new ByteBuffer[] {ByteBuffer.allocate(2)}, 0), Errno.EISDIR, "readv");
        assertEquals(0, fd.users());
    }

    // ---- write(chunk) ----------------------------------------------------------------------------

    @Test
    void writeChunkWritesAllBytes() throws Exception {
        Path p = dir.resolve("w.bin");
        Fd fd = open(p, OpenFlags.O_CREAT | WO);
        Chunk c = chunk();
        byte[] data = pattern(c.size(), 22);
        put(c, data);
        assertNull(await(engine.write(fd, c, c.size(), 0)));
        assertNull(await(engine.write(fd, c, 100, c.size())));
        assertEquals(c.size() + 100L, Files.size(p));
        byte[] all = Files.readAllBytes(p);
        assertArrayEquals(data, slice(all, 0, c.size()));
        assertArrayEquals(slice(data, 0, 100), slice(all, c.size(), c.size() + 100));
        free(c);
    }

    @Test
    void writeChunkWithOffsetMinusOneAppendsAtThePosition() throws Exception {
        Path p = file("wpos.bin", new byte[0]);
        Fd fd = open(p, WO);
        Chunk c = chunk();
        put(c, "abc".getBytes());
        await(engine.write(fd, c, 3, -1));
        await(engine.write(fd, c, 2, -1));
        assertEquals(5, fd.lseek(0, Whence.CUR));
        assertEquals("abcab", Files.readString(p));
        free(c);
    }

    @Test
    void writeChunkToAReadOnlyFdFailsWithEbadf() throws Exception {
        Path p = file("ro.bin", "keep".getBytes());
        Fd fd = open(p, RO);
        Chunk c = chunk();
        failure(engine.write(fd, c, 10, 0), Errno.EBADF, "write");
        assertEquals("keep", Files.readString(p));
        assertEquals(0, c.retainCount());
        free(c);
    }

    @Test
    void writeChunkBadArguments() throws Exception {
        Fd fd = open(file("wargs.bin", new byte[0]), WO);
        Chunk c = chunk();
        assertThrows(IllegalArgumentException.class, () -> engine.write(fd, c, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.write(fd, c, c.size() + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.write(fd, c, 1, -2));
        assertThrows(NullPointerException.class, () -> engine.write(fd, (Chunk) null, 1, 0));
        free(c);
        assertEquals(0, Files.size(dir.resolve("wargs.bin")));
    }

    @Test
    void writeChunkToAPipeWhoseReaderIsGoneFailsWithEpipe() throws Exception {
        Pipe p = pipe();
        await(engine.close(p.readEnd()));
        Chunk c = chunk();
        failure(engine.write(p.writeEnd(), c, 10, -1), Errno.EPIPE, "write");
        free(c);
    }

    // ---- write(MemorySegment) / write(ByteBuffer) ------------------------------------------------

    @Test
    void writeHeapAndNativeSegments() throws Exception {
        Path p = dir.resolve("ws.bin");
        Fd fd = open(p, OpenFlags.O_CREAT | RW);
        byte[] a = pattern(5000, 23);
        MemorySegment nat = Arena.ofAuto().allocate(3000);
        MemorySegment.copy(pattern(3000, 24), 0, nat, JAVA_BYTE, 0, 3000);
        assertNull(await(engine.write(fd, MemorySegment.ofArray(a), 0)));
        assertNull(await(engine.write(fd, nat, 5000)));
        assertNull(await(engine.write(fd, MemorySegment.ofArray(a).asSlice(10, 20), 8000)));
        byte[] all = Files.readAllBytes(p);
        assertEquals(8020, all.length);
        assertArrayEquals(a, slice(all, 0, 5000));
        assertArrayEquals(pattern(3000, 24), slice(all, 5000, 8000));
        assertArrayEquals(slice(a, 10, 30), slice(all, 8000, 8020));
        // read-only sources are fine for a write
        assertNull(await(engine.write(fd, MemorySegment.ofArray(a).asReadOnly(), 0)));
        assertNull(await(engine.write(fd, MemorySegment.ofArray(new byte[0]), 0)));
    }

    @Test
    void writeALargeHeapSegmentThroughAPipeWritesEverything() throws Exception {
        Pipe p = pipe();
        byte[] data = pattern(1 << 20, 25);
        CompletableFuture<Void> w = engine.write(p.writeEnd(), MemorySegment.ofArray(data), -1);
        byte[] got = new byte[data.length];
        int n = 0;
        ByteBuffer b = ByteBuffer.allocateDirect(50_000);
        while (n < data.length) {
            b.clear();
            int r = await(engine.read(p.readEnd(), b, -1));
            assertTrue(r > 0, "pipe EOF after " + n);
            b.flip().get(got, n, r);
            n += r;
        }
        assertNull(await(w));
        assertArrayEquals(data, got);
    }

    @Test
    void writeByteBuffersAdvancePositions() throws Exception {
        Path p = dir.resolve("wb.bin");
        Fd fd = open(p, OpenFlags.O_CREAT | WO);
        ByteBuffer heap = ByteBuffer.wrap(pattern(100, 26));
        heap.position(10).limit(60);
        assertNull(await(engine.write(fd, heap, 0)));
        assertEquals(60, heap.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(40);
        direct.put(pattern(40, 27)).flip();
        assertNull(await(engine.write(fd, direct, 50)));
        assertEquals(40, direct.position());
        assertFalse(direct.hasRemaining());
        byte[] all = Files.readAllBytes(p);
        assertArrayEquals(slice(pattern(100, 26), 10, 60), slice(all, 0, 50));
        assertArrayEquals(pattern(40, 27), slice(all, 50, 90));
        // nothing remaining: completes, position unchanged
        assertNull(await(engine.write(fd, direct, 0)));
        assertEquals(40, direct.position());
        // a read-only buffer can be written from
        ByteBuffer ro = ByteBuffer.wrap("xyz".getBytes()).asReadOnlyBuffer();
        assertNull(await(engine.write(fd, ro, 90)));
        assertEquals(3, ro.position());
        assertEquals(93, Files.size(p));
    }

    @Test
    void writeByteBufferWithOffsetMinusOneAdvancesTheFilePosition() throws Exception {
        Path p = file("wbpos.bin", new byte[0]);
        Fd fd = open(p, WO);
        await(engine.write(fd, ByteBuffer.wrap("hello ".getBytes()), -1));
        await(engine.write(fd, ByteBuffer.wrap("world".getBytes()), -1));
        assertEquals(11, fd.lseek(0, Whence.CUR));
        assertEquals("hello world", Files.readString(p));
    }

    @Test
    void writeSegmentOrBufferToAReadOnlyFdFailsWithEbadf() throws Exception {
        Path p = file("wsro.bin", "keep".getBytes());
        Fd fd = open(p, RO);
        failure(engine.write(fd, MemorySegment.ofArray(new byte[3]), 0), Errno.EBADF, "write");
        failure(engine.write(fd, Arena.ofAuto().allocate(3), 0), Errno.EBADF, "write");
        ByteBuffer b = ByteBuffer.allocate(3);
        failure(engine.write(fd, b, 0), Errno.EBADF, "write");
        assertEquals(0, b.position(), "a failed write must not advance the buffer");
        assertEquals("keep", Files.readString(p));
    }

    @Test
    void writeSegmentOrBufferBadArguments() throws Exception {
        Fd fd = open(file("wsargs.bin", new byte[0]), WO);
        assertThrows(IllegalArgumentException.class, () -> engine.write(fd, MemorySegment.ofArray(new byte[1]), -2));
        assertThrows(IllegalArgumentException.class, () -> engine.write(fd, ByteBuffer.allocate(1), -2));
        assertThrows(NullPointerException.class, () -> engine.write(fd, (MemorySegment) null, 0));
        assertThrows(NullPointerException.class, () -> engine.write(fd, (ByteBuffer) null, 0));
        assertThrows(NullPointerException.class, () -> engine.write(null, ByteBuffer.allocate(1), 0));
        assertEquals(0, fd.users());
    }

    // ---- writev / writevSingle -------------------------------------------------------------------

    @Test
    void writevWritesEverythingAndAdvancesPositions() throws Exception {
        Path p = dir.resolve("wv.bin");
        Fd fd = open(p, OpenFlags.O_CREAT | WO);
        ByteBuffer a = ByteBuffer.wrap(pattern(10, 28));
        ByteBuffer b = ByteBuffer.allocateDirect(20);
        b.put(pattern(20, 29)).flip();
        ByteBuffer c = ByteBuffer.wrap(pattern(30, 30));
        c.position(5).limit(25);
        ByteBuffer empty = ByteBuffer.allocate(0);
        assertNull(await(engine.writev(fd, new ByteBuffer[] {a, empty, b, c}, 0)));
        assertEquals(10, a.position());
        assertEquals(20, b.position());
        assertEquals(25, c.position());
        byte[] all = Files.readAllBytes(p);
        assertEquals(50, all.length);
        assertArrayEquals(pattern(10, 28), slice(all, 0, 10));
        assertArrayEquals(pattern(20, 29), slice(all, 10, 30));
        assertArrayEquals(slice(pattern(30, 30), 5, 25), slice(all, 30, 50));
        assertNull(await(engine.writev(fd, new ByteBuffer[0], 0)));
    }

    @Test
    void writevWithMoreThanIovMaxBuffersWritesAll() throws Exception {
        Path p = dir.resolve("wvmany.bin");
        Fd fd = open(p, OpenFlags.O_CREAT | WO);
        int count = 2500;
        ByteBuffer[] bufs = new ByteBuffer[count];
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            byte[] d = pattern(i % 7 + 1, i);
            expected.write(d);
            bufs[i] = i % 3 == 0 ? ByteBuffer.allocateDirect(d.length).put(d).flip() : ByteBuffer.wrap(d);
        }
        assertNull(await(engine.writev(fd, bufs, 0)));
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(p));
        for (int i = 0; i < count; i++) {
            assertFalse(bufs[i].hasRemaining(), "buffer " + i + " not consumed");
        }
    }

    @Test
    void writevWithOffsetMinusOneAdvancesTheFilePosition() throws Exception {
        Path p = file("wvpos.bin", "0123456789".getBytes());
        Fd fd = open(p, WO);
        fd.lseek(2, Whence.SET);
        await(engine.writev(fd, new ByteBuffer[] {ByteBuffer.wrap("ab".getBytes()), ByteBuffer.wrap("cd".getBytes())}, -1));
        assertEquals(6, fd.lseek(0, Whence.CUR));
        assertEquals("01abcd6789", Files.readString(p));
    }

    @Test
    void writevToAReadOnlyFdFailsWithEbadf() throws Exception {
        Fd fd = open(file("wvro.bin", new byte[0]), RO);
        ByteBuffer b = ByteBuffer.wrap(new byte[4]);
        failure(engine.writev(fd, new ByteBuffer[] {b}, 0), Errno.EBADF, "writev");
        assertEquals(0, b.position());
        failure(engine.writevSingle(fd, new ByteBuffer[] {b}, 0), Errno.EBADF, "writevSingle");
        assertEquals(0, b.position());
    }

    @Test
    void writevBadArguments() throws Exception {
        Fd fd = open(file("wvargs.bin", new byte[0]), WO);
        assertThrows(IllegalArgumentException.class, () -> engine.writev(fd, new ByteBuffer[] {ByteBuffer.allocate(1)}, -2));
        assertThrows(IllegalArgumentException.class,
                () -> engine.writevSingle(fd, new ByteBuffer[] {ByteBuffer.allocate(1)}, -2));
        assertThrows(NullPointerException.class, () -> engine.writev(fd, null, 0));
        assertThrows(NullPointerException.class, () -> engine.writev(fd, new ByteBuffer[] {null}, 0));
        assertThrows(NullPointerException.class, () -> engine.writevSingle(fd, null, 0));
        assertEquals(0, fd.users());
    }

    @Test
    void writevSingleIsOneOpReturningTheCountAndAdvancingPositions() throws Exception {
        Path p = dir.resolve("wvs.bin");
        Fd fd = open(p, OpenFlags.O_CREAT | WO);
        ByteBuffer a = ByteBuffer.wrap(pattern(7, 31));
        ByteBuffer b = ByteBuffer.allocateDirect(9).put(pattern(9, 32)).flip();
        assertEquals(16L, await(engine.writevSingle(fd, new ByteBuffer[] {a, b}, 0)));
        assertEquals(7, a.position());
        assertEquals(9, b.position());
        byte[] all = Files.readAllBytes(p);
        assertArrayEquals(pattern(7, 31), slice(all, 0, 7));
        assertArrayEquals(pattern(9, 32), slice(all, 7, 16));
    }

    @Test
    void writevSingleWritesAtMostIovMaxBuffers() throws Exception {
        Path p = dir.resolve("wvsmany.bin");
        Fd fd = open(p, OpenFlags.O_CREAT | WO);
        int count = 2000;
        ByteBuffer[] bufs = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            bufs[i] = ByteBuffer.wrap(new byte[] {(byte) i, (byte) (i >> 8), 7});
        }
        long n = await(engine.writevSingle(fd, bufs, 0));
        assertEquals(1024L * 3, n, "one WRITEV op covers at most IOV_MAX (1024) buffers");
        assertEquals(n, Files.size(p));
        for (int i = 0; i < count; i++) {
            assertEquals(i < 1024 ? 3 : 0, bufs[i].position(), "position of buffer " + i);
        }
        byte[] all = Files.readAllBytes(p);
        assertEquals((byte) 1023, all[1023 * 3]);
        assertEquals((byte) (1023 >> 8), all[1023 * 3 + 1]);
    }

    @Test
    void writevSingleToAPipeReturnsTheCountItWrote() throws Exception {
        Pipe p = pipe();
        // more than the pipe holds (64 KiB by default): one op, possibly a short count
        ByteBuffer[] bufs = new ByteBuffer[4];
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < bufs.length; i++) {
            byte[] d = pattern(32 * 1024, 40 + i);
            expected.write(d);
            bufs[i] = ByteBuffer.allocateDirect(d.length).put(d).flip();
        }
        CompletableFuture<Long> w = engine.writevSingle(p.writeEnd(), bufs, -1);
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().start(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(16 * 1024);
            while (true) {
                b.clear();
                int n = engine.read(p.readEnd(), b, -1).join();
                if (n < 0) {
                    return;
                }
                got.write(bytes(b, 0, n), 0, n);
            }
        });
        long n = await(w);
        assertTrue(n > 0 && n <= 128 * 1024, "count " + n);
        long consumed = 0;
        for (ByteBuffer b : bufs) {
            consumed += b.position();
        }
        assertEquals(n, consumed, "positions advanced by exactly the count");
        await(engine.close(p.writeEnd()));
        reader.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(reader.isAlive());
        assertArrayEquals(slice(expected.toByteArray(), 0, (int) n), got.toByteArray());
    }

    // ---- fsync / fdatasync -----------------------------------------------------------------------

    @Test
    void fsyncAndFdatasyncSucceedOnAFile() throws Exception {
        Path p = file("sync.bin", new byte[0]);
        Fd fd = open(p, WO);
        await(engine.write(fd, ByteBuffer.wrap("durable".getBytes()), 0));
        assertNull(await(engine.fsync(fd)));
        assertNull(await(engine.fdatasync(fd)));
        Fd d = openDir(dir);
        assertNull(await(engine.fsync(d)));
        assertEquals("durable", Files.readString(p));
    }

    @Test
    void fsyncAndFdatasyncOnAPipeFailWithEinval() throws Exception {
        Pipe p = pipe();
        failure(engine.fdatasync(p.writeEnd()), Errno.EINVAL, "fdatasync");
        failure(engine.fsync(p.writeEnd()), Errno.EINVAL, "fsync");
        assertThrows(NullPointerException.class, () -> engine.fsync(null));
        assertThrows(NullPointerException.class, () -> engine.fdatasync(null));
    }

    // ---- statx / fstat ---------------------------------------------------------------------------

    @Test
    void statxOfARegularFile() throws Exception {
        Path p = file("st.bin", new byte[1234]);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r-----"));
        FileStat st = await(engine.statx(null, p.toString(), 0, AtFlags.STATX_BASIC_STATS));
        assertEquals(1234, st.size());
        assertTrue(st.isRegularFile());
        assertFalse(st.isDirectory());
        assertFalse(st.isSymbolicLink());
        assertEquals(0640, st.permissions());
        assertEquals(0100640, st.mode());
        assertEquals(((Number) Files.getAttribute(p, "unix:ino")).longValue(), st.inode());
        assertEquals(1, st.links());
        assertEquals(0, st.uid());
        assertEquals(Files.getLastModifiedTime(p).toInstant(), st.modified());
        assertEquals(AtFlags.STATX_BASIC_STATS, st.mask() & AtFlags.STATX_BASIC_STATS);
    }

    @Test
    void statxOfADirectoryRelativeToADirectoryFd() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        Fd d = openDir(dir);
        FileStat st = await(engine.statx(d, "sub", 0, AtFlags.STATX_BASIC_STATS));
        assertTrue(st.isDirectory());
        assertFalse(st.isRegularFile());
        FileStat self = await(engine.statx(d, "", AtFlags.AT_EMPTY_PATH, AtFlags.STATX_BASIC_STATS));
        assertTrue(self.isDirectory());
        assertEquals(((Number) Files.getAttribute(dir, "unix:ino")).longValue(), self.inode());
        assertTrue(await(engine.statx(null, ".", 0, AtFlags.STATX_BASIC_STATS)).isDirectory(), "relative to the cwd");
    }

    @Test
    void statxOfASymlinkWithAndWithoutNofollow() throws Exception {
        Path target = file("target.bin", new byte[77]);
        Path link = Files.createSymbolicLink(dir.resolve("lnk"), target);
        FileStat followed = await(engine.statx(null, link.toString(), 0, AtFlags.STATX_BASIC_STATS));
        assertTrue(followed.isRegularFile());
        assertEquals(77, followed.size());
        FileStat lstat = await(engine.statx(null, link.toString(), AtFlags.AT_SYMLINK_NOFOLLOW, AtFlags.STATX_BASIC_STATS));
        assertTrue(lstat.isSymbolicLink());
        assertFalse(lstat.isRegularFile());
        assertEquals(target.toString().length(), lstat.size());
    }

    @Test
    void statxOfANonexistentPathFailsWithEnoentNamingThePath() {
        String path = dir.resolve("missing").toString();
        NativeIoException e = failure(engine.statx(null, path, 0, AtFlags.STATX_BASIC_STATS), Errno.ENOENT);
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.op().startsWith("statx"), e.op());
        failure(engine.statx(null, "", 0, AtFlags.STATX_BASIC_STATS), Errno.ENOENT);
    }

    @Test
    void statxBadArguments() throws Exception {
        Path p = file("stargs.bin", new byte[1]);
        failure(engine.statx(null, p.resolve("x").toString(), 0, AtFlags.STATX_BASIC_STATS), Errno.ENOTDIR);
        assertThrows(IllegalArgumentException.class, () -> engine.statx(null, p + "\0", 0, AtFlags.STATX_BASIC_STATS));
        assertThrows(NullPointerException.class, () -> engine.statx(null, null, 0, AtFlags.STATX_BASIC_STATS));
        failure(engine.statx(null, p.toString(), 0x40000000, AtFlags.STATX_BASIC_STATS), Errno.EINVAL);
    }

    @Test
    void fstatOfFilesDirectoriesAndPipes() throws Exception {
        Path p = file("fst.bin", new byte[321]);
        Fd fd = open(p, RO);
        FileStat st = await(engine.fstat(fd));
        assertEquals(321, st.size());
        assertTrue(st.isRegularFile());
        assertEquals(((Number) Files.getAttribute(p, "unix:ino")).longValue(), st.inode());
        await(engine.write(open(p, WO), ByteBuffer.wrap(new byte[500]), 321));
        assertEquals(821, await(engine.fstat(fd)).size());
        assertTrue(await(engine.fstat(openDir(dir))).isDirectory());
        Pipe pipe = pipe();
        FileStat ps = await(engine.fstat(pipe.readEnd()));
        assertEquals(0010000, ps.mode() & 0170000, "S_IFIFO");
        assertThrows(NullPointerException.class, () -> engine.fstat(null));
    }

    // ---- ftruncate -------------------------------------------------------------------------------

    @Test
    void ftruncateGrowsAndShrinks() throws Exception {
        byte[] data = pattern(100, 33);
        Path p = file("tr.bin", data);
        Fd fd = open(p, RW);
        assertNull(await(engine.ftruncate(fd, 10_000)));
        assertEquals(10_000, Files.size(p));
        byte[] all = Files.readAllBytes(p);
        assertArrayEquals(data, slice(all, 0, 100));
        assertArrayEquals(new byte[9_900], slice(all, 100, 10_000));
        assertNull(await(engine.ftruncate(fd, 40)));
        assertEquals(40, Files.size(p));
        assertArrayEquals(slice(data, 0, 40), Files.readAllBytes(p));
        assertNull(await(engine.ftruncate(fd, 0)));
        assertEquals(0, Files.size(p));
    }

    @Test
    void ftruncateBadArguments() throws Exception {
        Path p = file("trargs.bin", new byte[5]);
        Fd fd = open(p, RW);
        assertThrows(IllegalArgumentException.class, () -> engine.ftruncate(fd, -1));
        assertThrows(NullPointerException.class, () -> engine.ftruncate(null, 1));
        Pipe pipe = pipe();
        failure(engine.ftruncate(pipe.writeEnd(), 0), Errno.EINVAL, "ftruncate");
        failure(engine.ftruncate(open(p, RO), 0), Errno.EINVAL, "ftruncate");
        failure(engine.ftruncate(openDir(dir), 0), Errno.EINVAL, "ftruncate");
        failure(engine.ftruncate(fd, Long.MAX_VALUE), Errno.EFBIG, "ftruncate");
        assertEquals(5, Files.size(p));
    }

    // ---- fallocate -------------------------------------------------------------------------------

    @Test
    void fallocateGrowsTheFile() throws Exception {
        Path p = file("fa.bin", new byte[0]);
        Fd fd = open(p, RW);
        assertNull(await(engine.fallocate(fd, 0, 0, 8192)));
        assertEquals(8192, Files.size(p));
        assertNull(await(engine.fallocate(fd, 0, 10_000, 100)));
        assertEquals(10_100, Files.size(p));
        assertArrayEquals(new byte[10_100], Files.readAllBytes(p));
    }

    @Test
    void fallocateKeepSizeKeepsTheSizeButReservesBlocks() throws Exception {
        Path p = file("fak.bin", new byte[100]);
        Fd fd = open(p, RW);
        long blocksBefore = await(engine.fstat(fd)).blocks();
        assertNull(await(engine.fallocate(fd, AtFlags.FALLOC_FL_KEEP_SIZE, 0, 1 << 20)));
        assertEquals(100, Files.size(p));
        FileStat st = await(engine.fstat(fd));
        assertEquals(100, st.size());
        assertTrue(st.blocks() >= blocksBefore + (1 << 20) / 512 - 8, "blocks " + blocksBefore + " -> " + st.blocks());
    }

    @Test
    void fallocatePunchHoleZeroesARange() throws Exception {
        byte[] data = pattern(3 * 4096, 34);
        Path p = file("fap.bin", data);
        Fd fd = open(p, RW);
        assertNull(await(engine.fallocate(fd, AtFlags.FALLOC_FL_PUNCH_HOLE | AtFlags.FALLOC_FL_KEEP_SIZE, 4096, 4096)));
        byte[] all = Files.readAllBytes(p);
        assertEquals(data.length, all.length);
        assertArrayEquals(slice(data, 0, 4096), slice(all, 0, 4096));
        assertArrayEquals(new byte[4096], slice(all, 4096, 8192));
        assertArrayEquals(slice(data, 8192, 12288), slice(all, 8192, 12288));
        // PUNCH_HOLE without KEEP_SIZE is refused by the kernel
        failure(engine.fallocate(fd, AtFlags.FALLOC_FL_PUNCH_HOLE, 0, 4096), Errno.EOPNOTSUPP, "fallocate");
    }

    @Test
    void fallocateBadArguments() throws Exception {
        Path p = file("faargs.bin", new byte[0]);
        Fd fd = open(p, RW);
        assertThrows(IllegalArgumentException.class, () -> engine.fallocate(fd, 0, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> engine.fallocate(fd, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.fallocate(fd, 0, 0, -5));
        assertThrows(NullPointerException.class, () -> engine.fallocate(null, 0, 0, 10));
        failure(engine.fallocate(open(p, RO), 0, 0, 10), Errno.EBADF, "fallocate");
        failure(engine.fallocate(fd, 0, Long.MAX_VALUE - 5, 10), Errno.EFBIG, "fallocate");
        assertEquals(0, Files.size(p));
    }

    @Test
    void fallocateOnAPipeFailsWithEspipe() throws Exception {
        // vfs_fallocate: S_ISFIFO -> ESPIPE (checked once on this kernel; the write end has FMODE_WRITE)
        Pipe p = pipe();
        failure(engine.fallocate(p.writeEnd(), 0, 0, 10), Errno.ESPIPE, "fallocate");
    }


    // ---- awaitReadable / awaitWritable -----------------------------------------------------------

    @Test
    void awaitReadableCompletesOnlyAfterAWrite() throws Exception {
        Pipe p = pipe();
        CompletableFuture<Integer> readable = engine.awaitReadable(p.readEnd());
        await(engine.sleep(Duration.ofMillis(100)));
        assertFalse(readable.isDone(), "readable before anything was written: " + readable);
        await(engine.write(p.writeEnd(), ByteBuffer.wrap(new byte[] {42}), -1));
        int events = await(readable);
        assertTrue((events & 0x001) != 0, "POLLIN not in 0x" + Integer.toHexString(events));
        // still readable: two more waits complete at once
        CompletableFuture<Integer> again1 = engine.awaitReadable(p.readEnd());
        CompletableFuture<Integer> again2 = engine.awaitReadable(p.readEnd());
        assertTrue((await(again1) & 0x001) != 0);
        assertTrue((await(again2) & 0x001) != 0);
        ByteBuffer b = ByteBuffer.allocate(1);
        assertEquals(1, await(engine.read(p.readEnd(), b, -1)));
        assertEquals(42, b.get(0));
        assertEquals(0, p.readEnd().users());
    }

    @Test
    void awaitWritableCompletesAtOnceOnAnEmptyPipe() throws Exception {
        Pipe p = pipe();
        int events = await(engine.awaitWritable(p.writeEnd()));
        assertTrue((events & 0x004) != 0, "POLLOUT not in 0x" + Integer.toHexString(events));
        assertEquals(0, p.writeEnd().users());
        assertThrows(NullPointerException.class, () -> engine.awaitReadable(null));
        assertThrows(NullPointerException.class, () -> engine.awaitWritable(null));
    }

    @Test
    void awaitReadableSeesHangUpWhenTheWriterCloses() throws Exception {
        Pipe p = pipe();
        CompletableFuture<Integer> readable = engine.awaitReadable(p.readEnd());
        await(engine.close(p.writeEnd()));
        int events = await(readable);
        assertTrue((events & 0x010) != 0, "POLLHUP not in 0x" + Integer.toHexString(events));
    }

    // ---- Fd.lseek and Pipe -----------------------------------------------------------------------

    @Test
    void lseekSetCurEnd() throws Exception {
        Fd fd = open(file("seek.bin", new byte[100]), RO);
        assertEquals(10, fd.lseek(10, Whence.SET));
        assertEquals(15, fd.lseek(5, Whence.CUR));
        assertEquals(12, fd.lseek(-3, Whence.CUR));
        assertEquals(97, fd.lseek(-3, Whence.END));
        assertEquals(150, fd.lseek(50, Whence.END));
        NativeIoException e = assertThrows(NativeIoException.class, () -> fd.lseek(-1, Whence.SET));
        assertEquals("EINVAL", e.errnoName());
        assertEquals(150, fd.lseek(0, Whence.CUR), "a failed lseek leaves the position");
        assertEquals(0, fd.users());
    }

    @Test
    void lseekOnAPipeFailsWithEspipe() throws Exception {
        Pipe p = pipe();
        NativeIoException e = assertThrows(NativeIoException.class, () -> p.readEnd().lseek(0, Whence.CUR));
        assertEquals("ESPIPE", e.errnoName());
        assertEquals("lseek", e.op());
        assertEquals(0, p.readEnd().users());
    }

    @Test
    void pipeEndsAreCloseOnExecPipes() throws Exception {
        Pipe p = pipe();
        assertCloexec(p.readEnd());
        assertCloexec(p.writeEnd());
        assertEquals(Fd.Kind.PIPE, p.readEnd().kind());
        assertEquals(Fd.Kind.PIPE, p.writeEnd().kind());
        assertEquals(OpenFlags.O_RDONLY, fdFlags(p.readEnd()) & OpenFlags.O_ACCMODE);
        assertEquals(OpenFlags.O_WRONLY, fdFlags(p.writeEnd()) & OpenFlags.O_ACCMODE);
        assertEquals(0, fdFlags(p.readEnd()) & OpenFlags.O_NONBLOCK);
        try (Pipe nb = Pipe.open(true)) {
            assertCloexec(nb.readEnd());
            assertCloexec(nb.writeEnd());
            assertTrue((fdFlags(nb.readEnd()) & OpenFlags.O_NONBLOCK) != 0);
            assertTrue((fdFlags(nb.writeEnd()) & OpenFlags.O_NONBLOCK) != 0);
        }
        Path procFd = Path.of("/proc/self/fd/" + p.readEnd().value());
        assertTrue(Files.readSymbolicLink(procFd).toString().startsWith("pipe:"));
        p.close();
        assertTrue(p.readEnd().isReleased());
        assertTrue(p.writeEnd().isReleased());
    }

    // ---- descriptors held by an operation ---------------------------------------------------------

    /**
     * An operation holds its descriptors from submission to completion and releases them
     * <em>before</em> its future completes (the ring operations do: {@code Op.succeed/fail} call
     * {@code releaseResources()} first), so a dependent stage — e.g. one that closes the
     * descriptor and relies on {@link Fd#isReleased()} or on {@code users() == 0} — sees it free.
     * Checked from a dependent stage, which runs as part of the completion itself.
     */
    @Test
    void heldDescriptorsAreReleasedBeforeTheFutureCompletes() throws Exception {
        Fd d = openDir(dir);
        Fd f = open(file("plain", new byte[1]), RW);
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Files.writeString(a.resolve("moved"), "m");
        Fd da = openDir(a);
        Fd db = openDir(b);
        assertAll(
                () -> assertEquals(0, usersAtCompletion(engine.fstat(d), d), "fstat"),
                () -> assertEquals(0, usersAtCompletion(engine.fsync(f), f), "fsync"),
                () -> assertEquals(0, usersAtCompletion(engine.statx(d, "plain", 0, AtFlags.STATX_BASIC_STATS), d), "statx"),
                () -> assertEquals(0, usersAtCompletion(engine.openat2(d, "absent", RO, 0, Set.of()), d), "openat2"),
                () -> assertEquals(0, usersAtCompletion(engine.mkdirat(d, "made", 0700), d), "mkdirat"),
                // renameat holds two directories
                () -> assertEquals(0, usersAtCompletion(engine.renameat(da, "moved", db, "moved", 0), da),
                        "renameat (success): old directory"),
                () -> assertEquals(0, usersAtCompletion(engine.renameat(db, "moved", da, "moved", 0), da),
                        "renameat (success): new directory"),
                () -> assertEquals(0, usersAtCompletion(engine.renameat(da, "absent", db, "x", 0), db),
                        "renameat (failure): new directory"),
                // readDir runs off the loop
                () -> assertEquals(0, usersAtCompletion(engine.readDir(d), d), "readDir (success)"),
                () -> assertEquals(0, usersAtCompletion(engine.readDir(f), f), "readDir (failure)"));
    }

    /** {@code fd.users()} as seen by a stage that depends on {@code op} (it runs as {@code op} completes). */
    private static int usersAtCompletion(CompletableFuture<?> op, Fd fd) {
        CompletableFuture<Integer> seen = op.handle((v, t) -> {
            if (v instanceof Fd opened) {
                opened.close();
            }
            return fd.users();
        });
        return await(seen);
    }

    // ---- submissions from the loop thread (callbacks) and O_DIRECT ------------------------------

    @Test
    void awaitReadableOnARegularFileCompletesAtOnce() throws Exception {
        Fd fd = open(file("pollfile", new byte[1]), RO);
        int events = await(engine.awaitReadable(fd));
        assertTrue((events & 0x001) != 0, "POLLIN not in 0x" + Integer.toHexString(events));
    }

    /** Copies a file with a read → write → read ... chain whose every later step is submitted by a callback. */
    @Test
    void aCopyLoopDrivenFromCallbacksOnTheLoopThread() throws Exception {
        byte[] data = pattern(1 << 20, 36);
        Fd in = open(file("src.bin", data), RO);
        Path dst = dir.resolve("dst.bin");
        Fd out = open(dst, OpenFlags.O_CREAT | WO);
        Chunk c = chunk();
        java.util.concurrent.atomic.AtomicInteger fromLoop = new java.util.concurrent.atomic.AtomicInteger();
        // started on the loop thread, so no step can complete before its callback is attached
        // (a callback attached to a completed future would run on the attaching thread instead)
        CompletableFuture<CompletableFuture<Void>> started = new CompletableFuture<>();
        engine.execute(() -> started.complete(copyFrom(in, out, c, 0, Math.min(c.size(), 16 * 1024), fromLoop)));
        await(await(started));
        assertTrue(fromLoop.get() > 0, "no step was submitted from the loop thread");
        assertArrayEquals(data, Files.readAllBytes(dst));
        // then close both from the loop thread
        CompletableFuture<CompletableFuture<Void>> closes = new CompletableFuture<>();
        engine.execute(() -> closes.complete(CompletableFuture.allOf(engine.close(in), engine.close(out))));
        await(await(closes));
        assertTrue(in.isReleased());
        assertTrue(out.isReleased());
        free(c);
    }

    private CompletableFuture<Void> copyFrom(Fd in, Fd out, Chunk c, long off, int step,
                                             java.util.concurrent.atomic.AtomicInteger fromLoop) {
        if (engine.inLoop()) {
            fromLoop.incrementAndGet();
        }
        return engine.readUpTo(in, c, step, off).thenCompose(n -> {
            if (n < 0) {
                return CompletableFuture.completedFuture(null);
            }
            if (engine.inLoop()) {
                fromLoop.incrementAndGet();
            }
            return engine.write(out, c, n, off).thenCompose(v -> copyFrom(in, out, c, off + n, step, fromLoop));
        });
    }

    @Test
    void manyOperationsSubmittedAtOnceFromTheLoopThread() throws Exception {
        int blocks = 100;
        int block = 256;
        byte[] data = pattern(blocks * block, 37);
        Fd fd = open(file("fromloop.bin", data), RW);
        Fd d = openDir(dir);
        CompletableFuture<List<CompletableFuture<?>>> submitted = new CompletableFuture<>();
        ByteBuffer[] bufs = new ByteBuffer[blocks];
        engine.execute(() -> {
            List<CompletableFuture<?>> fs = new ArrayList<>();
            assertTrue(engine.inLoop());
            for (int i = 0; i < blocks; i++) {
                bufs[i] = i % 2 == 0 ? ByteBuffer.allocate(block) : ByteBuffer.allocateDirect(block);
                fs.add(engine.read(fd, bufs[i], (long) i * block));
                if (i % 10 == 0) {
                    fs.add(engine.fstat(fd));
                    fs.add(engine.noop());
                    fs.add(engine.readDir(d));
                    fs.add(engine.sleep(Duration.ofMillis(1)));
                }
            }
            submitted.complete(fs);
        });
        for (CompletableFuture<?> f : await(submitted)) {
            await(f);
        }
        for (int i = 0; i < blocks; i++) {
            assertEquals(block, bufs[i].position());
            assertArrayEquals(slice(data, i * block, (i + 1) * block), bytes(bufs[i], 0, block), "block " + i);
        }
    }

    @Test
    void oDirectReadAndWriteThroughPageAlignedChunks() throws Exception {
        Chunk c = chunk();
        assertEquals(0, c.address() % 4096, "chunk not page-aligned");
        int n = 8192;
        byte[] data = pattern(n, 38);
        Path p = dir.resolve("direct.bin");
        Fd fd = open(p, OpenFlags.O_CREAT | RW | OpenFlags.O_DIRECT);
        put(c, data);
        await(engine.write(fd, c, n, 0));
        put(c, new byte[n]);
        assertEquals(n, await(engine.readUpTo(fd, c, n, 0)));
        assertArrayEquals(data, bytes(c, n));
        failure(engine.readUpTo(fd, c, 100, 0), Errno.EINVAL, "read"); // not a multiple of the block size
        assertArrayEquals(data, Files.readAllBytes(p));
        free(c);
    }

    // ---- many operations at once (the depth-2 engine overflows its SQ here) ----------------------

    @Test
    void manyNoopsAndSleepsAtOnce() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            all.add(engine.noop());
            if (i % 4 == 0) {
                all.add(engine.sleep(Duration.ofMillis(i % 20)));
            }
        }
        await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
    }

    @Test
    void manyReadsAtOnce() throws Exception {
        int block = 1024;
        int blocks = 128;
        byte[] data = pattern(block * blocks, 35);
        Fd fd = open(file("many.bin", data), RO);
        List<Chunk> cs = new ArrayList<>();
        int chunksUsed = 0;
        List<CompletableFuture<Integer>> chunkReads = new ArrayList<>();
        List<ByteBuffer> bufs = new ArrayList<>();
        List<CompletableFuture<Integer>> bufReads = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            if (i % 2 == 0 && chunksUsed < 48) {
                chunksUsed++;
                Chunk c = chunk();
                cs.add(c);
                chunkReads.add(engine.readUpTo(fd, c, block, (long) i * block));
                bufs.add(null);
                bufReads.add(null);
            } else {
                ByteBuffer b = i % 3 == 0 ? ByteBuffer.allocateDirect(block) : ByteBuffer.allocate(block);
                bufs.add(b);
                bufReads.add(engine.read(fd, b, (long) i * block));
                chunkReads.add(null);
                cs.add(null);
            }
        }
        for (int i = 0; i < blocks; i++) {
            byte[] want = slice(data, i * block, (i + 1) * block);
            if (cs.get(i) != null) {
                assertEquals(block, await(chunkReads.get(i)));
                assertArrayEquals(want, bytes(cs.get(i), block), "block " + i);
                free(cs.get(i));
            } else {
                assertEquals(block, await(bufReads.get(i)));
                assertEquals(block, bufs.get(i).position());
                assertArrayEquals(want, bytes(bufs.get(i), 0, block), "block " + i);
            }
        }
        assertEquals(0, fd.users());
    }

    @Test
    void manyWritesAtOnce() throws Exception {
        Path p = dir.resolve("manyw.bin");
        Fd fd = open(p, OpenFlags.O_CREAT | WO);
        int block = 512;
        int blocks = 200;
        List<CompletableFuture<Void>> all = new ArrayList<>();
        List<Chunk> cs = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            byte[] d = pattern(block, 1000 + i);
            long off = (long) i * block;
            switch (i % 4) {
                case 0 -> {
                    Chunk c = chunk();
                    put(c, d);
                    cs.add(c);
                    all.add(engine.write(fd, c, block, off));
                }
                case 1 -> all.add(engine.write(fd, MemorySegment.ofArray(d), off));
                case 2 -> all.add(engine.write(fd, ByteBuffer.allocateDirect(block).put(d).flip(), off));
                default -> all.add(engine.writev(fd, new ByteBuffer[] {ByteBuffer.wrap(d, 0, 100),
                        ByteBuffer.wrap(d, 100, block - 100)}, off));
            }
        }
        await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
        cs.forEach(this::free);
        byte[] all2 = Files.readAllBytes(p);
        assertEquals(block * blocks, all2.length);
        for (int i = 0; i < blocks; i++) {
            assertArrayEquals(pattern(block, 1000 + i), slice(all2, i * block, (i + 1) * block), "block " + i);
        }
    }

    @Test
    void manyPathOperationsAtOnce() throws Exception {
        int n = 100;
        List<CompletableFuture<Void>> mk = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            mk.add(engine.mkdirat(null, dir.resolve("d" + i).toString(), 0700));
        }
        await(CompletableFuture.allOf(mk.toArray(CompletableFuture[]::new)));
        List<CompletableFuture<Fd>> opens = new ArrayList<>();
        List<CompletableFuture<FileStat>> stats = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            opens.add(engine.open(dir.resolve("d" + i), OpenFlags.O_DIRECTORY, 0));
            stats.add(engine.statx(null, dir.resolve("d" + i).toString(), 0, AtFlags.STATX_BASIC_STATS));
        }
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Fd fd = track(await(opens.get(i)));
            assertEquals(Fd.Kind.DIRECTORY, fd.kind());
            assertTrue(await(stats.get(i)).isDirectory());
            closes.add(engine.close(fd));
        }
        await(CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)));
        List<CompletableFuture<Void>> rm = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rm.add(engine.unlinkat(null, dir.resolve("d" + i).toString(), true));
        }
        await(CompletableFuture.allOf(rm.toArray(CompletableFuture[]::new)));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void manyFailuresAtOnceAllReportTheirErrno() {
        List<CompletableFuture<Fd>> opens = IntStream.range(0, 100)
                .mapToObj(i -> engine.open(dir.resolve("absent-" + i), RO, 0)).collect(Collectors.toList());
        for (int i = 0; i < opens.size(); i++) {
            NativeIoException e = failure(opens.get(i), Errno.ENOENT);
            assertTrue(e.getMessage().contains("absent-" + i + ":"), e.getMessage());
        }
    }


    // ---- permission denied -------------------------------------------------------------------
    // The suite runs as root, which bypasses file modes (CAP_DAC_OVERRIDE). These are refusals the
    // kernel makes even to root: a read-only sysfs attribute cannot be opened for writing (EACCES),
    // procfs entries cannot be unlinked and sysfs takes no new directories (EPERM). As an ordinary
    // user the open test uses a mode-000 file instead, which gives the same EACCES.

    /** A sysfs attribute that is read-only even for root. */
    private static final String UEVENT_SEQNUM = "/sys/kernel/uevent_seqnum";

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void openat2WithoutPermissionFailsWithEaccesNamingThePath() throws Exception {
        String path;
        if (isRoot()) {
            KernelFeatures.assume(KernelFeatures.file(UEVENT_SEQNUM), "sysfs file " + UEVENT_SEQNUM);
            path = UEVENT_SEQNUM; // mode 0444 and no store method: EACCES even for root
        } else {
            Path p = Files.createFile(dir.resolve("no-access"));
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
            path = p.toString();
        }
        NativeIoException e = failure(engine.openat2(null, path, OpenFlags.O_WRONLY, 0, Set.of()), Errno.EACCES);
        assertTrue(e.getMessage().contains("openat2") && e.getMessage().contains(path), e.getMessage());
    }

    @Test
    void unlinkatOfAProcfsEntryFailsWithEperm() {
        NativeIoException e = failure(engine.unlinkat(null, "/proc/self/stat", false), Errno.EPERM);
        assertTrue(e.getMessage().contains("unlinkat"), e.getMessage());
    }

    @Test
    void mkdiratInSysfsFailsWithEperm() {
        KernelFeatures.assume(KernelFeatures.sysfsMounted(), "sysfs mounted at /sys");
        NativeIoException e = failure(engine.mkdirat(null, "/sys/ringio-test-dir", 0755), Errno.EPERM);
        assertTrue(e.getMessage().contains("mkdirat"), e.getMessage());
    }

    @Test
    void writeToAReadOnlySysfsAttributeOpenedForReadFailsWithEbadf() throws Exception {
        KernelFeatures.assume(KernelFeatures.file(UEVENT_SEQNUM), "sysfs file " + UEVENT_SEQNUM);
        Fd fd = await(engine.openat2(null, UEVENT_SEQNUM, OpenFlags.O_RDONLY, 0, Set.of()));
        try {
            NativeIoException e = failure(engine.write(fd, ByteBuffer.wrap(new byte[] {'1'}), -1), Errno.EBADF);
            assertTrue(e.getMessage().contains("write"), e.getMessage());
        } finally {
            await(engine.close(fd));
        }
    }
}
