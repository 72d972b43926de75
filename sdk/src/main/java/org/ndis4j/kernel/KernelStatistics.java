package org.ndis4j.kernel;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.ndis4j.kernel.internal.KernelThread;

/**
 * What one machine ran, counted as it ran (as a performance monitor counts interrupts, DPCs and
 * work items per processor): ISRs at DIRQL, DPCs at DISPATCH_LEVEL (interrupt DPCs and timer DPCs
 * alike), and routines run by the system worker threads of each work queue (NDIS I/O work items go
 * to CriticalWorkQueue; PnP steps and OID requests NDIS hands a miniport, to DelayedWorkQueue).
 * Counting costs one uncontended add; nothing is allocated.
 *
 * <p>A host may also {@link #observe} each routine as it starts (a demo shows a path this way); the
 * observer runs on the processor or worker thread, at the routine's IRQL, and must not block.
 */
public final class KernelStatistics {

    /** What ran a routine. */
    public enum RoutineKind {
        ISR,
        DPC,
        WORK_ITEM
    }

    /**
     * One routine, as it started.
     *
     * @param kind   an ISR, a DPC (timer DPCs included) or a worker routine
     * @param driver the driver whose code it is (null for the kernel's own)
     * @param irql   the IRQL it runs at
     * @param thread the processor's or worker's thread name; for an interrupt (and its DPCs) that a thread
     *               from outside the kernel runs as an idle processor, "THREAD as PROCESSOR-THREAD"
     *               (docs/kernel.md, "Interrupts on the raising thread")
     * @param nanos  the kernel clock then
     */
    public record Routine(RoutineKind kind, String driver, Irql irql, String thread, long nanos) {}

    private volatile Consumer<Routine> observer;

    private final LongAdder interruptServiceRoutines = new LongAdder();
    private final LongAdder deferredProcedureCalls = new LongAdder();
    private final LongAdder criticalWorkItems = new LongAdder();
    private final LongAdder delayedWorkItems = new LongAdder();

    private final Kernel kernel;

    KernelStatistics(Kernel kernel) {
        this.kernel = kernel;
    }

    void processorRan(Irql irql, String driver) {
        boolean isr = irql.above(Irql.DISPATCH_LEVEL);
        (isr ? interruptServiceRoutines : deferredProcedureCalls).increment();
        Consumer<Routine> o = observer;
        if (o != null) {
            o.accept(new Routine(
                    isr ? RoutineKind.ISR : RoutineKind.DPC, driver, irql, threadName(), kernel.nanoTime()));
        }
    }

    void workerRan(WorkQueueType type, String driver) {
        (type == WorkQueueType.CriticalWorkQueue ? criticalWorkItems : delayedWorkItems).increment();
        Consumer<Routine> o = observer;
        if (o != null) {
            o.accept(new Routine(RoutineKind.WORK_ITEM, driver, Irql.PASSIVE_LEVEL, threadName(), kernel.nanoTime()));
        }
    }

    private String threadName() {
        Thread t = Thread.currentThread();
        if (t instanceof KernelThread) {
            return t.getName();
        }
        int processor = ThreadContext.current().processorNumber();
        return processor < 0 ? t.getName() : t.getName() + " as " + kernel.name() + "-cpu" + processor;
    }

    /** Hears every routine as it starts, or nothing again with null. Any thread. */
    public void observe(Consumer<Routine> routineObserver) {
        observer = routineObserver;
    }

    /** ISRs run (at DIRQL, on a processor). */
    public long interruptServiceRoutines() {
        return interruptServiceRoutines.sum();
    }

    /** DPCs run (at DISPATCH_LEVEL, on a processor): interrupt DPCs, queued DPCs and timer functions. */
    public long deferredProcedureCalls() {
        return deferredProcedureCalls.sum();
    }

    /** Routines the system worker threads of {@code type} ran. */
    public long workItems(WorkQueueType type) {
        return (type == WorkQueueType.CriticalWorkQueue ? criticalWorkItems : delayedWorkItems).sum();
    }

    @Override
    public String toString() {
        return "ISRs " + interruptServiceRoutines() + ", DPCs " + deferredProcedureCalls() + ", work items "
                + workItems(WorkQueueType.CriticalWorkQueue) + " critical / "
                + workItems(WorkQueueType.DelayedWorkQueue)
                + " delayed";
    }
}
