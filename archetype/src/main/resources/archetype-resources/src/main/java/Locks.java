package ${package};

import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.types.NdisSpinLock;

/**
 * Taking a spin lock in a handler NDIS may call at DISPATCH_LEVEL or below, as its
 * {@code *_DISPATCH_LEVEL} flag says: NdisDprAcquireSpinLock when the caller is at DISPATCH_LEVEL
 * already, else NdisAcquireSpinLock.
 */
final class Locks {

    private Locks() {}

    /** Acquires {@code lock}. Runs at IRQL &lt;= DISPATCH_LEVEL; {@code atDispatch} says which. */
    static void acquire(NdisSpinLock lock, boolean atDispatch) {
        if (atDispatch) {
            Ndis.dprAcquireSpinLock(lock);
        } else {
            Ndis.acquireSpinLock(lock);
        }
    }

    /** Releases {@code lock}, taken by {@code acquire} with the same {@code atDispatch}. */
    static void release(NdisSpinLock lock, boolean atDispatch) {
        if (atDispatch) {
            Ndis.dprReleaseSpinLock(lock);
        } else {
            Ndis.releaseSpinLock(lock);
        }
    }
}
