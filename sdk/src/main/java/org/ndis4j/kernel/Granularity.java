package org.ndis4j.kernel;

/** Where a deterministic run may switch contexts. */
public enum Granularity {
    /** At every scheduling point, at any IRQL: an ISR may preempt a DPC at one of its NDIS calls. */
    NDIS_CALL,
    /**
     * At DISPATCH_LEVEL and above a point switches nothing (unless the context must wait): DPCs, ISRs
     * and spin-locked regions run to completion. Fewer steps; misses races inside DPCs.
     */
    DISPATCH_ATOMIC
}
