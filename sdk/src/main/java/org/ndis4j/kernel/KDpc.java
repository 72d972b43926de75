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
    private volatile Object systemArgument1;
    private volatile Object systemArgument2;

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

    boolean tryInsert(Object argument1, Object argument2) {
        if (!inserted.compareAndSet(false, true)) {
            return false;
        }
        systemArgument1 = argument1;
        systemArgument2 = argument2;
        return true;
    }

    boolean tryRemove() {
        return inserted.compareAndSet(true, false);
    }

    /** Called by the processor: dequeues and runs the routine. False if it was removed meanwhile. */
    boolean dequeueAndRun() {
        if (!inserted.compareAndSet(true, false)) {
            return false;
        }
        routine.run(this, deferredContext, systemArgument1, systemArgument2);
        return true;
    }
}
