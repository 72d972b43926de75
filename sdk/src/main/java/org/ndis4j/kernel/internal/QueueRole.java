package org.ndis4j.kernel.internal;

/** Who takes from a {@link TaskQueue}. */
public enum QueueRole {
    /** One processor: {@link TaskQueue#addFirst} is an interrupt, the rest DPCs. */
    PROCESSOR,
    /** Interchangeable threads of one pool (a system work queue). */
    WORKERS,
    /** The kernel clock or the hardware: one thread that runs scheduler actions. */
    CLOCK
}
