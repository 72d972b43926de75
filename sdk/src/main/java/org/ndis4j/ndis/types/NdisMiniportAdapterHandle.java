package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/**
 * MiniportAdapterHandle: NDIS's handle for one adapter, passed to MiniportInitializeEx and to every
 * NdisMXxx call the miniport makes for that adapter. Opaque: hosts read the adapter's state through
 * {@code AdapterView}.
 */
public abstract class NdisMiniportAdapterHandle extends NdisHandle {

    protected NdisMiniportAdapterHandle(Kernel kernel, String name) {
        super(kernel, HandleKind.MINIPORT_ADAPTER, name);
    }
}
