package dev.ringio.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;

/** {@code ringio info}: which engines this machine allows, the binding, the kernel, the engine's set-up. */
final class InfoCommand {

    static final String USAGE = "usage: ringio info\n"
            + "  the kernel, the JDK, the native binding, the engines in the order selection tries them\n"
            + "  (and why one is refused), the io_uring ops and features the kernel's probe reports, and\n"
            + "  the engine chosen with its set-up and capabilities\n"
            + Main.exitStatuses("printed", "the engines could not be probed or no engine could be opened");

    private InfoCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return Main.EXIT_OK;
        }
        if (args.length > 0) {
            err.println("ringio info: takes no arguments (got '" + args[0] + "')");
            return Main.EXIT_USAGE;
        }
        out.println("kernel:   " + kernelRelease());
        out.println("java:     " + Runtime.version() + " (" + System.getProperty("java.vm.name", "?") + ")");
        out.println("binding:  " + binding());
        String forced = System.getProperty(IoEngines.ENGINE_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            out.println("forced:   -D" + IoEngines.ENGINE_PROPERTY + "=" + forced);
        }
        try {
            out.println("engines (tried in this order):");
            for (String name : IoEngines.ENGINES) {
                out.println("  " + IoEngines.availability(name)); // the engine's gate: "name: available" or why not
            }
        } catch (RuntimeException | LinkageError e) {
            err.println("ringio info: cannot probe the engines: " + describe(e));
            return Main.EXIT_FAILURE;
        }
        IoEngines.ioUringProbe().ifPresent(p -> {
            out.println("io_uring ops (" + p.ops().size() + " probed): " + wrap(String.join(" ", p.ops())));
            out.println("io_uring features: " + wrap(String.join(" ", p.features())));
        });
        try (IoEngine engine = IoEngines.open(engineConfig())) {
            IoEngines.Selection sel = IoEngines.lastSelection();
            out.println("chosen:   " + engine.name() + (sel != null && sel.forced() ? " (forced)" : ""));
            if (sel != null) {
                sel.refusals().forEach((name, why) -> out.println("  passed over " + name + ": " + why));
            }
            out.println("  " + engine);
            out.println("  capabilities: " + (engine.capabilities().isEmpty() ? "none beyond the common operations"
                    : engine.capabilities()));
        } catch (Exception | LinkageError e) {
            err.println("ringio info: cannot open an engine: " + describe(e));
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    /** Wraps a long space-separated list at about 100 columns, indenting continuation lines. */
    private static String wrap(String words) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (String w : words.split(" ")) {
            if (col > 0 && col + w.length() > 80) {
                sb.append("\n    ");
                col = 0;
            } else if (col > 0) {
                sb.append(' ');
                col++;
            }
            sb.append(w);
            col += w.length();
        }
        return sb.toString();
    }

    /** The small engine every command here uses. */
    static EngineConfig engineConfig() {
        return EngineConfig.builder().queueDepth(256).build();
    }

    /** {@code -Dringio.binding}, as ringio reads it (default ffm). */
    static String binding() {
        return System.getProperty("ringio.binding", "ffm");
    }

    /** The running kernel's release ({@code uname -r}). */
    static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "?");
        }
    }

    /** A one-line description of a failure, with its causes. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c != t) {
                sb.append(" <- caused by ");
            }
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage());
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }
}
