package org.ndis4j.ndis.miniport;

/**
 * NDIS_RECEIVE_THROTTLE_PARAMETERS (receive side throttle, NDIS 6.20): what NDIS hands
 * MiniportInterruptDPC. {@link #maxNblsToIndicate()} is the input, {@link #setMoreNblsPending}
 * the output. Mutable because it is an in/out structure; NDIS reuses one instance per processor
 * (no allocation per DPC), so a driver must not keep it after the DPC returns.
 *
 * <p>When the DPC sets MoreNblsPending, it leaves the device's interrupts disabled and NDIS runs
 * the DPC again on the same processor (unless the interrupt is being deregistered).
 */
public abstract class NdisReceiveThrottleParameters {

    /** NDIS_INDICATE_ALL_NBLS (~0UL): no limit; the driver must then leave MoreNblsPending false. */
    public static final int NDIS_INDICATE_ALL_NBLS = 0xFFFFFFFF;

    private int maxNblsToIndicate;
    private boolean moreNblsPending;

    /** For NDIS's engine, which keeps one per processor. */
    protected NdisReceiveThrottleParameters() {}

    /** For NDIS's engine: MaxNblsToIndicate for the next DPC, and MoreNblsPending cleared. */
    protected final void reset(int max) {
        maxNblsToIndicate = max;
        moreNblsPending = false;
    }

    /** MaxNblsToIndicate: the most NET_BUFFER_LISTs the DPC should indicate, or NDIS_INDICATE_ALL_NBLS. */
    public int maxNblsToIndicate() {
        return maxNblsToIndicate;
    }

    /** True when {@link #maxNblsToIndicate()} is NDIS_INDICATE_ALL_NBLS. */
    public boolean indicateAll() {
        return maxNblsToIndicate == NDIS_INDICATE_ALL_NBLS;
    }

    /** MoreNblsPending: the DPC stopped at the limit and has more receives waiting. */
    public void setMoreNblsPending(boolean more) {
        moreNblsPending = more;
    }

    public boolean moreNblsPending() {
        return moreNblsPending;
    }

    @Override
    public String toString() {
        return "NDIS_RECEIVE_THROTTLE_PARAMETERS[MaxNblsToIndicate="
                + (indicateAll() ? "ALL" : Integer.toUnsignedString(maxNblsToIndicate))
                + ", MoreNblsPending=" + moreNblsPending + "]";
    }
}
