package org.ndis4j.ndis;

import org.ndis4j.ndis.nbl.NetBufferList;

/**
 * What sits above a miniport adapter on the data path: it receives indications and send
 * completions, the way ProtocolReceiveNetBufferLists and ProtocolSendNetBufferListsComplete do.
 * For now only {@link DataPathTestEdge} attaches one; the protocol and filter edges will.
 */
public interface DataPathUpperEdge {

    /**
     * ProtocolReceiveNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL (the miniport's). Unless
     * {@code receiveFlags} has NDIS_RECEIVE_FLAGS_RESOURCES, the upper edge owns the NBLs and must
     * give them back with {@code returnNetBufferLists} (now or later); with RESOURCES it must be done
     * with them (copy what it keeps) before it returns.
     */
    void receiveNetBufferLists(
            NetBufferList netBufferLists, int portNumber, int numberOfNetBufferLists, int receiveFlags);

    /**
     * ProtocolSendNetBufferListsComplete. Runs at IRQL &lt;= DISPATCH_LEVEL. Each NBL carries its
     * final status in {@link NetBufferList#status()}; the sender owns the NBLs again.
     */
    void sendNetBufferListsComplete(NetBufferList netBufferLists, int sendCompleteFlags);
}
