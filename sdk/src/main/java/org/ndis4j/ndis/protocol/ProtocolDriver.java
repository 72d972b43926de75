package org.ndis4j.ndis.protocol;

import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;

/**
 * NDIS_PROTOCOL_DRIVER_CHARACTERISTICS: the handlers NDIS calls on a protocol driver, typed by the
 * protocol's binding context {@code P} (what it passed to {@code Ndis.openAdapterEx}).
 *
 * @param <P> the protocol's per-binding context class
 */
public interface ProtocolDriver<P> {

    /**
     * ProtocolBindAdapterEx. Runs at PASSIVE_LEVEL. The protocol decides whether to bind; to bind it
     * calls {@code Ndis.openAdapterEx(..., bindContext)} and returns SUCCESS.
     */
    NdisStatus bindAdapterEx(
            Object protocolDriverContext, NdisBindContext bindContext, NdisBindParameters bindParameters);

    /**
     * ProtocolUnbindAdapterEx. Runs at PASSIVE_LEVEL, with the binding paused. The protocol calls
     * {@code Ndis.closeAdapterEx} and returns SUCCESS.
     */
    NdisStatus unbindAdapterEx(NdisBindContext unbindContext, P protocolBindingContext);

    /** ProtocolStatusEx: a status indication from below. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    default void statusEx(P protocolBindingContext, NdisStatusIndication statusIndication) {}

    /**
     * ProtocolReceiveNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. Unless {@code receiveFlags} has
     * NDIS_RECEIVE_FLAGS_RESOURCES the protocol owns the NBLs and gives them back with
     * {@code Ndis.returnNetBufferLists} (now or later); with it, it copies what it keeps before
     * returning. A protocol that does not override this receives nothing.
     */
    default void receiveNetBufferLists(
            P protocolBindingContext,
            NetBufferList netBufferLists,
            int portNumber,
            int numberOfNetBufferLists,
            int receiveFlags) {
        throw new UnsupportedOperationException("not overridden: NDIS indicates nothing to this protocol");
    }

    /**
     * ProtocolSendNetBufferListsComplete: NBLs this protocol sent (SourceHandle = its binding) are
     * back, each with its final status. Runs at IRQL &lt;= DISPATCH_LEVEL. A protocol that sends must
     * override it.
     */
    default void sendNetBufferListsComplete(
            P protocolBindingContext, NetBufferList netBufferLists, int sendCompleteFlags) {
        throw new UnsupportedOperationException("a protocol that sends must handle ProtocolSendNetBufferListsComplete");
    }

    /**
     * ProtocolOidRequestComplete: an OID request that {@code Ndis.oidRequest} returned PENDING for has
     * completed. Runs at IRQL &lt;= DISPATCH_LEVEL.
     */
    default void oidRequestComplete(P protocolBindingContext, NdisOidRequest oidRequest, NdisStatus status) {}
}
