package org.ndis4j.ndis.miniport;

import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * NDIS_MINIPORT_DRIVER_CHARACTERISTICS: the handlers NDIS calls, typed by the driver's adapter
 * context {@code A} (what the driver passed in its registration attributes). Optional handlers have
 * defaults.
 *
 * @param <A> the driver's adapter context class
 */
public interface MiniportDriver<A> {

    /**
     * MiniportInitializeEx. Runs at PASSIVE_LEVEL. Must call {@code NdisM.setMiniportAttributes}
     * with registration attributes (carrying the context) and then general attributes. Returns
     * SUCCESS, or a failure after undoing what it did.
     */
    NdisStatus initializeEx(NdisMiniportAdapterHandle miniportAdapterHandle, MiniportInitParameters initParameters);

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL; the adapter is Paused. Frees everything initialize took. */
    void haltEx(A adapterContext, NdisHaltAction haltAction);

    /**
     * MiniportPause. Runs at PASSIVE_LEVEL. Returns SUCCESS, or PENDING and calls
     * {@code NdisM.pauseComplete} later. Pause cannot fail.
     */
    default NdisStatus pause(A adapterContext) {
        return NdisStatus.SUCCESS;
    }

    /**
     * MiniportRestart. Runs at PASSIVE_LEVEL. Returns SUCCESS, a failure, or PENDING and calls
     * {@code NdisM.restartComplete} later.
     */
    default NdisStatus restart(A adapterContext) {
        return NdisStatus.SUCCESS;
    }

    /** MiniportShutdownEx. Runs at PASSIVE_LEVEL (or HIGH_LEVEL on a bug check in Windows). */
    default void shutdownEx(A adapterContext) {}

    /** MiniportDriverUnload. Runs at PASSIVE_LEVEL after every adapter was halted. */
    default void unload(DriverObject driverObject) {}

    // ---- interrupts ----------------------------------------------------------------------------

    // ---- OID requests --------------------------------------------------------------------------

    /**
     * MiniportOidRequest. Runs at PASSIVE_LEVEL on a system worker thread, one request at a time per
     * adapter (NDIS queues the others). Query, Set or Method on {@code oidRequest}: write the result
     * into its information buffer and BytesWritten / BytesRead / BytesNeeded, then return SUCCESS or a
     * failure (INVALID_OID for an OID the driver does not know, NOT_SUPPORTED for one it knows but does
     * not do, BUFFER_TOO_SHORT or INVALID_LENGTH with BytesNeeded, INVALID_DATA). Or return PENDING and
     * call {@code NdisM.oidRequestComplete} exactly once later. NDIS answers some OIDs itself and never
     * passes them here (docs/oids.md). Default: NOT_SUPPORTED.
     */
    default NdisStatus oidRequest(A adapterContext, NdisOidRequest oidRequest) {
        return NdisStatus.NOT_SUPPORTED;
    }

    /**
     * MiniportCancelOidRequest. Runs at IRQL &lt;= DISPATCH_LEVEL, on the thread of whoever cancels. If
     * the request named {@code requestId} still pends in the driver, the driver should complete it with
     * NDIS_STATUS_REQUEST_ABORTED ({@code NdisM.oidRequestComplete}); if it already completed, nothing.
     * Default: nothing (the request completes normally).
     */
    default void cancelOidRequest(A adapterContext, Object requestId) {}

    // ---- data path -----------------------------------------------------------------------------

    /**
     * MiniportSendNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL (NDIS_SEND_FLAGS_DISPATCH_LEVEL in
     * {@code sendFlags} says which). The miniport owns the NBLs until it completes each of them,
     * exactly once and with a final status, through {@code NdisM.sendNetBufferListsComplete}. NDIS
     * calls it while the adapter is Running and while it is Pausing: from the moment MiniportPause is
     * called until MiniportRestart, the miniport completes every NBL it is handed at once with
     * NDIS_STATUS_PAUSED (one it keeps across the pause is rule Nbl_OutstandingAtPause). While Paused
     * or Restarting NDIS completes sends itself. The default refuses: a miniport that is sent to must
     * implement it.
     */
    default void sendNetBufferLists(A adapterContext, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        throw new UnsupportedOperationException(
                getClass().getName() + " does not implement MiniportSendNetBufferLists");
    }

    /**
     * MiniportReturnNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL (NDIS_RETURN_FLAGS_DISPATCH_LEVEL).
     * NDIS gives back NBLs the miniport indicated without NDIS_RECEIVE_FLAGS_RESOURCES; the miniport
     * owns them again (to re-indicate or free). A miniport that indicates must implement it.
     */
    default void returnNetBufferLists(A adapterContext, NetBufferList netBufferLists, int returnFlags) {
        throw new UnsupportedOperationException(
                getClass().getName() + " does not implement MiniportReturnNetBufferLists");
    }

    /**
     * MiniportCancelSend. Runs at IRQL &lt;= DISPATCH_LEVEL. The miniport completes (with
     * NDIS_STATUS_REQUEST_ABORTED) the sends it still queues whose cancel id matches
     * {@code cancelId}. The default does nothing (nothing queued).
     */
    default void cancelSend(A adapterContext, long cancelId) {}
}
