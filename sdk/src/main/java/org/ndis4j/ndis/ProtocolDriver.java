package org.ndis4j.ndis;

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
    NdisStatus bindAdapterEx(Object protocolDriverContext, NdisBindContext bindContext,
                             NdisBindParameters bindParameters);

    /**
     * ProtocolUnbindAdapterEx. Runs at PASSIVE_LEVEL, with the binding paused. The protocol calls
     * {@code Ndis.closeAdapterEx} and returns SUCCESS.
     */
    NdisStatus unbindAdapterEx(NdisBindContext unbindContext, P protocolBindingContext);

    /** ProtocolStatusEx: a status indication from below. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    default void statusEx(P protocolBindingContext, NdisStatusIndication statusIndication) {
    }

    /**
     * ProtocolOidRequestComplete: an OID request that {@code Ndis.oidRequest} returned PENDING for has
     * completed. Runs at IRQL &lt;= DISPATCH_LEVEL.
     */
    default void oidRequestComplete(P protocolBindingContext, org.ndis4j.ndis.oid.NdisOidRequest oidRequest,
                                    NdisStatus status) {
    }
}
