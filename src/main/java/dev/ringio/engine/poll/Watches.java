package dev.ringio.engine.poll;

import java.util.function.Function;

import dev.ringio.Errno;
import dev.ringio.Fd;
import dev.ringio.NativeIoException;

/**
 * The readiness engine's waiters and their poller registrations: one {@link Watch} per descriptor
 * number, holding the ops that said EAGAIN in line per interest; the descriptor is registered
 * ONESHOT for what its waiters need, re-armed while ops wait, and deregistered when the last one
 * leaves. The poller's events retry the waiters in order.
 *
 * <p>Threading: loop thread only.
 */
final class Watches implements EventSink {

    private final PollEngine engine;
    private final Poller poller;
    private Watch[] watches = new Watch[64];

    /** Any thread (the engine's constructor). */
    Watches(PollEngine engine, Poller poller) {
        this.engine = engine;
        this.poller = poller;
    }

    private Watch watchFor(int fdNumber) {
        if (fdNumber >= watches.length) {
            Watch[] bigger = new Watch[Math.max(fdNumber + 1, watches.length * 2)];
            System.arraycopy(watches, 0, bigger, 0, watches.length);
            watches = bigger;
        }
        Watch w = watches[fdNumber];
        if (w == null) {
            w = new Watch(fdNumber);
            watches[fdNumber] = w;
        }
        return w;
    }

    /** {@code op} said EAGAIN: it waits on its descriptor for its interest. Loop thread only. */
    void park(PollOp<?> op) {
        op.state = PollOp.WAITING;
        Watch w = watchFor(op.waitFd.value());
        w.add(op);
        arm(w);
    }

    /**
     * Makes the poller watch for what the waiters need (ONESHOT), unless that is already armed; with
     * no waiter left, removes the registration. A descriptor is registered only while an op waiting
     * on it holds it open, so its number can never be closed and reused under a live registration
     * (a stale one, left by a descriptor closed elsewhere, once made a later connect on the same
     * number wait forever).
     */
    private void arm(Watch w) {
        int want = w.wanted();
        if (want == 0) {
            if (w.registered) {
                Fd last = w.lastFd;
                w.registered = false;
                w.armed = 0;
                w.lastFd = null;
                try {
                    poller.deregister(last);
                } catch (NativeIoException | RuntimeException gone) {
                    // closed already: the kernel dropped the registration with it
                }
            }
            return;
        }
        if ((want & ~w.armed) == 0) {
            return;
        }
        Fd fd = w.anyFd();
        int interest = want | Interest.ONESHOT;
        try {
            if (w.registered) {
                try {
                    poller.modify(fd, interest, w.fdNumber);
                } catch (NativeIoException e) {
                    if (!e.is(Errno.ENOENT)) {
                        throw e;
                    }
                    poller.register(fd, interest, w.fdNumber); // the descriptor was closed and reused
                }
            } else {
                try {
                    poller.register(fd, interest, w.fdNumber);
                } catch (NativeIoException e) {
                    if (!e.is(Errno.EEXIST)) {
                        throw e;
                    }
                    poller.modify(fd, interest, w.fdNumber);
                }
            }
            w.registered = true;
            w.armed = want;
        } catch (NativeIoException e) {
            if (e.is(Errno.EPERM)) {
                // A regular file or directory: always ready; poll(2) says so and the ops proceed.
                retryWaiters(w, Interest.READ);
                retryWaiters(w, Interest.WRITE);
                return;
            }
            failWaiters(w, e);
        }
    }

    /** One readiness event from the poller. Loop thread only. */
    @Override
    public void accept(long token, boolean readable, boolean writable, boolean error, boolean hangup) {
        int fdNumber = (int) token;
        if (fdNumber < 0 || fdNumber >= watches.length) {
            return;
        }
        Watch w = watches[fdNumber];
        if (w == null) {
            return;
        }
        w.armed = 0; // a oneshot registration is disabled once it fired
        if (readable || error || hangup) {
            retryWaiters(w, Interest.READ);
        }
        if (writable || error || hangup) {
            retryWaiters(w, Interest.WRITE);
        }
        arm(w);
    }

    /** Retries the waiters for {@code interest} in order until one still says EAGAIN (it stays first). */
    private void retryWaiters(Watch w, int interest) {
        for (int budget = w.count(interest); budget > 0; budget--) {
            PollOp<?> op = w.head(interest);
            if (op == null) {
                return;
            }
            long r;
            try {
                r = engine.attempts.attemptNoEintr(op);
            } catch (Throwable t) {
                leave(w, op);
                op.fail(t);
                continue;
            }
            if (r == -PollEngine.EAGAIN) {
                if (op.waitFd.value() != w.fdNumber || op.interest != interest) {
                    w.remove(op); // now waiting on the other side (splice): move it there
                    park(op);
                    continue;
                }
                return; // still not ready: it stays first in line
            }
            leave(w, op);
            op.state = PollOp.NEW;
            if (engine.attempts.handle(op, r)) {
                engine.attempts.attemptOnLoop(op);
            }
        }
    }

    /**
     * Takes {@code op} off {@code w}; if it was the last waiter, deregisters the descriptor before
     * the op completes, so the completion's observers see the descriptor free of the poller's hold.
     * Loop thread only.
     */
    void leave(Watch w, PollOp<?> op) {
        w.remove(op);
        if (w.wanted() == 0) {
            arm(w);
        }
    }

    private static void failWaiters(Watch w, Throwable cause) {
        for (int interest : new int[] {Interest.READ, Interest.WRITE}) {
            PollOp<?> op;
            while ((op = w.head(interest)) != null) {
                w.remove(op);
                op.fail(cause);
            }
        }
    }

    /** Aborts the waiters on {@code w} that hold {@code fd} (all if null) with the reason {@code why} gives. */
    private static void abortWaiters(Watch w, Fd fd, Function<PollOp<?>, Throwable> why) {
        for (int interest : new int[] {Interest.READ, Interest.WRITE}) {
            PollOp<?> op = w.head(interest);
            while (op != null) {
                PollOp<?> next = op.nextWaiter;
                if (fd == null || op.fd() == fd || op.other() == fd || op.waitFd == fd) {
                    w.remove(op);
                    op.abort(why.apply(op));
                }
                op = next;
            }
        }
    }

    /** Shutdown: aborts every waiter with {@code why(op)}. Loop thread only. */
    void abortAll(Function<PollOp<?>, Throwable> why) {
        for (Watch w : watches) {
            if (w != null) {
                abortWaiters(w, null, why);
            }
        }
    }

    /** The loop died: fails every waiter with {@code cause}. Loop thread only. */
    void failAll(Throwable cause) {
        for (Watch w : watches) {
            if (w != null) {
                failWaiters(w, cause);
            }
        }
    }

    /**
     * close(fd): deregisters the revoked {@code fd} and fails the ops waiting on it (as their
     * descriptor, other descriptor or wait descriptor) with ECANCELED. Loop thread only.
     */
    void abortOpsOn(Fd fd) {
        int n = fd.value();
        Watch w = n < watches.length ? watches[n] : null;
        if (w != null && w.registered && !fd.isReleased()) {
            try {
                poller.deregister(fd);
            } catch (NativeIoException e) {
                // already gone (closed, or never registered under this description)
            }
            w.registered = false;
            w.armed = 0;
        }
        for (Watch any : watches) {
            if (any != null) {
                abortWaiters(any, fd, op -> new NativeIoException(op.name, PollEngine.ECANCELED, "fd " + fd.value() + " closed"));
            }
        }
        if (w != null) {
            arm(w);
        }
    }
}
