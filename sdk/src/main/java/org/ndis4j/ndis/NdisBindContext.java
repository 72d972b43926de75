package org.ndis4j.ndis;

/** The BindContext (or UnbindContext) NDIS passes to ProtocolBindAdapterEx / ProtocolUnbindAdapterEx. */
public final class NdisBindContext {

    final NdisProtocolDriverHandle protocol;
    final AdapterStack stack;
    /** The binding opened within this bind, if any. */
    NdisBindingHandle opened;

    NdisBindContext(NdisProtocolDriverHandle protocol, AdapterStack stack) {
        this.protocol = protocol;
        this.stack = stack;
    }

    @Override
    public String toString() {
        return "BindContext[" + protocol.name() + " -> " + stack.adapterName() + "]";
    }
}
