package org.ndis4j.ndis.oid;

/**
 * NDIS_LINK_SPEED: the 16-byte payload of OID_GEN_MAX_LINK_SPEED.
 *
 * <pre>
 *   0x00  ULONG64 XmitLinkSpeed   bits/s
 *   0x08  ULONG64 RcvLinkSpeed    bits/s
 * </pre>
 *
 * @param xmitLinkSpeed bits per second
 * @param rcvLinkSpeed  bits per second
 */
public record NdisLinkSpeed(long xmitLinkSpeed, long rcvLinkSpeed) {

    /** sizeof(NDIS_LINK_SPEED). */
    public static final int SIZE = 16;

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        LittleEndian.putLong(b, 0, xmitLinkSpeed);
        LittleEndian.putLong(b, 8, rcvLinkSpeed);
        return b;
    }

    public static NdisLinkSpeed decode(byte[] b) {
        if (b.length < SIZE) {
            throw new IllegalArgumentException("NDIS_LINK_SPEED is 16 bytes, got " + b.length);
        }
        return new NdisLinkSpeed(LittleEndian.getLong(b, 0), LittleEndian.getLong(b, 8));
    }
}
