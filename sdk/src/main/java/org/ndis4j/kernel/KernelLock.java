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
    /** What a spinning contender checks on each turn: made once, not per acquire. */
    private final Runnable aliveCheck;

    KernelLock(Kernel kernel, Scheduler.SeamLock lock) {
        this.kernel = kernel;
        this.lock = lock;
        this.aliveCheck = kernel == null ? KernelLock::nothing : kernel::checkAlive;
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
        lock.spin(aliveCheck);
    }

    /**
     * KeAcquireSpinLock's steps once the caller's checks passed: raises the calling thread to
     * DISPATCH_LEVEL ({@link Ke#raiseIrql}), spins for the lock ({@link #spinLock}) and records that
     * the thread holds {@code holder} ({@link CurrentThread#lockAcquired}), looking the thread up once
     * for all three. A crash ends the spin: the thread is back at {@code old} ({@code KeLowerIrql}) and
     * the crash is thrown.
     */
    public void spinLockAtDispatch(HeldLock holder, Irql old) {
        ThreadContext ctx = ThreadContext.current();
        Ke.raise(ctx, Irql.DISPATCH_LEVEL);
        try {
            lock.spin(aliveCheck);
        } catch (RuntimeException crashed) {
            Ke.lower(ctx, old, "KeLowerIrql");
            throw crashed;
        }
        ctx.lockAcquired(holder);
    }

    /**
     * KeReleaseSpinLock's steps: the thread no longer holds {@code holder} ({@link
     * CurrentThread#lockReleased}), the lock is released, and the thread is lowered to {@code back}
     * ({@link CurrentThread#lowerIrql}, a scheduling point named {@code site} when it crosses below
     * DISPATCH_LEVEL), with one look-up of the thread.
     */
    public void unlockLowering(HeldLock holder, Irql back, String site) {
        ThreadContext ctx = ThreadContext.current();
        ctx.lockReleased(holder);
        lock.unlock();
        Ke.lower(ctx, back, site);
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
