package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/** NdisFilterDriverHandle: what NdisFRegisterFilterDriver returns. Opaque. */
public abstract class NdisFilterDriverHandle extends NdisHandle {

    protected NdisFilterDriverHandle(Kernel kernel, String name) {
        super(kernel, HandleKind.FILTER_DRIVER, name);
    }
}
