package dev.ringio.os;

import java.nio.ByteBuffer;

/**
 * One signal as {@link SignalFd} reads it: every field of {@code struct signalfd_siginfo}
 * ({@code <sys/signalfd.h>}), Gerbil's {@code signalfd-siginfo-*} accessors. Which fields mean
 * something depends on the signal and {@link #code()}: {@code pid}/{@code uid} for a
 * {@code kill} ({@code SI_USER}) or {@code sigqueue}, {@code status}/{@code utime}/{@code stime}
 * for SIGCHLD, {@code addr} for SIGSEGV/SIGBUS, {@code fd}/{@code band} for SIGIO, {@code tid}/
 * {@code overrun} for POSIX timers, {@code intValue}/{@code ptr} for {@code sigqueue}'s value.
 *
 * @param signo    ssi_signo: the signal number
 * @param errno    ssi_errno (unused by Linux; 0)
 * @param code     ssi_code: where it came from ({@code SI_USER} 0, {@code SI_TKILL} -6,
 *                 {@code SI_QUEUE} -1, {@code CLD_EXITED} 1, ...)
 * @param pid      ssi_pid: the sender's pid
 * @param uid      ssi_uid: the sender's real uid
 * @param fd       ssi_fd: the descriptor (SIGIO)
 * @param tid      ssi_tid: the kernel timer id (POSIX timers)
 * @param band     ssi_band: the band event (SIGIO)
 * @param overrun  ssi_overrun: the timer overrun count
 * @param trapno   ssi_trapno: the trap number of a hardware-generated signal
 * @param status   ssi_status: exit status or signal (SIGCHLD)
 * @param intValue ssi_int: the int sent by {@code sigqueue}
 * @param ptr      ssi_ptr: the pointer sent by {@code sigqueue}
 * @param utime    ssi_utime: user CPU time consumed (SIGCHLD)
 * @param stime    ssi_stime: system CPU time consumed (SIGCHLD)
 * @param addr     ssi_addr: the address that generated the signal (hardware signals)
 * @param addrLsb  ssi_addr_lsb: the least significant bit of the address (SIGBUS)
 * @param syscall  ssi_syscall: the system call number (SIGSYS from seccomp)
 * @param callAddr ssi_call_addr: the address of that system call instruction
 * @param arch     ssi_arch: the AUDIT_ARCH_* of that call
 */
public record SignalInfo(int signo, int errno, int code, int pid, int uid, int fd, int tid, int band,
        int overrun, int trapno, int status, int intValue, long ptr, long utime, long stime, long addr,
        int addrLsb, int syscall, long callAddr, int arch) {

    /** sizeof(struct signalfd_siginfo): each read returns whole records of this size. */
    public static final int SIZE = 128;

    /**
     * The standard signal, when {@link #signo()} is one.
     *
     * @return the standard signal, or empty
     */
    public java.util.Optional<Signal> signal() {
        return Signal.of(signo);
    }

    /** Decodes the record at {@code at} of {@code b} (native byte order). */
    static SignalInfo decode(ByteBuffer b, int at) {
        return new SignalInfo(b.getInt(at), b.getInt(at + 4), b.getInt(at + 8), b.getInt(at + 12),
                b.getInt(at + 16), b.getInt(at + 20), b.getInt(at + 24), b.getInt(at + 28), b.getInt(at + 32),
                b.getInt(at + 36), b.getInt(at + 40), b.getInt(at + 44), b.getLong(at + 48), b.getLong(at + 56),
                b.getLong(at + 64), b.getLong(at + 72), Short.toUnsignedInt(b.getShort(at + 80)),
                b.getInt(at + 84), b.getLong(at + 88), b.getInt(at + 96));
    }

    /** e.g. {@code SIGUSR1 from pid 123 (uid 1000, code 0)}. */
    @Override
    public String toString() {
        return Signals.name(signo) + " from pid " + pid + " (uid " + uid + ", code " + code + ")";
    }
}
