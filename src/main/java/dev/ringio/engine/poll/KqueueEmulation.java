package dev.ringio.engine.poll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import dev.ringio.sys.Kqueue;
import dev.ringio.sys.NativeLibrary;

/**
 * Finds the TEST-ONLY kqueue emulation {@code libringio-kqemu.so} (kqueue/kevent over epoll,
 * {@code shim/src/kqemu}) and binds it once per {@link KeventLayout}.
 *
 * <p>Found like the seccomp launcher: {@code -Dringio.kqemu.path=/path/libringio-kqemu.so}; else
 * the shim jar's {@code native/linux-x86_64/libringio-kqemu.so}, copied to a private temporary
 * directory (mode 0700, deleted on exit) because {@code dlopen} needs a path; else the reactor's
 * {@code shim/target/classes} found upwards from the working directory (an IDE run).
 *
 * <p>Threading: any thread.
 */
final class KqueueEmulation {

    /** System property naming the emulation library file to load instead of the packaged one. */
    static final String PATH_PROPERTY = "ringio.kqemu.path";
    static final String RESOURCE = "/native/linux-x86_64/libringio-kqemu.so";
    /** The emulation's close, which also frees its knote table. */
    static final String CLOSE_SYMBOL = "ringio_kqemu_close";
    static final String KQUEUE_SYMBOL = "ringio_kqemu_kqueue";
    /** {@code int64_t ringio_kqemu_const(const char *)}: the C side of {@link KeventLayout#mismatches}. */
    static final String CONST_SYMBOL = "ringio_kqemu_const";

    private static final Map<KeventLayout, Kqueue> BINDINGS = new EnumMap<>(KeventLayout.class);

    private KqueueEmulation() {
    }

    /** The emulation bound for {@code layout} with the selected binding; loaded on first use. */
    static synchronized Kqueue binding(KeventLayout layout) {
        return BINDINGS.computeIfAbsent(layout, l -> Kqueue.bind(PathHolder.PATH,
                new Kqueue.Symbols(KQUEUE_SYMBOL, l.emulationSymbol(), CLOSE_SYMBOL)));
    }

    /** The emulation library's file. */
    static Path path() {
        return PathHolder.PATH;
    }

    private static final class PathHolder {
        static final Path PATH = locate();
    }

    private static Path locate() {
        Path override = NativeLibrary.overridden(PATH_PROPERTY);
        if (override != null) {
            return override;
        }
        Path extracted = NativeLibrary.extract(KqueueEmulation.class, RESOURCE, "libringio-kqemu.so");
        if (extracted != null) {
            return extracted;
        }
        Path wd = Path.of("").toAbsolutePath();
        for (Path dir = wd; dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shim/target/classes" + RESOURCE);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("the kqueue emulation is neither on the class path (" + RESOURCE
                + ") nor under shim/target/classes from " + wd + "; build shim/ (mvn -pl shim install)");
    }
}
