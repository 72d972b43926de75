package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/**
 * NdisFilterHandle: one filter module, i.e. one filter driver attached to one adapter; FilterAttach
 * gets it. A filter passes it to every NdisFXxx call and allocates its I/O work items, timers and
 * NBL pools with it. Opaque.
 */
public abstract class NdisFilterModuleHandle extends NdisHandle {

    protected NdisFilterModuleHandle(Kernel kernel, String name) {
        super(kernel, HandleKind.FILTER_MODULE, name);
    }
}
