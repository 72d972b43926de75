package org.ndis4j.ndis.oid;

import org.ndis4j.ndis.types.MediaConnectState;
import org.ndis4j.ndis.types.MediaDuplexState;
import org.ndis4j.ndis.types.NdisLinkState;

/**
 * The bytes of NDIS_LINK_STATE (revision 1, 40 bytes): the payload of OID_GEN_LINK_STATE and of an
 * NDIS_STATUS_LINK_STATE indication. {@link NdisLinkState} is the Java value.
 *
 * <pre>
 *   0x00  NDIS_OBJECT_HEADER   Type 0x80 (DEFAULT), Revision 1, Size 40
 *   0x04  ULONG   MediaConnectState    0 unknown, 1 connected, 2 disconnected
 *   0x08  ULONG   MediaDuplexState     0 unknown, 1 half, 2 full
 *   0x0C  (4 bytes padding: the ULONG64 below is 8-aligned)
 *   0x10  ULONG64 XmitLinkSpeed        bits/s; NDIS_LINK_SPEED_UNKNOWN = 0xFFFFFFFFFFFFFFFF
 *   0x18  ULONG64 RcvLinkSpeed
 *   0x20  ULONG   PauseFunctions       written 0 (NdisPauseFunctionsUnsupported)
 *   0x24  ULONG   AutoNegotiationFlags written 0
 * </pre>
 */
public final class NdisLinkStatePayload {

    /** NDIS_LINK_STATE_REVISION_1. */
    public static final int REVISION_1 = 1;
    /** NDIS_SIZEOF_LINK_STATE_REVISION_1. */
    public static final int SIZE = 40;

    private NdisLinkStatePayload() {}

    public static byte[] encode(NdisLinkState state) {
        byte[] b = new byte[SIZE];
        new NdisObjectHeader(NdisObjectHeader.NDIS_OBJECT_TYPE_DEFAULT, REVISION_1, SIZE).encode(b, 0);
        LittleEndian.putInt(b, 0x04, state.mediaConnectState().ordinal());
        LittleEndian.putInt(b, 0x08, state.mediaDuplexState().ordinal());
        LittleEndian.putLong(b, 0x10, state.xmitLinkSpeed());
        LittleEndian.putLong(b, 0x18, state.rcvLinkSpeed());
        return b;
    }

    /** Decodes a revision-1 NDIS_LINK_STATE; PauseFunctions and AutoNegotiationFlags are not kept. */
    public static NdisLinkState decode(byte[] b) {
        NdisObjectHeader header = NdisObjectHeader.decode(b, 0);
        if (header.revision() < REVISION_1 || header.size() < SIZE || b.length < SIZE) {
            throw new IllegalArgumentException(
                    "not an NDIS_LINK_STATE revision 1: " + header + ", " + b.length + " bytes");
        }
        int connect = LittleEndian.getInt(b, 0x04);
        int duplex = LittleEndian.getInt(b, 0x08);
        if (connect < 0
                || connect >= MediaConnectState.values().length
                || duplex < 0
                || duplex >= MediaDuplexState.values().length) {
            throw new IllegalArgumentException("NDIS_LINK_STATE with connect state " + connect + ", duplex " + duplex);
        }
        return new NdisLinkState(
                MediaConnectState.values()[connect],
                MediaDuplexState.values()[duplex],
                LittleEndian.getLong(b, 0x10),
                LittleEndian.getLong(b, 0x18));
    }
}
