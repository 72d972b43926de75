package org.ndis4j.ndis.types;

/**
 * NDIS_LINK_STATE: the payload of an NDIS_STATUS_LINK_STATE indication and of OID_GEN_LINK_STATE.
 *
 * @param mediaConnectState connected, disconnected or unknown
 * @param mediaDuplexState  half, full or unknown
 * @param xmitLinkSpeed     bits per second, or {@link #UNKNOWN_SPEED}
 * @param rcvLinkSpeed      bits per second, or {@link #UNKNOWN_SPEED}
 */
public record NdisLinkState(
        MediaConnectState mediaConnectState, MediaDuplexState mediaDuplexState, long xmitLinkSpeed, long rcvLinkSpeed) {

    /** NDIS_LINK_SPEED_UNKNOWN. */
    public static final long UNKNOWN_SPEED = -1L;

    public NdisLinkState {
        if (mediaConnectState == null || mediaDuplexState == null) {
            throw new IllegalArgumentException("connect and duplex state are required");
        }
    }

    /** Connected, full duplex, at {@code bitsPerSecond} both ways. */
    public static NdisLinkState connected(long bitsPerSecond) {
        return new NdisLinkState(
                MediaConnectState.MediaConnectStateConnected,
                MediaDuplexState.MediaDuplexStateFull,
                bitsPerSecond,
                bitsPerSecond);
    }

    /** Disconnected, speeds unknown. */
    public static NdisLinkState disconnected() {
        return new NdisLinkState(
                MediaConnectState.MediaConnectStateDisconnected,
                MediaDuplexState.MediaDuplexStateUnknown,
                UNKNOWN_SPEED,
                UNKNOWN_SPEED);
    }

    public boolean isConnected() {
        return mediaConnectState == MediaConnectState.MediaConnectStateConnected;
    }
}
