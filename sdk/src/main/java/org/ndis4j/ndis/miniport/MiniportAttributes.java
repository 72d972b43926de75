package org.ndis4j.ndis.miniport;

/**
 * NDIS_MINIPORT_ADAPTER_ATTRIBUTES: what {@code NdisM.setMiniportAttributes} takes. Registration
 * attributes come first (they carry the adapter context), general attributes next.
 */
public sealed interface MiniportAttributes
        permits MiniportAdapterRegistrationAttributes, MiniportAdapterGeneralAttributes {}
