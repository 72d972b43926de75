package org.ndis4j.ndis;

/** NdisBindingHandle: a protocol's open of one adapter (NdisOpenAdapterEx). */
public final class NdisBindingHandle extends NdisHandle {

    private final NdisProtocolDriverHandle protocol;
    private final Object protocolBindingContext;
    final AdapterStack stack;
    private volatile boolean closed;

    NdisBindingHandle(NdisProtocolDriverHandle protocol, Object protocolBindingContext, AdapterStack stack) {
        super(protocol.kernel(), HandleKind.PROTOCOL_BINDING, protocol.name() + "->" + stack.adapterName());
        this.protocol = protocol;
        this.protocolBindingContext = protocolBindingContext;
        this.stack = stack;
    }

    public NdisProtocolDriverHandle protocol() {
        return protocol;
    }

    public Object protocolBindingContext() {
        return protocolBindingContext;
    }

    /** The adapter this binding is open on. */
    public NdisMiniportAdapterHandle adapter() {
        return stack.adapterHandle();
    }

    public boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    @Override
    public String driverName() {
        return protocol.name();
    }
}
