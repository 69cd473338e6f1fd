package dev.ringio.os;

import dev.ringio.sys.Shim;

/**
 * Process ids (Gerbil's {@code std/os/pid}). Neither call can fail. Any thread.
 */
public final class Pid {

    private Pid() {
    }

    /**
     * This process's id ({@code getpid(2)}); the same as {@code ProcessHandle.current().pid()}.
     *
     * @return this process's id
     */
    public static long getpid() {
        return Shim.get().getpid();
    }

    /**
     * The parent process's id ({@code getppid(2)}): the process that started this one, or, once
     * that has exited, the one that adopted it (init or a subreaper); 0 when the parent is
     * outside this process's pid namespace.
     *
     * @return the parent's process id (0 outside this pid namespace)
     */
    public static long getppid() {
        return Shim.get().getppid();
    }
}
