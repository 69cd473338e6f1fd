package dev.ringio.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The text forms of socket addresses that {@link SockAddr#parse(String)} reads: numeric IPv4 and
 * IPv6 (RFC 4291 section 2.2, with an RFC 4007 zone), host names (resolved), Unix paths and
 * abstract names. Stateless; any thread.
 */
final class SockAddrSyntax {

    private static final String FORMS = "expected host:port, 1.2.3.4:port, [v6]:port, [v6%scope]:port, :port, /path or @name";
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    private SockAddrSyntax() {
    }

    /** All addresses {@code text} stands for (one unless it names a host with several). */
    static List<SockAddr> parseAll(String text, boolean all) {
        if (text.isEmpty()) {
            throw bad(text, "empty address (" + FORMS + ")");
        }
        char first = text.charAt(0);
        if (first == '/') {
            return List.of(UnixSockAddr.ofPath(text));
        }
        if (first == '@') {
            if (text.length() == 1) {
                throw bad(text, "empty abstract name");
            }
            return List.of(UnixSockAddr.ofAbstract(text.substring(1)));
        }
        if (first == '[') {
            int close = text.indexOf(']');
            if (close < 0) {
                throw bad(text, "no ']' after the IPv6 address");
            }
            if (close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw bad(text, "missing :port after ']'");
            }
            int port = port(text, text.substring(close + 2));
            String inside = text.substring(1, close);
            int pct = inside.indexOf('%');
            String literal = pct < 0 ? inside : inside.substring(0, pct);
            int scope = pct < 0 ? 0 : scope(text, inside.substring(pct + 1));
            return List.of(new Ipv6SockAddr(ipv6(text, literal), port, 0, scope));
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw bad(text, "missing port (" + FORMS + ")");
        }
        String host = text.substring(0, colon);
        if (host.indexOf(':') >= 0) {
            throw bad(text, "an IPv6 address needs brackets, e.g. [::1]:80");
        }
        int port = port(text, text.substring(colon + 1));
        if (host.isEmpty()) {
            return List.of(Ipv4SockAddr.any(port));
        }
        if (isDigitsAndDots(host)) {
            return List.of(new Ipv4SockAddr(ipv4(text, host), port));
        }
        checkHostName(text, host);
        return resolve(text, host, port, all);
    }

    private static List<SockAddr> resolve(String text, String host, int port, boolean all) {
        List<AddrInfo> infos;
        try {
            infos = Resolver.getaddrinfo(host, Integer.toString(port),
                    Hints.builder().flags(AiFlag.NUMERICSERV).type(SocketType.STREAM).build());
        } catch (ResolverException e) {
            throw new IllegalArgumentException("cannot resolve \"" + text + "\": " + e.getMessage(), e);
        }
        Set<SockAddr> out = new LinkedHashSet<>();
        for (AddrInfo ai : infos) {
            out.add(ai.address());
            if (!all) {
                break;
            }
        }
        if (out.isEmpty()) {
            throw bad(text, "host " + host + " has no IPv4 or IPv6 address");
        }
        return List.copyOf(out);
    }

    private static boolean isDigitsAndDots(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static void checkHostName(String text, String host) {
        if (host.length() > 253) {
            throw bad(text, "host name longer than 253 characters");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
            if (!ok) {
                throw bad(text, "character '" + c + "' is not allowed in a host name");
            }
        }
    }

    static int port(String text, String s) {
        if (s.isEmpty()) {
            throw bad(text, "missing port number");
        }
        if (s.length() > 5) {
            throw bad(text, "port " + s + " outside 0..65535");
        }
        int p = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(text, "port \"" + s + "\" is not a number");
            }
            p = p * 10 + (c - '0');
        }
        if (p > 65535) {
            throw bad(text, "port " + s + " outside 0..65535");
        }
        return p;
    }

    /** Strict dotted quad: four decimal numbers 0..255, no leading zeros (which some C parsers read as octal). */
    static byte[] ipv4(String text, String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw bad(text, "IPv4 address \"" + s + "\" needs 4 dotted numbers");
        }
        byte[] a = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !isDigitsAndDots(p) || p.indexOf('.') >= 0) {
                throw bad(text, "bad IPv4 address \"" + s + "\"");
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                throw bad(text, "IPv4 address \"" + s + "\" has a leading zero (octal is ambiguous)");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw bad(text, "IPv4 address \"" + s + "\": " + v + " is over 255");
            }
            a[i] = (byte) v;
        }
        return a;
    }

    /** An IPv6 literal (no brackets, no zone): eight hex groups, one "::" for a run of zeros, a dotted IPv4 tail. */
    static byte[] ipv6(String text, String s) {
        if (s.isEmpty()) {
            throw bad(text, "empty IPv6 address");
        }
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            throw bad(text, "IPv6 address \"" + s + "\" has more than one \"::\"");
        }
        List<Integer> head = new ArrayList<>();
        List<Integer> tail = new ArrayList<>();
        if (dc < 0) {
            groups(text, s, s, head, true);
            if (head.size() != 8) {
                throw bad(text, "IPv6 address \"" + s + "\" has " + head.size() + " groups, not 8");
            }
        } else {
            groups(text, s, s.substring(0, dc), head, false);
            groups(text, s, s.substring(dc + 2), tail, true);
            if (head.size() + tail.size() > 7) {
                throw bad(text, "IPv6 address \"" + s + "\" has too many groups for \"::\"");
            }
        }
        byte[] a = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            a[2 * i] = (byte) (head.get(i) >>> 8);
            a[2 * i + 1] = (byte) (int) head.get(i);
        }
        int start = 8 - tail.size();
        for (int i = 0; i < tail.size(); i++) {
            a[2 * (start + i)] = (byte) (tail.get(i) >>> 8);
            a[2 * (start + i) + 1] = (byte) (int) tail.get(i);
        }
        return a;
    }

    private static void groups(String text, String whole, String part, List<Integer> out, boolean mayEndInIpv4) {
        if (part.isEmpty()) {
            return;
        }
        String[] gs = part.split(":", -1);
        for (int i = 0; i < gs.length; i++) {
            String g = gs[i];
            if (g.indexOf('.') >= 0) {
                if (!mayEndInIpv4 || i != gs.length - 1) {
                    throw bad(text, "IPv6 address \"" + whole + "\": an IPv4 part may only end the address");
                }
                byte[] v4 = ipv4(text, g);
                out.add((Byte.toUnsignedInt(v4[0]) << 8) | Byte.toUnsignedInt(v4[1]));
                out.add((Byte.toUnsignedInt(v4[2]) << 8) | Byte.toUnsignedInt(v4[3]));
                continue;
            }
            if (g.isEmpty() || g.length() > 4) {
                throw bad(text, "IPv6 address \"" + whole + "\": bad group \"" + g + "\"");
            }
            int v = 0;
            for (int k = 0; k < g.length(); k++) {
                int d = Character.digit(g.charAt(k), 16);
                if (d < 0) {
                    throw bad(text, "IPv6 address \"" + whole + "\": '" + g.charAt(k) + "' is not a hex digit");
                }
                v = v * 16 + d;
            }
            out.add(v);
        }
    }

    /** An RFC 4007 zone: an interface index, or an interface name looked up in /sys/class/net. */
    static int scope(String text, String zone) {
        if (zone.isEmpty()) {
            throw bad(text, "empty scope after '%'");
        }
        if (isDigitsAndDots(zone) && zone.indexOf('.') < 0) {
            long v = zone.length() > 10 ? Long.MAX_VALUE : Long.parseLong(zone);
            if (v > 0xffffffffL) {
                throw bad(text, "scope id " + zone + " is too large");
            }
            return (int) v;
        }
        return interfaceIndex(text, zone);
    }

    /** The index of network interface {@code name} (/sys/class/net/NAME/ifindex). */
    static int interfaceIndex(String text, String name) {
        if (name.length() > 15 || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw bad(text, "\"" + name + "\" is not an interface name");
        }
        Path file = SYS_CLASS_NET.resolve(name).resolve("ifindex");
        try {
            return Integer.parseInt(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            throw bad(text, "no network interface \"" + name + "\"");
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\": cannot read " + file + ": " + e, e);
        }
    }

    private static IllegalArgumentException bad(String text, String reason) {
        return new IllegalArgumentException("bad socket address \"" + text + "\": " + reason);
    }
}
