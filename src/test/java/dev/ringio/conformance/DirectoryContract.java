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

    // ---- names that are not valid UTF-8, strings that are not valid UTF-16 ---------------------------

    /** Creates {@code name} (raw bytes) in {@code parent} with a child process, as any other program would. */
    private static void touchRawName(Path parent, byte[] name) throws Exception {
        StringBuilder octal = new StringBuilder();
        for (byte b : name) {
            octal.append('\\').append(Integer.toOctalString(b & 0xff));
        }
        Process p = new ProcessBuilder("/bin/sh", "-c", "touch \"$(printf '" + octal + "')\"")
                .directory(parent.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "touch did not finish");
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), () -> "touch failed: " + output);
    }

    @Test
    void aPathWithAnUnpairedSurrogateIsRefusedNamingTheOpAsTheJdkRefusesIt() throws Exception {
        String bad = dir.resolve("a").toString() + "\uD800";
        // The JDK's own answer for the same string.
        assertThrows(java.nio.file.InvalidPathException.class, () -> Path.of(bad));
        Fd d = openDir(dir);
        List<java.util.function.Supplier<CompletableFuture<?>>> calls = List.of(
                () -> engine.openat2(null, bad, OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644, Set.of()),
                () -> engine.statx(null, bad, 0, AtFlags.STATX_BASIC_STATS),
                () -> engine.unlinkat(d, "b\uDBFF", false),
                () -> engine.mkdirat(null, bad, 0755),
                () -> engine.renameat(null, bad, null, dir.resolve("c").toString(), 0),
                () -> engine.renameat(null, dir.resolve("c").toString(), null, bad, 0),
                () -> engine.symlinkat("t\uDC00", null, dir.resolve("l").toString()),
                () -> engine.symlinkat("t", d, "l\uDFFFx"));
        List<String> ops = List.of("openat2", "statx", "unlinkat", "mkdirat", "renameat", "renameat", "symlinkat",
                "symlinkat");
        for (int i = 0; i < calls.size(); i++) {
            int k = i;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> calls.get(k).get(),
                    ops.get(k));
            assertTrue(e.getMessage().startsWith(ops.get(k) + ": unpaired surrogate"), e.getMessage());
        }
        assertEquals(List.of(), await(engine.readDir(d)), "nothing was created under a replacement name");
    }

    @Test
    void readDirNamesThatAreNotUtf8RoundTripThroughEveryPathOperation() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("raw"));
        byte[][] raw = {
                {'x', (byte) 0xff, 'y'},                          // a byte that never starts UTF-8
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80},          // an encoded surrogate
                {(byte) 0xc0, (byte) 0xaf},                       // an overlong '/'
                {'e', (byte) 0xc3},                               // a truncated sequence
                {(byte) 0xc3, (byte) 0xa9, (byte) 0xe2, (byte) 0x82, (byte) 0xac}, // valid: "é€"
        };
        for (byte[] name : raw) {
            touchRawName(sub, name);
        }
        Fd d = openDir(sub);
        List<String> names = await(engine.readDir(d));
        assertEquals(raw.length, names.size(), names.toString());
        assertTrue(names.contains("\u00e9\u20ac"), "valid UTF-8 decodes as UTF-8: " + names);
        assertTrue(names.contains("x\uDCFFy"), "an undecodable byte is kept (U+DC00 + byte): " + names);
        for (String name : names) {
            assertFalse(name.contains("\uFFFD"), "a name lost its bytes: " + name);
            // Each name opens, stats and renames the very file it came from.
            Fd f = track(await(engine.openat2(d, name, RO, 0, Set.of())));
            assertEquals(await(engine.fstat(f)).inode(), await(engine.statx(d, name, 0, AtFlags.STATX_BASIC_STATS)).inode());
            await(engine.close(f));
            await(engine.renameat(d, name, d, name + ".moved", 0));
            await(engine.renameat(d, name + ".moved", d, name, 0));
        }
        assertEquals(new HashSet<>(names), new HashSet<>(await(engine.readDir(d))), "the same names after the renames");
        // A Path the JDK lists for such a name opens here as it does with Files.newByteChannel.
        try (var listed = Files.list(sub)) {
            for (Path p : (Iterable<Path>) listed::iterator) {
                await(engine.close(track(await(engine.open(p, RO, 0)))));
            }
        }
        for (String name : names) {
            await(engine.unlinkat(d, name, false));
        }
        assertEquals(List.of(), await(engine.readDir(d)), "every name removed the file it names");
    }
}
