package org.ndis4j.kernel.internal;

/**
 * A thread the kernel created: a processor, a system worker or the clock. It carries the kernel's
 * per-thread state (its IRQL, the running driver), which the scheduler reads through
 * {@link ContextState}: reading it is a field read, not a thread-local lookup.
 *
 * <p>Under a deterministic scheduler an interrupt of the thread goes to that scheduler, which wakes
 * the thread's wait in its own order instead of unparking it behind the scheduler's back.
 */
public class KernelThread extends Thread {

    /** Where an interrupt goes instead of the JVM, under a scheduler that controls the thread. */
    public interface InterruptRoute {
        void interrupt(KernelThread thread);
    }

    /** Fixed for a thread of the threaded scheduler; a pooled deterministic context rebinds it per run. */
    private ContextState state;

    private volatile InterruptRoute route;

    public KernelThread(String name, ContextState state, Runnable body) {
        super(body, name);
        this.state = state;
        setDaemon(true);
    }

    /** The kernel's state for this thread, as given to {@link Scheduler#startThread}. */
    public ContextState context() {
        return state;
    }

    /**
     * A pooled thread takes on another context: called while the thread waits for its next body, and
     * published to it by the hand-over that starts that body.
     */
    protected final void rebind(ContextState to) {
        state = to;
    }

    /** From now on {@link #interrupt()} goes to {@code to}. */
    public void routeInterrupts(InterruptRoute to) {
        route = to;
    }

    /** The controlling scheduler's route, or null. */
    public InterruptRoute interruptRoute() {
        return route;
    }

    @Override
    public void interrupt() {
        InterruptRoute r = route;
        if (r != null) {
            r.interrupt(this);
        } else {
            super.interrupt();
        }
    }

    /** The JVM's interrupt, bypassing any route. */
    public void interruptThread() {
        super.interrupt();
    }
}
