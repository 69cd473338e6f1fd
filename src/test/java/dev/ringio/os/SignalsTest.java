package dev.ringio.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.Errno;
import dev.ringio.NativeIoException;
import dev.ringio.sys.Shim;
import dev.ringio.testing.LeakCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signal numbers and names, signal sets, the calling thread's mask, kill/tgkill and blocking
 * signalfd reads, with real signals sent to this JVM's own threads. Every test leaves the thread's
 * mask as it found it.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignalsTest {

    private static final int USR1 = Signal.SIGUSR1.number();

    @Test
    void standardSignalsByNameAndNumberMatchTheCHeaders() throws Exception {
        for (Signal s : Signal.values()) {
            assertEquals(os(s.name()), s.number(), s.name());
            assertEquals(s, Signal.of(s.number()).orElseThrow());
            assertEquals(s, Signal.named(s.name().substring(3).toLowerCase()));
            assertEquals(s.number(), Signals.number(s.name()));
            assertEquals(s.name(), Signals.name(s.number()));
        }
        assertEquals(Signal.SIGABRT, Signal.named("SIGIOT"));
        assertEquals(Signal.SIGIO, Signal.named("POLL"));
        assertThrows(IllegalArgumentException.class, () -> Signal.named("SIGNOPE"));
        assertTrue(Signal.of(0).isEmpty());
        assertTrue(Signal.of(Signals.rtMin()).isEmpty());
    }

    @Test
    void realTimeSignalsByNumberAndName() {
        int min = Signals.rtMin();
        int max = Signals.rtMax();
        assertTrue(min >= 32 && min < max && max == 64, min + ".." + max);
        assertEquals(min + 3, Signals.realtime(3));
        assertEquals("SIGRTMIN", Signals.name(min));
        assertEquals("SIGRTMIN+3", Signals.name(min + 3));
        assertEquals("SIGRTMAX", Signals.name(max));
        assertEquals(min + 3, Signals.number("SIGRTMIN+3"));
        assertEquals(max - 2, Signals.number("RTMAX-2"));
        assertEquals(max, Signals.number("sigrtmax"));
        assertEquals(15, Signals.number("15"));
        assertEquals("SIG32", Signals.name(32));
        assertThrows(IllegalArgumentException.class, () -> Signals.realtime(max - min + 1));
        assertThrows(IllegalArgumentException.class, () -> Signals.number("SIGRTMAX+1"));
        assertThrows(IllegalArgumentException.class, () -> Signals.number("65"));
    }

    @Test
    void signalSetsAddDeleteMemberEmptyFill() {
        SignalSet s = SignalSet.empty();
        assertTrue(s.isEmpty());
        s.add(Signal.SIGINT).add(Signals.rtMax());
        assertTrue(s.contains(Signal.SIGINT));
        assertTrue(s.contains(64));
        assertFalse(s.contains(Signal.SIGTERM));
        assertEquals(List.of(2, 64), s.numbers());
        s.remove(Signal.SIGINT);
        assertEquals(List.of(64), s.numbers());
        SignalSet full = SignalSet.full();
        for (int i = 1; i <= 64; i++) {
            assertTrue(full.contains(i), "full has " + i);
        }
        assertEquals("[SIGINT, SIGUSR1]", SignalSet.of(Signal.SIGUSR1, Signal.SIGINT).toString());
        assertEquals(SignalSet.of(Signal.SIGHUP), SignalSet.ofNumbers(1));
        assertThrows(IllegalArgumentException.class, () -> SignalSet.empty().add(0));
        assertThrows(IllegalArgumentException.class, () -> SignalSet.empty().add(65));
    }

    @Test
    void blockUnblockAndQueryTheCallingThreadsMask() throws Exception {
        SignalSet before = Signals.blocked();
        try {
            SignalSet prev = Signals.block(SignalSet.of(Signal.SIGUSR1, Signal.SIGWINCH));
            assertEquals(before, prev);
            SignalSet now = Signals.blocked();
            assertTrue(now.contains(Signal.SIGUSR1) && now.contains(Signal.SIGWINCH), now.toString());
            Signals.unblock(SignalSet.of(Signal.SIGWINCH));
            assertFalse(Signals.blocked().contains(Signal.SIGWINCH));
            assertTrue(Signals.blocked().contains(Signal.SIGUSR1));
            Thread other = Thread.ofPlatform().start(() -> { });
            other.join();
            Signals.setBlocked(before);
            assertEquals(before, Signals.blocked());
        } finally {
            Signals.setBlocked(before);
        }
    }

    @Test
    void killChecksAndNamesItsTarget() throws Exception {
        Signals.kill(ProcessHandle.current().pid(), 0); // exists and may be signalled
        NativeIoException none = assertThrows(NativeIoException.class, () -> Signals.kill(Integer.MAX_VALUE - 7, 0));
        assertTrue(none.is(Errno.ESRCH), none.toString());
        assertTrue(none.getMessage().contains("kill(" + (Integer.MAX_VALUE - 7)), none.getMessage());
        NativeIoException noThread = assertThrows(NativeIoException.class, () -> Signals.killThread(Integer.MAX_VALUE - 7, USR1));
        assertTrue(noThread.is(Errno.ESRCH), noThread.toString());
        assertThrows(IllegalArgumentException.class, () -> Signals.kill(1, 65));
    }

    @Test
    void aThreadDirectedSignalWaitsBlockedAndIsReadFromASignalfdWithItsSender() throws Exception {
        SignalSet before = Signals.blocked();
        Signals.block(SignalSet.of(Signal.SIGUSR1));
        try (SignalFd sfd = SignalFd.open(SignalSet.of(Signal.SIGUSR1), SignalFd.SFD_NONBLOCK)) {
            assertEquals(List.of(), sfd.read(), "nothing pending yet");
            Signals.killThread(Signals.currentThreadId(), USR1);
            assertTrue(Signals.pending().contains(Signal.SIGUSR1), "pending while blocked");
            List<SignalInfo> got = sfd.read();
            assertEquals(1, got.size(), got.toString());
            SignalInfo info = got.get(0);
            assertEquals(USR1, info.signo());
            assertEquals(-6, info.code(), "SI_TKILL");
            assertEquals(ProcessHandle.current().pid(), info.pid());
            assertEquals(uid(), info.uid());
            assertEquals(0, info.errno());
            assertFalse(Signals.pending().contains(Signal.SIGUSR1), "taken by the read");

            // signalfd-reset!: a new set; USR1 is no longer taken from it.
            sfd.reset(SignalSet.of(Signal.SIGWINCH));
            assertEquals(SignalSet.of(Signal.SIGWINCH), sfd.signals());
            Signals.killThread(Signals.currentThreadId(), USR1);
            assertEquals(List.of(), sfd.read());
            sfd.reset(SignalSet.of(Signal.SIGUSR1));
            assertEquals(USR1, sfd.read().get(0).signo(), "still pending, now read");
        } finally {
            Signals.setBlocked(before);
        }
    }

    @Test
    void aBlockingSignalfdReadWaitsForTheSignal() throws Exception {
        BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        BlockingQueue<Integer> tid = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofPlatform().name("signalfd-reader").start(() -> {
            try {
                Signals.block(SignalSet.of(Signal.SIGUSR1));
                try (SignalFd sfd = SignalFd.open(SignalSet.of(Signal.SIGUSR1))) {
                    tid.add(Signals.currentThreadId());
                    out.add(sfd.read());
                }
            } catch (Throwable t) {
                out.add(t);
            }
        });
        Signals.killThread(tid.poll(20, TimeUnit.SECONDS), USR1);
        Object got = out.poll(20, TimeUnit.SECONDS);
        reader.join(20_000);
        assertTrue(got instanceof List<?> l && l.size() == 1 && ((SignalInfo) l.get(0)).signo() == USR1, String.valueOf(got));
    }

    @Test
    void signalfdRefusesUnknownFlagsAndFailsAfterClose() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> SignalFd.open(SignalSet.of(Signal.SIGUSR1), 1));
        SignalFd sfd = SignalFd.open(SignalSet.of(Signal.SIGUSR1), SignalFd.SFD_NONBLOCK);
        sfd.close();
        NativeIoException e = assertThrows(NativeIoException.class, sfd::read);
        assertTrue(e.is(Errno.EBADF), e.toString());
    }

    @Test
    void signalfdSiginfoLayoutMatchesTheCHeader() {
        assertEquals(os("sizeof(signalfd_siginfo)"), SignalInfo.SIZE);
        String[] fields = {"ssi_errno", "ssi_code", "ssi_pid", "ssi_uid", "ssi_fd", "ssi_tid", "ssi_band", "ssi_overrun",
            "ssi_trapno", "ssi_status", "ssi_int", "ssi_ptr", "ssi_utime", "ssi_stime", "ssi_addr", "ssi_addr_lsb",
            "ssi_syscall", "ssi_call_addr", "ssi_arch"};
        long[] offsets = {4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 56, 64, 72, 80, 84, 88, 96};
        for (int i = 0; i < fields.length; i++) {
            assertEquals(os("offsetof(signalfd_siginfo." + fields[i] + ")"), offsets[i], fields[i]);
        }
        assertEquals(os("SFD_NONBLOCK"), SignalFd.SFD_NONBLOCK);
        assertEquals(os("SFD_CLOEXEC"), SignalFd.SFD_CLOEXEC);
        assertEquals(os("CLD_EXITED"), ExitStatus.CLD_EXITED);
        assertEquals(os("CLD_KILLED"), ExitStatus.CLD_KILLED);
        assertEquals(os("CLD_DUMPED"), ExitStatus.CLD_DUMPED);
        assertEquals(os("SIG_BLOCK"), Signals.SIG_BLOCK);
        assertEquals(os("SIG_UNBLOCK"), Signals.SIG_UNBLOCK);
        assertEquals(os("SIG_SETMASK"), Signals.SIG_SETMASK);
    }

    @Test
    void inotifyConstantsMatchTheCHeader() {
        for (InotifyMask m : InotifyMask.values()) {
            assertEquals(os("IN_" + m.name()), m.bit() & 0xffffffffL, m.name());
        }
        assertEquals(os("IN_ALL_EVENTS"), Inotify.IN_ALL_EVENTS);
        assertEquals(os("IN_MOVE"), Inotify.IN_MOVE);
        assertEquals(os("IN_CLOSE"), Inotify.IN_CLOSE);
        assertEquals(os("IN_NONBLOCK"), Inotify.IN_NONBLOCK);
        assertEquals(os("IN_CLOEXEC"), Inotify.IN_CLOEXEC);
        assertEquals(os("sizeof(inotify_event)"), Inotify.HEADER);
    }

    /** A constant of ringio_os_const; fails when the shim does not know it. */
    static long os(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocateFrom(name);
            long v = Shim.get().osConst(n.address());
            assertTrue(v != Long.MIN_VALUE, "the shim knows " + name);
            return v;
        }
    }

    static int uid() throws Exception {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no Uid: line");
    }
}
