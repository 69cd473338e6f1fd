package dev.ringio.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A C program of bench/c ({@code nop_bench}, {@code read_bench}, {@code netload}; built into
 * bench/target/c by Maven) or a tool on the PATH ({@code fio}), run as a subprocess. The C
 * programs print one line of {@code key=value} pairs, which {@link #run} returns as a map.
 * Found at {@code <jar dir>/c/NAME}, or under {@code -Dringio.bench.c=DIR}.
 */
final class CProgram {

    static final String PROPERTY = "ringio.bench.c";

    private final String name;
    private final Path exe;
    private final String missingReason;

    /** The program failed or printed something unexpected; not a failure of ringio. */
    static final class CFailure extends Exception {
        private static final long serialVersionUID = 1L;

        CFailure(String message) {
            super(message);
        }
    }

    private CProgram(String name, Path exe, String missingReason) {
        this.name = name;
        this.exe = exe;
        this.missingReason = missingReason;
    }

    /** One of bench/c's programs. */
    static CProgram locate(String name) {
        String override = System.getProperty(PROPERTY);
        Path dir;
        if (override != null && !override.isBlank()) {
            dir = Path.of(override);
        } else {
            Path code = codeDirectory();
            if (code == null) {
                return new CProgram(name, null, name + ": not built (cannot tell where the jar is; set -D"
                        + PROPERTY + "=DIR)");
            }
            dir = code.resolve("c");
        }
        Path exe = dir.resolve(name);
        if (!Files.isRegularFile(exe) || !Files.isExecutable(exe)) {
            return new CProgram(name, exe, name + ": not built (no " + exe + "; `mvn package` in bench/ builds it)");
        }
        return new CProgram(name, exe, null);
    }

    /** A program from the PATH ({@code fio}); "NAME: not installed" when there is none. */
    static CProgram onPath(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                Path p = Path.of(d.isEmpty() ? "." : d, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return new CProgram(name, p, null);
                }
            }
        }
        return new CProgram(name, null, name + ": not installed");
    }

    /** The directory holding this jar (or, run from classes, target/). */
    private static Path codeDirectory() {
        try {
            var source = CProgram.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            // bench/target/ringio-bench.jar -> bench/target; bench/target/classes -> bench/target
            return Path.of(source.getLocation().toURI()).toAbsolutePath().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    boolean available() {
        return missingReason == null;
    }

    String missingReason() {
        return missingReason;
    }

    String name() {
        return name;
    }

    /** Runs it to the end; its whole stdout. */
    String runForOutput(List<String> args, long timeoutSeconds) throws CFailure {
        Process p = start(args);
        return readWithin(p, () -> new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim(),
                timeoutSeconds);
    }

    /** Runs it to the end; its last line's {@code key=value} pairs. */
    Map<String, String> run(List<String> args, long timeoutSeconds) throws CFailure {
        return parse(lastLine(runForOutput(args, timeoutSeconds)));
    }

    /**
     * A running program we talk to over stdin/stdout (netload's proxy modes print a port, then
     * wait for a line). Close it to kill it if it has not ended.
     */
    final class Session implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final Writer in;

        private Session(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** The next line's {@code key=value} pairs. */
        Map<String, String> readLine() throws CFailure {
            try {
                String line = out.readLine();
                if (line == null) {
                    finish(process, 5);
                    throw new CFailure(name + " ended without output");
                }
                return parse(line);
            } catch (IOException e) {
                throw new CFailure("reading " + name + "'s output: " + e.getMessage());
            }
        }

        void writeLine(String line) throws CFailure {
            try {
                in.write(line + "\n");
                in.flush();
            } catch (IOException e) {
                throw new CFailure("writing to " + name + ": " + e.getMessage());
            }
        }

        /** Waits for the end; its last line's pairs. */
        Map<String, String> result(long timeoutSeconds) throws CFailure {
            String last = readWithin(process, () -> {
                String l = null;
                for (String line; (line = out.readLine()) != null; ) {
                    l = line;
                }
                return l;
            }, timeoutSeconds);
            if (last == null) {
                throw new CFailure(name + " printed no result");
            }
            return parse(last);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    Session session(List<String> args) throws CFailure {
        return new Session(start(args));
    }

    private Process start(List<String> args) throws CFailure {
        if (!available()) {
            throw new CFailure(missingReason);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new CFailure("cannot start " + exe + ": " + e.getMessage());
        }
    }

    /**
     * Reads its output to the end on another thread while waiting for it to exit, so that the
     * timeout holds even while it keeps stdout open (read first, the wait would start only at EOF).
     */
    private <T> T readWithin(Process p, Callable<T> read, long timeoutSeconds) throws CFailure {
        FutureTask<T> reader = new FutureTask<>(read);
        Thread.ofVirtual().name(name + " output").start(reader);
        finish(p, timeoutSeconds);
        try {
            return reader.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CFailure("reading " + name + "'s output: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new CFailure(name + "'s output did not end within " + timeoutSeconds + " s of its exit");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CFailure("interrupted");
        }
    }

    private void finish(Process p, long timeoutSeconds) throws CFailure {
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CFailure(name + " did not finish within " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CFailure("interrupted");
        }
        if (p.exitValue() != 0) {
            throw new CFailure(name + " exited with status " + p.exitValue());
        }
    }

    private static String lastLine(String output) {
        int nl = output.lastIndexOf('\n');
        return nl < 0 ? output : output.substring(nl + 1);
    }

    /** "a=1 b=2.5" as a map; a line without pairs is an error. */
    Map<String, String> parse(String line) throws CFailure {
        Map<String, String> m = new LinkedHashMap<>();
        for (String tok : line.trim().split("\\s+")) {
            int eq = tok.indexOf('=');
            if (eq > 0) {
                m.put(tok.substring(0, eq), tok.substring(eq + 1));
            }
        }
        if (m.isEmpty()) {
            throw new CFailure("unexpected output from " + name + ": " + line);
        }
        return m;
    }

    /** A number from a parsed line. */
    double number(Map<String, String> m, String key) throws CFailure {
        String v = m.get(key);
        if (v == null) {
            throw new CFailure(name + " printed no " + key + " (got " + m + ")");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new CFailure(name + " printed " + key + "=" + v);
        }
    }
}
