package dev.ringio.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The one loop every engine runs (Agrona's {@code AgentRunner}): {@link Agent#doWork()} turns under
 * an {@link IdleStrategy}, parking in the kernel when idle, woken through the need-wakeup flag.
 *
 * <h2>The need-wakeup flag</h2>
 * Other threads hand work over by putting it on the agent's command queue and then calling
 * {@link #wakeup()}, which writes the agent's eventfd (a syscall, and a futex wake-up of the loop)
 * only when the loop has said it is about to park:
 *
 * <pre>
 * submitter                               loop
 * ---------                               ----
 * queue.offer(cmd)        (CAS: volatile) state = PARKING               (volatile write)
 * if state == PARKING                     if agent.hasExternalWork()    (volatile read)
 *    and CAS(PARKING -&gt; AWAKE):               state = AWAKE; take another turn
 *    agent.unpark()       (eventfd write) else agent.park()             (blocks)
 *                                         state = AWAKE
 * </pre>
 *
 * <p>The race this prevents is the lost wake-up: the loop finds the queue empty and goes to sleep
 * while a submitter, having enqueued, finds the loop awake and does not write the eventfd; the
 * command then waits until something else wakes the loop, possibly for ever. Each side writes its
 * own variable and then reads the other's (the JCTools queue publishes with a CAS of its producer
 * index, a volatile write; {@code isEmpty} reads it volatile), and volatile accesses are totally
 * ordered, so at least one side sees the other: either the loop sees the command and does not
 * park, or the submitter sees {@code PARKING} and unparks. Release/acquire alone would not do
 * (both reads could still see the old values: a store-load reordering). The CAS makes exactly one
 * of many concurrent submitters pay for the write. The write is a permit, not a pulse: an unpark
 * that lands before the loop blocks makes the park return at once, so the window between the
 * re-check and the block is safe.
 *
 * <p>While the loop is awake (the common case under load) a submission costs no syscall at all.
 *
 * <p>Threading: {@link #run()} on the loop thread; {@link #wakeup()} and the counters from any
 * thread.
 */
public final class AgentRunner {

    private static final int AWAKE = 0;
    private static final int PARKING = 1;
    private static final VarHandle STATE;
    private static final VarHandle PARKS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(AgentRunner.class, "state", int.class);
            PARKS = l.findVarHandle(AgentRunner.class, "parks", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Agent agent;
    private final IdleStrategy idle;
    /** AWAKE or PARKING; volatile accesses only (see the class comment). */
    @SuppressWarnings("unused")
    private volatile int state = AWAKE;
    /** Parks so far: written by the loop (release), read by anyone (acquire). */
    @SuppressWarnings("unused")
    private long parks;

    /**
     * @param agent the loop's work
     * @param idle  its back-off; owned by this runner from now on
     */
    public AgentRunner(Agent agent, IdleStrategy idle) {
        this.agent = java.util.Objects.requireNonNull(agent, "agent");
        this.idle = java.util.Objects.requireNonNull(idle, "idle");
    }

    /**
     * Runs the agent until {@link Agent#isDone()}. Exceptions from the agent propagate (the engine
     * then fails what it holds). Loop thread only.
     */
    public void run() {
        final Agent agent = this.agent;
        final IdleStrategy idle = this.idle;
        while (true) {
            int work = agent.doWork();
            if (agent.isDone()) {
                return;
            }
            switch (idle.idle(work)) {
                case SPIN -> {
                    // another turn at once
                }
                case YIELD -> Thread.yield();
                case PARK -> park(agent, idle);
            }
        }
    }

    private void park(Agent agent, IdleStrategy idle) {
        STATE.setVolatile(this, PARKING);
        try {
            // Re-check after announcing the park: a submitter that enqueued before it could see
            // PARKING did not unpark us (see the class comment).
            if (agent.hasExternalWork()) {
                return;
            }
            PARKS.setRelease(this, (long) PARKS.get(this) + 1);
            agent.park();
        } finally {
            STATE.setVolatile(this, AWAKE);
            idle.reset();
        }
    }

    /**
     * After handing the loop work: wakes it if it announced a park. Cheap (one volatile read) while
     * the loop is awake. Any thread.
     */
    public void wakeup() {
        if ((int) STATE.getVolatile(this) == PARKING && STATE.compareAndSet(this, PARKING, AWAKE)) {
            agent.unpark();
        }
    }

    /** Whether the loop has announced a park and not yet woken (it may be blocked in the kernel). Any thread. */
    public boolean isParking() {
        return (int) STATE.getVolatile(this) == PARKING;
    }

    /** How many times the loop has blocked in {@link Agent#park()}. Any thread. */
    public long parks() {
        return (long) PARKS.getAcquire(this);
    }
}
