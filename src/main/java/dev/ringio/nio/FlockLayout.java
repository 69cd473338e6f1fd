package dev.ringio.nio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct flock} as the 64-bit Linux ABIs lay it out ({@code <asm-generic/fcntl.h>}, with
 * {@code off_t} 64 bits: x86_64 and aarch64 alike), and the open-file-description locks
 * ({@code F_OFD_SETLK}, Linux 3.15) built on it through the shim's {@code fcntl}.
 *
 * <p>The shim exports no {@code sizeof(struct flock)} to check this against at start-up (the
 * other layout classes are checked that way); the layout has been fixed since the
 * {@code F_OFD_*} commands exist, and a wrong one would fail every lock with {@code EINVAL}.
 *
 * <p>OFD locks, unlike classic POSIX record locks, belong to the open file description, so they
 * are not dropped when some other descriptor of the same file is closed, and two channels of one
 * process on the same file conflict like two processes do.
 *
 * <p>Threading: any thread; each call uses its own native memory.
 */
final class FlockLayout {

    static final long SIZE = 32;
    static final long L_TYPE = 0;      // short
    static final long L_WHENCE = 2;    // short
    static final long L_START = 8;     // off_t
    static final long L_LEN = 16;      // off_t
    static final long L_PID = 24;      // pid_t, must be 0 for OFD locks

    static final short F_RDLCK = 0;
    static final short F_WRLCK = 1;
    static final short F_UNLCK = 2;
    static final short SEEK_SET = 0;

    static final int F_OFD_SETLK = 37;

    private FlockLayout() {
    }

    /**
     * Takes ({@code type} F_RDLCK / F_WRLCK) or drops (F_UNLCK) a lock on
     * {@code [position, position + size)} without waiting. A region that reaches
     * {@link Long#MAX_VALUE} ({@code position + size == Long.MAX_VALUE}, which is what a
     * {@code FileLock} of size 0 becomes) means "to the end of the file, however far it grows":
     * {@code l_len} 0, which the kernel extends to its largest offset. Taking and dropping such a
     * lock thus name the same range; {@code l_len = size} would leave the last offset locked
     * after a release of a lock {@code l_len} 0 took.
     *
     * @return true if done, false if another holder's lock conflicts (EAGAIN / EACCES)
     * @throws NativeIoException for any other failure (EBADF once the channel is closed)
     */
    static boolean setLock(Fd fd, short type, long position, long size) throws NativeIoException {
        int raw = fd.acquire("fcntl F_OFD_SETLK");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flock = arena.allocate(SIZE, 8);
            flock.set(JAVA_SHORT, L_TYPE, type);
            flock.set(JAVA_SHORT, L_WHENCE, SEEK_SET);
            flock.set(JAVA_LONG, L_START, position);
            flock.set(JAVA_LONG, L_LEN, position + size == Long.MAX_VALUE ? 0 : size);
            flock.set(JAVA_INT, L_PID, 0);
            long r;
            do {
                r = Shim.get().fcntl(raw, F_OFD_SETLK, flock.address());
            } while (r == -Errno.EINTR.value());
            if (r == -Errno.EAGAIN.value() || r == -Errno.EACCES.value()) {
                return false;
            }
            NativeIoException.check("fcntl F_OFD_SETLK", r);
            return true;
        } finally {
            fd.release();
        }
    }
}
