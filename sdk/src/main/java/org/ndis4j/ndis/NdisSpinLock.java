package org.ndis4j.ndis;

import java.util.concurrent.locks.ReentrantLock;
import org.ndis4j.kernel.Irql;

/**
 * NDIS_SPIN_LOCK. Acquiring raises the holder to DISPATCH_LEVEL and remembers the IRQL it came
 * from (the OldIrql field of the C structure); releasing restores it.
 */
public final class NdisSpinLock {

    /** The lock itself; reentrancy is refused by the verifier before it could happen. */
    final ReentrantLock lock = new ReentrantLock();
    /** The holder's IRQL before it acquired; written and read only by the holder. */
    Irql oldIrql = Irql.PASSIVE_LEVEL;

    /** The kernel whose crash ends a spin on this lock; null for a lock made outside any kernel. */
    final org.ndis4j.kernel.Kernel kernel;

    NdisSpinLock(org.ndis4j.kernel.Kernel kernel) {
        this.kernel = kernel;
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    public boolean isLocked() {
        return lock.isLocked();
    }
}
