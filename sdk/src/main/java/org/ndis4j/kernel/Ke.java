package org.ndis4j.kernel;

/**
 * Kernel routines a miniport calls (KeXxx → {@code Ke.xxx}). IRQL is per thread; these work on any
 * thread, kernel or not (a test thread runs at PASSIVE_LEVEL until it raises).
 */
public final class Ke {

    private Ke() {}

    /** KeGetCurrentIrql. Any IRQL. */
    public static Irql getCurrentIrql() {
        return ThreadContext.current().irql();
    }

    /**
     * KeRaiseIrql: raises the calling thread's IRQL and returns the old one. Raising to a lower IRQL
     * than the current one is the HAL's bug check IRQL_NOT_GREATER_OR_EQUAL (0x09), parameter 1 = the
     * current IRQL, parameter 2 = the requested one (Driver Verifier's IRQL checking reports the same
     * mistake as 0xC4 / 0x30 with the same two values).
     */
    public static Irql raiseIrql(Irql newIrql) {
        return raise(ThreadContext.current(), newIrql);
    }

    /** {@link #raiseIrql} for a caller that has looked the thread up already. */
    static Irql raise(ThreadContext ctx, Irql newIrql) {
        Irql old = ctx.irql();
        if (old.above(newIrql)) {
            throw fail(
                    ctx,
                    BugCheckCode.IRQL_NOT_GREATER_OR_EQUAL,
                    old,
                    newIrql,
                    "KeRaiseIrql to " + newIrql + " from the higher " + old);
        }
        ctx.setIrql(newIrql);
        return old;
    }

    /**
     * KeLowerIrql: back to {@code newIrql}, which must not be above the current IRQL. Lowering to a
     * higher IRQL is the HAL's bug check IRQL_NOT_LESS_OR_EQUAL (0x0A), parameter 1 = the requested
     * IRQL, parameter 2 = the current one (Driver Verifier: 0xC4 / 0x31).
     */
    public static void lowerIrql(Irql newIrql) {
        lower(newIrql, "KeLowerIrql");
    }

    /**
     * Lowers the calling thread's IRQL; back below DISPATCH_LEVEL, a DPC waiting for its processor
     * may run first, so the crossing is a scheduling point named {@code site}.
     */
    static void lower(Irql newIrql, String site) {
        lower(ThreadContext.current(), newIrql, site);
    }

    /** {@link #lower(Irql, String)} for a caller that has looked the thread up already. */
    static void lower(ThreadContext ctx, Irql newIrql, String site) {
        Irql old = ctx.irql();
        if (newIrql.above(old)) {
            throw fail(
                    ctx,
                    BugCheckCode.IRQL_NOT_LESS_OR_EQUAL,
                    newIrql,
                    old,
                    "KeLowerIrql to " + newIrql + " from the lower " + old);
        }
        ctx.setIrql(newIrql);
        if (Irql.DISPATCH_LEVEL.above(newIrql) && !Irql.DISPATCH_LEVEL.above(old)) {
            Kernel kernel = ctx.kernel();
            if (kernel != null) {
                kernel.switchPoint(site);
            }
        }
    }

    /** KeRaiseIrqlToDpcLevel. */
    public static Irql raiseIrqlToDpcLevel() {
        return raiseIrql(Irql.DISPATCH_LEVEL);
    }

    /** KeGetCurrentProcessorNumber: the processor, or 0 on a thread that is not one. */
    public static int getCurrentProcessorNumber() {
        return Math.max(0, ThreadContext.current().processorNumber());
    }

    /** KeInsertQueueDpc: queues the DPC; false when it is already queued. Any IRQL. */
    public static boolean insertQueueDpc(KDpc dpc, Object systemArgument1, Object systemArgument2) {
        boolean queued = dpc.kernel().insertQueueDpc(dpc, systemArgument1, systemArgument2);
        dpc.kernel().switchPoint("KeInsertQueueDpc:queued"); // the DPC may run now
        return queued;
    }

    /** KeRemoveQueueDpc: takes a queued DPC out; false when it was not queued. Any IRQL. */
    public static boolean removeQueueDpc(KDpc dpc) {
        return dpc.tryRemove();
    }

    /** KeSetTargetProcessorDpc. */
    public static void setTargetProcessorDpc(KDpc dpc, int number) {
        dpc.setTargetProcessor(number);
    }

    /**
     * KeBugCheckEx, from a driver: stops {@code kernel} with the driver's own stop code and four
     * parameters, and returns the exception the driver throws to unwind. Any IRQL.
     */
    public static BugCheckException bugCheckEx(Kernel kernel, long code, long p1, long p2, long p3, long p4) {
        BugCheckCode stop = BugCheckCode.of((int) code);
        return kernel.bugCheck(
                stop, p1, p2, p3, p4, null, String.format("KeBugCheckEx(%s) called by the driver", stop.hex()));
    }

    private static BugCheckException fail(
            ThreadContext ctx, BugCheckCode code, Irql first, Irql second, String message) {
        Kernel kernel = ctx.kernel();
        if (kernel != null) {
            return kernel.bugCheck(code, first.level(), second.level(), 0, 0, null, message);
        }
        // A thread that never entered a kernel: there is no machine to stop, only the caller.
        throw new IllegalStateException(code + ": " + message);
    }
}
