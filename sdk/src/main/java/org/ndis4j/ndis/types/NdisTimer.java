package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/**
 * An NDIS timer object (NdisAllocateTimerObject). When it fires, its timer function runs at
 * DISPATCH_LEVEL as a DPC. Opaque; the queries below are for tests and diagnostics.
 */
public abstract class NdisTimer extends NdisHandle {

    protected NdisTimer(Kernel kernel, String name) {
        super(kernel, HandleKind.TIMER, name);
    }

    /** The handle the timer was allocated with. */
    public abstract NdisHandle owner();

    /** True while the timer is set and has not fired (or is periodic). */
    public abstract boolean isSet();
}
