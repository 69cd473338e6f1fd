package dev.ringio.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

/** What the socket-layer tests share: the shim's constants by name, and facts about this process. */
final class NetTesting {

    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;
    static final Set<MsgFlag> NO_FLAGS = EnumSet.noneOf(MsgFlag.class);

    private NetTesting() {
    }

    /** {@code ringio_const(name)}; fails the test when the shim does not know the name. */
    static long constValue(String name) {
        long v = NetLayouts.constValue(Shim.get(), name);
        if (v == Long.MIN_VALUE) {
            throw new AssertionError("ringio_const does not know " + name);
        }
        return v;
    }

    /** Whether ringio_const knows {@code name}. */
    static boolean constKnown(String name) {
        return NetLayouts.constValue(Shim.get(), name) != Long.MIN_VALUE;
    }

    /** Every name ringio_const knows. */
    static List<String> constNames() {
        Shim shim = Shim.get();
        List<String> names = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            for (int i = 0; i < shim.constCount(); i++) {
                if (shim.constName(i, buf.address(), 256) < 0) {
                    throw new AssertionError("ringio_const_name(" + i + ") failed");
                }
                names.add(buf.getString(0));
            }
        }
        return names;
    }

    /** Whether the kernel has close-on-exec set on {@code fd} (the "flags:" line of /proc/self/fdinfo, octal). */
    static boolean isCloseOnExec(Fd fd) {
        for (String line : lines(Path.of("/proc/self/fdinfo/" + fd.value()))) {
            if (line.startsWith("flags:")) {
                return (Long.parseLong(line.substring(6).trim(), 8) & 02000000) != 0;
            }
        }
        throw new AssertionError("no flags: line for fd " + fd.value());
    }

    /** Whether O_NONBLOCK is set on {@code fd}. */
    static boolean isNonBlocking(Fd fd) {
        for (String line : lines(Path.of("/proc/self/fdinfo/" + fd.value()))) {
            if (line.startsWith("flags:")) {
                return (Long.parseLong(line.substring(6).trim(), 8) & 04000) != 0;
            }
        }
        throw new AssertionError("no flags: line for fd " + fd.value());
    }

    /** The effective uid of this process. */
    static int euid() {
        return statusField("Uid:", 1);
    }

    /** The effective gid of this process. */
    static int egid() {
        return statusField("Gid:", 1);
    }

    /** Whether this process has capability {@code cap} in its effective set. */
    static boolean hasCapability(int cap) {
        for (String line : lines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return ((Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> cap) & 1) != 0;
            }
        }
        return false;
    }

    /** The MTU of the loopback interface (the JDK asks the kernel with SIOCGIFMTU; no sysfs needed). */
    static int loopbackMtu() {
        try {
            return loopback().getMTU();
        } catch (java.net.SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index of the loopback interface (the JDK asks the kernel with SIOCGIFINDEX; no sysfs needed). */
    static int loopbackIndex() {
        return loopback().getIndex();
    }

    private static java.net.NetworkInterface loopback() {
        try {
            java.net.NetworkInterface lo = java.net.NetworkInterface.getByName("lo");
            if (lo == null) {
                throw new AssertionError("no network interface named lo");
            }
            return lo;
        } catch (java.net.SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int statusField(String key, int index) {
        for (String line : lines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return (int) Long.parseLong(line.substring(key.length()).trim().split("\\s+")[index]);
            }
        }
        throw new AssertionError("no " + key + " in /proc/self/status");
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    static ByteBuffer directAscii(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    static String text(ByteBuffer b) {
        ByteBuffer d = b.duplicate().flip();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    /** A TCP listener on 127.0.0.1 (or ::1), port chosen by the kernel. */
    static Fd tcpListener(Domain domain) throws NativeIoException {
        Fd l = Sockets.socket(domain, SocketType.STREAM);
        try {
            Sockets.bind(l, domain == Domain.INET6 ? Ipv6SockAddr.loopback(0) : Ipv4SockAddr.loopback(0));
            Sockets.listen(l);
            return l;
        } catch (NativeIoException | RuntimeException e) {
            l.close();
            throw e;
        }
    }

    /** A loopback port nothing listens on: bound by a socket, then released. */
    static int closedPort() throws NativeIoException {
        try (Fd s = Sockets.socket(Domain.INET, SocketType.STREAM)) {
            Sockets.bind(s, Ipv4SockAddr.loopback(0));
            return ((Ipv4SockAddr) Sockets.getsockname(s)).port();
        }
    }
}
