package org.ndis4j.examples.vmini;

import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.types.NdisSpinLock;

/**
 * Taking a spin lock in a handler NDIS may call at DISPATCH_LEVEL or below, as its
 * {@code *_DISPATCH_LEVEL} flag says (the WDK's filter sample writes this as FILTER_ACQUIRE_LOCK):
 * NdisDprAcquireSpinLock when the caller is at DISPATCH_LEVEL already, else NdisAcquireSpinLock.
 */
final class VminiLocks {

    private VminiLocks() {}

    /** Acquires {@code lock}. Runs at IRQL &lt;= DISPATCH_LEVEL; {@code atDispatch} says which. */
    static void acquire(NdisSpinLock lock, boolean atDispatch) {
        if (atDispatch) {
            Ndis.dprAcquireSpinLock(lock);
        } else {
            Ndis.acquireSpinLock(lock);
        }
    }

    /** Releases {@code lock}, taken by {@link #acquire} with the same {@code atDispatch}. */
    static void release(NdisSpinLock lock, boolean atDispatch) {
        if (atDispatch) {
            Ndis.dprReleaseSpinLock(lock);
        } else {
            Ndis.releaseSpinLock(lock);
        }
    }
}
