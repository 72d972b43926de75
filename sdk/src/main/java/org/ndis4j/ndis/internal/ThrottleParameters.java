package org.ndis4j.ndis.internal;

import org.ndis4j.ndis.miniport.NdisReceiveThrottleParameters;

/** NDIS's receive throttle parameters: one per processor per interrupt, reused by every DPC there. */
final class ThrottleParameters extends NdisReceiveThrottleParameters {

    /** Before a DPC: MaxNblsToIndicate in, MoreNblsPending cleared. */
    void prepare(int maxNblsToIndicate) {
        reset(maxNblsToIndicate);
    }
}
