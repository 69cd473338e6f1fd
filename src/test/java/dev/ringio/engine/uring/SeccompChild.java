package dev.ringio.engine.uring;

import java.util.Map;

import dev.ringio.IoEngine;
import dev.ringio.IoEngines;

/**
 * Run by {@link SeccompRefusalTest} in a child JVM, with and without the seccomp launcher: prints
 * what engine selection sees and what {@link IoEngines#open()} does, one {@code key=value} a line:
 * {@code availability.<engine>=<reason or "available">}, then {@code opened=<engine name> (<description>)} or
 * {@code open-failed=<exception class>: <message>}. Exits 0 either way; the test judges the output.
 */
public final class SeccompChild {

    private SeccompChild() {
    }

    public static void main(String[] args) {
        for (Map.Entry<String, String> e : IoEngines.availability().entrySet()) {
            System.out.println("availability." + e.getKey() + "=" + e.getValue());
        }
        try (IoEngine engine = IoEngines.open()) {
            System.out.println("opened=" + engine.name() + " (" + engine + ")");
        } catch (Exception e) {
            System.out.println("open-failed=" + e.getClass().getName() + ": " + e.getMessage());
        }
        System.out.flush();
    }
}
