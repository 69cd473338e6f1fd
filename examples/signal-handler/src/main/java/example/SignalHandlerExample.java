package example;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ringio.os.Pid;
import dev.ringio.os.Signal;
import dev.ringio.os.SignalDelivery;
import dev.ringio.os.SignalHandlers;
import dev.ringio.os.Signals;

/**
 * Adds a handler for SIGUSR1, sends SIGUSR1 to this JVM and waits for the handler, which runs on a
 * thread of ringio's (never inside the native signal handler), with the sender's pid. Then asks
 * why SIGSEGV cannot have a handler: the JVM owns it. Exits 1 if the handler did not run.
 */
public class SignalHandlerExample {

    public static void main(String[] args) throws Exception {
        CompletableFuture<String> handled = new CompletableFuture<>();
        try (SignalHandlers.Registration r = SignalHandlers.add(Signal.SIGUSR1, (SignalDelivery d) ->
                handled.complete("signal " + d.signal() + " from pid " + d.pid() + " on thread "
                        + Thread.currentThread().getName()))) {
            Signals.kill(Pid.getpid(), Signal.SIGUSR1);
            String what = handled.get(10, TimeUnit.SECONDS);
            System.out.println("handled " + what);
            if (!what.contains("from pid " + Pid.getpid())) {
                System.err.println("the sender should be this process (" + Pid.getpid() + ")");
                System.exit(1);
            }
        }
        System.out.println("SIGSEGV: " + SignalHandlers.refusalReason(Signal.SIGSEGV.number())
                .orElse("(no refusal?)"));
        System.out.println("signal-handler: SIGUSR1 handled off the signal context");
    }
}
