package dev.ringio.os;

/**
 * A signal that reached ringio's native handler, as a {@link SignalHandler} receives it (the
 * {@code siginfo_t} fields that say where it came from).
 *
 * @param signal the signal number
 * @param code   si_code: {@code SI_USER} (0) for kill, {@code SI_TKILL} (-6) for tgkill,
 *               {@code SI_QUEUE} (-1) for sigqueue, {@code SI_KERNEL} (0x80), or a signal-specific code
 * @param pid    the sending process (for kill, tgkill, sigqueue); 0 when the kernel sent it
 * @param uid    the sender's real uid
 */
public record SignalDelivery(int signal, int code, int pid, int uid) {

    @Override
    public String toString() {
        return Signals.name(signal) + " from pid " + pid + " (uid " + uid + ", code " + code + ")";
    }
}
