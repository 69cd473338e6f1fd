package dev.ringio.sys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds {@code libringio.so} and loads the selected {@link Shim} provider, once per process.
 *
 * <p>The library ships in the {@code ringio-shim} jar (module {@code dev.ringio.shim}) as
 * {@code native/linux-x86_64/libringio.so}, found on the class path, on the module path and in a
 * jlink image ({@link #openResource});
 * it is copied to a private temporary file because {@code dlopen} needs a path: a mode 0700
 * directory {@code ringio-<pid>-<random>} in {@code java.io.tmpdir}, deleted on a normal exit. A JVM
 * that is killed (SIGKILL, a crash) cannot delete it, so the first extraction of each process
 * removes the directories of that pattern whose pid is no longer a live process ({@link #removeStale}).
 * {@code -Dringio.library.path=/path/libringio.so} overrides it (nothing is extracted then).
 */
public final class NativeLibrary {

    /** System property naming the library file to load instead of the packaged one. */
    public static final String LIBRARY_PATH_PROPERTY = "ringio.library.path";
    /** System property selecting the binding: {@code ffm} (default) or {@code jnr}. */
    public static final String BINDING_PROPERTY = "ringio.binding";
    static final String RESOURCE = "/native/linux-x86_64/libringio.so";
    /** The module of the {@code ringio-shim} jar, which carries the library. */
    static final String SHIM_MODULE = "dev.ringio.shim";

    private NativeLibrary() {
    }

    /** The binding that {@code -Dringio.binding} selects. */
    public static String bindingName() {
        return System.getProperty(BINDING_PROPERTY, "ffm").toLowerCase(Locale.ROOT);
    }

    static Shim shim() {
        return Holder.SHIM;
    }

    /** The path of the loaded library file. */
    public static Path path() {
        return PathHolder.PATH;
    }

    private static final class PathHolder {
        static final Path PATH = locate();
    }

    private static final class Holder {
        static final Shim SHIM = load();
    }

    private static Shim load() {
        String binding = bindingName();
        Shim shim = switch (binding) {
            case "ffm" -> new FfmShim(path());
            case "jnr" -> {
                requireJnrFfi();
                yield JnrShim.load(path());
            }
            default -> throw new IllegalStateException(
                    "-D" + BINDING_PROPERTY + "=" + binding + ": unknown binding (use ffm or jnr)");
        };
        long abi = shim.abiVersion();
        if (abi != Shim.ABI_VERSION) {
            throw new IllegalStateException("libringio ABI version " + abi + " at " + path()
                    + ", but this ringio expects " + Shim.ABI_VERSION);
        }
        return shim;
    }

    /** JNR-FFI's artifact, an optional dependency of ringio that a user adds to pick that binding. */
    static final String JNR_FFI_ARTIFACT = "com.github.jnr:jnr-ffi";

    /**
     * Fails with what to do when {@code -Dringio.binding=jnr} cannot work, rather than with a bare
     * {@code NoClassDefFoundError} or {@code IllegalAccessError} from inside the binding.
     *
     * <p>ringio declares JNR-FFI optional, so it is there only if the application depends on it. And
     * the binding needs ringio on the class path: JNR-FFI defines the {@link Shim} implementation it
     * generates in an unnamed module of its own class loader, which a named {@code dev.ringio}
     * (module path, jlink image) cannot give access to its internal {@code dev.ringio.sys}
     * (measured with jnr-ffi 2.2.17: "superinterface check failed ... does not export
     * dev.ringio.sys to unnamed module"). The FFM binding has neither limit.
     */
    private static void requireJnrFfi() {
        Module ringio = NativeLibrary.class.getModule();
        if (ringio.isNamed()) {
            throw new IllegalStateException("-D" + BINDING_PROPERTY + "=jnr needs ringio on the class path:"
                    + " JNR-FFI generates its classes in an unnamed module, which module " + ringio.getName()
                    + " cannot export its binding to; on the module path use the default binding (ffm)");
        }
        try {
            Class.forName("jnr.ffi.LibraryLoader", false, NativeLibrary.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("-D" + BINDING_PROPERTY + "=jnr needs JNR-FFI, an optional"
                    + " dependency of ringio: add " + JNR_FFI_ARTIFACT + " to the application's dependencies", e);
        }
    }

    private static Path locate() {
        Path override = overridden(LIBRARY_PATH_PROPERTY);
        if (override != null) {
            return override;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("libringio is packaged for linux-x86_64 only; this is "
                    + os + "-" + arch + " (set -D" + LIBRARY_PATH_PROPERTY + " to a build of shim/)");
        }
        Path file = extract(NativeLibrary.class, RESOURCE, "libringio.so");
        if (file == null) {
            throw new IllegalStateException(RESOURCE + " is neither on the class path nor in module "
                    + SHIM_MODULE + ": add the ringio-shim jar (dev.ringio:ringio-shim) next to ringio's");
        }
        return file;
    }

    /** The path {@code -Dproperty} names, absolute, or null when unset; a missing file is an error. */
    public static Path overridden(String property) {
        String override = System.getProperty(property);
        if (override == null || override.isBlank()) {
            return null;
        }
        Path p = Path.of(override);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("-D" + property + "=" + override + ": no such file");
        }
        return p.toAbsolutePath();
    }

    /**
     * The shim's resource {@code resource} (a name starting with {@code /}), or null.
     *
     * <p>When {@code anchor} is in a named module (ringio on the module path or in a jlink image),
     * {@link Class#getResourceAsStream} looks only inside that module, so the shim jar's resource is
     * read through module {@value #SHIM_MODULE} of the same layer, which {@code dev.ringio} requires.
     * The class loader is the last resort (the shim jar on the class path while ringio is a module).
     */
    static InputStream openResource(Class<?> anchor, String resource) throws IOException {
        InputStream in = anchor.getResourceAsStream(resource);
        if (in != null) {
            return in;
        }
        Module module = anchor.getModule();
        if (module.isNamed() && module.getLayer() != null) {
            Module shim = module.getLayer().findModule(SHIM_MODULE).orElse(null);
            if (shim != null) {
                in = shim.getResourceAsStream(resource.substring(1));
                if (in != null) {
                    return in;
                }
            }
        }
        ClassLoader loader = anchor.getClassLoader();
        return loader == null ? null : loader.getResourceAsStream(resource.substring(1));
    }

    /** The directories {@link #extract} makes: {@code ringio-<pid of the JVM>-<random digits>}. */
    private static final Pattern EXTRACTION_DIR = Pattern.compile("ringio-([0-9]{1,18})-[0-9]+");
    private static final AtomicBoolean STALE_REMOVED = new AtomicBoolean();

    /**
     * Copies the shim's {@code resource} (looked up from {@code anchor}, {@link #openResource}) to {@code fileName} in a
     * fresh private (0700) temporary directory named for this process, both deleted on exit; null if
     * there is no such resource. The first call in a process first removes what killed JVMs left
     * behind ({@link #removeStale}).
     */
    public static Path extract(Class<?> anchor, String resource, String fileName) {
        try (InputStream in = openResource(anchor, resource)) {
            if (in == null) {
                return null;
            }
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            if (STALE_REMOVED.compareAndSet(false, true)) {
                removeStale(tmp);
            }
            Path dir = Files.createTempDirectory(tmp, "ringio-" + ProcessHandle.current().pid() + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            // deleteOnExit works in reverse order of registration: the file goes first, then its directory.
            dir.toFile().deleteOnExit();
            Path file = dir.resolve(fileName);
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource, e);
        }
    }

    /**
     * Removes, from {@code tmp}, the extraction directories ({@code ringio-<pid>-<digits>}, real
     * directories, not symbolic links) of JVMs that are gone: only when no process with that pid is
     * alive (a live pid, even another program's that reuses it, keeps its directory), only the
     * {@code .so} files directly inside, and the directory only once that leaves it empty. Best
     * effort: anything that cannot be read or removed (another user's, raced by another JVM) is
     * left as it is. A process in another pid namespace that shares {@code tmp} is invisible here
     * and would count as gone: give such containers their own {@code java.io.tmpdir}.
     *
     * @return how many directories were removed
     */
    public static int removeStale(Path tmp) {
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, "ringio-*")) {
            for (Path d : dirs) {
                Matcher m = EXTRACTION_DIR.matcher(d.getFileName().toString());
                if (!m.matches() || ProcessHandle.of(Long.parseLong(m.group(1))).isPresent()
                        || !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                        for (Path f : files) {
                            if (f.getFileName().toString().endsWith(".so")
                                    && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                                Files.deleteIfExists(f);
                            }
                        }
                    }
                    Files.delete(d);
                    removed++;
                } catch (IOException | SecurityException e) {
                    // not ours to remove, not empty, or removed meanwhile by another JVM: leave it
                }
            }
        } catch (IOException | SecurityException e) {
            // an unreadable temporary directory: nothing to clean up here
        }
        return removed;
    }
}
