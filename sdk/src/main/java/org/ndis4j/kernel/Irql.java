package org.ndis4j.kernel;

/**
 * Interrupt request levels, as x64 Windows numbers them. A thread's IRQL says what may preempt it
 * and which kernel and NDIS functions it may call.
 */
public enum Irql {
    /** Threads: worker routines, MiniportInitializeEx, OID requests. May wait and sleep. */
    PASSIVE_LEVEL(0),
    /** Asynchronous procedure calls; not used by miniports but part of the order. */
    APC_LEVEL(1),
    /** DPCs, timer routines, code holding a spin lock. Must not wait. */
    DISPATCH_LEVEL(2),
    /** Device IRQL: interrupt service routines and SynchronizeWithInterrupt callbacks. */
    DIRQL(5),
    /** Everything masked. */
    HIGH_LEVEL(15);

    private final int level;

    Irql(int level) {
        this.level = level;
    }

    /** The numeric IRQL, as a crash dump shows it. */
    public int level() {
        return level;
    }

    /** True when this IRQL is higher than {@code other}. */
    public boolean above(Irql other) {
        return level > other.level;
    }
}
