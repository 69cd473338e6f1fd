package dev.ringio.engine.poll;

/**
 * The ops waiting for readiness on one descriptor number: a FIFO of readers and one of writers,
 * and what the {@link Poller} has armed for it. The readiness engine registers descriptors
 * {@link Interest#ONESHOT}: after an event nothing is armed until the engine re-arms for the
 * waiters still left. Loop thread only.
 */
final class Watch {

    final int fdNumber;
    private PollOp<?> readHead;
    private PollOp<?> readTail;
    private PollOp<?> writeHead;
    private PollOp<?> writeTail;
    /** The interest armed in the poller now (0 after a oneshot event fired). */
    int armed;
    /** Whether the poller has (as far as the engine knows) a registration for this number. */
    boolean registered;
    /** The descriptor of the latest waiter: what a deregistration names once the waiters are gone. */
    dev.ringio.Fd lastFd;

    Watch(int fdNumber) {
        this.fdNumber = fdNumber;
    }

    void add(PollOp<?> op) {
        op.watch = this;
        lastFd = op.waitFd;
        op.nextWaiter = null;
        if (op.interest == Interest.READ) {
            op.prevWaiter = readTail;
            if (readTail == null) {
                readHead = op;
            } else {
                readTail.nextWaiter = op;
            }
            readTail = op;
        } else {
            op.prevWaiter = writeTail;
            if (writeTail == null) {
                writeHead = op;
            } else {
                writeTail.nextWaiter = op;
            }
            writeTail = op;
        }
    }

    void remove(PollOp<?> op) {
        boolean read = op.interest == Interest.READ;
        PollOp<?> p = op.prevWaiter;
        PollOp<?> n = op.nextWaiter;
        if (p == null) {
            if (read) {
                readHead = n;
            } else {
                writeHead = n;
            }
        } else {
            p.nextWaiter = n;
        }
        if (n == null) {
            if (read) {
                readTail = p;
            } else {
                writeTail = p;
            }
        } else {
            n.prevWaiter = p;
        }
        op.prevWaiter = null;
        op.nextWaiter = null;
        op.watch = null;
    }

    PollOp<?> head(int interest) {
        return interest == Interest.READ ? readHead : writeHead;
    }

    /** The interest the waiters need: READ if any reader, WRITE if any writer. */
    int wanted() {
        return (readHead != null ? Interest.READ : 0) | (writeHead != null ? Interest.WRITE : 0);
    }

    /** Any waiter's descriptor (they all share this number), for the poller calls; null if none. */
    dev.ringio.Fd anyFd() {
        PollOp<?> op = readHead != null ? readHead : writeHead;
        return op == null ? null : op.waitFd;
    }

    int count(int interest) {
        int n = 0;
        for (PollOp<?> op = head(interest); op != null; op = op.nextWaiter) {
            n++;
        }
        return n;
    }
}
