package org.ndis4j.ndis.types;

/** NDIS_MEDIA_CONNECT_STATE. */
public enum MediaConnectState {
    MediaConnectStateUnknown,
    MediaConnectStateConnected,
    MediaConnectStateDisconnected
}
