package org.ndis4j.ndis.internal;

import java.util.ArrayList;
import java.util.List;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/** The bind (or unbind) context NDIS gives a protocol: which stack the bind is for, and what it opened. */
public final class BindContext extends NdisBindContext {

    final ProtocolBlock protocol;
    final AdapterStack stack;
    /** The binding opened within this bind, if any. */
    Binding opened;

    /** At most this many indications are held while the bind runs; beyond it the oldest goes. */
    static final int MAX_HELD = 256;

    // The fields below are guarded by the stack's protocol-edge lock.

    /** The link state the protocol knows: its bind parameters', then each one delivered. */
    NdisLinkState linkStateKnown;

    /** Status indications that came while the protocol was in ProtocolBindAdapterEx, in order. */
    private final List<NdisStatusIndication> held = new ArrayList<>();

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

    /** Keeps an indication for the binding until its bind completes (bounded: the oldest goes first). */
    void hold(NdisStatusIndication indication) {
        if (held.size() == MAX_HELD) {
            held.remove(0);
        }
        held.add(indication);
    }

    /** The held indications, in order; none are held afterwards. */
    List<NdisStatusIndication> takeHeld() {
        List<NdisStatusIndication> all = List.copyOf(held);
        held.clear();
        return all;
    }

    /**
     * True unless {@code indication} is a link state the protocol knows already (NDIS suppresses
     * duplicate link states); a link state that is news becomes the known one.
     */
    boolean isNews(NdisStatusIndication indication) {
        if (indication.statusCode() != NdisStatus.LINK_STATE
                || !(indication.statusBuffer() instanceof NdisLinkState state)) {
            return true;
        }
        if (state.equals(linkStateKnown)) {
            return false;
        }
        linkStateKnown = state;
        return true;
    }

    @Override
    public String toString() {
        return "BindContext[" + protocol.name() + " -> " + stack.adapterName() + "]";
    }
}
