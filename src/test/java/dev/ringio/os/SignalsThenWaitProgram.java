package dev.ringio.os;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for {@link SignalHandlersTest}: uses a handler (with a real SIGUSR1 to itself), a
 * blocked mask and a signalfd, removes it all, prints READY, then waits (for a SIGQUIT's dump).
 */
public final class SignalsThenWaitProgram {

    public static void main(String[] args) throws Exception {
        long pid = ProcessHandle.current().pid();
        CountDownLatch handled = new CountDownLatch(1);
        try (SignalHandlers.Registration r = SignalHandlers.add(Signal.SIGUSR1, d -> handled.countDown())) {
            Signals.kill(pid, Signal.SIGUSR1);
            if (!handled.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("SIGUSR1 handler did not run");
            }
        }
        SignalSet before = Signals.block(SignalSet.of(Signal.SIGUSR1));
        try (SignalFd sfd = SignalFd.open(SignalSet.of(Signal.SIGUSR1))) {
            Signals.killThread(Signals.currentThreadId(), Signal.SIGUSR1.number());
            if (sfd.read().get(0).signo() != Signal.SIGUSR1.number()) {
                throw new AssertionError("signalfd");
            }
        } finally {
            Signals.setBlocked(before);
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(90));
    }
}
