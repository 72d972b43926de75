package org.ndis4j.ndis.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.HeldLock;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelLock;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.verifier.AllocationSites;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's spin lock. Acquiring raises the holder to DISPATCH_LEVEL and remembers the IRQL it came
 * from (the OldIrql field of the C structure); releasing restores it. A lock may be made on a thread
 * that belongs to no kernel (a test's, before it entered one): its rule violations are then
 * exceptions, as there is no machine to stop.
 *
 * <p>The holder's thread knows it holds the lock ({@link CurrentThread#lockAcquired}): an ISR, DPC
 * or work item routine that returns with it still held breaks rule SpinLock (the SDV rule: the lock
 * is released before the routine that took it exits), and the report says where it was acquired.
 */
public final class SpinLock extends NdisSpinLock implements HeldLock {

    /** Numbers the locks made outside every kernel (a kernel numbers its own). */
    private static final AtomicInteger STANDALONE_NUMBERS = new AtomicInteger();

    /**
     * The lock itself, through the kernel's scheduler seam (a contender spins on its processor);
     * reentrancy is refused by the verifier before it could happen.
     */
    private final KernelLock lock;
    /** The holder's IRQL before it acquired; written and read only by the holder. */
    private Irql oldIrql = Irql.PASSIVE_LEVEL;

    /** The kernel whose crash ends a spin on this lock; null for a lock made outside any kernel. */
    private final Kernel kernel;

    private final int number;
    /** Where the lock was made, when the kernel records allocation stacks. */
    private final List<String> allocatedAt;
    /** Where the holder acquired it (written and read by the holder), when stacks are recorded. */
    private List<String> acquiredAt = List.of();

    private SpinLock(Kernel kernel) {
        this.kernel = kernel;
        this.number = kernel == null ? STANDALONE_NUMBERS.incrementAndGet() : kernel.newObjectNumber();
        this.lock = kernel == null
                ? KernelLock.standalone()
                : kernel.newLock("NDIS_SPIN_LOCK#" + number, KernelLock.Kind.SPIN);
        this.allocatedAt = kernel == null ? List.of() : AllocationSites.capture(kernel);
    }

    /** NdisAllocateSpinLock: a lock of the calling thread's kernel, if it has one. */
    public static SpinLock allocate() {
        return new SpinLock(CurrentThread.kernel());
    }

    /** The engine's lock behind {@code spinLock}; one NDIS did not allocate is Handle_Invalid. */
    public static SpinLock of(NdisSpinLock spinLock, String function) {
        if (spinLock instanceof SpinLock s) {
            return s;
        }
        throw violationHere(Rule.Handle_Invalid, function + " with a spin lock NdisAllocateSpinLock did not make");
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** NdisFreeSpinLock. The lock must not be held. */
    public void free() {
        if (lock.isLocked()) {
            throw violationHere(Rule.SpinLock, "NdisFreeSpinLock on " + this + ", which is held");
        }
    }

    /** NdisAcquireSpinLock. IRQL &lt;= DISPATCH_LEVEL; raises to DISPATCH_LEVEL. */
    public void acquire() {
        Irql old = Ke.getCurrentIrql();
        if (old.above(Irql.DISPATCH_LEVEL)) {
            throw irqlViolationHere(Rule.Irql_Synch_Function, Irql.DISPATCH_LEVEL, "NdisAcquireSpinLock");
        }
        take("NdisAcquireSpinLock", old);
        oldIrql = old;
    }

    /** NdisReleaseSpinLock: releases and returns to the IRQL the holder came from. */
    public void release() {
        if (Ke.getCurrentIrql() != Irql.DISPATCH_LEVEL) {
            throw irqlViolationHere(Rule.Irql_Synch_Function, Irql.DISPATCH_LEVEL, "NdisReleaseSpinLock");
        }
        Irql back = oldIrql;
        checkHeld("NdisReleaseSpinLock");
        acquiredAt = List.of();
        // Back below DISPATCH_LEVEL, a DPC waiting for this processor may run first: the lowering
        // is the scheduling point (NDIS_CALL granularity), named after this call.
        lock.unlockLowering(this, back, "NdisReleaseSpinLock");
        if (back == Irql.DISPATCH_LEVEL) {
            switchPoint("NdisReleaseSpinLock");
        }
    }

    /** NdisDprAcquireSpinLock. IRQL = DISPATCH_LEVEL (a DPC, or code that already raised). */
    public void dprAcquire() {
        if (Ke.getCurrentIrql() != Irql.DISPATCH_LEVEL) {
            throw irqlViolationHere(Rule.Irql_Synch_Function, Irql.DISPATCH_LEVEL, "NdisDprAcquireSpinLock");
        }
        take("NdisDprAcquireSpinLock", Irql.DISPATCH_LEVEL);
        oldIrql = Irql.DISPATCH_LEVEL;
    }

    /** NdisDprReleaseSpinLock. IRQL = DISPATCH_LEVEL. */
    public void dprRelease() {
        if (Ke.getCurrentIrql() != Irql.DISPATCH_LEVEL) {
            throw irqlViolationHere(Rule.Irql_Synch_Function, Irql.DISPATCH_LEVEL, "NdisDprReleaseSpinLock");
        }
        give("NdisDprReleaseSpinLock");
        switchPoint("NdisDprReleaseSpinLock"); // a contender may take it now
    }

    /**
     * Raises to DISPATCH_LEVEL first, as KeAcquireSpinLock does, so that a contender spins on its
     * processor; a crash of the machine ends the spin and the caller is back at {@code old}.
     */
    private void take(String function, Irql old) {
        if (lock.isHeldByCurrentThread()) {
            // On a real machine the processor would spin forever on its own lock.
            throw violationHere(
                    Rule.SpinLock,
                    function + " on " + this + ", which this thread already holds (deadlock)",
                    AllocationSites.of(this + " acquired", acquiredAt));
        }
        Kernel machine = kernel != null ? kernel : CurrentThread.kernel();
        switchPoint(function); // before: another context may take the lock first
        lock.spinLockAtDispatch(this, old); // raise, spin, and the thread holds it (or back at old)
        if (machine != null) {
            acquiredAt = AllocationSites.capture(machine);
        }
    }

    private void switchPoint(String function) {
        Kernel machine = kernel != null ? kernel : CurrentThread.kernel();
        if (machine != null) {
            machine.switchPoint(function);
        }
    }

    private void give(String function) {
        checkHeld(function);
        CurrentThread.lockReleased(this);
        acquiredAt = List.of();
        lock.unlock();
    }

    private void checkHeld(String function) {
        if (!lock.isHeldByCurrentThread()) {
            throw violationHere(Rule.SpinLock, function + " on " + this + ", which this thread does not hold");
        }
    }

    /** An ISR, DPC or work item routine returned holding this lock: rule SpinLock, parameter 2 = 1. */
    @Override
    public BugCheckException heldAtReturn(String routine) {
        Kernel machine = CurrentThread.kernel();
        return Verifier.violation(
                machine,
                Rule.SpinLock,
                1,
                0,
                routine + " returned holding " + this + "; a spin lock is released before the routine that took "
                        + "it returns (the next acquirer would spin forever)",
                AllocationSites.of(this + " acquired", acquiredAt),
                AllocationSites.of(this, allocatedAt));
    }

    @Override
    public String toString() {
        return "NDIS_SPIN_LOCK#" + number;
    }

    private static RuntimeException violationHere(Rule rule, String message, AllocationSite... sites) {
        Kernel kernel = CurrentThread.kernel();
        if (kernel == null) {
            return new IllegalStateException(rule + ": " + message);
        }
        return Verifier.violation(kernel, rule, 0, 0, message, sites);
    }

    private static RuntimeException irqlViolationHere(Rule rule, Irql required, String function) {
        Kernel kernel = CurrentThread.kernel();
        Irql irql = Ke.getCurrentIrql();
        String message = function + " called at " + irql + "; it requires " + required;
        if (kernel == null) {
            return new IllegalStateException(rule + ": " + message);
        }
        return Verifier.violation(kernel, rule, irql.level(), required.level(), message);
    }
}
