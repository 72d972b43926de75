package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/**
 * NdisInterruptHandle: a line-based interrupt registered with {@code NdisM.registerInterruptEx}; it
 * connects the device's interrupt line to the miniport's interrupt handlers. Opaque; the counters
 * below are for tests and diagnostics. How delivery, coalescing and deregistration work:
 * docs/kernel.md.
 */
public abstract class NdisInterrupt extends NdisHandle {

    /** MaxNblsToIndicate NDIS passes MiniportInterruptDPC (ndis4j's fixed choice; Windows tunes it). */
    public static final int MAX_NBLS_TO_INDICATE = 64;

    protected NdisInterrupt(Kernel kernel, String name) {
        super(kernel, HandleKind.INTERRUPT, name);
    }

    /** The adapter the interrupt was registered for. */
    public abstract NdisMiniportAdapterHandle adapterHandle();

    /** True until NdisMDeregisterInterruptEx starts. */
    public abstract boolean isRegistered();

    /** True while NdisMDeregisterInterruptEx waits for an ISR or DPC of this interrupt. */
    public abstract boolean isDeregistrationWaiting();

    /** True while a MiniportInterrupt waits for the interrupt lock a synchronize function holds. */
    public abstract boolean isIsrWaitingForLock();

    /** How many times MiniportInterrupt ran. */
    public abstract long interruptsServiced();

    /** How many times MiniportInterrupt answered "not recognized" (not this device's interrupt). */
    public abstract long interruptsNotRecognized();

    /** Raises folded into an ISR that was already requested (level-triggered semantics). */
    public abstract long raisesCoalesced();

    /** How many times MiniportInterruptDPC ran. */
    public abstract long dpcsRun();
}
