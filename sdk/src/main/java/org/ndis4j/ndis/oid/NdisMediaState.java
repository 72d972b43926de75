package org.ndis4j.ndis.oid;

/** NDIS_MEDIA_STATE: the ULONG answered for OID_GEN_MEDIA_CONNECT_STATUS. */
public final class NdisMediaState {

    private NdisMediaState() {}

    public static final int NdisMediaStateConnected = 0;
    public static final int NdisMediaStateDisconnected = 1;
}
