package dev.ringio.sys;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A binding of BSD {@code kqueue(2)}, {@code kevent(2)} and {@code close(2)}: the three calls
 * {@code dev.ringio.engine.poll.KqueuePoller} makes. On a BSD or macOS it binds libc's functions
 * ({@link #libc()}); on Linux, in tests, the test-only emulation {@code libringio-kqemu.so}
 * ({@link #bind}, with the emulation's symbol names). The struct layout is the caller's business.
 *
 * <p>Both libc and the emulation report failure the libc way (-1 and {@code errno}); this binding
 * reads errno right after the call (FFM {@code captureCallState("errno")}, JNR-FFI
 * {@code SaveError}) and, like {@link Shim}, returns a value {@code >= 0} or {@code -errno} and
 * never throws for an OS failure. Pointers travel as {@code long} addresses; {@code 0} is NULL.
 *
 * <p>The provider follows {@code -Dringio.binding}: FFM ({@code FfmKqueue}, the default) or
 * JNR-FFI ({@code JnrKqueue}). Threading: every method is safe from any thread.
 */
public interface Kqueue {

    /**
     * {@code int kqueue(void)}: a new kqueue descriptor, or {@code -errno}.
     */
    int kqueue();

    /**
     * {@code int kevent(int kq, const struct kevent *changelist, int nchanges, struct kevent
     * *eventlist, int nevents, const struct timespec *timeout)}: how many entries were written to
     * {@code eventlist}, or {@code -errno} ({@code -EINTR} after a signal). May block.
     *
     * @param timeout address of a {@code struct timespec}, or {@code 0} to wait forever
     */
    int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout);

    /** {@code int close(int fd)} for a kqueue descriptor: {@code 0} or {@code -errno}. */
    int close(int kq);

    /** What is bound: {@code "libc (ffm)"}, {@code "/tmp/.../libringio-kqemu.so (jnr)"}. */
    String describe();

    /**
     * The symbols of one kqueue implementation: libc's {@code kqueue}/{@code kevent}/{@code close},
     * or the emulation's {@code ringio_kqemu_*}.
     */
    record Symbols(String kqueue, String kevent, String close) {
        public Symbols {
            Objects.requireNonNull(kqueue, "kqueue");
            Objects.requireNonNull(kevent, "kevent");
            Objects.requireNonNull(close, "close");
        }

        /** libc's names. */
        public static final Symbols LIBC = new Symbols("kqueue", "kevent", "close");
    }

    /**
     * libc's kqueue, with the selected binding. Any thread.
     *
     * @throws UnsupportedOperationException if this libc has no {@code kqueue}/{@code kevent} (Linux)
     */
    static Kqueue libc() {
        return bind(null, Symbols.LIBC);
    }

    /**
     * The kqueue functions named {@code symbols} in {@code library} ({@code null}: the C library),
     * with the binding {@code -Dringio.binding} selects. Any thread.
     *
     * @throws UnsupportedOperationException if a symbol is missing
     */
    static Kqueue bind(Path library, Symbols symbols) {
        Objects.requireNonNull(symbols, "symbols");
        if (library == null) {
            // Checked once for both bindings (JNR-FFI would only fail at the first call).
            var libc = java.lang.foreign.Linker.nativeLinker().defaultLookup();
            for (String name : new String[] {symbols.kqueue(), symbols.kevent(), symbols.close()}) {
                if (libc.find(name).isEmpty()) {
                    throw new UnsupportedOperationException("libc has no symbol " + name + " (kqueue does not exist here)");
                }
            }
        }
        return switch (NativeLibrary.bindingName()) {
            case "jnr" -> JnrKqueue.load(library, symbols);
            default -> new FfmKqueue(library, symbols);
        };
    }

    /**
     * The raw functions as JNR-FFI binds them (libc convention: -1 and errno). Public only because
     * JNR-FFI implements it from outside this package; use {@link Kqueue}. {@code kevent}'s timeout
     * is a {@link jnr.ffi.Pointer}, not a {@code long}: see {@code JnrKqueue}.
     */
    interface JnrFunctions {
        int kqueue();

        int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, jnr.ffi.Pointer timeout);

        int close(int fd);
    }
}
