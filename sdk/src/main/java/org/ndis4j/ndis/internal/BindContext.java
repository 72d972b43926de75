package org.ndis4j.ndis.internal;

import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/** The bind (or unbind) context NDIS gives a protocol: which stack the bind is for, and what it opened. */
public final class BindContext extends NdisBindContext {

    final ProtocolBlock protocol;
    final AdapterStack stack;
    /** The binding opened within this bind, if any. */
    Binding opened;

    BindContext(ProtocolBlock protocol, AdapterStack stack) {
        this.protocol = protocol;
        this.stack = stack;
    }

    /**
     * NdisOpenAdapterEx, from inside ProtocolBindAdapterEx: opens the adapter for the protocol whose
     * bind this is.
     */
    public Binding open(ProtocolBlock caller, Object protocolBindingContext) {
        if (caller != protocol) {
            throw Verifier.violation(
                    caller.kernel(),
                    Rule.Handle_Invalid,
                    0,
                    0,
                    "NdisOpenAdapterEx with a bind context of another protocol");
        }
        return stack.open(this, protocolBindingContext);
    }

    @Override
    public String toString() {
        return "BindContext[" + protocol.name() + " -> " + stack.adapterName() + "]";
    }
}
