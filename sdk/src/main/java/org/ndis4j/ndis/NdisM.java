package org.ndis4j.ndis;

import org.ndis4j.hw.SharedMemory;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.internal.Handles;
import org.ndis4j.ndis.internal.Interrupt;
import org.ndis4j.ndis.internal.LoadedDriver;
import org.ndis4j.ndis.internal.MiniportAdapter;
import org.ndis4j.ndis.internal.MiniportDriverBlock;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.miniport.InterruptHandlers;
import org.ndis4j.ndis.miniport.MiniportAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportSynchronizeInterrupt;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisInterrupt;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * The NdisMXxx functions a miniport calls ({@code NdisMRegisterMiniportDriver} →
 * {@code NdisM.registerMiniportDriver}). Each checks its IRQL, resolves its handles to NDIS's objects
 * behind them and hands over to NDIS's engine.
 */
public final class NdisM {

    private NdisM() {}

    /**
     * NdisMRegisterMiniportDriver, from DriverEntry. IRQL = PASSIVE_LEVEL. Returns the driver
     * handle; the characteristics are the driver's handlers. {@code miniportDriverContext} is what C
     * hands MiniportSetOptions, which ndis4j does not call: it is accepted and not kept.
     */
    public static <A> NdisMiniportDriverHandle registerMiniportDriver(
            DriverObject driverObject,
            String registryPath,
            Object miniportDriverContext,
            MiniportDriver<A> miniportDriverCharacteristics) {
        LoadedDriver driver = Handles.driverObject(driverObject, "NdisMRegisterMiniportDriver");
        Kernel kernel = driver.kernel();
        Verifier.irqlEquals(
                kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Miniport_Driver_Function, "NdisMRegisterMiniportDriver");
        if (miniportDriverCharacteristics == null) {
            throw Verifier.violation(
                    kernel, Rule.Handle_Invalid, 0, 0, "NdisMRegisterMiniportDriver without characteristics");
        }
        return MiniportDriverBlock.register(driver, miniportDriverCharacteristics);
    }

    /**
     * NdisMDeregisterMiniportDriver, from MiniportDriverUnload (or a DriverEntry that fails after
     * registering). IRQL = PASSIVE_LEVEL (rule Irql_Miniport_Driver_Function). Every adapter of the
     * driver must be halted: one still present is 0x7C / 0x0A NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED.
     * The handle is invalid afterwards (Handle_Invalid).
     */
    public static void deregisterMiniportDriver(NdisMiniportDriverHandle ndisMiniportDriverHandle) {
        MiniportDriverBlock block = Handles.miniportDriver(ndisMiniportDriverHandle, "NdisMDeregisterMiniportDriver");
        Verifier.irqlEquals(
                block.kernel(),
                Irql.PASSIVE_LEVEL,
                Rule.Irql_Miniport_Driver_Function,
                "NdisMDeregisterMiniportDriver");
        block.deregister();
    }

    /**
     * NdisMResetComplete: completes a reset whose MiniportResetEx returned NDIS_STATUS_PENDING, with
     * its final status and AddressingReset (TRUE: NDIS sets the packet filter and multicast list again
     * through MiniportOidRequest). IRQL &lt;= DISPATCH_LEVEL (rule Irql_Miniport_Driver_Function); release
     * spin locks first. With no reset pending it is 0x7C / 0x0F NDIS_BUGCHECK_RESET_COMPLETE_UNEXPECTED;
     * with the OID request the miniport held at the reset's start still pending, Reset_OidRequestPending.
     */
    public static void resetComplete(
            NdisMiniportAdapterHandle miniportAdapterHandle, NdisStatus status, boolean addressingReset) {
        MiniportAdapter adapter = Handles.adapter(miniportAdapterHandle, "NdisMResetComplete");
        Verifier.irqlAtMost(
                adapter.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_Miniport_Driver_Function, "NdisMResetComplete");
        adapter.reset().complete(status, addressingReset);
    }

    /**
     * NdisMSetMiniportAttributes, from MiniportInitializeEx. IRQL = PASSIVE_LEVEL. Registration
     * attributes first (they carry the adapter context), then general attributes.
     */
    public static NdisStatus setMiniportAttributes(
            NdisMiniportAdapterHandle ndisMiniportAdapterHandle, MiniportAttributes miniportAttributes) {
        MiniportAdapter adapter = Handles.adapter(ndisMiniportAdapterHandle, "NdisMSetMiniportAttributes");
        Verifier.irqlEquals(
                adapter.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Miniport_Driver_Function, "NdisMSetMiniportAttributes");
        if (miniportAttributes == null) {
            return NdisStatus.INVALID_PARAMETER;
        }
        adapter.setAttributes(miniportAttributes);
        return NdisStatus.SUCCESS;
    }

    /**
     * NdisMIndicateStatusEx. IRQL &lt;= DISPATCH_LEVEL (rule Irql_StatusIndication_Function). Allowed once
     * registration attributes are set and never after MiniportHaltEx returns (rule
     * Status_IndicationState). A link state equal to the last one is suppressed, as NDIS does.
     */
    public static void indicateStatusEx(
            NdisMiniportAdapterHandle miniportAdapterHandle, NdisStatusIndication statusIndication) {
        MiniportAdapter adapter = Handles.adapter(miniportAdapterHandle, "NdisMIndicateStatusEx");
        Verifier.irqlAtMost(
                adapter.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_StatusIndication_Function, "NdisMIndicateStatusEx");
        adapter.indicateStatus(statusIndication);
    }

    /** NdisMPauseComplete: completes a MiniportPause that returned PENDING. IRQL &lt;= DISPATCH_LEVEL. */
    public static void pauseComplete(NdisMiniportAdapterHandle miniportAdapterHandle) {
        MiniportAdapter adapter = Handles.adapter(miniportAdapterHandle, "NdisMPauseComplete");
        Verifier.irqlAtMost(
                adapter.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_Miniport_Driver_Function, "NdisMPauseComplete");
        adapter.complete(AdapterState.Pausing, NdisStatus.SUCCESS, "NdisMPauseComplete");
    }

    /** NdisMRestartComplete: completes a MiniportRestart that returned PENDING. IRQL &lt;= DISPATCH_LEVEL. */
    public static void restartComplete(NdisMiniportAdapterHandle miniportAdapterHandle, NdisStatus status) {
        MiniportAdapter adapter = Handles.adapter(miniportAdapterHandle, "NdisMRestartComplete");
        Verifier.irqlAtMost(
                adapter.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_Miniport_Driver_Function, "NdisMRestartComplete");
        adapter.complete(AdapterState.Restarting, status, "NdisMRestartComplete");
    }

    /**
     * NdisMAllocateSharedMemory: memory both the miniport (through {@code virtualAddress()}) and its
     * bus-master device (through {@code physicalAddress()}) reach. IRQL = PASSIVE_LEVEL. Returns null
     * when the allocation fails. {@code cached} is accepted and has no effect in the simulation.
     * Everything allocated must be freed by the end of MiniportHaltEx (rule SharedMemory_Leak).
     */
    public static SharedMemory allocateSharedMemory(
            NdisMiniportAdapterHandle miniportAdapterHandle, int length, boolean cached) {
        MiniportAdapter adapter = Handles.adapter(miniportAdapterHandle, "NdisMAllocateSharedMemory");
        Verifier.irqlEquals(
                adapter.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Miniport_Driver_Function, "NdisMAllocateSharedMemory");
        return adapter.allocations().allocateSharedMemory(length);
    }

    /** NdisMFreeSharedMemory. IRQL = PASSIVE_LEVEL. Length and block are those of the allocation. */
    public static void freeSharedMemory(
            NdisMiniportAdapterHandle miniportAdapterHandle, int length, boolean cached, SharedMemory sharedMemory) {
        MiniportAdapter adapter = Handles.adapter(miniportAdapterHandle, "NdisMFreeSharedMemory");
        Verifier.irqlEquals(
                adapter.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Miniport_Driver_Function, "NdisMFreeSharedMemory");
        adapter.allocations().freeSharedMemory(length, sharedMemory);
    }

    /**
     * NdisMSleep: blocks the calling thread for {@code microsecondsToSleep}. IRQL &lt; DISPATCH_LEVEL
     * (rule Irql_Miniport_Driver_Function): at DISPATCH_LEVEL it would stop the processor.
     */
    public static void sleep(int microsecondsToSleep) {
        Kernel kernel = Handles.currentKernel("NdisMSleep");
        Verifier.irqlAtMost(kernel, Irql.APC_LEVEL, Rule.Irql_Miniport_Driver_Function, "NdisMSleep");
        try {
            kernel.delayExecution(microsecondsToSleep * 1_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kernel.checkAlive();
    }

    // ---- interrupts ----------------------------------------------------------------------------

    /**
     * NdisMRegisterInterruptEx. Runs at IRQL = PASSIVE_LEVEL (rule Irql_Interrupt_Function), from
     * MiniportInitializeEx after the registration attributes are set, once per adapter (rule
     * Interrupt_RegisterState). Connects the device's interrupt line (from
     * {@code MiniportInitParameters.allocatedResources()}) to {@code miniportInterruptCharacteristics}:
     * from now on a raise of the line runs MiniportInterrupt at DIRQL on a processor.
     *
     * <p>C returns an NDIS_STATUS and writes the handle to an out-parameter; here the handle is the
     * return value. ndis4j's NDIS has no reason to refuse a line-based interrupt, so it never fails;
     * breaking a rule is a bug check, as everywhere else.
     *
     * @param miniportInterruptContext passed to every handler (MiniportInterruptContext)
     * @return the interrupt handle (NdisInterruptHandle); deregister it by the end of MiniportHaltEx
     */
    public static <C> NdisInterrupt registerInterruptEx(
            NdisMiniportAdapterHandle miniportAdapterHandle,
            C miniportInterruptContext,
            InterruptHandlers<C> miniportInterruptCharacteristics) {
        MiniportAdapter adapter = Handles.adapter(miniportAdapterHandle, "NdisMRegisterInterruptEx");
        Verifier.irqlEquals(
                adapter.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Interrupt_Function, "NdisMRegisterInterruptEx");
        return Interrupt.register(adapter, miniportInterruptContext, miniportInterruptCharacteristics);
    }

    /**
     * NdisMDeregisterInterruptEx. Runs at IRQL = PASSIVE_LEVEL (rule Irql_Interrupt_Function),
     * normally from MiniportHaltEx (or a failing MiniportInitializeEx) after the driver disabled the
     * device's interrupts. Disconnects the line, then waits until every ISR and DPC of this interrupt
     * that was requested has finished; afterwards NDIS calls none of its handlers, and using the
     * handle again is rule Interrupt_UseAfterDeregister.
     */
    public static void deregisterInterruptEx(NdisInterrupt ndisInterruptHandle) {
        Interrupt interrupt = Handles.interrupt(ndisInterruptHandle, "NdisMDeregisterInterruptEx");
        Verifier.irqlEquals(
                interrupt.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Interrupt_Function, "NdisMDeregisterInterruptEx");
        interrupt.deregister();
    }

    /**
     * NdisMQueueDpcEx. Runs at IRQL &lt;= DIRQL (rule Irql_Interrupt_Function): from MiniportInterrupt,
     * from MiniportInterruptDPC, or from any other code. Queues MiniportInterruptDPC on every processor
     * set in {@code targetProcessors} (KAFFINITY of processor group 0, bit n = processor n), passing
     * {@code miniportDpcContext}. {@code messageId} must be 0 for a line-based interrupt.
     *
     * @return the processors where a DPC was queued now; a processor where this interrupt's DPC is
     *         already queued is left out (its DPC keeps its first context), and so is every processor
     *         once deregistration has started
     */
    public static long queueDpcEx(
            NdisInterrupt ndisInterruptHandle, int messageId, long targetProcessors, Object miniportDpcContext) {
        Interrupt interrupt = Handles.interrupt(ndisInterruptHandle, "NdisMQueueDpcEx");
        Verifier.irqlAtMost(interrupt.kernel(), Irql.DIRQL, Rule.Irql_Interrupt_Function, "NdisMQueueDpcEx");
        long queued = interrupt.queueDpcEx(messageId, targetProcessors, miniportDpcContext);
        interrupt.kernel().switchPoint("NdisMQueueDpcEx:queued");
        return queued;
    }

    /**
     * NdisMSynchronizeWithInterruptEx. Runs at IRQL &lt;= DIRQL (rule Irql_Interrupt_Function). Raises
     * to DIRQL, takes the interrupt lock (MiniportInterrupt does not run meanwhile, on any processor),
     * runs {@code synchronizeFunction(synchronizeContext)}, releases and restores the caller's IRQL.
     * Calling it from the interrupt's own MiniportInterrupt or synchronize function would deadlock
     * (rule Interrupt_InvalidParameter); after deregistration it is Interrupt_UseAfterDeregister.
     *
     * @return what the synchronize function returned
     */
    public static <C> boolean synchronizeWithInterruptEx(
            NdisInterrupt ndisInterruptHandle,
            int messageId,
            MiniportSynchronizeInterrupt<C> synchronizeFunction,
            C synchronizeContext) {
        Interrupt interrupt = Handles.interrupt(ndisInterruptHandle, "NdisMSynchronizeWithInterruptEx");
        Verifier.irqlAtMost(
                interrupt.kernel(), Irql.DIRQL, Rule.Irql_Interrupt_Function, "NdisMSynchronizeWithInterruptEx");
        return interrupt.synchronize(messageId, synchronizeFunction, synchronizeContext);
    }

    // ---- OID requests --------------------------------------------------------------------------

    /**
     * NdisMOidRequestComplete: completes an OID request whose MiniportOidRequest returned PENDING.
     * IRQL &lt;= DISPATCH_LEVEL (rule Irql_OID_Function). Once per pending request (DoubleComplete), only
     * for a request NDIS gave this adapter (OidRequest_CompleteNotPending), never with PENDING
     * (OidRequest_Result). NDIS then hands the adapter its next queued request.
     */
    public static void oidRequestComplete(
            NdisMiniportAdapterHandle miniportAdapterHandle, NdisOidRequest oidRequest, NdisStatus status) {
        MiniportAdapter adapter = Handles.adapter(miniportAdapterHandle, "NdisMOidRequestComplete");
        Verifier.irqlAtMost(adapter.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_OID_Function, "NdisMOidRequestComplete");
        adapter.oidBroker().complete(oidRequest, status);
    }

    // ---- data path -----------------------------------------------------------------------------

    /**
     * NdisMSendNetBufferListsComplete. IRQL &lt;= DISPATCH_LEVEL (rule Irql_SendRcv_Function;
     * NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL only at DISPATCH_LEVEL). Every NBL of the chain was sent
     * to this adapter (Nbl_CompleteNotSent), is completed once (Nbl_DoubleComplete) and carries its
     * final status (Nbl_InvalidParameter). The chain goes up to the sender.
     */
    public static void sendNetBufferListsComplete(
            NdisMiniportAdapterHandle miniportAdapterHandle, NetBufferList netBufferList, int sendCompleteFlags) {
        MiniportAdapter adapter = Handles.adapter(miniportAdapterHandle, "NdisMSendNetBufferListsComplete");
        adapter.dataPath().sendComplete(netBufferList, sendCompleteFlags); // checks the IRQL and the flag
    }

    /**
     * NdisMIndicateReceiveNetBufferLists. IRQL &lt;= DISPATCH_LEVEL (rule Irql_SendRcv_Function;
     * NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL only at DISPATCH_LEVEL). From the moment NDIS calls
     * MiniportRestart, while Running, and while Pausing until the pause completes
     * (Receive_IndicationState); {@code numberOfNetBufferLists} is the chain's length. Each NBL's
     * SourceHandle is the miniport's own adapter handle, set by the miniport (Receive_SourceHandle);
     * NDIS passes it up unchanged. With NDIS_RECEIVE_FLAGS_RESOURCES the miniport owns the NBLs again
     * when this returns; otherwise they come back through MiniportReturnNetBufferLists.
     */
    public static void indicateReceiveNetBufferLists(
            NdisMiniportAdapterHandle miniportAdapterHandle,
            NetBufferList netBufferList,
            int portNumber,
            int numberOfNetBufferLists,
            int receiveFlags) {
        MiniportAdapter adapter = Handles.adapter(miniportAdapterHandle, "NdisMIndicateReceiveNetBufferLists");
        // The data path checks the IRQL and the flag.
        adapter.dataPath().indicate(netBufferList, portNumber, numberOfNetBufferLists, receiveFlags);
    }
}
