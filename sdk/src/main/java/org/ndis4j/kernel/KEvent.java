package org.ndis4j.kernel;

import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.TimeoutKind;

/**
 * A notification event (KEVENT): once set it stays set until reset, and every waiter wakes. Made by
 * {@link Kernel#initializeEvent}; waiting goes through the kernel's scheduler, so a deterministic
 * scheduler can see it.
 */
public final class KEvent {

    private final Kernel kernel;
    private final Scheduler.Waitable waitable;

    KEvent(Kernel kernel, Scheduler.Waitable waitable) {
        this.kernel = kernel;
        this.waitable = waitable;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** KeSetEvent. Any IRQL up to DISPATCH_LEVEL. */
    public void set() {
        waitable.set();
    }

    /** KeClearEvent. */
    public void reset() {
        waitable.reset();
    }

    /** KeReadStateEvent. */
    public boolean isSet() {
        return waitable.isSet();
    }

    /**
     * Waits until the event is set or {@code timeoutNanos} of kernel time pass (negative: forever).
     * True when it was set. PASSIVE_LEVEL only; the caller checks.
     */
    public boolean await(long timeoutNanos) throws InterruptedException {
        return waitable.await(null, timeoutNanos, TimeoutKind.WORK);
    }

    /** The same, saying what the time-out means ({@link WaitKind}). */
    public boolean await(long timeoutNanos, WaitKind kind) throws InterruptedException {
        return waitable.await(null, timeoutNanos, Kernel.timeoutKind(kind));
    }

    /** The same, naming what is waited for (a deterministic scheduler's deadlock report shows it). */
    boolean await(String what, long timeoutNanos, WaitKind kind) throws InterruptedException {
        return waitable.await(what, timeoutNanos, Kernel.timeoutKind(kind));
    }
}
