package dev.ringio;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.ringio.engine.uring.UringEngine;

/**
 * Opens engines. {@link #open()} picks the best engine this machine allows; {@code
 * -Dringio.engine=uring} forces one and fails loudly if it cannot start.
 *
 * <p>This release has the io_uring engine; the readiness engines (epoll, kqueue) arrive with
 * their own issue, and {@link #open()} will then fall back to them, keeping the reasons.
 *
 * <p>Threading: any thread.
 */
public final class IoEngines {

    /** {@code -Dringio.engine=uring|epoll|kqueue}: force an engine. */
    public static final String ENGINE_PROPERTY = "ringio.engine";

    private IoEngines() {
    }

    /** Opens the best available engine with {@link EngineConfig#fromSystemProperties()}. */
    public static IoEngine open() throws NativeIoException {
        return open(EngineConfig.fromSystemProperties());
    }

    /**
     * Opens the best available engine with {@code config}.
     *
     * @throws NativeIoException     if no engine can start; the message lists each refusal
     * @throws IllegalStateException if {@code -Dringio.engine} names an engine this build lacks
     */
    public static IoEngine open(EngineConfig config) throws NativeIoException {
        String forced = System.getProperty(ENGINE_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            String name = forced.trim().toLowerCase(Locale.ROOT);
            if (!name.equals("uring") && !name.equals("io_uring")) {
                throw new IllegalStateException("-D" + ENGINE_PROPERTY + "=" + forced
                        + ": this build has only the io_uring engine (uring)");
            }
        }
        return openUring(config);
    }

    /** Opens the io_uring engine, failing with the kernel's errno if it cannot start. */
    public static IoEngine openUring(EngineConfig config) throws NativeIoException {
        return UringEngine.open(config);
    }

    /**
     * Why each engine this build knows is or is not usable here: engine name → {@code "available"}
     * or the reason it was refused (e.g. {@code "io_uring_setup: EPERM (Operation not permitted)"}).
     */
    public static Map<String, String> availability() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("io_uring", UringEngine.unavailabilityCause().map(Throwable::getMessage).orElse("available"));
        return m;
    }
}
