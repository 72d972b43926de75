package org.ndis4j.ndis;

import io.netty.buffer.ByteBuf;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.config.NdisConfigurationObject;
import org.ndis4j.ndis.config.NdisConfigurationParameter;
import org.ndis4j.ndis.config.NdisParameterType;
import org.ndis4j.ndis.internal.Binding;
import org.ndis4j.ndis.internal.ConfigurationKey;
import org.ndis4j.ndis.internal.Event;
import org.ndis4j.ndis.internal.Handles;
import org.ndis4j.ndis.internal.IoWorkItem;
import org.ndis4j.ndis.internal.NblPool;
import org.ndis4j.ndis.internal.NdisDevice;
import org.ndis4j.ndis.internal.ProtocolBlock;
import org.ndis4j.ndis.internal.SpinLock;
import org.ndis4j.ndis.internal.TimerObject;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.protocol.NdisBindContext;
import org.ndis4j.ndis.protocol.ProtocolDriver;
import org.ndis4j.ndis.types.IoWorkItemRoutine;
import org.ndis4j.ndis.types.NdisBindingHandle;
import org.ndis4j.ndis.types.NdisConfigurationHandle;
import org.ndis4j.ndis.types.NdisDeviceHandle;
import org.ndis4j.ndis.types.NdisDeviceObjectAttributes;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisProtocolDriverHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisTimer;
import org.ndis4j.ndis.types.NdisTimerFunction;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * The NdisXxx functions ({@code NdisAllocateIoWorkItem} → {@code Ndis.allocateIoWorkItem}). Each
 * checks the IRQL its WDK page gives, resolves its handle arguments to NDIS's objects behind them (a
 * handle NDIS did not make is rule Handle_Invalid) and hands over to NDIS's engine, which checks
 * the rules in docs/verifier-rules.md. The handle argument carries the kernel.
 */
public final class Ndis {

    private Ndis() {}

    // ---- I/O work items ---------------------------------------------------------------------

    /**
     * NdisAllocateIoWorkItem. IRQL &lt;= DISPATCH_LEVEL. {@code ndisObjectHandle} is one of the WDK's
     * list: a miniport adapter handle, a miniport driver handle, a filter module handle, a filter
     * driver handle (from NdisFRegisterFilterDriver) or a device handle from {@link #registerDeviceEx};
     * a protocol handle is refused (rule IoWorkItem_HandleKind). Returns null when the allocation fails.
     */
    public static NdisIoWorkItem allocateIoWorkItem(NdisHandle ndisObjectHandle) {
        Kernel kernel = Handles.kernelOf(ndisObjectHandle, "NdisAllocateIoWorkItem");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisAllocateIoWorkItem");
        return IoWorkItem.allocate(ndisObjectHandle);
    }

    /**
     * NdisQueueIoWorkItem. IRQL &lt;= DISPATCH_LEVEL. The routine runs later at PASSIVE_LEVEL on a
     * CriticalWorkQueue worker thread as {@code routine.run(workItemContext, item)}. Queuing an item
     * that is queued and has not started is rule IoWorkItem_DoubleQueue.
     */
    public static <C> void queueIoWorkItem(
            NdisIoWorkItem ndisIoWorkItemHandle, IoWorkItemRoutine<C> routine, C workItemContext) {
        IoWorkItem item = Handles.workItem(ndisIoWorkItemHandle, "NdisQueueIoWorkItem");
        Verifier.irqlAtMost(
                item.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisQueueIoWorkItem");
        item.queue(routine, workItemContext);
        item.kernel().switchPoint("NdisQueueIoWorkItem:queued"); // a worker may start it now
    }

    /**
     * NdisFreeIoWorkItem. IRQL &lt;= DISPATCH_LEVEL. Legal inside the item's own routine; freeing a
     * queued item is IoWorkItem_FreeWhileQueued, freeing twice IoWorkItem_UseAfterFree.
     */
    public static void freeIoWorkItem(NdisIoWorkItem ndisIoWorkItemHandle) {
        IoWorkItem item = Handles.workItem(ndisIoWorkItemHandle, "NdisFreeIoWorkItem");
        Verifier.irqlAtMost(item.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisFreeIoWorkItem");
        item.free();
    }

    // ---- timers -----------------------------------------------------------------------------

    /**
     * NdisAllocateTimerObject. IRQL &lt;= DISPATCH_LEVEL. The timer function runs at DISPATCH_LEVEL with
     * {@code functionContext} (or the context given to {@link #setTimerObject}). Null on failure.
     */
    public static <C> NdisTimer allocateTimerObject(
            NdisHandle ndisHandle, NdisTimerFunction<C> timerFunction, C functionContext) {
        Kernel kernel = Handles.kernelOf(ndisHandle, "NdisAllocateTimerObject");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Timer_Function, "NdisAllocateTimerObject");
        return TimerObject.allocate(ndisHandle, timerFunction, functionContext);
    }

    /**
     * NdisSetTimerObject. IRQL &lt;= DISPATCH_LEVEL. Setting a freed timer is TimerObject_UseAfterFree. {@code dueTime} in 100-ns units: negative is
     * relative, positive absolute (interrupt time). {@code millisecondsPeriod} &gt; 0 makes it periodic.
     * {@code functionContext} replaces the allocation context when not null. Returns true when the
     * timer was already set.
     */
    public static boolean setTimerObject(
            NdisTimer timerObject, long dueTime, int millisecondsPeriod, Object functionContext) {
        TimerObject timer = Handles.timer(timerObject, "NdisSetTimerObject");
        Verifier.irqlAtMost(timer.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_Timer_Function, "NdisSetTimerObject");
        boolean wasSet = timer.set(dueTime, millisecondsPeriod, functionContext);
        timer.kernel().switchPoint("NdisSetTimerObject:set");
        return wasSet;
    }

    /**
     * NdisCancelTimerObject. A one-shot timer: IRQL &lt;= DISPATCH_LEVEL. A periodic timer (set with a
     * nonzero period): IRQL = PASSIVE_LEVEL (rule PeriodicTimer), and NDIS then flushes the queued DPCs
     * (KeFlushQueuedDpcs), so the timer function is not running anywhere when this returns. Returns
     * true when the timer was in the timer queue (as KeCancelTimer): an expiry whose DPC is queued
     * already is not cancelled, the call returns false and the timer function runs.
     */
    public static boolean cancelTimerObject(NdisTimer timerObject) {
        TimerObject timer = Handles.timer(timerObject, "NdisCancelTimerObject");
        Verifier.irqlAtMost(timer.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_Timer_Function, "NdisCancelTimerObject");
        return timer.cancel();
    }

    /**
     * NdisFreeTimerObject. IRQL &lt;= DISPATCH_LEVEL. The timer must not be set (TimerObject_Leak) and
     * its DPC must not be queued (TIMER_OR_DPC_INVALID); freeing it twice is TimerObject_UseAfterFree.
     */
    public static void freeTimerObject(NdisTimer timerObject) {
        TimerObject timer = Handles.timer(timerObject, "NdisFreeTimerObject");
        Verifier.irqlAtMost(timer.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_Timer_Function, "NdisFreeTimerObject");
        timer.free();
    }

    // ---- devices ----------------------------------------------------------------------------

    /**
     * NdisRegisterDeviceEx. IRQL = PASSIVE_LEVEL (rule Irql_Miscellaneous_Function). Creates a device
     * object with {@code deviceObjectAttributes} for the driver of {@code ndisHandle}, a miniport
     * driver handle or a filter driver handle. C returns a status and two out-parameters (the
     * DEVICE_OBJECT and the NDIS device handle); here the handle is the return value, and null means
     * the registration failed (a device of that name exists). Deregister it before the driver unloads
     * (rule Device_LeakAtUnload).
     */
    public static NdisDeviceHandle registerDeviceEx(
            NdisHandle ndisHandle, NdisDeviceObjectAttributes deviceObjectAttributes) {
        Kernel kernel = Handles.kernelOf(ndisHandle, "NdisRegisterDeviceEx");
        Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisRegisterDeviceEx");
        return NdisDevice.register(ndisHandle, deviceObjectAttributes);
    }

    /**
     * NdisDeregisterDeviceEx. IRQL = PASSIVE_LEVEL (rule Irql_Miscellaneous_Function). The handle is
     * invalid afterwards (Handle_Invalid).
     */
    public static void deregisterDeviceEx(NdisDeviceHandle ndisDeviceHandle) {
        NdisDevice device = Handles.device(ndisDeviceHandle, "NdisDeregisterDeviceEx");
        Verifier.irqlEquals(
                device.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisDeregisterDeviceEx");
        device.deregister();
    }

    // ---- configuration -----------------------------------------------------------------------

    /**
     * NdisOpenConfigurationEx. IRQL = PASSIVE_LEVEL (rule Irql_Miscellaneous_Function). Opens the
     * registry key of {@code configObject.ndisHandle()}: with a miniport adapter handle the adapter's
     * keywords (what the host configured, see docs/configuration.md); with a miniport driver, filter
     * or protocol driver handle that object's own Parameters key. C returns a status and the handle;
     * here the handle is the return value. A handle opened with the adapter handle must be closed by
     * the end of MiniportInitializeEx (rule NdisOpenConfigurationEx).
     */
    public static NdisConfigurationHandle openConfigurationEx(NdisConfigurationObject configObject) {
        Kernel kernel =
                Handles.kernelOf(configObject == null ? null : configObject.ndisHandle(), "NdisOpenConfigurationEx");
        Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisOpenConfigurationEx");
        return ConfigurationKey.open(configObject);
    }

    /**
     * NdisReadConfiguration. IRQL = PASSIVE_LEVEL. The value of {@code keyword} as {@code
     * parameterType} asks (REG_SZ text is parsed for NdisParameterInteger and
     * NdisParameterHexInteger), or null where C returns NDIS_STATUS_FAILURE: no such value, or one
     * that is not of that type. "NdisVersion" is predefined.
     */
    public static NdisConfigurationParameter readConfiguration(
            NdisConfigurationHandle configurationHandle, String keyword, NdisParameterType parameterType) {
        ConfigurationKey key = Handles.configuration(configurationHandle, "NdisReadConfiguration");
        Verifier.irqlEquals(
                key.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisReadConfiguration");
        return key.read(keyword, parameterType);
    }

    /**
     * NdisWriteConfiguration. IRQL = PASSIVE_LEVEL. Writes {@code keyword} into the open key (an
     * integer as REG_DWORD): later opens read it back for as long as the machine runs. Returns
     * NDIS_STATUS_SUCCESS.
     */
    public static NdisStatus writeConfiguration(
            NdisConfigurationHandle configurationHandle, String keyword, NdisConfigurationParameter parameterValue) {
        ConfigurationKey key = Handles.configuration(configurationHandle, "NdisWriteConfiguration");
        Verifier.irqlEquals(
                key.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisWriteConfiguration");
        key.write(keyword, parameterValue);
        return NdisStatus.SUCCESS;
    }

    /**
     * NdisReadNetworkAddress. IRQL = PASSIVE_LEVEL. The NetworkAddress keyword (hexadecimal text) as
     * bytes, or null where C returns NDIS_STATUS_FAILURE (no value, or not a string of hexadecimal
     * digits). The miniport checks the address (length, not a group address) before it uses it.
     */
    public static byte[] readNetworkAddress(NdisConfigurationHandle configurationHandle) {
        ConfigurationKey key = Handles.configuration(configurationHandle, "NdisReadNetworkAddress");
        Verifier.irqlEquals(
                key.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisReadNetworkAddress");
        return key.readNetworkAddress();
    }

    /**
     * NdisCloseConfiguration. IRQL = PASSIVE_LEVEL. The handle is invalid afterwards (Handle_Invalid
     * on any use); the values read through it stay the caller's (Java copies them).
     */
    public static void closeConfiguration(NdisConfigurationHandle configurationHandle) {
        ConfigurationKey key = Handles.configuration(configurationHandle, "NdisCloseConfiguration");
        Verifier.irqlEquals(
                key.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisCloseConfiguration");
        key.close();
    }

    // ---- spin locks -------------------------------------------------------------------------

    /** NdisAllocateSpinLock. Any IRQL. The lock belongs to the calling thread's kernel, if it has one. */
    public static NdisSpinLock allocateSpinLock() {
        return SpinLock.allocate();
    }

    /** NdisFreeSpinLock. The lock must not be held. */
    public static void freeSpinLock(NdisSpinLock spinLock) {
        SpinLock.of(spinLock, "NdisFreeSpinLock").free();
    }

    /** NdisAcquireSpinLock. IRQL &lt;= DISPATCH_LEVEL; raises to DISPATCH_LEVEL. */
    public static void acquireSpinLock(NdisSpinLock spinLock) {
        SpinLock.of(spinLock, "NdisAcquireSpinLock").acquire();
    }

    /** NdisReleaseSpinLock: releases and returns to the IRQL the holder came from. */
    public static void releaseSpinLock(NdisSpinLock spinLock) {
        SpinLock.of(spinLock, "NdisReleaseSpinLock").release();
    }

    /** NdisDprAcquireSpinLock. IRQL = DISPATCH_LEVEL (a DPC, or code that already raised). */
    public static void dprAcquireSpinLock(NdisSpinLock spinLock) {
        SpinLock.of(spinLock, "NdisDprAcquireSpinLock").dprAcquire();
    }

    /** NdisDprReleaseSpinLock. IRQL = DISPATCH_LEVEL. */
    public static void dprReleaseSpinLock(NdisSpinLock spinLock) {
        SpinLock.of(spinLock, "NdisDprReleaseSpinLock").dprRelease();
    }

    // ---- events and stalls ------------------------------------------------------------------

    /** NdisInitializeEvent: a notification event, not signaled, of the calling thread's kernel. */
    public static NdisEvent initializeEvent() {
        return Event.initialize(Handles.currentKernel("NdisInitializeEvent"));
    }

    /** NdisSetEvent. IRQL &lt;= DISPATCH_LEVEL. */
    public static void setEvent(NdisEvent event) {
        Event e = Event.of(event, "NdisSetEvent");
        Verifier.irqlAtMost(e.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_Synch_Function, "NdisSetEvent");
        e.set();
        e.kernel().switchPoint("NdisSetEvent:set"); // a waiter may run now
    }

    /** NdisResetEvent. IRQL &lt;= DISPATCH_LEVEL. */
    public static void resetEvent(NdisEvent event) {
        Event e = Event.of(event, "NdisResetEvent");
        Verifier.irqlAtMost(e.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_Synch_Function, "NdisResetEvent");
        e.reset();
    }

    /**
     * NdisWaitEvent. IRQL = PASSIVE_LEVEL. Waits up to {@code msToWait} milliseconds (0: forever);
     * true when the event was signaled.
     */
    public static boolean waitEvent(NdisEvent event, int msToWait) {
        Event e = Event.of(event, "NdisWaitEvent");
        Verifier.irqlEquals(e.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisWaitEvent");
        return e.await(msToWait);
    }

    /**
     * NdisStallExecution: busy-waits {@code microsecondsToStall} (keep it under 50 µs). Any IRQL. A
     * stall on a machine that has crashed ends with the crash.
     */
    public static void stallExecution(int microsecondsToStall) {
        Kernel kernel = CurrentThread.kernel();
        if (kernel == null) {
            throw new IllegalStateException("NdisStallExecution outside any kernel");
        }
        kernel.switchPoint("NdisStallExecution");
        kernel.stall(microsecondsToStall * 1_000L);
    }

    // ---- data path -----------------------------------------------------------------------------

    /**
     * NdisAllocateNetBufferListPool. IRQL &lt;= DISPATCH_LEVEL (rule Irql_NetBuffer_Function).
     * {@code ndisHandle}: a miniport adapter, miniport driver, filter or protocol handle. A pool
     * allocated with the adapter handle must be freed by the end of MiniportHaltEx (NblPool_Leak).
     * Returns null when the parameters are unusable (as NDIS does).
     */
    public static NetBufferListPool allocateNetBufferListPool(
            NdisHandle ndisHandle, NetBufferListPoolParameters parameters) {
        Kernel kernel = Handles.kernelOf(ndisHandle, "NdisAllocateNetBufferListPool");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_NetBuffer_Function, "NdisAllocateNetBufferListPool");
        return NblPool.allocate(ndisHandle, parameters);
    }

    /**
     * NdisFreeNetBufferListPool. IRQL &lt;= DISPATCH_LEVEL. Every NBL from the pool must be freed
     * (NblPool_FreeWithOutstanding); freeing twice is Nbl_UseAfterFree. Releases the pool's frame
     * memory.
     */
    public static void freeNetBufferListPool(NetBufferListPool poolHandle) {
        NblPool pool = Handles.pool(poolHandle, "NdisFreeNetBufferListPool");
        Verifier.irqlAtMost(
                pool.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_NetBuffer_Function, "NdisFreeNetBufferListPool");
        pool.freePool();
    }

    /**
     * NdisAllocateNetBufferList. IRQL &lt;= DISPATCH_LEVEL. From a pool with fAllocateNetBuffer the
     * NBL has one NET_BUFFER spanning the pool's DataSize buffer (length DataSize); otherwise none.
     * {@code contextSize} and {@code contextBackFill} are checked and recorded only.
     */
    public static NetBufferList allocateNetBufferList(
            NetBufferListPool poolHandle, int contextSize, int contextBackFill) {
        NblPool pool = Handles.pool(poolHandle, "NdisAllocateNetBufferList");
        Verifier.irqlAtMost(
                pool.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_NetBuffer_Function, "NdisAllocateNetBufferList");
        return pool.allocateNetBufferList(contextSize, contextBackFill);
    }

    /**
     * NdisAllocateNetBufferAndNetBufferList. IRQL &lt;= DISPATCH_LEVEL. The pool must have been
     * allocated with fAllocateNetBuffer. {@code mdlChain} is the frame memory (may be null, with a zero
     * offset and length); its reference passes to the NET_BUFFER, and NdisFreeNetBufferList releases
     * it. The frame is {@code dataLength} bytes at absolute index {@code dataOffset}.
     */
    public static NetBufferList allocateNetBufferAndNetBufferList(
            NetBufferListPool poolHandle,
            int contextSize,
            int contextBackFill,
            ByteBuf mdlChain,
            int dataOffset,
            int dataLength) {
        String function = "NdisAllocateNetBufferAndNetBufferList";
        NblPool pool = Handles.pool(poolHandle, function);
        Verifier.irqlAtMost(pool.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_NetBuffer_Function, function);
        return pool.allocateNetBufferAndNetBufferList(contextSize, contextBackFill, mdlChain, dataOffset, dataLength);
    }

    /**
     * NdisFreeNetBufferList. IRQL &lt;= DISPATCH_LEVEL. Frees one NBL (not its chain): it must be owned by
     * the caller, not sent or indicated (Nbl_NotOwned), and not freed already (Nbl_UseAfterFree).
     * Releases caller data its NET_BUFFER holds; the object goes back to its pool.
     */
    public static void freeNetBufferList(NetBufferList netBufferList) {
        Kernel kernel = NblPool.kernelOf(netBufferList, "NdisFreeNetBufferList");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_NetBuffer_Function, "NdisFreeNetBufferList");
        NblPool.free(netBufferList, "NdisFreeNetBufferList");
    }

    /** NdisGetPoolFromNetBufferList. Any IRQL. */
    public static NetBufferListPool getPoolFromNetBufferList(NetBufferList netBufferList) {
        return netBufferList.pool();
    }

    /**
     * NdisGeneratePartialCancelId. Any IRQL. A UCHAR (1..255) a driver puts in the high byte of the
     * cancel ids it sets with {@link NetBufferList#setCancelId(long)}.
     */
    public static int generatePartialCancelId() {
        return NblPool.generatePartialCancelId(Handles.currentKernel("NdisGeneratePartialCancelId"));
    }

    // ---- protocol drivers --------------------------------------------------------------------

    /**
     * NdisRegisterProtocolDriver. IRQL = PASSIVE_LEVEL. NDIS then calls ProtocolBindAdapterEx for every
     * running adapter, and for every adapter added later. The kernel argument stands for the driver
     * image the protocol lives in (C needs none: there is one kernel).
     */
    public static <P> NdisProtocolDriverHandle registerProtocolDriver(
            Kernel kernel, Object protocolDriverContext, String name, ProtocolDriver<P> protocolCharacteristics) {
        Verifier.irqlEquals(
                kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Protocol_Driver_Function, "NdisRegisterProtocolDriver");
        return ProtocolBlock.register(kernel, protocolDriverContext, name, protocolCharacteristics);
    }

    /**
     * NdisRegisterProtocolDriver for a protocol without handlers: it binds to nothing, but has a
     * handle (which, for one, NDIS refuses as the owner of a work item). IRQL = PASSIVE_LEVEL.
     */
    public static NdisProtocolDriverHandle registerProtocolDriver(Kernel kernel, String name) {
        return registerProtocolDriver(kernel, null, name, null);
    }

    /** NdisDeregisterProtocolDriver. IRQL = PASSIVE_LEVEL. Unbinds the protocol from every adapter first. */
    public static void deregisterProtocolDriver(NdisProtocolDriverHandle ndisProtocolHandle) {
        ProtocolBlock protocol = Handles.protocol(ndisProtocolHandle, "NdisDeregisterProtocolDriver");
        Verifier.irqlEquals(
                protocol.kernel(),
                Irql.PASSIVE_LEVEL,
                Rule.Irql_Protocol_Driver_Function,
                "NdisDeregisterProtocolDriver");
        protocol.deregister();
    }

    /**
     * NdisOpenAdapterEx, from inside ProtocolBindAdapterEx. IRQL = PASSIVE_LEVEL. Opens the adapter of
     * {@code bindContext} for the protocol and returns the binding handle (the open completes
     * synchronously in ndis4j).
     */
    public static NdisBindingHandle openAdapterEx(
            NdisProtocolDriverHandle ndisProtocolHandle, Object protocolBindingContext, NdisBindContext bindContext) {
        ProtocolBlock protocol = Handles.protocol(ndisProtocolHandle, "NdisOpenAdapterEx");
        Verifier.irqlEquals(
                protocol.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Protocol_Driver_Function, "NdisOpenAdapterEx");
        return Handles.bindContext(bindContext, protocol.kernel(), "NdisOpenAdapterEx")
                .open(protocol, protocolBindingContext);
    }

    /** NdisCloseAdapterEx, from inside ProtocolUnbindAdapterEx. IRQL = PASSIVE_LEVEL. */
    public static NdisStatus closeAdapterEx(NdisBindingHandle ndisBindingHandle) {
        Binding binding = Handles.binding(ndisBindingHandle, "NdisCloseAdapterEx");
        Verifier.irqlEquals(
                binding.kernel(), Irql.PASSIVE_LEVEL, Rule.Irql_Protocol_Driver_Function, "NdisCloseAdapterEx");
        binding.stack().close(binding);
        return NdisStatus.SUCCESS;
    }

    /**
     * NdisOidRequest from a protocol binding. IRQL &lt;= DISPATCH_LEVEL. The request passes through the
     * filters' FilterOidRequest handlers to the miniport (or NDIS answers it). Returns the final
     * status, or PENDING and later calls ProtocolOidRequestComplete.
     */
    public static NdisStatus oidRequest(NdisBindingHandle ndisBindingHandle, NdisOidRequest oidRequest) {
        Binding binding = Handles.binding(ndisBindingHandle, "NdisOidRequest");
        Verifier.irqlAtMost(binding.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_OID_Function, "NdisOidRequest");
        binding.checkOpen("NdisOidRequest");
        return binding.stack().oids().fromProtocol(binding, oidRequest);
    }

    /**
     * NdisSendNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. Every NBL's SourceHandle must be the binding
     * handle (rule Send_SourceHandle): it is how the completion finds its way back. The chain goes
     * down through the filters to the miniport; each NBL comes back once through
     * ProtocolSendNetBufferListsComplete with its final status.
     */
    public static void sendNetBufferLists(
            NdisBindingHandle ndisBindingHandle, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        Binding binding = openBinding(ndisBindingHandle, "NdisSendNetBufferLists");
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next()) {
            if (nbl.sourceHandle() != binding) {
                throw Verifier.violation(
                        binding.kernel(),
                        Rule.Send_SourceHandle,
                        0,
                        0,
                        binding.name() + ": NdisSendNetBufferLists with an NBL whose SourceHandle is "
                                + nbl.sourceHandle() + ", not the binding handle");
            }
        }
        binding.stack().data().sendFromProtocol(netBufferLists, portNumber, sendFlags);
    }

    /** NdisReturnNetBufferLists: gives indicated NBLs back. IRQL &lt;= DISPATCH_LEVEL. */
    public static void returnNetBufferLists(
            NdisBindingHandle ndisBindingHandle, NetBufferList netBufferLists, int returnFlags) {
        Binding binding = openBinding(ndisBindingHandle, "NdisReturnNetBufferLists");
        binding.stack().data().returnFromProtocol(netBufferLists, returnFlags);
    }

    /** NdisCancelSendNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. NDIS calls MiniportCancelSend. */
    public static void cancelSendNetBufferLists(NdisBindingHandle ndisBindingHandle, long cancelId) {
        Binding binding = openBinding(ndisBindingHandle, "NdisCancelSendNetBufferLists");
        binding.stack().data().cancelSend(cancelId);
    }

    private static Binding openBinding(NdisBindingHandle ndisBindingHandle, String function) {
        Binding binding = Handles.binding(ndisBindingHandle, function);
        Verifier.irqlAtMost(binding.kernel(), Irql.DISPATCH_LEVEL, Rule.Irql_SendRcv_Function, function);
        binding.checkOpen(function);
        return binding;
    }
}
