package org.ndis4j.ndis;

import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.internal.ThreadContext;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/** The NdisMXxx functions a miniport calls ({@code NdisMRegisterMiniportDriver} → {@code NdisM.registerMiniportDriver}). */
public final class NdisM {

    private NdisM() {
    }

    /**
     * NdisMRegisterMiniportDriver, from DriverEntry. IRQL = PASSIVE_LEVEL. Returns the driver
     * handle; the characteristics are the driver's handlers.
     */
    public static <A> NdisMiniportDriverHandle registerMiniportDriver(DriverObject driverObject, String registryPath,
                                                                      Object miniportDriverContext,
                                                                      MiniportDriver<A> miniportDriverCharacteristics) {
        Kernel kernel = driverObject.kernel();
        Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_MiniportDriver_Function, "NdisMRegisterMiniportDriver");
        if (miniportDriverCharacteristics == null) {
            throw Verifier.violation(kernel, Rule.Handle_Invalid, 0, 0, "NdisMRegisterMiniportDriver without characteristics");
        }
        if (driverObject.miniportDriver() != null) {
            throw Verifier.violation(kernel, Rule.Handle_Invalid, 1, 0,
                    driverObject.driverName() + " registered a miniport driver twice");
        }
        NdisMiniportDriverHandle handle = new NdisMiniportDriverHandle(driverObject, miniportDriverCharacteristics,
                miniportDriverContext);
        driverObject.setMiniport(handle);
        NdisLibrary.of(kernel).registered(handle);
        Trace.log("NdisMRegisterMiniportDriver(%s)", driverObject.driverName());
        return handle;
    }

    /**
     * NdisMSetMiniportAttributes, from MiniportInitializeEx. IRQL = PASSIVE_LEVEL. Registration
     * attributes first (they carry the adapter context), then general attributes.
     */
    public static NdisStatus setMiniportAttributes(NdisMiniportAdapterHandle ndisMiniportAdapterHandle,
                                                   MiniportAttributes miniportAttributes) {
        Kernel kernel = Ndis.kernelOf(ndisMiniportAdapterHandle, "NdisMSetMiniportAttributes");
        Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_MiniportDriver_Function, "NdisMSetMiniportAttributes");
        if (miniportAttributes == null) {
            return NdisStatus.INVALID_PARAMETER;
        }
        ndisMiniportAdapterHandle.adapter().setAttributes(miniportAttributes);
        return NdisStatus.SUCCESS;
    }

    /**
     * NdisMIndicateStatusEx. IRQL &lt;= DISPATCH_LEVEL. Allowed once registration attributes are set
     * and never after MiniportHaltEx returns (rule Status_IndicationState). A link state equal to the
     * last one is suppressed, as NDIS does.
     */
    public static void indicateStatusEx(NdisMiniportAdapterHandle miniportAdapterHandle,
                                        NdisStatusIndication statusIndication) {
        Kernel kernel = Ndis.kernelOf(miniportAdapterHandle, "NdisMIndicateStatusEx");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_MiniportDriver_Function, "NdisMIndicateStatusEx");
        miniportAdapterHandle.adapter().indicateStatus(statusIndication);
    }

    /** NdisMPauseComplete: completes a MiniportPause that returned PENDING. IRQL &lt;= DISPATCH_LEVEL. */
    public static void pauseComplete(NdisMiniportAdapterHandle miniportAdapterHandle) {
        Kernel kernel = Ndis.kernelOf(miniportAdapterHandle, "NdisMPauseComplete");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_MiniportDriver_Function, "NdisMPauseComplete");
        miniportAdapterHandle.adapter().complete(AdapterState.Pausing, NdisStatus.SUCCESS, "NdisMPauseComplete");
    }

    /** NdisMRestartComplete: completes a MiniportRestart that returned PENDING. IRQL &lt;= DISPATCH_LEVEL. */
    public static void restartComplete(NdisMiniportAdapterHandle miniportAdapterHandle, NdisStatus status) {
        Kernel kernel = Ndis.kernelOf(miniportAdapterHandle, "NdisMRestartComplete");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_MiniportDriver_Function, "NdisMRestartComplete");
        miniportAdapterHandle.adapter().complete(AdapterState.Restarting, status, "NdisMRestartComplete");
    }

    /**
     * NdisMSleep: blocks the calling thread for {@code microsecondsToSleep}. IRQL = PASSIVE_LEVEL
     * (rule Irql_MiniportDriver_Function): at DISPATCH_LEVEL it would stop the processor.
     */
    public static void sleep(int microsecondsToSleep) {
        Kernel kernel = Ndis.currentKernel("NdisMSleep");
        ThreadContext ctx = Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_MiniportDriver_Function,
                "NdisMSleep");
        try {
            kernel.scheduler().sleep(microsecondsToSleep * 1_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kernel.checkAlive();
        assert ctx.irql() == Irql.PASSIVE_LEVEL;
    }

    // ==== interrupts ====================================================================
    // (section reserved for interrupts; keep additions between this marker and the next)


    // ==== OID requests ====================================================================
    // (section reserved for OID requests; keep additions between this marker and the next)

    /**
     * NdisMOidRequestComplete: completes an OID request whose MiniportOidRequest returned PENDING.
     * IRQL &lt;= DISPATCH_LEVEL (rule Irql_OID_Function). Once per pending request (DoubleComplete), only
     * for a request NDIS gave this adapter (OidRequest_CompleteNotPending), never with PENDING
     * (OidRequest_Result). NDIS then hands the adapter its next queued request.
     */
    public static void oidRequestComplete(NdisMiniportAdapterHandle miniportAdapterHandle,
                                          org.ndis4j.ndis.oid.NdisOidRequest oidRequest, NdisStatus status) {
        Kernel kernel = Ndis.kernelOf(miniportAdapterHandle, "NdisMOidRequestComplete");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_OID_Function, "NdisMOidRequestComplete");
        miniportAdapterHandle.adapter().oidBroker().complete(oidRequest, status);
    }



    // ==== data path ====================================================================
    // (section reserved for data path; keep additions between this marker and the next)

    /**
     * NdisMSendNetBufferListsComplete. IRQL &lt;= DISPATCH_LEVEL (rule Irql_SendRcv_Function;
     * NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL only at DISPATCH_LEVEL). Every NBL of the chain was sent
     * to this adapter (Nbl_CompleteNotSent), is completed once (Nbl_DoubleComplete) and carries its
     * final status (Nbl_InvalidParameter). The chain goes up to the sender.
     */
    public static void sendNetBufferListsComplete(NdisMiniportAdapterHandle miniportAdapterHandle,
                                                  org.ndis4j.ndis.nbl.NetBufferList netBufferList, int sendCompleteFlags) {
        Ndis.kernelOf(miniportAdapterHandle, "NdisMSendNetBufferListsComplete");
        miniportAdapterHandle.adapter().dataPath().sendComplete(netBufferList, sendCompleteFlags);
    }

    /**
     * NdisMIndicateReceiveNetBufferLists. IRQL &lt;= DISPATCH_LEVEL (rule Irql_SendRcv_Function;
     * NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL only at DISPATCH_LEVEL). Only while Running or Pausing
     * (Receive_IndicationState); {@code numberOfNetBufferLists} is the chain's length. NDIS sets each
     * NBL's SourceHandle to the adapter handle. With NDIS_RECEIVE_FLAGS_RESOURCES the miniport owns
     * the NBLs again when this returns; otherwise they come back through MiniportReturnNetBufferLists.
     */
    public static void indicateReceiveNetBufferLists(NdisMiniportAdapterHandle miniportAdapterHandle,
                                                     org.ndis4j.ndis.nbl.NetBufferList netBufferList, int portNumber,
                                                     int numberOfNetBufferLists, int receiveFlags) {
        Ndis.kernelOf(miniportAdapterHandle, "NdisMIndicateReceiveNetBufferLists");
        miniportAdapterHandle.adapter().dataPath().indicate(netBufferList, portNumber, numberOfNetBufferLists,
                receiveFlags);
    }


    // ==== upper edges ====================================================================
    // (section reserved for upper edges; keep additions between this marker and the next)

}
