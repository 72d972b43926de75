package org.ndis4j.kernel.internal;

import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;

/**
 * What the kernel knows about the thread running right now: its IRQL, the processor it is (if it is
 * one), and the driver whose code it is running. Only the owning thread writes it.
 */
public final class ThreadContext {

    /** What a thread is to the simulated machine. */
    public enum Kind {
        /** A processor: runs ISRs at DIRQL and DPCs at DISPATCH_LEVEL. */
        PROCESSOR,
        /** A system worker thread at PASSIVE_LEVEL. */
        WORKER,
        /** The clock: fires timers (it only queues their DPCs). */
        CLOCK,
        /** A thread the kernel did not create (a test, a tool's main thread): PASSIVE_LEVEL. */
        EXTERNAL
    }

    private static final ThreadLocal<ThreadContext> EXTERNAL =
            ThreadLocal.withInitial(() -> new ThreadContext(null, Kind.EXTERNAL, -1));

    private Kernel kernel;
    private final Kind kind;
    private final int processorNumber;
    private Irql irql = Irql.PASSIVE_LEVEL;
    private String driver;

    public ThreadContext(Kernel kernel, Kind kind, int processorNumber) {
        this.kernel = kernel;
        this.kind = kind;
        this.processorNumber = processorNumber;
    }

    /** The calling thread's context. Cheap: a field read on kernel threads. */
    public static ThreadContext current() {
        Thread t = Thread.currentThread();
        if (t instanceof KernelThread k) {
            return k.context();
        }
        return EXTERNAL.get();
    }

    /**
     * Forgets what an external thread (a test's) carried over from earlier work: back to
     * PASSIVE_LEVEL, no kernel, no driver. No effect on kernel threads.
     */
    public static void resetExternal() {
        if (!(Thread.currentThread() instanceof KernelThread)) {
            EXTERNAL.remove();
        }
    }

    /** The kernel this thread belongs to, or the last one an external thread called into; may be null. */
    public Kernel kernel() {
        return kernel;
    }

    /** An external thread remembers the last kernel it called into, for reports. */
    public void enter(Kernel k) {
        if (kind == Kind.EXTERNAL) {
            kernel = k;
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The processor number, or -1 when this thread is not a processor. */
    public int processorNumber() {
        return processorNumber;
    }

    public Irql irql() {
        return irql;
    }

    public void setIrql(Irql newIrql) {
        irql = newIrql;
    }

    /** The driver whose code this thread is running, or null. */
    public String driver() {
        return driver;
    }

    /** Sets the running driver and returns the previous one, to restore on the way out. */
    public String enterDriver(String name) {
        String previous = driver;
        driver = name;
        return previous;
    }

    public void leaveDriver(String previous) {
        driver = previous;
    }
}
