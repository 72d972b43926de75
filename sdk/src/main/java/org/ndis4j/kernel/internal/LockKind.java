package org.ndis4j.kernel.internal;

/** What a {@link Scheduler.SeamLock} protects, which decides how a contender waits. */
public enum LockKind {
    /**
     * A spin lock: its holder runs at DISPATCH_LEVEL or above and a contender spins, keeping its
     * processor (NDIS spin locks, the interrupt lock).
     */
    SPIN,
    /** A lock held at PASSIVE_LEVEL across waits; a contender blocks (the PnP manager's one step at a time). */
    MUTEX,
    /**
     * NDIS's own ordering lock, taken at any IRQL without raising and held while drivers are called;
     * a contender blocks, and its holder may run whatever the processor rules say until it lets go.
     */
    ENGINE
}
