package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/**
 * The handle NdisOpenConfigurationEx returns: an open registry key (the adapter's, or a driver's own
 * Parameters key). Valid until NdisCloseConfiguration; opaque.
 */
public abstract class NdisConfigurationHandle extends NdisHandle {

    protected NdisConfigurationHandle(Kernel kernel, String name) {
        super(kernel, HandleKind.CONFIGURATION, name);
    }
}
