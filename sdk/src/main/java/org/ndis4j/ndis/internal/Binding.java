package org.ndis4j.ndis.internal;

import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/** NDIS's open block (NDIS_OPEN_BLOCK): a protocol's open of one adapter, and its binding handle. */
public final class Binding extends NdisBindingHandle {

    private final ProtocolBlock protocol;
    private final Object protocolBindingContext;
    private final AdapterStack stack;
    private volatile boolean closed;

    Binding(ProtocolBlock protocol, Object protocolBindingContext, AdapterStack stack) {
        super(protocol.kernel(), protocol.name() + "->" + stack.adapterName());
        this.protocol = protocol;
        this.protocolBindingContext = protocolBindingContext;
        this.stack = stack;
    }

    ProtocolBlock protocol() {
        return protocol;
    }

    Object protocolBindingContext() {
        return protocolBindingContext;
    }

    /** The stack the binding is open on. */
    public AdapterStack stack() {
        return stack;
    }

    @Override
    public NdisMiniportAdapterHandle adapter() {
        return stack.adapter();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** The binding is open (not closed): a data-path or OID call on it is legal. */
    public void checkOpen(String function) {
        if (closed) {
            throw Verifier.violation(
                    kernel(), Rule.Handle_Invalid, 4, 0, function + " on a closed binding (" + name() + ")");
        }
    }

    void markClosed() {
        closed = true;
    }

    @Override
    public String driverName() {
        return protocol.name();
    }
}
