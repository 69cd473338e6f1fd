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

/** unlinkat, mkdirat, renameat, symlinkat and readDir. */
public abstract class DirectoryContract extends ContractBase {

    // ---- unlinkat --------------------------------------------------------------------------------

    @Test
    void unlinkatRemovesAFileAndAnEmptyDirectory() throws Exception {
        Path f = file("u.bin", new byte[1]);
        assertNull(await(engine.unlinkat(null, f.toString(), false)));
        assertFalse(Files.exists(f));
        Path d = Files.createDirectory(dir.resolve("ud"));
        assertNull(await(engine.unlinkat(null, d.toString(), true)));
        assertFalse(Files.exists(d));
    }

    @Test
    void unlinkatRelativeToADirectoryFd() throws Exception {
        file("rel.bin", new byte[1]);
        Files.createDirectory(dir.resolve("reldir"));
        Fd d = openDir(dir);
        await(engine.unlinkat(d, "rel.bin", false));
        await(engine.unlinkat(d, "reldir", true));
        assertFalse(Files.exists(dir.resolve("rel.bin")));
        assertFalse(Files.exists(dir.resolve("reldir")));
        assertEquals(0, d.users());
    }

    @Test
    void unlinkatFailures() throws Exception {
        String missing = dir.resolve("nope").toString();
        NativeIoException e = failure(engine.unlinkat(null, missing, false), Errno.ENOENT, "unlinkat");
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        failure(engine.unlinkat(null, missing, true), Errno.ENOENT, "unlinkat");
        Path full = Files.createDirectory(dir.resolve("full"));
        Files.write(full.resolve("child"), new byte[1]);
        failure(engine.unlinkat(null, full.toString(), true), Errno.ENOTEMPTY, "unlinkat");
        failure(engine.unlinkat(null, full.toString(), false), Errno.EISDIR, "unlinkat");
        failure(engine.unlinkat(null, full.resolve("child").toString(), true), Errno.ENOTDIR, "unlinkat");
        assertTrue(Files.exists(full.resolve("child")));
        assertThrows(IllegalArgumentException.class, () -> engine.unlinkat(null, full + "\0x", false));
        assertThrows(NullPointerException.class, () -> engine.unlinkat(null, null, false));
    }

    // ---- mkdirat ---------------------------------------------------------------------------------

    @Test
    void mkdiratCreatesADirectoryWithTheMode() throws Exception {
        Path d = dir.resolve("made");
        assertNull(await(engine.mkdirat(null, d.toString(), 0750)));
        assertTrue(Files.isDirectory(d));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        Fd parent = openDir(dir);
        assertNull(await(engine.mkdirat(parent, "made2", 0700)));
        assertTrue(Files.isDirectory(dir.resolve("made2")));
    }

    @Test
    void mkdiratFailures() throws Exception {
        Path d = Files.createDirectory(dir.resolve("there"));
        NativeIoException e = failure(engine.mkdirat(null, d.toString(), 0700), Errno.EEXIST, "mkdirat");
        assertTrue(e.getMessage().contains(d.toString()), e.getMessage());
        failure(engine.mkdirat(null, dir.resolve("no/such/parent").toString(), 0700), Errno.ENOENT, "mkdirat");
        Path f = file("afile", new byte[0]);
        failure(engine.mkdirat(null, f.resolve("sub").toString(), 0700), Errno.ENOTDIR, "mkdirat");
        assertThrows(IllegalArgumentException.class, () -> engine.mkdirat(null, dir.resolve("m").toString(), 010000));
        assertThrows(IllegalArgumentException.class, () -> engine.mkdirat(null, dir.resolve("m").toString(), -1));
        assertThrows(IllegalArgumentException.class, () -> engine.mkdirat(null, dir + "/m\0", 0700));
        assertFalse(Files.exists(dir.resolve("m")));
    }

    // ---- renameat --------------------------------------------------------------------------------

    @Test
    void renameatMovesAFile() throws Exception {
        Path from = file("from.txt", "moved".getBytes());
        Path to = dir.resolve("to.txt");
        assertNull(await(engine.renameat(null, from.toString(), null, to.toString(), 0)));
        assertFalse(Files.exists(from));
        assertEquals("moved", Files.readString(to));
        // plain rename replaces an existing target
        Path other = file("other.txt", "other".getBytes());
        assertNull(await(engine.renameat(null, other.toString(), null, to.toString(), 0)));
        assertEquals("other", Files.readString(to));
    }

    @Test
    void renameatRelativeToDirectoryFds() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Files.writeString(a.resolve("f"), "content");
        Fd da = openDir(a);
        Fd db = openDir(b);
        assertNull(await(engine.renameat(da, "f", db, "g", 0)));
        assertFalse(Files.exists(a.resolve("f")));
        assertEquals("content", Files.readString(b.resolve("g")));
        // mixed: a directory fd on one side, an absolute path on the other
        assertNull(await(engine.renameat(db, "g", null, a.resolve("h").toString(), 0)));
        assertEquals("content", Files.readString(a.resolve("h")));
    }

    @Test
    void renameatNoReplaceOntoAnExistingFileFailsWithEexist() throws Exception {
        Path from = file("nr1", "one".getBytes());
        Path to = file("nr2", "two".getBytes());
        NativeIoException e = failure(engine.renameat(null, from.toString(), null, to.toString(), AtFlags.RENAME_NOREPLACE),
                Errno.EEXIST, "renameat");
        assertTrue(e.getMessage().contains(to.toString()), e.getMessage());
        assertEquals("one", Files.readString(from));
        assertEquals("two", Files.readString(to));
        Path fresh = dir.resolve("nr3");
        assertNull(await(engine.renameat(null, from.toString(), null, fresh.toString(), AtFlags.RENAME_NOREPLACE)));
        assertEquals("one", Files.readString(fresh));
    }

    @Test
    void renameatExchangeSwapsTwoFiles() throws Exception {
        Path x = file("x", "x".getBytes());
        Path y = file("y", "y".getBytes());
        assertNull(await(engine.renameat(null, x.toString(), null, y.toString(), AtFlags.RENAME_EXCHANGE)));
        assertEquals("y", Files.readString(x));
        assertEquals("x", Files.readString(y));
    }

    @Test
    void renameatFailures() throws Exception {
        Path missing = dir.resolve("missing");
        failure(engine.renameat(null, missing.toString(), null, dir.resolve("z").toString(), 0), Errno.ENOENT, "renameat");
        Path x = file("rx", new byte[0]);
        failure(engine.renameat(null, x.toString(), null, dir.resolve("z").toString(),
                AtFlags.RENAME_NOREPLACE | AtFlags.RENAME_EXCHANGE), Errno.EINVAL, "renameat");
        failure(engine.renameat(null, x.toString(), null, missing.toString(), AtFlags.RENAME_EXCHANGE), Errno.ENOENT,
                "renameat");
        Fd d = openDir(dir);
        assertThrows(IllegalArgumentException.class, () -> engine.renameat(d, "rx\0", d, "ry", 0));
        assertThrows(IllegalArgumentException.class, () -> engine.renameat(d, "rx", d, "ry\0", 0));
        assertThrows(NullPointerException.class, () -> engine.renameat(d, null, d, "ry", 0));
        assertThrows(NullPointerException.class, () -> engine.renameat(d, "rx", d, null, 0));
        assertEquals(0, d.users(), "argument failures must not leave the directories acquired");
        assertTrue(Files.exists(x));
    }

    // ---- symlinkat -------------------------------------------------------------------------------

    @Test
    void symlinkatCreatesALinkToTheTarget() throws Exception {
        Path target = file("symtarget.txt", "pointed".getBytes());
        Path link = dir.resolve("symlink");
        assertNull(await(engine.symlinkat(target.toString(), null, link.toString())));
        assertTrue(Files.isSymbolicLink(link), "no symlink at " + link);
        assertEquals(target.toString(), Files.readSymbolicLink(link).toString());
        assertEquals("pointed", Files.readString(link));
    }

    @Test
    void symlinkatRelativeToADirectoryFdWithADanglingTarget() throws Exception {
        Fd d = openDir(dir);
        assertNull(await(engine.symlinkat("no/such/target", d, "dangling")));
        Path link = dir.resolve("dangling");
        assertTrue(Files.isSymbolicLink(link), "no symlink at " + link);
        assertEquals("no/such/target", Files.readSymbolicLink(link).toString());
        assertFalse(Files.exists(link));
        assertEquals(0, d.users());
    }

    @Test
    void symlinkatOntoAnExistingPathFailsWithEexist() throws Exception {
        Path existing = file("occupied", "x".getBytes());
        Path target = dir.resolve("anything");
        NativeIoException e = failure(engine.symlinkat(target.toString(), null, existing.toString()), Errno.EEXIST,
                "symlinkat");
        assertTrue(e.getMessage().contains(existing.toString()), e.getMessage());
        assertFalse(Files.isSymbolicLink(existing));
        assertFalse(Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "nothing may be created at the target path");
        assertThrows(IllegalArgumentException.class, () -> engine.symlinkat("t\0", null, dir.resolve("l").toString()));
        assertThrows(IllegalArgumentException.class, () -> engine.symlinkat("t", null, dir + "/l\0"));
        assertThrows(NullPointerException.class, () -> engine.symlinkat(null, null, dir.resolve("l").toString()));
        assertThrows(NullPointerException.class, () -> engine.symlinkat("t", null, null));
    }

    // ---- readDir ---------------------------------------------------------------------------------

    @Test
    void readDirListsNamesWithoutDotAndDotDot() throws Exception {
        file("one", new byte[0]);
        file("two", new byte[0]);
        Files.createDirectory(dir.resolve("three"));
        Files.createSymbolicLink(dir.resolve("four"), Path.of("nowhere"));
        Fd d = openDir(dir);
        List<String> names = await(engine.readDir(d));
        assertEquals(Set.of("one", "two", "three", "four"), new HashSet<>(names));
        assertEquals(4, names.size());
        // again, from the start
        assertEquals(Set.of("one", "two", "three", "four"), new HashSet<>(await(engine.readDir(d))));
        Fd empty = openDir(Files.createDirectory(dir.resolve("empty")));
        assertEquals(List.of(), await(engine.readDir(empty)));
    }

    @Test
    void readDirListsAllOfALargeDirectory() throws Exception {
        Path big = Files.createDirectory(dir.resolve("big"));
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String name = "entry-with-a-longish-name-" + i;
            Files.createFile(big.resolve(name));
            expected.add(name);
        }
        Fd d = openDir(big);
        List<String> names = await(engine.readDir(d));
        assertEquals(2000, names.size());
        assertEquals(expected, new HashSet<>(names));
    }

    @Test
    void readDirOnARegularFileFailsWithEnotdir() throws Exception {
        Fd fd = open(file("notadir", new byte[10]), RO);
        failure(engine.readDir(fd), Errno.ENOTDIR, "readDir");
        assertThrows(NullPointerException.class, () -> engine.readDir(null));
    }
}
