package org.ndis4j.kernel.internal;

/**
 * A thread the kernel created: a processor, a system worker or the clock. It carries the kernel's
 * per-thread state (its IRQL, the running driver), which the scheduler keeps with the thread and
 * never looks into: reading it is a field read, not a thread-local lookup.
 */
public final class KernelThread extends Thread {

    private final Object context;

    public KernelThread(String name, Object context, Runnable body) {
        super(body, name);
        this.context = context;
        setDaemon(true);
    }

    /** The kernel's state for this thread, as given to {@link Scheduler#startThread}. */
    public Object context() {
        return context;
    }
}
