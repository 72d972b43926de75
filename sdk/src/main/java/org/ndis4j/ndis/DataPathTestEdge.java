package org.ndis4j.ndis;

import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * A stand-in for the protocol edge above one miniport adapter, for tests and benchmarks: it sends
 * NBL chains down (NdisSendNetBufferLists), returns indicated ones (NdisReturnNetBufferLists),
 * cancels sends (NdisCancelSendNetBufferLists), and hands what comes up to a
 * {@link DataPathUpperEdge}. The protocol edge (NdisOpenAdapterEx bindings) will replace it; its
 * calls keep the NDIS names so that tests move over unchanged.
 *
 * <pre>
 *   DataPathTestEdge edge = DataPathTestEdge.attach(adapter, upper);
 *   edge.sendNetBufferLists(chain, NDIS_DEFAULT_PORT_NUMBER, 0);  // → MiniportSendNetBufferLists
 *   // upper.sendNetBufferListsComplete(chain, flags) when the miniport completes them
 *   // upper.receiveNetBufferLists(chain, ...) on each indication; then:
 *   edge.returnNetBufferLists(chain, 0);                           // → MiniportReturnNetBufferLists
 * </pre>
 * One upper edge per adapter.
 */
public final class DataPathTestEdge {

    private final NdisMiniportAdapterHandle adapter;
    private final MiniportDataPath dataPath;

    private DataPathTestEdge(NdisMiniportAdapterHandle adapter) {
        this.adapter = adapter;
        this.dataPath = adapter.adapter().dataPath();
    }

    /** Attaches {@code upper} above {@code adapter}. Throws if an upper edge is attached already. */
    public static DataPathTestEdge attach(NdisMiniportAdapterHandle adapter, DataPathUpperEdge upper) {
        if (adapter == null || upper == null) {
            throw new IllegalArgumentException("DataPathTestEdge.attach needs an adapter and an upper edge");
        }
        adapter.adapter().dataPath().attachUpperEdge(upper);
        return new DataPathTestEdge(adapter);
    }

    public NdisMiniportAdapterHandle adapter() {
        return adapter;
    }

    /**
     * NdisSendNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. Running: NDIS calls MiniportSendNetBufferLists
     * (with NDIS_SEND_FLAGS_DISPATCH_LEVEL set or cleared to match the IRQL). Otherwise NDIS
     * completes the NBLs itself with NDIS_STATUS_PAUSED without calling the miniport.
     */
    public void sendNetBufferLists(NetBufferList netBufferLists, int portNumber, int sendFlags) {
        dataPath.sendFromAbove(netBufferLists, portNumber, sendFlags);
    }

    /** NdisReturnNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. NDIS calls MiniportReturnNetBufferLists. */
    public void returnNetBufferLists(NetBufferList netBufferLists, int returnFlags) {
        dataPath.returnFromAbove(netBufferLists, returnFlags);
    }

    /** NdisCancelSendNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. NDIS calls MiniportCancelSend. */
    public void cancelSendNetBufferLists(long cancelId) {
        Kernel kernel = adapter.kernel();
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_SendRcv_Function, "NdisCancelSendNetBufferLists");
        dataPath.cancelSend(cancelId);
    }

    /** NBLs sent to the miniport and not completed. */
    public int sendsOutstanding() {
        return dataPath.sendsOutstanding();
    }

    /** NBLs the miniport indicated and NDIS has not returned (an indication in progress included). */
    public int receivesOutstanding() {
        return dataPath.receivesOutstanding();
    }
}
