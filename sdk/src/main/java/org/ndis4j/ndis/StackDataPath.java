package org.ndis4j.ndis;

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;

import java.util.List;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NBLs across one adapter's stack. It is the miniport's upper edge (a {@link DataPathUpperEdge}) once
 * a filter attaches or a protocol binds, and routes:
 *
 * <pre>
 *   send      protocol ─► FilterSendNetBufferLists (top … 0) ─► MiniportSendNetBufferLists
 *   complete  miniport ─► FilterSendNetBufferListsComplete (0 … top) ─► the sender, by SourceHandle
 *   receive   miniport ─► FilterReceiveNetBufferLists (0 … top) ─► every protocol binding
 *   return    protocol ─► FilterReturnNetBufferLists (top … 0) ─► MiniportReturnNetBufferLists
 * </pre>
 * A filter without the handler is bypassed, as NDIS bypasses a NULL entry point. A filter's handler
 * passes NBLs on with the matching {@code NdisF} call; its own NBLs (SourceHandle = its module) stop
 * with it. With more than one binding each protocol gets the indication with
 * NDIS_RECEIVE_FLAGS_RESOURCES (it copies what it keeps) and NDIS returns the NBLs at once; with none,
 * NDIS returns them at once. Nothing here allocates per NBL.
 */
final class StackDataPath implements DataPathUpperEdge {

    private final AdapterStack stack;

    StackDataPath(AdapterStack stack) {
        this.stack = stack;
    }

    private MiniportDataPath miniport() {
        return stack.adapterHandle().adapter().dataPath();
    }

    // ---- down: sends and returns ------------------------------------------------------------

    /** NdisSendNetBufferLists (from = filters.size()) or NdisFSendNetBufferLists (from = the filter's layer). */
    @SuppressWarnings("unchecked")
    void sendBelow(int fromLayer, NetBufferList chain, int portNumber, int sendFlags) {
        List<NdisFilterModuleHandle> filters = stack.filters();
        for (int i = fromLayer - 1; i >= 0; i--) {
            NdisFilterModuleHandle module = filters.get(i);
            if (module.filterDriver().handles(FilterHandler.SEND)) {
                String previous = CurrentThread.enterDriver(module.driverName());
                try {
                    handlers(module).sendNetBufferLists(module.filterModuleContext(), chain, portNumber, sendFlags);
                } finally {
                    CurrentThread.leaveDriver(previous);
                }
                return;
            }
        }
        miniport().sendFromAbove(chain, portNumber, sendFlags);
    }

    /** NdisReturnNetBufferLists or NdisFReturnNetBufferLists. */
    @SuppressWarnings("unchecked")
    void returnBelow(int fromLayer, NetBufferList chain, int returnFlags) {
        List<NdisFilterModuleHandle> filters = stack.filters();
        for (int i = fromLayer - 1; i >= 0; i--) {
            NdisFilterModuleHandle module = filters.get(i);
            if (module.filterDriver().handles(FilterHandler.RETURN)) {
                String previous = CurrentThread.enterDriver(module.driverName());
                try {
                    handlers(module).returnNetBufferLists(module.filterModuleContext(), chain, returnFlags);
                } finally {
                    CurrentThread.leaveDriver(previous);
                }
                return;
            }
        }
        miniport().returnFromAbove(chain, returnFlags);
    }

    // ---- up: completions and receives -------------------------------------------------------

    @Override
    public void sendNetBufferListsComplete(NetBufferList chain, int sendCompleteFlags) {
        completeAbove(-1, chain, sendCompleteFlags);
    }

    /** Send completions from the miniport (from = -1) or a filter's NdisFSendNetBufferListsComplete. */
    @SuppressWarnings("unchecked")
    void completeAbove(int fromLayer, NetBufferList chain, int sendCompleteFlags) {
        List<NdisFilterModuleHandle> filters = stack.filters();
        for (int i = fromLayer + 1; i < filters.size(); i++) {
            NdisFilterModuleHandle module = filters.get(i);
            if (module.filterDriver().handles(FilterHandler.SEND_COMPLETE)) {
                String previous = CurrentThread.enterDriver(module.driverName());
                try {
                    handlers(module).sendNetBufferListsComplete(module.filterModuleContext(), chain, sendCompleteFlags);
                } finally {
                    CurrentThread.leaveDriver(previous);
                }
                return;
            }
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
            deliverCompletion(source, head, sendCompleteFlags);
            head = rest;
        }
    }

    @SuppressWarnings("unchecked")
    private void deliverCompletion(NdisHandle source, NetBufferList run, int sendCompleteFlags) {
        if (!(source instanceof NdisBindingHandle binding)) {
            throw Verifier.violation(
                    stack.adapterHandle().kernel(),
                    Rule.Send_SourceHandle,
                    0,
                    0,
                    stack.adapterName() + ": a send completion reached the top of the stack for SourceHandle "
                            + source + ", which is no protocol binding (a filter that sends its own NBLs must "
                            + "have a FilterSendNetBufferListsComplete handler)");
        }
        ProtocolDriver<Object> handlers =
                (ProtocolDriver<Object>) binding.protocol().characteristics();
        String previous = CurrentThread.enterDriver(binding.driverName());
        try {
            handlers.sendNetBufferListsComplete(binding.protocolBindingContext(), run, sendCompleteFlags);
        } finally {
            CurrentThread.leaveDriver(previous);
        }
    }

    @Override
    public void receiveNetBufferLists(
            NetBufferList chain, int portNumber, int numberOfNetBufferLists, int receiveFlags) {
        receiveAbove(-1, chain, portNumber, numberOfNetBufferLists, receiveFlags);
    }

    /** Indications from the miniport (from = -1) or a filter's NdisFIndicateReceiveNetBufferLists. */
    @SuppressWarnings("unchecked")
    void receiveAbove(int fromLayer, NetBufferList chain, int portNumber, int count, int receiveFlags) {
        List<NdisFilterModuleHandle> filters = stack.filters();
        for (int i = fromLayer + 1; i < filters.size(); i++) {
            NdisFilterModuleHandle module = filters.get(i);
            if (module.filterDriver().handles(FilterHandler.RECEIVE)) {
                String previous = CurrentThread.enterDriver(module.driverName());
                try {
                    handlers(module)
                            .receiveNetBufferLists(
                                    module.filterModuleContext(), chain, portNumber, count, receiveFlags);
                } finally {
                    CurrentThread.leaveDriver(previous);
                }
                return;
            }
        }
        List<NdisBindingHandle> bindings = stack.bindings();
        boolean resources = (receiveFlags & NDIS_RECEIVE_FLAGS_RESOURCES) != 0;
        // Index loops over the immutable snapshot: no iterator per indication.
        int receivers = 0;
        NdisBindingHandle receiver = null;
        for (int i = 0; i < bindings.size(); i++) {
            if (bindings.get(i).protocol().handlesReceive()) {
                receivers++;
                receiver = bindings.get(i);
            }
        }
        if (receivers == 1) {
            deliverReceive(receiver, chain, portNumber, count, receiveFlags);
            return;
        }
        // Nobody, or several: each gets a look it must copy from, and NDIS gives the NBLs back.
        for (int i = 0; i < bindings.size(); i++) {
            if (bindings.get(i).protocol().handlesReceive()) {
                deliverReceive(bindings.get(i), chain, portNumber, count, receiveFlags | NDIS_RECEIVE_FLAGS_RESOURCES);
            }
        }
        if (!resources) {
            returnBelow(fromLayer + 1, chain, 0);
        }
    }

    @SuppressWarnings("unchecked")
    private static void deliverReceive(
            NdisBindingHandle binding, NetBufferList chain, int portNumber, int count, int receiveFlags) {
        ProtocolDriver<Object> handlers =
                (ProtocolDriver<Object>) binding.protocol().characteristics();
        String previous = CurrentThread.enterDriver(binding.driverName());
        try {
            handlers.receiveNetBufferLists(binding.protocolBindingContext(), chain, portNumber, count, receiveFlags);
        } finally {
            CurrentThread.leaveDriver(previous);
        }
    }

    @SuppressWarnings("unchecked")
    private static FilterDriver<Object> handlers(NdisFilterModuleHandle module) {
        return (FilterDriver<Object>) module.filterDriver().characteristics();
    }
}
