package dev.ringio.sys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Finds {@code libringio.so} and loads the selected {@link Shim} provider, once per process.
 *
 * <p>The library ships in the {@code ringio-shim} jar as {@code native/linux-x86_64/libringio.so};
 * it is copied to a private temporary file (mode 0700 directory, deleted on exit) because
 * {@code dlopen} needs a path. {@code -Dringio.library.path=/path/libringio.so} overrides it.
 */
public final class NativeLibrary {

    /** System property naming the library file to load instead of the packaged one. */
    public static final String LIBRARY_PATH_PROPERTY = "ringio.library.path";
    /** System property selecting the binding: {@code ffm} (default) or {@code jnr}. */
    public static final String BINDING_PROPERTY = "ringio.binding";
    static final String RESOURCE = "/native/linux-x86_64/libringio.so";

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
            case "jnr" -> JnrShim.load(path());
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
            throw new IllegalStateException(RESOURCE + " is not on the class path: add the ringio-shim jar");
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
     * Copies the class-path {@code resource} (looked up from {@code anchor}) to {@code fileName} in a
     * fresh private (0700) temporary directory, both deleted on exit; null if there is no such resource.
     */
    public static Path extract(Class<?> anchor, String resource, String fileName) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Path dir = Files.createTempDirectory("ringio-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve(fileName);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource, e);
        }
    }
}
