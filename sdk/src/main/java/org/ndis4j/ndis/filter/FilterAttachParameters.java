package org.ndis4j.ndis.filter;

import org.ndis4j.ndis.types.NdisLinkState;

/**
 * NDIS_FILTER_ATTACH_PARAMETERS, trimmed.
 *
 * @param miniportName the adapter the module sits on
 * @param layer        0 for the module just above the miniport, counting up
 * @param linkState    the link state now
 */
public record FilterAttachParameters(String miniportName, int layer, NdisLinkState linkState) {}
