package dev.ringio.sys;

import java.nio.file.Path;
import java.util.Map;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

/**
 * {@link Shim} over JNR-FFI, the binding the project brief names ({@code -Dringio.binding=jnr}).
 *
 * <p>JNR-FFI generates an implementation of {@link Shim} itself; a function mapper turns each
 * method name into its C symbol ({@code ringRegisterRingFd} → {@code ringio_ring_register_ring_fd}).
 * JNR-FFI reaches {@code sun.misc.Unsafe} internally, so this binding warns on JDK 25 and fails
 * under {@code --sun-misc-unsafe-memory-access=deny}; ringio's own code never touches it.
 */
final class JnrShim {

    private JnrShim() {
    }

    static Shim load(Path library) {
        return LibraryLoader.create(Shim.class)
                .option(LibraryOption.IgnoreError, true)
                .mapper((name, context) -> symbolOf(name))
                .search(library.getParent().toString())
                .load(libraryName(library));
    }

    private static String libraryName(Path library) {
        String file = library.getFileName().toString();
        return file.startsWith("lib") && file.endsWith(".so") ? file.substring(3, file.length() - 3) : file;
    }

    /** {@code ringRegisterRingFd} → {@code ringio_ring_register_ring_fd}; overrides where C differs. */
    static String symbolOf(String method) {
        String special = SPECIAL.get(method);
        if (special != null) {
            return special;
        }
        StringBuilder sb = new StringBuilder("ringio_");
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static final Map<String, String> SPECIAL = Map.of(
            "getdents64", "ringio_getdents64",
            "pipe2", "ringio_pipe2",
            "constValue", "ringio_const",
            "accept4", "ringio_accept4",
            "ringRegisterIowqMaxWorkers", "ringio_ring_register_iowq_max_workers");
}
