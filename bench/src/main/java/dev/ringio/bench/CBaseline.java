package dev.ringio.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C reference program {@code nop_bench} (bench/c, built into bench/target/c by Maven), run as
 * a subprocess. Found at {@code <jar dir>/c/nop_bench}, or at {@code -Dringio.bench.c=PATH}.
 */
final class CBaseline {

    static final String PROPERTY = "ringio.bench.c";
    private static final Pattern OPS_PER_SEC = Pattern.compile("ops_per_sec=([0-9.]+)");

    private final Path exe;
    private final String missingReason;

    /** The C program failed or printed something unexpected; not a failure of ringio. */
    static final class CFailure extends Exception {
        private static final long serialVersionUID = 1L;

        CFailure(String message) {
            super(message);
        }
    }

    private CBaseline(Path exe, String missingReason) {
        this.exe = exe;
        this.missingReason = missingReason;
    }

    static CBaseline locate() {
        String override = System.getProperty(PROPERTY);
        Path exe;
        if (override != null && !override.isBlank()) {
            exe = Path.of(override);
        } else {
            Path dir = codeDirectory();
            if (dir == null) {
                return new CBaseline(null, "not built (cannot tell where the jar is; set -D" + PROPERTY + ")");
            }
            exe = dir.resolve("c").resolve("nop_bench");
        }
        if (!Files.isRegularFile(exe) || !Files.isExecutable(exe)) {
            return new CBaseline(exe, "not built (no executable " + exe + "; `mvn package` in bench/ builds it)");
        }
        return new CBaseline(exe, null);
    }

    /** The directory holding this jar (or, run from classes, the directory holding target/classes' parent). */
    private static Path codeDirectory() {
        try {
            var source = CBaseline.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path p = Path.of(source.getLocation().toURI()).toAbsolutePath();
            // bench/target/ringio-bench.jar -> bench/target; bench/target/classes -> bench/target
            return p.getParent();
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

    /** Runs {@code nop_bench batch seconds}; its ops/s. */
    double run(int batch, double seconds) throws CFailure {
        ProcessBuilder pb = new ProcessBuilder(exe.toString(), Integer.toString(batch), NoopWorkload.seconds(seconds));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CFailure("cannot start " + exe + ": " + e.getMessage());
        }
        String output;
        try (InputStream in = p.getInputStream()) {
            // nop_bench prints one short line at the end, so reading to EOF cannot fill a pipe.
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            // Its own 0.5 s warm-up, the measured time, and generous slack for a loaded machine.
            if (!p.waitFor((long) Math.ceil(seconds) + 30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CFailure(exe + " did not finish");
            }
        } catch (IOException e) {
            p.destroyForcibly();
            throw new CFailure("reading " + exe + ": " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CFailure("interrupted");
        }
        if (p.exitValue() != 0) {
            throw new CFailure(exe + " exited with status " + p.exitValue());
        }
        Matcher m = OPS_PER_SEC.matcher(output);
        if (!m.find()) {
            throw new CFailure("unexpected output from " + exe + ": " + output);
        }
        return Double.parseDouble(m.group(1));
    }
}
