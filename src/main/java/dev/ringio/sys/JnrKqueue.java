package dev.ringio.sys;

import java.nio.file.Path;
import java.util.Map;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * {@link Kqueue} over JNR-FFI ({@code -Dringio.binding=jnr}). JNR-FFI implements
 * {@link Kqueue.JnrFunctions} with {@link LibraryOption#SaveError}, so errno is saved per thread
 * right after each call and read here with {@link LastError}. Like {@link JnrShim}, this needs
 * {@code sun.misc.Unsafe} inside JNR-FFI; ringio's own code never touches it.
 *
 * <p>Why {@code kevent}'s timeout is bound as a {@link Pointer}: with six primitive parameters,
 * jnr-ffi 2.2.17's x86-64 stub compiler ({@code jnr.ffi.x86asm}) passed a garbage sixth argument
 * (the emulation saw {@code timeout = 0x7f..085} whatever was given, with int or long parameters;
 * fine with {@code -Djnr.ffi.x86asm.enabled=false}). A {@code Pointer} parameter takes JNR's
 * generic path, which passes it right. The Pointer for the poller's (fixed) timespec address is
 * wrapped once and reused, so a poll still allocates nothing.
 */
final class JnrKqueue implements Kqueue {

    private final Kqueue.JnrFunctions functions;
    private final Runtime runtime;
    private final String description;

    private JnrKqueue(Kqueue.JnrFunctions functions, String description) {
        this.functions = functions;
        this.runtime = Runtime.getRuntime(functions);
        this.description = description;
    }

    static JnrKqueue load(Path library, Symbols symbols) {
        Map<String, String> names = Map.of("kqueue", symbols.kqueue(), "kevent", symbols.kevent(), "close", symbols.close());
        LibraryLoader<Kqueue.JnrFunctions> loader = LibraryLoader.create(Kqueue.JnrFunctions.class)
                .option(LibraryOption.SaveError, true)
                .failImmediately()
                .mapper((name, context) -> names.getOrDefault(name, name));
        String description = (library == null ? "libc" : library.toString()) + " (jnr)";
        try {
            if (library == null) {
                return new JnrKqueue(loader.load("c"), description);
            }
            String file = library.getFileName().toString();
            String name = file.startsWith("lib") && file.endsWith(".so") ? file.substring(3, file.length() - 3) : file;
            return new JnrKqueue(loader.search(library.getParent().toString()).load(name), description);
        } catch (UnsatisfiedLinkError e) {
            throw new UnsupportedOperationException(description + ": " + e.getMessage()
                    + (library == null ? " (kqueue does not exist here)" : ""), e);
        }
    }

    @Override
    public int kqueue() {
        return result(functions.kqueue());
    }

    @Override
    public int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout) {
        return result(functions.kevent(kq, changelist, nchanges, eventlist, nevents, timeoutPointer(timeout)));
    }

    @Override
    public int close(int kq) {
        return result(functions.close(kq));
    }

    /** The last timeout wrapped; a poller passes the same address every time, so this allocates once. */
    private volatile Pointer lastTimeout;

    private Pointer timeoutPointer(long address) {
        if (address == 0) {
            return null;
        }
        Pointer p = lastTimeout;
        if (p == null || p.address() != address) {
            p = Pointer.wrap(runtime, address);
            lastTimeout = p;
        }
        return p;
    }

    private int result(int r) {
        return r == -1 ? -LastError.getLastError(runtime) : r;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "JnrKqueue[" + description + "]";
    }
}
