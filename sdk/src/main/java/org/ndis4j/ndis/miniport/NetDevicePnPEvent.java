package org.ndis4j.ndis.miniport;

/**
 * NET_DEVICE_PNP_EVENT: what MiniportDevicePnPEventNotify is told.
 *
 * @param portNumber        the NDIS port the event is about; 0 when it is not port-specific
 * @param devicePnPEvent    the event
 * @param informationBuffer the event's data (a ULONG NDIS_POWER_PROFILE for a power profile change);
 *                          null for a surprise removal, as NDIS passes NULL
 */
public record NetDevicePnPEvent(int portNumber, NdisDevicePnPEvent devicePnPEvent, byte[] informationBuffer) {

    public NetDevicePnPEvent {
        if (devicePnPEvent == null) {
            throw new IllegalArgumentException("a device PnP event needs its event code");
        }
    }

    /** NdisDevicePnPEventSurpriseRemoved on the default port, no information buffer. */
    public static NetDevicePnPEvent surpriseRemoved() {
        return new NetDevicePnPEvent(0, NdisDevicePnPEvent.NdisDevicePnPEventSurpriseRemoved, null);
    }
}
