package dev.ringio.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ringio echo} and {@code ringio proxy} as real child processes: started with standard
 * input already at its end ({@code </dev/null}, as nohup, {@code &} or a service manager start
 * them) they keep serving; SIGTERM and SIGINT make them drain and exit 0; with
 * {@code --stop-on-eof} the end of input stops them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServerCommandsLifetimeTest {

    private static final long WAIT_SECONDS = 60;
    private static final Pattern LISTENING = Pattern.compile("listening on /?127\\.0\\.0\\.1:(\\d+)");

    @Test
    void echoKeepsServingWithStdinAtEndAndStopsCleanlyOnSigterm() throws Exception {
        try (Child c = Child.start("echo", "127.0.0.1:0")) {
            assertEchoes(c.port, "through echo");
            assertEchoes(c.port, "and again");
            c.signal("TERM");
            c.assertExitedCleanly("SIGTERM");
        }
    }

    @Test
    void echoWithTwoLoopsEchoesOnBothLoopsAndStopsCleanly() throws Exception {
        int connections = 32;
        try (Child c = Child.start("echo", "--loops", "2", "127.0.0.1:0")) {
            for (int i = 0; i < connections; i++) {
                assertEchoes(c.port, "connection " + i);
            }
            c.signal("TERM");
            assertBothLoopsServed(c.assertExitedCleanly("SIGTERM"), connections);
        }
    }

    @Test
    void echoOnVirtualThreadsWithTwoLoopsEchoesAndStopsCleanly() throws Exception {
        try (Child c = Child.start("echo", "--threads", "virtual", "--loops", "2", "127.0.0.1:0")) {
            for (int i = 0; i < 8; i++) {
                assertEchoes(c.port, "virtual, two loops " + i);
            }
            c.signal("TERM");
            assertTrue(c.assertExitedCleanly("SIGTERM").contains("accepted 8,"));
        }
    }

    @Test
    void proxyWithTwoLoopsForwardsOnBothLoopsAndStopsCleanly() throws Exception {
        int connections = 32;
        try (ServerSocket upstream = new ServerSocket()) {
            upstream.bind(new InetSocketAddress("127.0.0.1", 0), connections);
            Thread echo = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < connections; i++) {
                    echoOnce(upstream);
                }
            });
            try (Child c = Child.start("proxy", "--loops", "2", "127.0.0.1:0", "127.0.0.1:" + upstream.getLocalPort())) {
                for (int i = 0; i < connections; i++) {
                    assertEchoes(c.port, "proxied " + i);
                }
                c.signal("TERM");
                assertBothLoopsServed(c.assertExitedCleanly("SIGTERM"), connections);
            }
            echo.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
    }

    /**
     * The final line's per-loop counts: every connection accepted, some on each loop. The kernel
     * picks an SO_REUSEPORT listener by a hash of the connection's addresses, so all 32 on one of
     * two listeners has a chance of 2^-31.
     */
    private static void assertBothLoopsServed(String output, int connections) {
        Matcher m = Pattern.compile("accepted " + connections + " \\(per loop: (\\d+) (\\d+)\\)").matcher(output);
        assertTrue(m.find(), output);
        assertTrue(Integer.parseInt(m.group(1)) > 0 && Integer.parseInt(m.group(2)) > 0, output);
    }

    @Test
    void echoOnVirtualThreadsStopsCleanlyOnSigint() throws Exception {
        try (Child c = Child.start("echo", "--threads", "virtual", "127.0.0.1:0")) {
            assertEchoes(c.port, "virtual");
            c.assumeSigintNotIgnored();
            c.signal("INT");
            c.assertExitedCleanly("SIGINT");
        }
    }

    @Test
    void proxyKeepsServingWithStdinAtEndAndStopsCleanlyOnSigintAndSigterm() throws Exception {
        for (String sig : new String[] {"INT", "TERM"}) {
            try (ServerSocket upstream = new ServerSocket()) {
                upstream.bind(new InetSocketAddress("127.0.0.1", 0));
                Thread echo = Thread.ofVirtual().start(() -> echoOnce(upstream));
                try (Child c = Child.start("proxy", "127.0.0.1:0", "127.0.0.1:" + upstream.getLocalPort())) {
                    assertEchoes(c.port, "through the proxy");
                    if (sig.equals("INT")) {
                        c.assumeSigintNotIgnored();
                    }
                    c.signal(sig);
                    c.assertExitedCleanly("SIG" + sig);
                }
                echo.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            }
        }
    }

    @Test
    void withStopOnEofTheEndOfInputStopsThem() throws Exception {
        try (Child c = Child.start("echo", "127.0.0.1:0", "--stop-on-eof")) {
            c.assertExitedCleanly("end of input");
        }
        try (Child c = Child.start("proxy", "127.0.0.1:0", "127.0.0.1:9", "--stop-on-eof")) {
            c.assertExitedCleanly("end of input");
        }
    }

    private static void echoOnce(ServerSocket upstream) {
        try (Socket s = upstream.accept()) {
            s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException e) {
            // the test's own assertion reports a broken exchange
        }
    }

    private static void assertEchoes(int port, String message) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            byte[] sent = message.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(sent);
            out.flush();
            byte[] got = s.getInputStream().readNBytes(sent.length);
            assertEquals(message, new String(got, StandardCharsets.UTF_8));
        }
    }

    /** A {@code ringio} command in a child JVM, standard input from /dev/null, its first line read. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final int port;

        private Child(Process process, BufferedReader out, int port) {
            this.process = process;
            this.out = out;
            this.port = port;
        }

        static Child start(String... args) throws Exception {
            Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
            String binding = System.getProperty("ringio.binding", "ffm");
            List<String> cmd = new ArrayList<>(List.of(javaBin.toString(), "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=" + ("jnr".equals(binding) ? "allow" : "deny"),
                    "-Dringio.binding=" + binding, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertNotNull(first, "the command printed nothing (exit " + (p.isAlive() ? "-" : p.exitValue()) + ")");
            Matcher m = LISTENING.matcher(first);
            assertTrue(m.find(), first);
            return new Child(p, out, Integer.parseInt(m.group(1)));
        }

        /** Skips when the child inherited SIGINT ignored (a background job of a non-interactive shell). */
        void assumeSigintNotIgnored() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long ignored = Long.parseLong(line.substring("SigIgn:".length()).trim(), 16);
                    assumeTrue((ignored & 0x2) == 0, "SIGINT is ignored in this process tree (inherited)");
                }
            }
        }

        void signal(String sig) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
            assertTrue(kill.waitFor(WAIT_SECONDS, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + sig);
        }

        String assertExitedCleanly(String why) throws Exception {
            assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "still running " + WAIT_SECONDS + " s later");
            StringBuilder rest = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                rest.append(line).append('\n');
            }
            assertEquals(0, process.exitValue(), rest.toString());
            assertTrue(rest.toString().contains(": " + why + "; accepted"), rest.toString());
            return rest.toString();
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            out.close();
        }
    }
}
