package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/** NdisBindingHandle: a protocol's open of one adapter (NdisOpenAdapterEx). Opaque. */
public abstract class NdisBindingHandle extends NdisHandle {

    protected NdisBindingHandle(Kernel kernel, String name) {
        super(kernel, HandleKind.PROTOCOL_BINDING, name);
    }

    /** True once NdisCloseAdapterEx closed the binding. For tests and diagnostics. */
    public abstract boolean isClosed();

    /** The adapter the binding is open on. For tests and diagnostics: NDIS gives a protocol no such call. */
    public abstract NdisMiniportAdapterHandle adapter();
}
