package org.ndis4j.examples.ipstack;

import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.types.NdisEvent;

/**
 * Run-down protection (the kernel's EX_RUNDOWN_REF): callers from outside the driver (hosts using
 * {@link IpInterface}) take a reference for the length of a call; unbind waits until every
 * reference is back and refuses new ones, so that nothing it frees is still in use.
 *
 * <pre>
 *   acquire ─► count+1 (refused once run down) … release ─► count-1 ─► 0 while running down: wake unbind
 *   waitForRundown ─► mark run down ─► wait for count 0
 * </pre>
 */
final class Rundown {

    private static final int RUN_DOWN = 1 << 30;

    private final AtomicInteger state = new AtomicInteger();
    private final NdisEvent released = Ndis.initializeEvent();

    /** ExAcquireRundownProtection: false once the object is being run down. Any IRQL. */
    boolean acquire() {
        while (true) {
            int s = state.get();
            if ((s & RUN_DOWN) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** ExReleaseRundownProtection. Any IRQL. */
    void release() {
        if (state.decrementAndGet() == RUN_DOWN) {
            Ndis.setEvent(released);
        }
    }

    /** ExWaitForRundownProtectionRelease. PASSIVE_LEVEL. False if references were still out after {@code ms}. */
    boolean waitForRundown(int ms) {
        int s = state.getAndAdd(RUN_DOWN);
        return s == 0 || Ndis.waitEvent(released, ms);
    }
}
