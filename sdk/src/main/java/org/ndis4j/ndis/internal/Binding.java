package org.ndis4j.ndis.internal;

import java.util.concurrent.atomic.AtomicInteger;
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
    /** Set by NdisCloseAdapterEx: no new indication starts. */
    private volatile boolean closing;
    /** Receive indications running in the protocol now; close waits for 0. */
    private final AtomicInteger indicationsInFlight = new AtomicInteger();

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

    /**
     * A receive indication to this binding starts; false (and nothing to undo) once it is closing.
     * Reserve, then check: a close that saw no indication in flight cannot miss this one.
     */
    boolean enterIndication() {
        indicationsInFlight.incrementAndGet();
        if (closing) {
            indicationsInFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void exitIndication() {
        indicationsInFlight.decrementAndGet();
    }

    /**
     * NdisCloseAdapterEx: no new indication starts, the ones in flight finish (they may still return
     * their NBLs on the binding), then the binding is closed.
     */
    void close() {
        closing = true;
        while (indicationsInFlight.get() > 0) {
            kernel().switchPoint("NdisCloseAdapterEx");
            kernel().stall(1_000); // through the seam; a crash of the machine ends it (the crash is thrown)
        }
        closed = true;
    }

    @Override
    public String driverName() {
        return protocol.name();
    }
}
