package org.ndis4j.ndis;

import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.internal.Scheduler;

/** NDIS_EVENT: a notification event, waited on at PASSIVE_LEVEL. */
public final class NdisEvent {

    final Kernel kernel;
    final Scheduler.Waitable waitable;

    NdisEvent(Kernel kernel) {
        this.kernel = kernel;
        this.waitable = kernel.scheduler().newEvent(false);
    }

    public boolean isSignaled() {
        return waitable.isSet();
    }
}
