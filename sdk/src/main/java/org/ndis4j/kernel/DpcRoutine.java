package org.ndis4j.kernel;

/**
 * A deferred routine (KDEFERRED_ROUTINE). Runs at DISPATCH_LEVEL on a processor.
 *
 * @param <C> the deferred context the DPC was initialized with
 */
@FunctionalInterface
public interface DpcRoutine<C> {

    /** Runs at IRQL = DISPATCH_LEVEL. */
    void run(KDpc dpc, C deferredContext, Object systemArgument1, Object systemArgument2);
}
