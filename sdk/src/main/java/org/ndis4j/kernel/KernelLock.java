package org.ndis4j.kernel;

import org.ndis4j.kernel.internal.Scheduler;
import org.ndis4j.kernel.internal.ThreadedSeamLock;

/**
 * A lock of the machine, whose contenders wait through the kernel's scheduler seam: under the
 * deterministic scheduler a contender is a blocked context, not a spinning or parked thread the
 * scheduler cannot see. NDIS's spin locks, the interrupt lock, the PnP manager's one step at a time
 * and NDIS's status-indication order are made of it ({@link Kernel#newLock}). Not reentrant.
 */
public final class KernelLock {

    /** What the lock protects, which decides how a contender waits. */
    public enum Kind {
        /** A spin lock: holders run at DISPATCH_LEVEL or above, a contender spins on its processor. */
        SPIN,
        /** Held at PASSIVE_LEVEL across waits; a contender blocks. */
        MUTEX,
        /** NDIS's own ordering, held while drivers are called at any IRQL; a contender blocks. */
        ENGINE
    }

    private final Kernel kernel;
    private final Scheduler.SeamLock lock;

    KernelLock(Kernel kernel, Scheduler.SeamLock lock) {
        this.kernel = kernel;
        this.lock = lock;
    }

    /** A spin lock of no machine (made on a thread outside every kernel): a plain threaded lock. */
    public static KernelLock standalone() {
        return new KernelLock(null, new ThreadedSeamLock());
    }

    /** Takes the lock, blocking while another thread holds it. */
    public void lock() {
        lock.lock();
    }

    /**
     * Takes a spin lock, spinning while another thread holds it; a crash of the machine ends the spin
     * (the crash is thrown), so that a deadlock a watchdog reported does not hang the machine's close.
     */
    public void spinLock() {
        lock.spin(kernel == null ? KernelLock::nothing : kernel::checkAlive);
    }

    public boolean tryLock() {
        return lock.tryLock();
    }

    public void unlock() {
        lock.unlock();
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    public boolean isLocked() {
        return lock.isLocked();
    }

    /** True when a thread waits for the lock now. */
    public boolean hasWaiters() {
        return lock.hasWaiters();
    }

    private static void nothing() {}
}
