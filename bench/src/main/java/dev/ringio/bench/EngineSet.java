package dev.ringio.bench;

import java.util.ArrayList;
import java.util.List;

import dev.ringio.EngineConfig;
import dev.ringio.IoEngine;
import dev.ringio.IoEngines;

/**
 * ringio's Linux engines for one workload, opened side by side: io_uring and epoll. An engine
 * that cannot start here (io_uring under Docker's seccomp profile, say) is not a failure of the
 * bench: its rows say why, and the other engine's rows run.
 */
final class EngineSet implements AutoCloseable {

    /** One engine, or why it is missing. */
    record Slot(String name, String label, IoEngine engine, String missing) {
        boolean available() {
            return engine != null;
        }
    }

    private final List<Slot> slots = new ArrayList<>();

    EngineSet(EngineConfig config) {
        for (String name : List.of("uring", "epoll")) {
            String label = name.equals("uring") ? "io_uring" : "epoll";
            try {
                slots.add(new Slot(name, label, IoEngines.open(name, config), null));
            } catch (Exception | LinkageError e) {
                slots.add(new Slot(name, label, null, label + " engine: " + InfoCommand.describe(e)));
            }
        }
    }

    List<Slot> slots() {
        return slots;
    }

    /** A ringio row on this engine, or one saying why the engine is missing. */
    Contender contender(Slot slot, String key, String label, Contender.Trial trial) {
        String k = slot.name() + "-" + key;
        String l = "ringio " + slot.label() + (label.isEmpty() ? "" : ", " + label);
        return slot.available() ? Contender.ringio(k, l, trial)
                : Contender.unavailable(Contender.Role.RINGIO, k, l, slot.missing());
    }

    @Override
    public void close() {
        for (Slot s : slots) {
            if (s.engine() != null) {
                s.engine().close();
            }
        }
    }
}
