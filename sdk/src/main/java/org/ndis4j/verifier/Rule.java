package org.ndis4j.verifier;

/**
 * The rules the verifier enforces. Names are Static Driver Verifier's NDIS rules where one exists
 * ({@link Origin#SDV}); the others are ndis4j's own names for rules NDIS documents but no SDV rule
 * names ({@link Origin#NDIS4J}). A violation is bug check 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION with
 * {@link #id()} as parameter 1. Windows does not publish IDs for NDIS DDI rules; these IDs are
 * ndis4j's, stable, and listed in docs/verifier-rules.md.
 */
public enum Rule {
    Irql_Miscellaneous_Function(
            0x00092001,
            Origin.SDV,
            "NdisAllocateIoWorkItem, NdisQueueIoWorkItem, NdisFreeIoWorkItem at IRQL <= DISPATCH_LEVEL; "
                    + "NdisWaitEvent, NdisRegisterDeviceEx, NdisDeregisterDeviceEx, NdisOpenConfigurationEx, "
                    + "NdisReadConfiguration, NdisWriteConfiguration, NdisCloseConfiguration, "
                    + "NdisReadNetworkAddress at PASSIVE_LEVEL"),
    Irql_Synch_Function(
            0x00092002,
            Origin.SDV,
            "NdisAcquireSpinLock at IRQL <= DISPATCH_LEVEL; NdisDprAcquireSpinLock and "
                    + "NdisDprReleaseSpinLock at DISPATCH_LEVEL; NdisSetEvent/NdisResetEvent <= DISPATCH_LEVEL"),
    Irql_Timer_Function(
            0x00092003,
            Origin.SDV,
            "NdisAllocateTimerObject, NdisSetTimerObject, NdisCancelTimerObject, NdisFreeTimerObject "
                    + "at IRQL <= DISPATCH_LEVEL (a periodic timer's cancel: rule PeriodicTimer)"),
    Irql_Miniport_Driver_Function(
            0x00092004,
            Origin.SDV,
            "NdisMRegisterMiniportDriver, NdisMSetMiniportAttributes, NdisMAllocateSharedMemory at PASSIVE_LEVEL; "
                    + "NdisMSleep below DISPATCH_LEVEL; NdisMPauseComplete, NdisMRestartComplete <= DISPATCH_LEVEL"),
    Init_NdisAllocateIoWorkItem(
            0x00092005,
            Origin.SDV,
            "every work item allocated with the adapter handle is freed by the end of MiniportHaltEx "
                    + "(or of a failed MiniportInitializeEx)"),
    IoWorkItem_HandleKind(
            0x00092006,
            Origin.NDIS4J,
            "NdisAllocateIoWorkItem takes a miniport adapter, miniport driver, filter module, filter driver "
                    + "or NdisRegisterDeviceEx device handle; a protocol handle has no device object and is refused"),
    IoWorkItem_DoubleQueue(
            0x00092007, Origin.NDIS4J, "a work item that is queued and has not started is not queued again"),
    IoWorkItem_FreeWhileQueued(0x00092008, Origin.NDIS4J, "a queued work item is not freed before its routine starts"),
    IoWorkItem_UseAfterFree(0x00092009, Origin.NDIS4J, "a freed work item is not queued or freed again"),
    Adapter_StateTransition(
            0x0009200A,
            Origin.NDIS4J,
            "the adapter moves only along the NDIS 6 state machine; pause cannot fail; "
                    + "completions come only for a pending pause or restart"),
    Status_IndicationState(
            0x0009200B,
            Origin.NDIS4J,
            "NdisMIndicateStatusEx only after registration attributes are set and never after "
                    + "MiniportHaltEx returns"),
    Init_SetAttributes(
            0x0009200C,
            Origin.NDIS4J,
            "MiniportInitializeEx sets registration attributes first, then general attributes, once each, "
                    + "before it returns success"),
    SpinLock(
            0x0009200D,
            Origin.SDV,
            "a spin lock is not acquired twice by its holder, only its holder releases it, and it is released "
                    + "before the routine that took it (a handler, DPC, ISR or work item) returns"),
    TimerObject_Leak(
            0x0009200E,
            Origin.NDIS4J,
            "every timer object allocated with the adapter handle is freed by the end of MiniportHaltEx, every "
                    + "one allocated with a driver handle by the end of the unload routine, and none is freed while set"),
    SharedMemory_Leak(
            0x0009200F,
            Origin.NDIS4J,
            "shared memory allocated with the adapter handle is freed by the end of MiniportHaltEx"),
    Handle_Invalid(
            0x00092010, Origin.NDIS4J, "a handle passed to NDIS is of the kind the function takes, and still valid"),
    Irql_StatusIndication_Function(0x00092011, Origin.SDV, "NdisMIndicateStatusEx at IRQL <= DISPATCH_LEVEL"),
    PeriodicTimer(
            0x00092012,
            Origin.SDV,
            "NdisCancelTimerObject on a timer set with a nonzero MillisecondsPeriod runs at PASSIVE_LEVEL (it "
                    + "flushes the queued DPCs); a one-shot timer may be cancelled at IRQL <= DISPATCH_LEVEL"),
    TimerObject_UseAfterFree(0x00092013, Origin.NDIS4J, "a freed timer object is not set, cancelled or freed again"),
    Device_LeakAtUnload(
            0x00092014,
            Origin.NDIS4J,
            "every device registered with NdisRegisterDeviceEx is deregistered with NdisDeregisterDeviceEx "
                    + "before its driver unloads"),
    Reset_Completion(
            0x00092015,
            Origin.NDIS4J,
            "MiniportResetEx returns a status; NdisMResetComplete only for a reset whose MiniportResetEx returned "
                    + "NDIS_STATUS_PENDING (inside it is legal only if it then returns PENDING), with a final status "
                    + "(NdisMResetComplete with no reset at all is 0x7C / 0x0F, as in Windows)"),
    Reset_OidRequestPending(
            0x00092016,
            Origin.NDIS4J,
            "since NDIS 6.30 a miniport completes the OID request it holds before its reset completes "
                    + "(MiniportResetEx returning a final status, or NdisMResetComplete)"),
    Driver_DeregisterAtUnload(
            0x00092017,
            Origin.NDIS4J,
            "a driver's unload routine deregisters what its DriverEntry registered: "
                    + "NdisMDeregisterMiniportDriver, NdisFDeregisterFilterDriver, NdisDeregisterProtocolDriver"),
    IoWorkItem_LeakAtUnload(
            0x00092018,
            Origin.NDIS4J,
            "every work item allocated with a driver handle (miniport driver, filter driver, or a device of "
                    + "the driver) is freed by the end of the driver's unload routine"),

    // ---- configuration (0x925xx) ----
    NdisOpenConfigurationEx(
            0x00092500,
            Origin.SDV,
            "every configuration handle NdisOpenConfigurationEx opened with the adapter handle is closed with "
                    + "NdisCloseConfiguration by the end of MiniportInitializeEx, or of MiniportHaltEx for one "
                    + "opened later"),

    // ---- interrupts (0x921xx) ----
    Irql_Interrupt_Function(
            0x00092100,
            Origin.SDV,
            "NdisMRegisterInterruptEx and NdisMDeregisterInterruptEx at PASSIVE_LEVEL; ndis4j also checks "
                    + "NdisMQueueDpcEx and NdisMSynchronizeWithInterruptEx at IRQL <= DIRQL"),
    Interrupt_LeakAtHalt(
            0x00092101,
            Origin.NDIS4J,
            "an interrupt registered with NdisMRegisterInterruptEx is deregistered by the end of "
                    + "MiniportHaltEx (or of a failed MiniportInitializeEx)"),
    Interrupt_RegisterState(
            0x00092102,
            Origin.NDIS4J,
            "NdisMRegisterInterruptEx only from MiniportInitializeEx, after the registration attributes, "
                    + "once per adapter"),
    Interrupt_UseAfterDeregister(
            0x00092103,
            Origin.NDIS4J,
            "no NdisMQueueDpcEx, NdisMSynchronizeWithInterruptEx or NdisMDeregisterInterruptEx on an "
                    + "interrupt that was deregistered"),
    Interrupt_InvalidParameter(
            0x00092104,
            Origin.NDIS4J,
            "interrupt handlers are present; MiniportInterrupt returns a result; message id 0 for a "
                    + "line-based interrupt; target processors exist; a synchronize function is present "
                    + "and is not called from the interrupt's own MiniportInterrupt"),

    // ---- OID requests (0x922xx) ----
    DoubleComplete(
            0x00092200,
            Origin.SDV,
            "NdisMOidRequestComplete is called once for a request whose MiniportOidRequest returned "
                    + "NDIS_STATUS_PENDING, and never for one that returned another status"),
    OidRequest_CompleteNotPending(
            0x00092201,
            Origin.NDIS4J,
            "NdisMOidRequestComplete only for a request NDIS handed to this miniport adapter and that still "
                    + "pends there (not one NDIS still queues, one of another adapter, or one never issued)"),
    NdisOidDoubleRequest(
            0x00092202,
            Origin.SDV,
            "an NDIS_OID_REQUEST is not issued again while it is pending (Driver Verifier reports the same "
                    + "rule as 0xC4 / 0x0009100E)"),
    Irql_OID_Function(
            0x00092203,
            Origin.SDV,
            "NdisMOidRequestComplete, issuing an OID request and cancelling one at IRQL <= DISPATCH_LEVEL"),
    OidRequest_PendingAtHalt(
            0x00092204,
            Origin.NDIS4J,
            "no OID request still pends in the miniport when NDIS is to halt the adapter (NDIS does not call "
                    + "MiniportHaltEx while an OID request is outstanding; it waits a grace period, then stops)"),
    OidRequest_Result(
            0x00092205,
            Origin.NDIS4J,
            "MiniportOidRequest returns a status (not null); NdisMOidRequestComplete never passes "
                    + "NDIS_STATUS_PENDING; BytesWritten/BytesRead stay within the buffer; BUFFER_TOO_SHORT comes "
                    + "with BytesNeeded larger than the buffer"),

    // ---- data path (0x923xx) ----
    Irql_SendRcv_Function(
            0x00092300,
            Origin.SDV,
            "NdisSendNetBufferLists, NdisMSendNetBufferListsComplete, NdisMIndicateReceiveNetBufferLists, "
                    + "NdisReturnNetBufferLists, NdisCancelSendNetBufferLists at IRQL <= DISPATCH_LEVEL; "
                    + "a *_DISPATCH_LEVEL flag only at DISPATCH_LEVEL"),
    Irql_NetBuffer_Function(
            0x00092301,
            Origin.SDV,
            "NdisAllocate/FreeNetBufferListPool, NdisAllocateNetBufferList, "
                    + "NdisAllocateNetBufferAndNetBufferList, NdisFreeNetBufferList at IRQL <= DISPATCH_LEVEL"),
    Nbl_DoubleComplete(
            0x00092302, Origin.NDIS4J, "NdisMSendNetBufferListsComplete completes each NBL it was sent exactly once"),
    Nbl_CompleteNotSent(
            0x00092303,
            Origin.NDIS4J,
            "NdisMSendNetBufferListsComplete only completes NBLs NDIS sent to that miniport adapter"),
    Receive_IndicationState(
            0x00092304,
            Origin.NDIS4J,
            "NdisMIndicateReceiveNetBufferLists only while the adapter is Running, or Pausing until its "
                    + "pause has completed; never Paused, Restarting, Initializing or Halted"),
    Nbl_OutstandingAtHalt(
            0x00092305,
            Origin.NDIS4J,
            "when MiniportHaltEx returns, no NBL sent to the miniport is uncompleted and no NBL it "
                    + "indicated is unreturned"),
    NblPool_FreeWithOutstanding(
            0x00092306,
            Origin.NDIS4J,
            "NdisFreeNetBufferListPool only when every NBL allocated from the pool has been freed"),
    Nbl_UseAfterFree(
            0x00092307,
            Origin.NDIS4J,
            "a freed NBL (or pool) is not freed again, sent, indicated, completed or returned"),
    Nbl_NotOwned(
            0x00092308,
            Origin.NDIS4J,
            "an NBL is sent, indicated, returned or freed only by the driver that owns it at that moment"),
    Nbl_InvalidParameter(
            0x00092309,
            Origin.NDIS4J,
            "data-path arguments are well formed: non-null chains that do not loop, NumberOfNbls equal to "
                    + "the chain length, data inside the MDL chain, a final status on completed sends"),
    NblPool_Leak(
            0x0009230A,
            Origin.NDIS4J,
            "every NBL pool allocated with the adapter handle is freed by the end of MiniportHaltEx"),
    Nbl_OutstandingAtPause(
            0x0009230B,
            Origin.NDIS4J,
            "a miniport completes its pause only after it has completed every send and got back every NBL "
                    + "it indicated (NdisMPauseComplete / MiniportPause returning SUCCESS)"),
    Receive_SourceHandle(
            0x0009230C,
            Origin.NDIS4J,
            "every NBL a miniport indicates carries its own miniport adapter handle as SourceHandle (NDIS "
                    + "returns the NBL to the driver SourceHandle names)"),

    // ---- upper edges (0x924xx) ----
    Irql_Filter_Driver_Function(
            0x00092400,
            Origin.SDV,
            "NdisFRegisterFilterDriver, NdisFDeregisterFilterDriver, NdisFSetAttributes at PASSIVE_LEVEL; "
                    + "NdisFIndicateStatus and the filter data path at IRQL <= DISPATCH_LEVEL"),
    Irql_Protocol_Driver_Function(
            0x00092401,
            Origin.SDV,
            "NdisRegisterProtocolDriver, NdisDeregisterProtocolDriver, NdisOpenAdapterEx, NdisCloseAdapterEx "
                    + "at PASSIVE_LEVEL; the protocol data path at IRQL <= DISPATCH_LEVEL"),
    Send_SourceHandle(
            0x00092402,
            Origin.NDIS4J,
            "a protocol stamps every NBL it sends with its binding handle as SourceHandle; a send completion "
                    + "that reaches the top of the stack belongs to a protocol binding");

    /** Where a rule's name comes from. */
    public enum Origin {
        /** Static Driver Verifier's NDIS rule of the same name. */
        SDV,
        /** ndis4j's name for a rule NDIS documents but SDV does not name. */
        NDIS4J
    }

    private final int id;
    private final Origin origin;
    private final String description;

    Rule(int id, Origin origin, String description) {
        this.id = id;
        this.origin = origin;
        this.description = description;
    }

    /** Bug check 0xC4 parameter 1. */
    public int id() {
        return id;
    }

    public Origin origin() {
        return origin;
    }

    public String description() {
        return description;
    }
}
