package org.ndis4j.ndis.types;

/**
 * NDIS_STATUS_INDICATION: what NdisMIndicateStatusEx carries up the stack.
 *
 * @param sourceHandle the adapter (or filter module) that indicates
 * @param statusCode   the indication, e.g. {@link NdisStatus#LINK_STATE}
 * @param statusBuffer the payload, e.g. an {@link NdisLinkState}
 */
public record NdisStatusIndication(NdisHandle sourceHandle, NdisStatus statusCode, Object statusBuffer) {

    /** An NDIS_STATUS_LINK_STATE indication from {@code adapter}. */
    public static NdisStatusIndication linkState(NdisMiniportAdapterHandle adapter, NdisLinkState state) {
        return new NdisStatusIndication(adapter, NdisStatus.LINK_STATE, state);
    }
}
