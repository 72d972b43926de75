package org.ndis4j.ndis.filter;

import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.NdisFilterModuleHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;

/**
 * NDIS_FILTER_DRIVER_CHARACTERISTICS: the handlers NDIS calls on a (lightweight) filter driver,
 * typed by the filter module context {@code F} (what the filter passed to {@code NdisF.setAttributes}).
 *
 * <p>Optional handlers that a filter does not override are bypassed, as NDIS bypasses a NULL entry
 * point: the indication or request goes straight to the next module. A filter that overrides one
 * passes things on itself with the matching {@code NdisF} call, or modifies or drops them.
 *
 * @param <F> the filter module context class
 */
public interface FilterDriver<F> {

    /**
     * FilterAttach. Runs at PASSIVE_LEVEL. Calls {@code NdisF.setAttributes(ndisFilterHandle, context)}
     * and returns SUCCESS to sit on the adapter; the module starts Paused.
     */
    NdisStatus attach(
            NdisFilterModuleHandle ndisFilterHandle,
            Object filterDriverContext,
            FilterAttachParameters attachParameters);

    /** FilterDetach. Runs at PASSIVE_LEVEL, with the module paused. Frees what attach allocated. */
    void detach(F filterModuleContext);

    /** FilterRestart. Runs at PASSIVE_LEVEL. */
    default NdisStatus restart(F filterModuleContext) {
        return NdisStatus.SUCCESS;
    }

    /** FilterPause. Runs at PASSIVE_LEVEL. Cannot fail. */
    default NdisStatus pause(F filterModuleContext) {
        return NdisStatus.SUCCESS;
    }

    /**
     * FilterStatus (optional). Runs at IRQL &lt;= DISPATCH_LEVEL. Pass it on with
     * {@code NdisF.indicateStatus}, change it, or drop it.
     */
    default void status(F filterModuleContext, NdisStatusIndication statusIndication) {
        throw new UnsupportedOperationException("not overridden: NDIS bypasses this filter");
    }

    /**
     * FilterSendNetBufferLists (optional). Runs at IRQL &lt;= DISPATCH_LEVEL. Pass the chain on with
     * {@code NdisF.sendNetBufferLists}, or set a status and complete it with
     * {@code NdisF.sendNetBufferListsComplete} (a drop).
     */
    default void sendNetBufferLists(
            F filterModuleContext, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        throw new UnsupportedOperationException("not overridden: NDIS bypasses this filter");
    }

    /**
     * FilterSendNetBufferListsComplete (optional). Runs at IRQL &lt;= DISPATCH_LEVEL. Keep the NBLs this
     * filter sent (SourceHandle = its module); pass the rest up with {@code NdisF.sendNetBufferListsComplete}.
     */
    default void sendNetBufferListsComplete(
            F filterModuleContext, NetBufferList netBufferLists, int sendCompleteFlags) {
        throw new UnsupportedOperationException("not overridden: NDIS bypasses this filter");
    }

    /**
     * FilterReceiveNetBufferLists (optional). Runs at IRQL &lt;= DISPATCH_LEVEL. Pass the chain up with
     * {@code NdisF.indicateReceiveNetBufferLists}, or drop it: return it with
     * {@code NdisF.returnNetBufferLists} (unless NDIS_RECEIVE_FLAGS_RESOURCES is set).
     */
    default void receiveNetBufferLists(
            F filterModuleContext,
            NetBufferList netBufferLists,
            int portNumber,
            int numberOfNetBufferLists,
            int receiveFlags) {
        throw new UnsupportedOperationException("not overridden: NDIS bypasses this filter");
    }

    /**
     * FilterReturnNetBufferLists (optional). Runs at IRQL &lt;= DISPATCH_LEVEL. Keep the NBLs this filter
     * indicated; pass the rest down with {@code NdisF.returnNetBufferLists}.
     */
    default void returnNetBufferLists(F filterModuleContext, NetBufferList netBufferLists, int returnFlags) {
        throw new UnsupportedOperationException("not overridden: NDIS bypasses this filter");
    }

    /**
     * FilterOidRequest (optional). Runs at IRQL &lt;= DISPATCH_LEVEL. Pass the request on with
     * {@code NdisF.oidRequest} (returning its status), answer it, or fail it.
     */
    default NdisStatus oidRequest(F filterModuleContext, NdisOidRequest oidRequest) {
        throw new UnsupportedOperationException("not overridden: NDIS bypasses this filter");
    }

    /**
     * FilterOidRequestComplete (optional). Runs at IRQL &lt;= DISPATCH_LEVEL. A request this filter
     * passed down and that pended has completed; pass the completion up with
     * {@code NdisF.oidRequestComplete}.
     */
    default void oidRequestComplete(F filterModuleContext, NdisOidRequest oidRequest, NdisStatus status) {
        throw new UnsupportedOperationException("not overridden: NDIS bypasses this filter");
    }
}
