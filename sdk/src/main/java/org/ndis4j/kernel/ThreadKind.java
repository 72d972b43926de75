package org.ndis4j.kernel;

/** What a thread is to the simulated machine. */
public enum ThreadKind {
    /** A processor: runs ISRs at DIRQL and DPCs at DISPATCH_LEVEL. */
    PROCESSOR,
    /** A system worker thread at PASSIVE_LEVEL. */
    WORKER,
    /** The clock: fires timers (it only queues their DPCs). */
    CLOCK,
    /** A thread the kernel did not create (a test, a tool's main thread): PASSIVE_LEVEL. */
    EXTERNAL
}
