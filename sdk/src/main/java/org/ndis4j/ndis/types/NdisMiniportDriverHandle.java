package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/** NdisMiniportDriverHandle: what NdisMRegisterMiniportDriver returns. Opaque. */
public abstract class NdisMiniportDriverHandle extends NdisHandle {

    protected NdisMiniportDriverHandle(Kernel kernel, String name) {
        super(kernel, HandleKind.MINIPORT_DRIVER, name);
    }
}
