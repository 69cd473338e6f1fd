package dev.ringio.consumer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ringio as an application's dependency (issue 15), each case in a child JVM that reads a real file
 * through an engine ({@link ConsumerChild}):
 * <ul>
 *   <li>as a named module: ringio's jars (here the reactor's class directories) on the module path
 *       with {@code --add-modules dev.ringio}, the application on the class path. Before the fix it
 *       failed with "libringio.so is not on the class path": the library was looked up inside
 *       {@code dev.ringio} only, which cannot see the shim jar's resources;</li>
 *   <li>JNR-FFI is optional: {@code -Dringio.binding=jnr} without jnr-ffi, or with ringio as a named
 *       module (which JNR-FFI's generated classes cannot reach), fails with what to do instead of a
 *       bare {@code NoClassDefFoundError} or {@code IllegalAccessError}.</li>
 * </ul>
 * The FFM cases run in both bindings' test runs (the child picks its binding itself). A consumer
 * project outside the reactor, on the installed artifacts and in a jlink image, is
 * {@code .ci/consumer-check}'s.
 */
@ExtendWith(LeakCheck.class)
class AsDependencyTest {

    /** ringio's modules and its one required dependency: what an application puts on the module path. */
    private static final Set<String> RINGIO_MODULES = Set.of("dev.ringio", "dev.ringio.shim", "dev.ringio.buffers",
            "org.jctools.core");

    @TempDir
    Path dir;
    private Path file;
    /** ringio's modules, by name, and where this JVM's class path has them. */
    private final Map<String, String> modules = new LinkedHashMap<>();
    /** JNR-FFI and what it depends on (jffi, ASM, jnr-*asm). */
    private final List<String> jnrJars = new ArrayList<>();
    /** This JVM's class path without JNR-FFI and its dependencies. */
    private final List<String> withoutJnr = new ArrayList<>();

    @BeforeEach
    void findJars() throws IOException {
        file = dir.resolve("hello.txt");
        Files.writeString(file, "hello, consumer");
        String sep = File.separator;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.contains(sep + "com" + sep + "github" + sep + "jnr" + sep)
                    || entry.contains(sep + "org" + sep + "ow2" + sep + "asm" + sep)) {
                jnrJars.add(entry);
                continue;
            }
            withoutJnr.add(entry);
            if (Files.exists(p)) {
                for (ModuleReference ref : ModuleFinder.of(p).findAll()) {
                    if (RINGIO_MODULES.contains(ref.descriptor().name())) {
                        modules.put(ref.descriptor().name(), entry);
                    }
                }
            }
        }
        assertEquals(RINGIO_MODULES, modules.keySet(), "ringio's modules on this class path: " + modules);
        assertTrue(!jnrJars.isEmpty(), "the core's tests have jnr-ffi on their class path");
    }

    @Test
    void runsAsANamedModule() throws Exception {
        Result r = run(List.of("-Dringio.binding=ffm", "--sun-misc-unsafe-memory-access=deny",
                "--enable-native-access=dev.ringio", "--illegal-native-access=deny",
                "-p", String.join(File.pathSeparator, modules.values()), "--add-modules", "dev.ringio",
                "-cp", testClasses()));
        assertEquals(0, r.status, r.all);
        assertTrue(r.out.contains("module=dev.ringio\n"), r.all);
        assertTrue(r.out.contains(" read=hello, consumer\n"), r.all);
    }

    @Test
    void runsOnTheClassPathWithoutJnrFfi() throws Exception {
        Result r = run(List.of("-Dringio.binding=ffm", "--sun-misc-unsafe-memory-access=deny",
                "--enable-native-access=ALL-UNNAMED", "--illegal-native-access=deny",
                "-cp", String.join(File.pathSeparator, withoutJnr)));
        assertEquals(0, r.status, r.all);
        assertTrue(r.out.contains("module=null\n"), r.all);
        assertTrue(r.out.contains(" read=hello, consumer\n"), r.all);
    }

    @Test
    void jnrBindingWithoutJnrFfiSaysWhatToAdd() throws Exception {
        Result r = run(List.of("-Dringio.binding=jnr", "--enable-native-access=ALL-UNNAMED",
                "-cp", String.join(File.pathSeparator, withoutJnr)));
        assertNotEquals(0, r.status, r.all);
        assertTrue(r.err.contains("-Dringio.binding=jnr needs JNR-FFI, an optional dependency of ringio: add"
                + " com.github.jnr:jnr-ffi"), r.all);
    }

    @Test
    void jnrBindingOnTheModulePathSaysToUseTheClassPath() throws Exception {
        List<String> path = new ArrayList<>(modules.values());
        path.addAll(jnrJars);
        Result r = run(List.of("-Dringio.binding=jnr", "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED,dev.ringio",
                "-p", String.join(File.pathSeparator, path), "--add-modules", "ALL-MODULE-PATH",
                "-cp", testClasses()));
        assertNotEquals(0, r.status, r.all);
        assertTrue(r.err.contains("-Dringio.binding=jnr needs ringio on the class path"), r.all);
    }

    private static String testClasses() throws Exception {
        return Path.of(ConsumerChild.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private record Result(int status, String out, String err, String all) {
    }

    private Result run(List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.io.tmpdir=" + dir);
        cmd.addAll(options);
        cmd.add(ConsumerChild.class.getName());
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close(); // the child reads nothing; its stdin pipe is not left open here
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child did not exit within 120 s: " + cmd);
        }
        String e = err.get();
        p.getInputStream().close();
        p.getErrorStream().close();
        return new Result(p.exitValue(), out, e, out + "--- stderr\n" + e + "--- command\n" + String.join(" ", cmd));
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
