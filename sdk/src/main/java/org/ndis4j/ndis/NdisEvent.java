package org.ndis4j.ndis;

import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;

/** NDIS_EVENT: a notification event, waited on at PASSIVE_LEVEL. */
public final class NdisEvent {

    final Kernel kernel;
    final KEvent event;

    NdisEvent(Kernel kernel) {
        this.kernel = kernel;
        this.event = kernel.initializeEvent(false);
    }

    public boolean isSignaled() {
        return event.isSet();
    }
}
