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

    /**
     * MiniportShutdownEx: the system is going down; stop the NIC (disable its interrupts and DMA, put
     * it in a known state) and free nothing. No handler of the adapter is called afterwards, not even
     * MiniportHaltEx. With {@link NdisShutdownAction#NdisShutdownPowerOff} it runs at PASSIVE_LEVEL
     * and may call NdisXxx functions; with {@link NdisShutdownAction#NdisShutdownBugCheck} (only for an
     * adapter whose registration attributes carry NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK)
     * it runs at HIGH_LEVEL on the crashing machine and may only touch its registers. After it returns
     * NDIS disconnects the adapter's interrupt (no ISR runs). Default: nothing.
     */
    default void shutdownEx(A adapterContext, NdisShutdownAction shutdownAction) {}

    /**
     * MiniportDevicePnPEventNotify. Runs at PASSIVE_LEVEL. With NdisDevicePnPEventSurpriseRemoved the
     * NIC is gone: note it, stop touching the hardware (its registers read all ones), and complete
     * every send and OID request that arrives before MiniportHaltEx at once with
     * NDIS_STATUS_NOT_ACCEPTED. NDIS then pauses the adapter and calls MiniportHaltEx with
     * NdisHaltDeviceSurpriseRemoved. Default: nothing.
     */
    default void devicePnPEventNotify(A adapterContext, NetDevicePnPEvent netDevicePnPEvent) {}

    /**
     * MiniportDriverUnload. Runs at PASSIVE_LEVEL after every adapter was halted; calls
     * {@code NdisM.deregisterMiniportDriver} (rule Driver_DeregisterAtUnload). Whatever it allocated
     * with the driver handle must be freed, and no timer of it may still be set, when it returns
     * (0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS).
     */
    default void unload(DriverObject driverObject) {}

    // ---- check for hang and reset --------------------------------------------------------------

    /**
     * MiniportCheckForHangEx (optional: NDIS calls it only when the driver overrides it). Runs at
     * PASSIVE_LEVEL, every CheckForHangTimeInSeconds (registration attributes; 0 means 2 s), while the
     * adapter is Paused, Restarting, Running or Pausing and no reset runs. Returns TRUE when the NIC
     * does not work (since NDIS 6.30: also when a send has not completed within the driver's time-out),
     * and NDIS calls {@link #resetEx}. Must return quickly.
     */
    default boolean checkForHangEx(A adapterContext) {
        return false;
    }

    /**
     * MiniportResetEx (optional: without it NDIS never resets the adapter). Runs at IRQL &lt;=
     * DISPATCH_LEVEL — ndis4j calls it at DISPATCH_LEVEL, so the driver must not wait in it: the slow
     * part goes to a work item, and the result is PENDING and later {@code NdisM.resetComplete}.
     * Before the reset completes the driver completes every send and OID request it holds (NDIS 6.30;
     * an OID still held is rule Reset_OidRequestPending). Sends keep coming during the reset (complete
     * them, e.g. with NDIS_STATUS_RESET_IN_PROGRESS); NDIS holds OID requests back until it ends.
     * {@code addressingReset} TRUE makes NDIS restore the packet filter and multicast list with OID
     * requests afterwards. Default: SUCCESS, nothing to restore.
     */
    default MiniportResetResult resetEx(A adapterContext) {
        return MiniportResetResult.completed(NdisStatus.SUCCESS, false);
    }

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
