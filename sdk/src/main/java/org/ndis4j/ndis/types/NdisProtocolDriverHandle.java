package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/**
 * NdisProtocolHandle: what NdisRegisterProtocolDriver returns. A protocol driver is tied to no
 * device object, which is why NDIS refuses it as the owner of an I/O work item. Opaque.
 */
public abstract class NdisProtocolDriverHandle extends NdisHandle {

    protected NdisProtocolDriverHandle(Kernel kernel, String name) {
        super(kernel, HandleKind.PROTOCOL_DRIVER, name);
    }
}
