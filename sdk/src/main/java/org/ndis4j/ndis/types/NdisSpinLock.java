package org.ndis4j.ndis.types;

/**
 * NDIS_SPIN_LOCK (NdisAllocateSpinLock). Acquiring raises the holder to DISPATCH_LEVEL and remembers
 * the IRQL it came from; releasing restores it. Opaque; the queries below are for tests and
 * diagnostics.
 */
public abstract class NdisSpinLock {

    /** For NDIS's engine, which makes every spin lock. */
    protected NdisSpinLock() {}

    public abstract boolean isHeldByCurrentThread();
}
