package org.ndis4j.ndis.config;

import org.ndis4j.ndis.types.NdisHandle;

/**
 * NDIS_CONFIGURATION_OBJECT: whose configuration NdisOpenConfigurationEx opens.
 *
 * @param ndisHandle the miniport adapter handle (the adapter's keywords), or a miniport driver,
 *                   filter module, filter driver or protocol driver handle (that object's own
 *                   Parameters key)
 * @param flags      0, or {@link #NDIS_CONFIG_FLAG_FILTER_INSTANCE_CONFIGURATION} with a filter module
 *                   handle
 */
public record NdisConfigurationObject(NdisHandle ndisHandle, int flags) {

    /** A filter module's own instance configuration rather than the adapter's. */
    public static final int NDIS_CONFIG_FLAG_FILTER_INSTANCE_CONFIGURATION = 0x00000001;

    /** The configuration of {@code ndisHandle}, flags 0. */
    public static NdisConfigurationObject of(NdisHandle ndisHandle) {
        return new NdisConfigurationObject(ndisHandle, 0);
    }
}
