package org.ndis4j.ndis.nbl;

/**
 * NET_BUFFER_LIST_POOL_PARAMETERS.
 *
 * @param protocolId         NDIS_PROTOCOL_ID_DEFAULT (0), NDIS_PROTOCOL_ID_TCP_IP (2), …; recorded only
 * @param contextSize        NET_BUFFER_LIST_CONTEXT bytes to preallocate; recorded only (Java drivers
 *                           keep their per-NBL state in {@link NetBufferList#miniportReserved()})
 * @param allocateNetBuffer  fAllocateNetBuffer: each NBL from the pool comes with one NET_BUFFER
 * @param poolTag            the pool tag (four characters, as an int), for reports
 * @param dataSize           with {@code allocateNetBuffer}: bytes of frame memory each NET_BUFFER
 *                           owns for the pool's lifetime (0: none; the caller brings a ByteBuf)
 */
public record NetBufferListPoolParameters(
        int protocolId, int contextSize, boolean allocateNetBuffer, int poolTag, int dataSize) {

    /** NDIS_PROTOCOL_ID_DEFAULT. */
    public static final int NDIS_PROTOCOL_ID_DEFAULT = 0x00;

    /** Default protocol id, no context, one NET_BUFFER per NBL, {@code dataSize} bytes of frame memory each. */
    public static NetBufferListPoolParameters withNetBuffer(int poolTag, int dataSize) {
        return new NetBufferListPoolParameters(NDIS_PROTOCOL_ID_DEFAULT, 0, true, poolTag, dataSize);
    }

    /** Default protocol id, no context, NBLs without NET_BUFFERs. */
    public static NetBufferListPoolParameters nblOnly(int poolTag) {
        return new NetBufferListPoolParameters(NDIS_PROTOCOL_ID_DEFAULT, 0, false, poolTag, 0);
    }
}
