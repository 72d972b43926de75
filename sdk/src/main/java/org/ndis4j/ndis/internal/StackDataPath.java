package org.ndis4j.ndis.internal;

import static org.ndis4j.ndis.internal.DriverCalls.FILTER_RECEIVE;
import static org.ndis4j.ndis.internal.DriverCalls.FILTER_RETURN;
import static org.ndis4j.ndis.internal.DriverCalls.FILTER_SEND;
import static org.ndis4j.ndis.internal.DriverCalls.FILTER_SEND_COMPLETE;
import static org.ndis4j.ndis.internal.DriverCalls.PROTOCOL_RECEIVE;
import static org.ndis4j.ndis.internal.DriverCalls.PROTOCOL_SEND_COMPLETE;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;

import java.util.List;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NBLs across one adapter's stack, above the miniport's own data path ({@link MiniportDataPath}):
 *
 * <pre>
 *   send      protocol ─► FilterSendNetBufferLists (top … 0) ─► MiniportSendNetBufferLists
 *   complete  miniport ─► FilterSendNetBufferListsComplete (0 … top) ─► the sender, by SourceHandle
 *   receive   miniport ─► FilterReceiveNetBufferLists (0 … top) ─► every protocol binding
 *   return    protocol ─► FilterReturnNetBufferLists (top … 0) ─► MiniportReturnNetBufferLists
 * </pre>
 * Each step is a {@link StackWalk} to the next module with the handler, then a {@link DriverCalls}
 * call into it. A filter's handler passes NBLs on with the matching {@code NdisF} call; its own NBLs
 * (SourceHandle = its module) stop with it. With more than one binding each protocol gets the
 * indication with NDIS_RECEIVE_FLAGS_RESOURCES (it copies what it keeps) and NDIS returns the NBLs
 * at once; with none, NDIS returns them at once. Nothing here allocates per NBL.
 */
public final class StackDataPath {

    private final AdapterStack stack;

    StackDataPath(AdapterStack stack) {
        this.stack = stack;
    }

    private MiniportDataPath miniport() {
        return stack.adapter().dataPath();
    }

    // ---- down: sends and returns ------------------------------------------------------------

    /** NdisSendNetBufferLists from a protocol binding: in below the top filter. */
    public void sendFromProtocol(NetBufferList chain, int portNumber, int sendFlags) {
        sendBelow(stack.filters().size(), chain, portNumber, sendFlags);
    }

    /** NdisReturnNetBufferLists from a protocol binding: in below the top filter. */
    public void returnFromProtocol(NetBufferList chain, int returnFlags) {
        returnBelow(stack.filters().size(), chain, returnFlags);
    }

    /**
     * NdisCancelSendNetBufferLists: MiniportCancelSend. (FilterCancelSendNetBufferLists is not
     * modelled: the call goes straight to the miniport.)
     */
    public void cancelSend(long cancelId) {
        miniport().cancelSend(cancelId);
    }

    /** NdisSendNetBufferLists (from = filters.size()) or NdisFSendNetBufferLists (from = the filter's layer). */
    public void sendBelow(int fromLayer, NetBufferList chain, int portNumber, int sendFlags) {
        FilterModule module = StackWalk.below(stack.filters(), fromLayer, FilterHandler.SEND);
        if (module != null) {
            DriverCalls.nbl(module, FILTER_SEND, chain, portNumber, sendFlags, 0);
        } else {
            miniport().sendFromAbove(chain, portNumber, sendFlags);
        }
    }

    /** NdisReturnNetBufferLists (from = filters.size()) or NdisFReturnNetBufferLists. */
    public void returnBelow(int fromLayer, NetBufferList chain, int returnFlags) {
        FilterModule module = StackWalk.below(stack.filters(), fromLayer, FilterHandler.RETURN);
        if (module != null) {
            DriverCalls.nbl(module, FILTER_RETURN, chain, returnFlags, 0, 0);
        } else {
            miniport().returnFromAbove(chain, returnFlags);
        }
    }

    // ---- up: completions and receives -------------------------------------------------------

    /** Send completions from the miniport (from = -1) or a filter's NdisFSendNetBufferListsComplete. */
    public void completeAbove(int fromLayer, NetBufferList chain, int sendCompleteFlags) {
        FilterModule module = StackWalk.above(stack.filters(), fromLayer, FilterHandler.SEND_COMPLETE);
        if (module != null) {
            DriverCalls.nbl(module, FILTER_SEND_COMPLETE, chain, sendCompleteFlags, 0, 0);
            return;
        }
        // Above every filter: each run of NBLs with one SourceHandle goes back to its binding.
        NetBufferList head = chain;
        while (head != null) {
            NdisHandle source = head.sourceHandle();
            NetBufferList tail = head;
            while (tail.next() != null && tail.next().sourceHandle() == source) {
                tail = tail.next();
            }
            NetBufferList rest = tail.next();
            tail.setNext(null);
            DriverCalls.nbl(sender(source), PROTOCOL_SEND_COMPLETE, head, sendCompleteFlags, 0, 0);
            head = rest;
        }
    }

    /** The binding a completion goes back to; a SourceHandle that is none is rule Send_SourceHandle. */
    private Binding sender(NdisHandle source) {
        if (source instanceof Binding binding) {
            return binding;
        }
        throw Verifier.violation(
                stack.adapter().kernel(),
                Rule.Send_SourceHandle,
                0,
                0,
                stack.adapterName() + ": a send completion reached the top of the stack for SourceHandle "
                        + source + ", which is no protocol binding (a filter that sends its own NBLs must "
                        + "have a FilterSendNetBufferListsComplete handler)");
    }

    /** Indications from the miniport (from = -1) or a filter's NdisFIndicateReceiveNetBufferLists. */
    public void receiveAbove(int fromLayer, NetBufferList chain, int portNumber, int count, int receiveFlags) {
        FilterModule module = StackWalk.above(stack.filters(), fromLayer, FilterHandler.RECEIVE);
        if (module != null) {
            DriverCalls.nbl(module, FILTER_RECEIVE, chain, portNumber, count, receiveFlags);
            return;
        }
        List<Binding> bindings = stack.bindings();
        // Index loops over the immutable snapshot: no iterator per indication.
        int receivers = 0;
        Binding receiver = null;
        for (int i = 0; i < bindings.size(); i++) {
            if (bindings.get(i).protocol().handlesReceive()) {
                receivers++;
                receiver = bindings.get(i);
            }
        }
        if (receivers == 1 && receiver.enterIndication()) {
            try {
                DriverCalls.nbl(receiver, PROTOCOL_RECEIVE, chain, portNumber, count, receiveFlags);
            } finally {
                receiver.exitIndication();
            }
            return;
        }
        // Nobody (or a binding that is closing), or several: each gets a look it must copy from, and
        // NDIS gives the NBLs back.
        for (int i = 0; receivers > 1 && i < bindings.size(); i++) {
            Binding binding = bindings.get(i);
            if (binding.protocol().handlesReceive() && binding.enterIndication()) {
                try {
                    DriverCalls.nbl(
                            binding,
                            PROTOCOL_RECEIVE,
                            chain,
                            portNumber,
                            count,
                            receiveFlags | NDIS_RECEIVE_FLAGS_RESOURCES);
                } finally {
                    binding.exitIndication();
                }
            }
        }
        if ((receiveFlags & NDIS_RECEIVE_FLAGS_RESOURCES) == 0) {
            returnBelow(fromLayer + 1, chain, 0);
        }
    }
}
