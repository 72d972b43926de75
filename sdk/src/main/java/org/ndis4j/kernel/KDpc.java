package org.ndis4j.kernel;

/**
 * A DPC object (KDPC): a routine, its context, and the processor it targets. A DPC that is already
 * in a queue is not queued again ({@link Ke#insertQueueDpc} returns false), as in Windows.
 */
public final class KDpc {

    private final Kernel kernel;
    private final DpcRoutine<Object> routine;
    private final Object deferredContext;
    private final String driver;
    private volatile int targetProcessor = -1;
    /** The DPC's one queue entry, made once: queuing a DPC allocates nothing. */
    private final ProcessorTask entry = new ProcessorTask() {
        @Override
        public Irql irql() {
            return Irql.DISPATCH_LEVEL;
        }

        @Override
        public String driver() {
            return driver;
        }

        @Override
        public void run() {
            dequeueAndRun(ThreadContext.current().processorNumber());
        }
    };

    private volatile boolean inserted; // written under this
    private int queuedOn = -1; // guarded by this: the processor of the current insertion
    private Object systemArgument1; // guarded by this
    private Object systemArgument2; // guarded by this

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
        return inserted;
    }

    /** The entry a processor queues for this DPC. */
    ProcessorTask entry() {
        return entry;
    }

    /**
     * Marks the DPC queued on {@code processor}; false when it is queued already. A queue entry only
     * runs the DPC on the processor of the current insertion: an entry left behind by
     * {@code KeRemoveQueueDpc} and a re-insert elsewhere does nothing.
     */
    synchronized boolean tryInsert(Object argument1, Object argument2, int processor) {
        if (inserted) {
            return false;
        }
        systemArgument1 = argument1;
        systemArgument2 = argument2;
        queuedOn = processor;
        inserted = true;
        return true;
    }

    synchronized boolean tryRemove() {
        if (!inserted) {
            return false;
        }
        inserted = false;
        return true;
    }

    /** On processor {@code processor}: dequeues and runs the routine if this insertion is its. */
    private void dequeueAndRun(int processor) {
        Object a1;
        Object a2;
        synchronized (this) {
            if (!inserted || queuedOn != processor) {
                return;
            }
            inserted = false;
            a1 = systemArgument1;
            a2 = systemArgument2;
        }
        routine.run(this, deferredContext, a1, a2);
    }
}
