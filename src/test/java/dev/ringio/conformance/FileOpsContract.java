package dev.ringio.conformance;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.ringio.AtFlags;
import dev.ringio.EngineClosedException;
import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.FileStat;
import dev.ringio.IoEngine;
import dev.ringio.NativeIoException;
import dev.ringio.OpenFlags;
import dev.ringio.net.Domain;
import dev.ringio.net.Ipv4SockAddr;
import dev.ringio.net.MsgFlag;
import dev.ringio.net.Protocol;
import dev.ringio.net.SocketOptions;
import dev.ringio.net.SocketType;
import dev.ringio.net.Sockets;
import dev.ringio.os.Pipe;
import dev.ringio.testing.KernelFeatures;

import static dev.ringio.testing.FutureAssertions.await;
import static dev.ringio.testing.FutureAssertions.failure;
import static dev.ringio.testing.FutureAssertions.failureOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fchmodat / fchmod, fchownat / fchown, linkat, copyFileRange, sendfile, and socket with a raw
 * protocol number: success against real files and sockets (checked with statx and the JDK), and
 * bad inputs (an IllegalArgumentException naming the op before anything reaches the kernel, or a
 * {@link NativeIoException} naming the op and the errno). These run as root: ownership changes to
 * other ids succeed.
 */
public abstract class FileOpsContract extends ContractBase {

    private static final int OTHER_UID = 12345;
    private static final int OTHER_GID = 23456;

    private FileStat stat(Path p) {
        return await(engine.statx(null, p.toString(), AtFlags.AT_SYMLINK_NOFOLLOW, AtFlags.STATX_BASIC_STATS));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    // ---- fchmodat / fchmod -----------------------------------------------------------------------

    @Test
    void fchmodatAndFchmodSetThePermissionBits() throws Exception {
        Path f = file("m.bin", new byte[1]);
        assertEquals(null, await(engine.fchmodat(null, f.toString(), 0640, 0)));
        assertEquals(0640, stat(f).mode() & 07777);
        Fd d = openDir(dir);
        await(engine.fchmodat(d, "m.bin", 04711, 0));
        assertEquals(04711, stat(f).mode() & 07777);
        Fd fd = open(f, RO);
        await(engine.fchmod(fd, 0600));
        assertEquals(0600, stat(f).mode() & 07777);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void fchmodBadInputs() throws Exception {
        Path f = file("mb.bin", new byte[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.fchmodat(null, f.toString(), 010000, 0));
        assertTrue(e.getMessage().startsWith("fchmodat"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> engine.fchmodat(null, f.toString(), 0600, AtFlags.AT_REMOVEDIR));
        assertTrue(e.getMessage().startsWith("fchmodat"), e.getMessage());
        assertThrows(NullPointerException.class, () -> engine.fchmodat(null, null, 0600, 0));
        Fd fd = open(f, RO);
        e = assertThrows(IllegalArgumentException.class, () -> engine.fchmod(fd, -1));
        assertTrue(e.getMessage().startsWith("fchmod"), e.getMessage());
        String missing = dir.resolve("nope").toString();
        NativeIoException n = failure(engine.fchmodat(null, missing, 0600, 0), Errno.ENOENT, "fchmodat");
        assertTrue(n.getMessage().contains(missing), n.getMessage());
        await(engine.close(fd));
        failure(engine.fchmod(fd, 0600), Errno.EBADF, "fchmod");
    }

    // ---- fchownat / fchown -----------------------------------------------------------------------

    @Test
    void fchownatAndFchownSetOwnerAndGroup() throws Exception {
        Path f = file("o.bin", new byte[1]);
        await(engine.fchownat(null, f.toString(), OTHER_UID, OTHER_GID, 0));
        FileStat s = stat(f);
        assertEquals(OTHER_UID, s.uid());
        assertEquals(OTHER_GID, s.gid());
        Fd fd = open(f, RO);
        await(engine.fchown(fd, -1, OTHER_GID + 1)); // -1: the owner stays
        s = stat(f);
        assertEquals(OTHER_UID, s.uid());
        assertEquals(OTHER_GID + 1, s.gid());
        await(engine.fchown(fd, 0, 0));
        assertEquals(0, stat(f).uid());
        // AT_SYMLINK_NOFOLLOW: the link itself, not its target.
        Path link = Files.createSymbolicLink(dir.resolve("o.link"), f);
        Fd d = openDir(dir);
        await(engine.fchownat(d, "o.link", OTHER_UID, OTHER_GID, AtFlags.AT_SYMLINK_NOFOLLOW));
        assertEquals(OTHER_UID, stat(link).uid());
        assertEquals(0, stat(f).uid());
        assertEquals(OTHER_UID, Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        // AT_EMPTY_PATH: the directory descriptor itself.
        await(engine.fchownat(d, "", OTHER_UID, -1, AtFlags.AT_EMPTY_PATH));
        assertEquals(OTHER_UID, stat(dir).uid());
    }

    @Test
    void fchownBadInputs() throws Exception {
        Path f = file("ob.bin", new byte[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.fchownat(null, f.toString(), -2, 0, 0));
        assertTrue(e.getMessage().startsWith("fchownat"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> engine.fchownat(null, f.toString(), 0, 0, AtFlags.AT_REMOVEDIR));
        assertTrue(e.getMessage().startsWith("fchownat"), e.getMessage());
        Fd fd = open(f, RO);
        e = assertThrows(IllegalArgumentException.class, () -> engine.fchown(fd, 0, -7));
        assertTrue(e.getMessage().startsWith("fchown"), e.getMessage());
        String missing = dir.resolve("nope").toString();
        NativeIoException n = failure(engine.fchownat(null, missing, 0, 0, 0), Errno.ENOENT, "fchownat");
        assertTrue(n.getMessage().contains(missing), n.getMessage());
        await(engine.close(fd));
        failure(engine.fchown(fd, 0, 0), Errno.EBADF, "fchown");
    }

    // ---- linkat ----------------------------------------------------------------------------------

    @Test
    void linkatMakesAHardLink() throws Exception {
        byte[] content = random(100);
        Path f = file("l.bin", content);
        await(engine.linkat(null, f.toString(), null, dir.resolve("l2.bin").toString(), 0));
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("l2.bin")));
        FileStat s = stat(f);
        assertEquals(2, s.links());
        assertEquals(s.inode(), stat(dir.resolve("l2.bin")).inode());
        Fd d = openDir(dir);
        Files.createDirectory(dir.resolve("sub"));
        Fd sub = openDir(dir.resolve("sub"));
        await(engine.linkat(d, "l.bin", sub, "l3.bin", 0));
        assertEquals(3, stat(f).links());
        assertEquals(0, d.users());
        assertEquals(0, sub.users());
        // AT_SYMLINK_FOLLOW: a link to the symbolic link's target; without it, to the link itself.
        Files.createSymbolicLink(dir.resolve("l.sym"), f);
        await(engine.linkat(d, "l.sym", d, "followed", AtFlags.AT_SYMLINK_FOLLOW));
        assertEquals(s.inode(), stat(dir.resolve("followed")).inode());
        await(engine.linkat(d, "l.sym", d, "unfollowed", 0));
        assertTrue(Files.isSymbolicLink(dir.resolve("unfollowed")));
    }

    @Test
    void linkatBadInputs() throws Exception {
        Path f = file("lb.bin", new byte[1]);
        String to = dir.resolve("lb2.bin").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.linkat(null, f.toString(), null, to, AtFlags.AT_REMOVEDIR));
        assertTrue(e.getMessage().startsWith("linkat"), e.getMessage());
        assertThrows(NullPointerException.class, () -> engine.linkat(null, null, null, to, 0));
        assertThrows(NullPointerException.class, () -> engine.linkat(null, f.toString(), null, null, 0));
        NativeIoException n = failure(engine.linkat(null, f.toString(), null, f.toString(), 0), Errno.EEXIST, "linkat");
        assertTrue(n.getMessage().contains(f.toString()), n.getMessage());
        failure(engine.linkat(null, dir.resolve("nope").toString(), null, to, 0), Errno.ENOENT, "linkat");
        assertFalse(Files.exists(Path.of(to)));
    }

    // ---- copyFileRange ---------------------------------------------------------------------------

    @Test
    void copyFileRangeCopiesAtOffsetsAndAtPositions() throws Exception {
        byte[] content = random(200_000);
        Path src = file("c.src", content);
        Path dst = dir.resolve("c.dst");
        Fd in = open(src, RO);
        Fd out = track(await(engine.open(dst, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644)));
        long done = 0;
        while (done < content.length) {
            long n = await(engine.copyFileRange(in, done, out, done, content.length - done));
            assertTrue(n > 0, "copied " + n);
            done += n;
        }
        assertEquals(0L, await(engine.copyFileRange(in, content.length, out, content.length, 10)), "at EOF");
        assertArrayEquals(content, Files.readAllBytes(dst));
        // -1: each descriptor's own position, which the call advances.
        Path dst2 = dir.resolve("c.dst2");
        Fd out2 = track(await(engine.open(dst2, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644)));
        Fd in2 = open(src, RO);
        long first = await(engine.copyFileRange(in2, -1, out2, -1, 1000));
        assertEquals(1000, first);
        long second = await(engine.copyFileRange(in2, -1, out2, -1, 1000));
        assertEquals(1000, second);
        assertArrayEquals(Arrays.copyOf(content, 2000), Files.readAllBytes(dst2));
        assertEquals(0, in.users());
        assertEquals(0, out.users());
    }

    @Test
    void copyFileRangeBadInputs() throws Exception {
        Path src = file("cb.src", new byte[10]);
        Fd in = open(src, RO);
        Fd out = track(await(engine.open(dir.resolve("cb.dst"), OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.copyFileRange(in, 0, out, 0, -1));
        assertTrue(e.getMessage().startsWith("copyFileRange"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> engine.copyFileRange(in, -2, out, 0, 1));
        assertTrue(e.getMessage().startsWith("copyFileRange"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.copyFileRange(in, 0, out, -5, 1));
        assertThrows(NullPointerException.class, () -> engine.copyFileRange(null, 0, out, 0, 1));
        // Into a descriptor open read-only: EBADF, named.
        failure(engine.copyFileRange(in, 0, in, 5, 1), Errno.EBADF, "copyFileRange");
        // A pipe is no regular file.
        Pipe p = pipe();
        NativeIoException n = failure(engine.copyFileRange(in, 0, p.writeEnd(), -1, 1));
        assertEquals("copyFileRange", n.op());
        assertTrue(n.errno() == Errno.EINVAL.value() || n.errno() == Errno.EXDEV.value(), n.getMessage());
        await(engine.close(out));
        failure(engine.copyFileRange(in, 0, out, 0, 1), Errno.EBADF, "copyFileRange");
        assertEquals(0, in.users());
    }

    // ---- sendfile --------------------------------------------------------------------------------

    @Test
    void sendfileCopiesAFileToASocketAndToAFile() throws Exception {
        byte[] content = random(300_000);
        Path src = file("s.src", content);
        Fd in = open(src, RO);
        Fd[] pair = connectedPair(Ipv4SockAddr.loopback(0));
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            ByteBuffer all = ByteBuffer.allocate(content.length);
            while (all.hasRemaining()) {
                int n = await(engine.recv(pair[1], all, NO_FLAGS));
                if (n <= 0) {
                    break;
                }
            }
            return Arrays.copyOf(all.array(), all.position());
        });
        long done = 0;
        while (done < content.length) {
            long n = await(engine.sendfile(pair[0], in, done, content.length - done));
            assertTrue(n > 0, "sent " + n);
            done += n;
        }
        assertArrayEquals(content, await(received));
        // Into a file, from the input's own position (-1), which advances.
        Path dst = dir.resolve("s.dst");
        Fd out = track(await(engine.open(dst, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644)));
        Fd in2 = open(src, RO);
        assertEquals(500L, await(engine.sendfile(out, in2, -1, 500)));
        assertEquals(500L, await(engine.sendfile(out, in2, -1, 500)));
        assertArrayEquals(Arrays.copyOf(content, 1000), Files.readAllBytes(dst));
        assertEquals(0L, await(engine.sendfile(out, in2, content.length, 10)), "at EOF");
        assertEquals(0, in.users());
    }

    @Test
    void sendfileBadInputs() throws Exception {
        Path src = file("sb.src", new byte[10]);
        Fd in = open(src, RO);
        Fd out = track(await(engine.open(dir.resolve("sb.dst"), OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.sendfile(out, in, 0, -1));
        assertTrue(e.getMessage().startsWith("sendfile"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> engine.sendfile(out, in, -2, 1));
        assertTrue(e.getMessage().startsWith("sendfile"), e.getMessage());
        assertThrows(NullPointerException.class, () -> engine.sendfile(null, in, 0, 1));
        // Into a descriptor open read-only: EBADF, named.
        failure(engine.sendfile(in, in, 0, 1), Errno.EBADF, "sendfile");
        // From a pipe: no file to read pages of.
        Pipe p = pipe();
        failure(engine.sendfile(out, p.readEnd(), -1, 1), Errno.EINVAL, "sendfile");
        await(engine.close(in));
        failure(engine.sendfile(out, in, 0, 1), Errno.EBADF, "sendfile");
        assertEquals(0, out.users());
    }

    /**
     * A sendfile into a socket whose peer reads nothing waits (on io_uring in a blocked call off
     * the loop; on a readiness engine for writability): closing the engine must still return, and
     * fail the future.
     */
    @Test
    void engineCloseEndsAWaitingSendfile() throws Exception {
        IoEngine own = openOwnEngine();
        Path src = file("w.src", random(4 << 20));
        Fd in = track(await(own.open(src, RO, 0)));
        // The socket full first, so the sendfile cannot make progress on any engine.
        Fd[] pair = fullSocketPair(own);
        CompletableFuture<Long> sent = own.sendfile(pair[0], in, 0, 4 << 20);
        own.close();
        assertTrue(own.isClosed());
        Throwable t = failureOf(sent);
        assertInstanceOf(EngineClosedException.class, t, String.valueOf(t));
        // The peer goes: a call still in the kernel returns (EPIPE), letting go of the descriptors.
        await(engine.close(pair[1]));
    }

    /** A socket pair whose first end's send buffer is full (the peer reads nothing), tracked. */
    private Fd[] fullSocketPair(IoEngine e) throws Exception {
        Fd[] pair = Sockets.socketpair(Domain.UNIX, EnumSet.of(SocketType.STREAM));
        track(pair[0]);
        track(pair[1]);
        Sockets.setOption(pair[0], SocketOptions.SNDBUF, 4096);
        ByteBuffer junk = ByteBuffer.allocateDirect(65536);
        while (true) {
            junk.clear();
            Throwable t = e.send(pair[0], junk, java.util.Set.of(MsgFlag.DONTWAIT)).handle((v, x) -> x).join();
            if (t != null) {
                NativeIoException n = assertInstanceOf(NativeIoException.class, dev.ringio.testing.FutureAssertions.unwrap(t));
                assertEquals(Errno.EAGAIN.value(), n.errno());
                return pair;
            }
        }
    }

    /** A sendfile that cannot progress ends at once when cancelled, and lets go of its descriptors. */
    @Test
    void cancelEndsAWaitingSendfile() throws Exception {
        Path src = file("cw.src", random(1 << 20));
        Fd in = open(src, RO);
        Fd[] pair = fullSocketPair(engine);
        CompletableFuture<Long> sent = engine.sendfile(pair[0], in, 0, 1 << 20);
        assertTrue(sent.cancel(true));
        Throwable t = failureOf(sent);
        assertInstanceOf(java.util.concurrent.CancellationException.class, t, String.valueOf(t));
        // The peer goes: a call still in the kernel returns (EPIPE) and lets go.
        await(engine.close(pair[1]));
        await(engine.close(pair[0]));
        await(engine.close(in));
    }

    /** close(out) during a sendfile that cannot progress fails it with ECANCELED. */
    @Test
    void closeEndsAWaitingSendfile() throws Exception {
        Path src = file("xw.src", random(1 << 20));
        Fd in = open(src, RO);
        Fd[] pair = fullSocketPair(engine);
        CompletableFuture<Long> sent = engine.sendfile(pair[0], in, 0, 1 << 20);
        CompletableFuture<Void> closed = engine.close(pair[0]);
        NativeIoException e = failure(sent, Errno.ECANCELED, "sendfile");
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        await(engine.close(pair[1]));
        await(closed);
        assertFalse(pair[0].isOpen());
        // The input is let go of too (by the thread of a call that was in the kernel, just after
        // the output): its close completes once nothing holds it.
        await(engine.close(in));
        assertFalse(in.isOpen());
    }

    // ---- socket with a raw protocol number -------------------------------------------------------

    @Test
    void socketTakesARawProtocolNumber() throws Exception {
        CompletableFuture<Fd> f = engine.socket(Domain.INET, EnumSet.of(SocketType.RAW), Protocol.GRE.value());
        Throwable refused = f.handle((v, t) -> t).join();
        if (refused != null) {
            NativeIoException e = assertInstanceOf(NativeIoException.class, dev.ringio.testing.FutureAssertions.unwrap(refused));
            assertEquals("socket", e.op());
            KernelFeatures.assume(false, "raw IPv4 sockets (socket(AF_INET, SOCK_RAW, 47): " + e.getMessage() + ")");
        }
        Fd gre = track(f.join());
        assertEquals(Protocol.GRE.value(), Sockets.getOption(gre, SocketOptions.PROTOCOL));
        assertEquals(Fd.Kind.SOCKET, gre.kind());
        // A number Protocol does not name (253: for experimentation, RFC 3692).
        int experimental = 253;
        assertTrue(Arrays.stream(Protocol.values()).noneMatch(p -> p.value() == experimental));
        Fd raw = track(await(engine.socket(Domain.INET, EnumSet.of(SocketType.RAW), experimental)));
        assertEquals(experimental, Sockets.getOption(raw, SocketOptions.PROTOCOL));
        // 0 is the domain's usual protocol, as with Protocol.DEFAULT.
        Fd tcp = track(await(engine.socket(Domain.INET, EnumSet.of(SocketType.STREAM), 0)));
        assertEquals(6, Sockets.getOption(tcp, SocketOptions.PROTOCOL));
    }

    @Test
    void socketRawProtocolBadInputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.socket(Domain.INET, EnumSet.of(SocketType.RAW), -1));
        assertTrue(e.getMessage().startsWith("socket"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.socket(Domain.INET, EnumSet.of(SocketType.NONBLOCK), 6));
        assertThrows(NullPointerException.class, () -> engine.socket(null, EnumSet.of(SocketType.RAW), 6));
        // A protocol the stream type does not have: the kernel's refusal, named.
        failure(engine.socket(Domain.INET, EnumSet.of(SocketType.STREAM), 17), Errno.EPROTONOSUPPORT, "socket");
    }
}
