package org.ndis4j.kernel;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A DPC object (KDPC): a routine, its context, and the processor it targets. A DPC that is already
 * in a queue is not queued again ({@link Ke#insertQueueDpc} returns false), as in Windows.
 */
public final class KDpc {

    private final Kernel kernel;
    private final DpcRoutine<Object> routine;
    private final Object deferredContext;
    private final String driver;
    private final AtomicBoolean inserted = new AtomicBoolean();
    private volatile int targetProcessor = -1;
    private Object systemArgument1; // guarded by this
    private Object systemArgument2; // guarded by this
    private long insertion;          // guarded by this: the stamp of the current insertion

    @SuppressWarnings("unchecked")
    <C> KDpc(Kernel kernel, DpcRoutine<C> routine, C deferredContext, String driver) {
        this.kernel = kernel;
        this.routine = (DpcRoutine<Object>) routine;
        this.deferredContext = deferredContext;
        this.driver = driver;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The driver the routine belongs to, for crash reports. */
    public String driver() {
        return driver;
    }

    /** KeSetTargetProcessorDpc; -1 means the processor that queues it. */
    public void setTargetProcessor(int number) {
        if (number < -1 || number >= kernel.processorCount()) {
            throw new IllegalArgumentException("no processor " + number);
        }
        targetProcessor = number;
    }

    public int targetProcessor() {
        return targetProcessor;
    }

    /** True while the DPC sits in a processor's queue. */
    public boolean isInserted() {
        return inserted.get();
    }

    /**
     * Marks the DPC queued and returns the insertion's stamp, or -1 when it is queued already. Only
     * the queue entry with the current stamp may run it: an entry left behind by
     * {@code KeRemoveQueueDpc} (and a re-insert elsewhere) is dead.
     */
    long tryInsert(Object argument1, Object argument2) {
        synchronized (this) {
            if (inserted.get()) {
                return -1;
            }
            systemArgument1 = argument1;
            systemArgument2 = argument2;
            inserted.set(true);
            return ++insertion;
        }
    }

    boolean tryRemove() {
        synchronized (this) {
            return inserted.compareAndSet(true, false);
        }
    }

    /** Called by the processor for the entry stamped {@code stamp}: dequeues and runs the routine. */
    boolean dequeueAndRun(long stamp) {
        Object a1;
        Object a2;
        synchronized (this) {
            if (stamp != insertion || !inserted.compareAndSet(true, false)) {
                return false;
            }
            a1 = systemArgument1;
            a2 = systemArgument2;
        }
        routine.run(this, deferredContext, a1, a2);
        return true;
    }
}
