package org.ndis4j.kernel.internal;

/**
 * What a scheduler may read about a kernel thread: the kernel's per-thread state, seen through the
 * seam so that this package knows no kernel type. Only the owning thread writes it; a deterministic
 * scheduler reads it while the owner is parked (the handoff of the turn orders the two).
 */
public interface ContextState {

    /** The thread's IRQL as a number (0 PASSIVE, 1 APC, 2 DISPATCH, 5 DIRQL, 15 HIGH). */
    int irqlLevel();

    /** The processor this thread is, or -1 for a thread that is not a processor. */
    int processorNumber();

    /**
     * The machine the thread belongs to (or, for a thread from outside, the one it last entered), as
     * its scheduler numbers machines; -1 for none.
     */
    int machineTag();

    /** The driver whose code the thread runs now, or null; for reports. */
    String driver();

    /**
     * Runs {@code interrupt} nested in what this processor runs now, at the interrupt's IRQL, and
     * returns to it afterwards: an ISR preempting a DPC. Processors only.
     */
    void runPreempting(Runnable interrupt);
}
