package org.ndis4j.ndis.miniport;

/** NDIS_DEVICE_PNP_EVENT, in ndis.h order (the ordinal is the C value). */
public enum NdisDevicePnPEvent {
    NdisDevicePnPEventQueryRemoved,
    NdisDevicePnPEventRemoved,
    /** The NIC was removed without warning: stop touching the hardware; halt follows. */
    NdisDevicePnPEventSurpriseRemoved,
    NdisDevicePnPEventQueryStopped,
    NdisDevicePnPEventStopped,
    NdisDevicePnPEventPowerProfileChanged,
    NdisDevicePnPEventFilterListChanged;

    /** The value ndis.h gives it. */
    public int value() {
        return ordinal();
    }
}
