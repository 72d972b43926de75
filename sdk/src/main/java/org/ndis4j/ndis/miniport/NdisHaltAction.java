package org.ndis4j.ndis.miniport;

/** NDIS_HALT_ACTION: why MiniportHaltEx is called. */
public enum NdisHaltAction {
    NdisHaltDeviceDisabled,
    NdisHaltDeviceInstanceDeInitialized,
    NdisHaltDevicePoweredDown,
    NdisHaltDeviceSurpriseRemoved,
    NdisHaltDeviceFailed,
    NdisHaltDeviceInitializationFailed,
    NdisHaltDeviceStopped
}
