package dev.ringio.os;

/**
 * How a child process ended ({@code waitid}'s {@code si_code} and {@code si_status}): it exited
 * with a code, or a signal killed it (maybe dumping core). eio's {@code Exited} / {@code Signaled}.
 *
 * @param pid        the child's process id
 * @param exitCode   the exit code (0..255) when it exited; -1 when a signal killed it
 * @param signal     the signal that killed it; 0 when it exited
 * @param coreDumped whether it dumped core when killed
 */
public record ExitStatus(long pid, int exitCode, int signal, boolean coreDumped) {

    static final int CLD_EXITED = 1;
    static final int CLD_KILLED = 2;
    static final int CLD_DUMPED = 3;

    static ExitStatus of(long pid, int code, int status) {
        return switch (code) {
            case CLD_EXITED -> new ExitStatus(pid, status, 0, false);
            case CLD_KILLED -> new ExitStatus(pid, -1, status, false);
            case CLD_DUMPED -> new ExitStatus(pid, -1, status, true);
            default -> throw new IllegalStateException("waitid: unexpected si_code " + code + " for pid " + pid);
        };
    }

    /**
     * Whether the child exited by itself (returned from main, called exit).
     *
     * @return true if the child exited by itself
     */
    public boolean exited() {
        return signal == 0;
    }

    /**
     * Whether it exited with code 0.
     *
     * @return true for exit code 0
     */
    public boolean success() {
        return signal == 0 && exitCode == 0;
    }

    /**
     * The shell's view: the exit code, or 128 + the signal.
     *
     * @return the exit code, or 128 + the signal number
     */
    public int shellStatus() {
        return signal == 0 ? exitCode : 128 + signal;
    }

    @Override
    public String toString() {
        return "pid " + pid + (signal == 0 ? " exited " + exitCode
                : " killed by " + Signals.name(signal) + (coreDumped ? " (core dumped)" : ""));
    }
}
