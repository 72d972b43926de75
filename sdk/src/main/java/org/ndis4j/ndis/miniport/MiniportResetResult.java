package org.ndis4j.ndis.miniport;

import org.ndis4j.ndis.types.NdisStatus;

/**
 * What MiniportResetEx returns: its NDIS_STATUS and its out-parameter AddressingReset.
 *
 * @param status          SUCCESS (or SOFT_ERRORS): the adapter is operational again; HARD_ERRORS: the
 *                        reset failed; RESET_IN_PROGRESS: a reset runs already; PENDING: the driver
 *                        finishes later with {@code NdisM.resetComplete}
 * @param addressingReset TRUE when NDIS is to restore the packet filter and the multicast list
 *                        through MiniportOidRequest after the reset (the hardware forgot them);
 *                        ignored with PENDING (NdisMResetComplete carries it then)
 */
public record MiniportResetResult(NdisStatus status, boolean addressingReset) {

    public MiniportResetResult {
        if (status == null) {
            throw new IllegalArgumentException("MiniportResetEx returns an NDIS_STATUS");
        }
    }

    /** The driver completes the reset later with NdisMResetComplete. */
    public static MiniportResetResult pending() {
        return new MiniportResetResult(NdisStatus.PENDING, false);
    }

    /** The reset is done, with {@code status}; {@code addressingReset} as the out-parameter. */
    public static MiniportResetResult completed(NdisStatus status, boolean addressingReset) {
        return new MiniportResetResult(status, addressingReset);
    }
}
