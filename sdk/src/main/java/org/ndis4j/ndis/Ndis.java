package org.ndis4j.ndis;

import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * The NdisXxx functions ({@code NdisAllocateIoWorkItem} → {@code Ndis.allocateIoWorkItem}). Each
 * checks the IRQL its WDK page gives and the rules in docs/verifier-rules.md; the handle argument
 * carries the kernel.
 */
public final class Ndis {

    private Ndis() {}

    // ---- I/O work items ---------------------------------------------------------------------

    /**
     * NdisAllocateIoWorkItem. IRQL &lt;= DISPATCH_LEVEL. {@code ndisObjectHandle} is a miniport
     * adapter, miniport driver, filter module or device handle; a protocol handle is refused (rule
     * IoWorkItem_HandleKind). Returns null when the allocation fails.
     */
    public static NdisIoWorkItem allocateIoWorkItem(NdisHandle ndisObjectHandle) {
        Kernel kernel = kernelOf(ndisObjectHandle, "NdisAllocateIoWorkItem");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisAllocateIoWorkItem");
        MiniportAdapter adapter = null;
        switch (ndisObjectHandle.kind()) {
            case MINIPORT_ADAPTER -> adapter = ((NdisMiniportAdapterHandle) ndisObjectHandle).adapter();
            case MINIPORT_DRIVER, FILTER_MODULE, DEVICE -> {}
            case PROTOCOL_DRIVER, PROTOCOL_BINDING ->
                throw Verifier.violation(
                        kernel,
                        Rule.IoWorkItem_HandleKind,
                        ndisObjectHandle.kind().ordinal(),
                        0,
                        "NdisAllocateIoWorkItem with a protocol handle (" + ndisObjectHandle
                                + "): a protocol driver has no device object to hold alive");
            default ->
                throw Verifier.violation(
                        kernel,
                        Rule.IoWorkItem_HandleKind,
                        ndisObjectHandle.kind().ordinal(),
                        0,
                        "NdisAllocateIoWorkItem with a " + ndisObjectHandle.kind() + " handle (" + ndisObjectHandle
                                + "); it takes a miniport adapter, miniport driver, filter module or device handle");
        }
        if (NdisLibrary.of(kernel).faults().shouldFail(FaultInjection.Allocation.IO_WORK_ITEM)) {
            Trace.log("NdisAllocateIoWorkItem(%s) -> NULL (fault injection)", ndisObjectHandle.name());
            return null;
        }
        NdisIoWorkItem item = new NdisIoWorkItem(ndisObjectHandle, adapter);
        if (adapter != null) {
            adapter.allocations().workItemAllocated(item);
        }
        return item;
    }

    /**
     * NdisQueueIoWorkItem. IRQL &lt;= DISPATCH_LEVEL. The routine runs later at PASSIVE_LEVEL on a
     * CriticalWorkQueue worker thread as {@code routine.run(workItemContext, item)}. Queuing an item
     * that is queued and has not started is rule IoWorkItem_DoubleQueue.
     */
    public static <C> void queueIoWorkItem(
            NdisIoWorkItem ndisIoWorkItemHandle, IoWorkItemRoutine<C> routine, C workItemContext) {
        Kernel kernel = kernelOf(ndisIoWorkItemHandle, "NdisQueueIoWorkItem");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisQueueIoWorkItem");
        ndisIoWorkItemHandle.queue(routine, workItemContext);
    }

    /**
     * NdisFreeIoWorkItem. IRQL &lt;= DISPATCH_LEVEL. Legal inside the item's own routine; freeing a
     * queued item is IoWorkItem_FreeWhileQueued, freeing twice IoWorkItem_UseAfterFree.
     */
    public static void freeIoWorkItem(NdisIoWorkItem ndisIoWorkItemHandle) {
        Kernel kernel = kernelOf(ndisIoWorkItemHandle, "NdisFreeIoWorkItem");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisFreeIoWorkItem");
        ndisIoWorkItemHandle.free();
    }

    // ---- timers -----------------------------------------------------------------------------

    /**
     * NdisAllocateTimerObject. IRQL = PASSIVE_LEVEL. The timer function runs at DISPATCH_LEVEL with
     * {@code functionContext} (or the context given to {@link #setTimerObject}). Null on failure.
     */
    public static <C> NdisTimer allocateTimerObject(
            NdisHandle ndisHandle, NdisTimerFunction<C> timerFunction, C functionContext) {
        Kernel kernel = kernelOf(ndisHandle, "NdisAllocateTimerObject");
        Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Timer_Function, "NdisAllocateTimerObject");
        if (timerFunction == null) {
            throw Verifier.violation(kernel, Rule.Handle_Invalid, 0, 0, "NdisAllocateTimerObject without a function");
        }
        if (NdisLibrary.of(kernel).faults().shouldFail(FaultInjection.Allocation.TIMER_OBJECT)) {
            return null;
        }
        MiniportAdapter adapter = ndisHandle instanceof NdisMiniportAdapterHandle a ? a.adapter() : null;
        NdisTimer timer = new NdisTimer(ndisHandle, adapter, timerFunction, functionContext);
        if (adapter != null) {
            adapter.allocations().timerAllocated(timer);
        }
        return timer;
    }

    /**
     * NdisSetTimerObject. IRQL &lt;= DISPATCH_LEVEL. {@code dueTime} in 100-ns units: negative is
     * relative, positive absolute (interrupt time). {@code millisecondsPeriod} &gt; 0 makes it periodic.
     * {@code functionContext} replaces the allocation context when not null. Returns true when the
     * timer was already set.
     */
    public static boolean setTimerObject(
            NdisTimer timerObject, long dueTime, int millisecondsPeriod, Object functionContext) {
        Kernel kernel = kernelOf(timerObject, "NdisSetTimerObject");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Timer_Function, "NdisSetTimerObject");
        return timerObject.set(dueTime, millisecondsPeriod, functionContext);
    }

    /** NdisCancelTimerObject. IRQL &lt;= DISPATCH_LEVEL. True when the timer was set and is now cancelled. */
    public static boolean cancelTimerObject(NdisTimer timerObject) {
        Kernel kernel = kernelOf(timerObject, "NdisCancelTimerObject");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Timer_Function, "NdisCancelTimerObject");
        return timerObject.cancel();
    }

    /** NdisFreeTimerObject. IRQL &lt;= DISPATCH_LEVEL. The timer must not be set. */
    public static void freeTimerObject(NdisTimer timerObject) {
        Kernel kernel = kernelOf(timerObject, "NdisFreeTimerObject");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Timer_Function, "NdisFreeTimerObject");
        timerObject.free();
    }

    // ---- spin locks -------------------------------------------------------------------------

    /** NdisAllocateSpinLock. Any IRQL. The lock belongs to the calling thread's kernel, if it has one. */
    public static NdisSpinLock allocateSpinLock() {
        return new NdisSpinLock(CurrentThread.kernel());
    }

    /** NdisFreeSpinLock. The lock must not be held. */
    public static void freeSpinLock(NdisSpinLock spinLock) {
        if (spinLock.isLocked()) {
            throw violationHere(Rule.SpinLock, "NdisFreeSpinLock on a spin lock that is held");
        }
    }

    /** NdisAcquireSpinLock. IRQL &lt;= DISPATCH_LEVEL; raises to DISPATCH_LEVEL. */
    public static void acquireSpinLock(NdisSpinLock spinLock) {
        Irql old = Ke.getCurrentIrql();
        if (old.above(Irql.DISPATCH_LEVEL)) {
            throw irqlViolationHere(Rule.Irql_Synch_Function, Irql.DISPATCH_LEVEL, "NdisAcquireSpinLock");
        }
        take(spinLock, "NdisAcquireSpinLock");
        spinLock.oldIrql = old;
    }

    /** NdisReleaseSpinLock: releases and returns to the IRQL the holder came from. */
    public static void releaseSpinLock(NdisSpinLock spinLock) {
        if (Ke.getCurrentIrql() != Irql.DISPATCH_LEVEL) {
            throw irqlViolationHere(Rule.Irql_Synch_Function, Irql.DISPATCH_LEVEL, "NdisReleaseSpinLock");
        }
        Irql back = spinLock.oldIrql;
        give(spinLock, "NdisReleaseSpinLock");
        Ke.lowerIrql(back);
    }

    /** NdisDprAcquireSpinLock. IRQL = DISPATCH_LEVEL (a DPC, or code that already raised). */
    public static void dprAcquireSpinLock(NdisSpinLock spinLock) {
        if (Ke.getCurrentIrql() != Irql.DISPATCH_LEVEL) {
            throw irqlViolationHere(Rule.Irql_Synch_Function, Irql.DISPATCH_LEVEL, "NdisDprAcquireSpinLock");
        }
        take(spinLock, "NdisDprAcquireSpinLock");
        spinLock.oldIrql = Irql.DISPATCH_LEVEL;
    }

    /** NdisDprReleaseSpinLock. IRQL = DISPATCH_LEVEL. */
    public static void dprReleaseSpinLock(NdisSpinLock spinLock) {
        if (Ke.getCurrentIrql() != Irql.DISPATCH_LEVEL) {
            throw irqlViolationHere(Rule.Irql_Synch_Function, Irql.DISPATCH_LEVEL, "NdisDprReleaseSpinLock");
        }
        give(spinLock, "NdisDprReleaseSpinLock");
    }

    private static void take(NdisSpinLock spinLock, String function) {
        if (spinLock.lock.isHeldByCurrentThread()) {
            // On a real machine the processor would spin forever on its own lock.
            throw violationHere(Rule.SpinLock, function + " on a spin lock this thread already holds (deadlock)");
        }
        Kernel kernel = spinLock.kernel != null ? spinLock.kernel : CurrentThread.kernel();
        // Spin, but not past a crash: a deadlock the watchdog reported must not hang the machine's close.
        for (int spins = 1; !spinLock.lock.tryLock(); spins++) {
            if (kernel != null) {
                kernel.checkAlive();
            }
            if ((spins & 63) == 0) {
                Thread.yield(); // more simulated contexts than cores: let the holder run
            } else {
                Thread.onSpinWait();
            }
        }
        Ke.raiseIrql(Irql.DISPATCH_LEVEL);
        if (kernel != null) {
            kernel.switchPoint();
        }
    }

    private static void give(NdisSpinLock spinLock, String function) {
        if (!spinLock.lock.isHeldByCurrentThread()) {
            throw violationHere(Rule.SpinLock, function + " on a spin lock this thread does not hold");
        }
        spinLock.lock.unlock();
    }

    // ---- events and stalls ------------------------------------------------------------------

    /** NdisInitializeEvent: a notification event, not signaled, of the calling thread's kernel. */
    public static NdisEvent initializeEvent() {
        return new NdisEvent(currentKernel("NdisInitializeEvent"));
    }

    /** NdisSetEvent. IRQL &lt;= DISPATCH_LEVEL. */
    public static void setEvent(NdisEvent event) {
        Verifier.irqlAtMost(event.kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Synch_Function, "NdisSetEvent");
        event.event.set();
    }

    /** NdisResetEvent. IRQL &lt;= DISPATCH_LEVEL. */
    public static void resetEvent(NdisEvent event) {
        Verifier.irqlAtMost(event.kernel, Irql.DISPATCH_LEVEL, Rule.Irql_Synch_Function, "NdisResetEvent");
        event.event.reset();
    }

    /**
     * NdisWaitEvent. IRQL = PASSIVE_LEVEL. Waits up to {@code msToWait} milliseconds (0: forever);
     * true when the event was signaled.
     */
    public static boolean waitEvent(NdisEvent event, int msToWait) {
        Verifier.irqlEquals(event.kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Miscellaneous_Function, "NdisWaitEvent");
        try {
            return event.event.await(msToWait == 0 ? -1 : msToWait * 1_000_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            event.kernel.checkAlive();
            return false;
        }
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
        long end = kernel.nanoTime() + microsecondsToStall * 1_000L;
        while (kernel.nanoTime() < end) {
            kernel.checkAlive();
            Thread.onSpinWait();
        }
        kernel.checkAlive();
    }

    // ---- protocol drivers -------------------------------------------------------------------

    /**
     * NdisRegisterProtocolDriver for a protocol without handlers: it binds to nothing, but has a
     * handle (which, for one, NDIS refuses as the owner of a work item). IRQL = PASSIVE_LEVEL.
     */
    public static NdisProtocolDriverHandle registerProtocolDriver(Kernel kernel, String name) {
        return registerProtocolDriver(kernel, null, name, null);
    }

    // ---- helpers ----------------------------------------------------------------------------

    static Kernel kernelOf(NdisHandle handle, String function) {
        if (handle == null) {
            Kernel kernel = CurrentThread.kernel();
            if (kernel != null) {
                throw Verifier.violation(kernel, Rule.Handle_Invalid, 0, 0, function + " with a NULL handle");
            }
            throw new IllegalArgumentException(function + " with a NULL handle");
        }
        return handle.kernel();
    }

    static Kernel currentKernel(String function) {
        Kernel kernel = CurrentThread.kernel();
        if (kernel == null) {
            throw new IllegalStateException(function + " called from a thread that never entered a kernel");
        }
        return kernel;
    }

    private static RuntimeException violationHere(Rule rule, String message) {
        Kernel kernel = CurrentThread.kernel();
        if (kernel == null) {
            return new IllegalStateException(rule + ": " + message);
        }
        return Verifier.violation(kernel, rule, 0, 0, message);
    }

    private static RuntimeException irqlViolationHere(Rule rule, Irql required, String function) {
        Kernel kernel = CurrentThread.kernel();
        Irql irql = Ke.getCurrentIrql();
        String message = function + " called at " + irql + "; it requires " + required;
        if (kernel == null) {
            return new IllegalStateException(rule + ": " + message);
        }
        return Verifier.violation(kernel, rule, irql.level(), required.level(), message);
    }

    // ---- interrupts ----------------------------------------------------------------------------

    // ---- OID requests --------------------------------------------------------------------------

    // ---- data path -----------------------------------------------------------------------------

    /**
     * NdisAllocateNetBufferListPool. IRQL &lt;= DISPATCH_LEVEL (rule Irql_NetBuffer_Function).
     * {@code ndisHandle}: a miniport adapter, miniport driver, filter or protocol handle. A pool
     * allocated with the adapter handle must be freed by the end of MiniportHaltEx (NblPool_Leak).
     * Returns null when the parameters are unusable (as NDIS does).
     */
    public static org.ndis4j.ndis.nbl.NetBufferListPool allocateNetBufferListPool(
            NdisHandle ndisHandle, org.ndis4j.ndis.nbl.NetBufferListPoolParameters parameters) {
        Kernel kernel = kernelOf(ndisHandle, "NdisAllocateNetBufferListPool");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_NetBuffer_Function, "NdisAllocateNetBufferListPool");
        switch (ndisHandle.kind()) {
            case MINIPORT_ADAPTER,
                    MINIPORT_DRIVER,
                    FILTER_DRIVER,
                    FILTER_MODULE,
                    PROTOCOL_DRIVER,
                    PROTOCOL_BINDING -> {}
            default ->
                throw Verifier.violation(
                        kernel,
                        Rule.Handle_Invalid,
                        ndisHandle.kind().ordinal(),
                        0,
                        "NdisAllocateNetBufferListPool with a " + ndisHandle.kind() + " handle (" + ndisHandle
                                + "); it takes a miniport, filter or protocol handle");
        }
        if (parameters == null
                || parameters.contextSize() < 0
                || parameters.dataSize() < 0
                || (parameters.dataSize() > 0 && !parameters.allocateNetBuffer())) {
            Trace.log(
                    "NdisAllocateNetBufferListPool(%s, %s) -> NULL (invalid parameters)",
                    ndisHandle.name(), parameters);
            return null;
        }
        org.ndis4j.ndis.nbl.NetBufferListPool pool =
                org.ndis4j.ndis.nbl.NetBufferListPool.create(ndisHandle, parameters);
        if (ndisHandle instanceof NdisMiniportAdapterHandle a) {
            a.adapter().dataPath().poolAllocated(pool);
        }
        return pool;
    }

    /**
     * NdisFreeNetBufferListPool. IRQL &lt;= DISPATCH_LEVEL. Every NBL from the pool must be freed
     * (NblPool_FreeWithOutstanding); freeing twice is Nbl_UseAfterFree. Releases the pool's frame
     * memory.
     */
    public static void freeNetBufferListPool(org.ndis4j.ndis.nbl.NetBufferListPool poolHandle) {
        Kernel kernel = kernelOf(poolHandle, "NdisFreeNetBufferListPool");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_NetBuffer_Function, "NdisFreeNetBufferListPool");
        poolHandle.freePool("NdisFreeNetBufferListPool");
        if (poolHandle.owner() instanceof NdisMiniportAdapterHandle a) {
            a.adapter().dataPath().poolFreed(poolHandle);
        }
    }

    /**
     * NdisAllocateNetBufferList. IRQL &lt;= DISPATCH_LEVEL. From a pool with fAllocateNetBuffer the
     * NBL has one NET_BUFFER spanning the pool's DataSize buffer (length DataSize); otherwise none.
     * {@code contextSize} and {@code contextBackFill} are checked and recorded only.
     */
    public static org.ndis4j.ndis.nbl.NetBufferList allocateNetBufferList(
            org.ndis4j.ndis.nbl.NetBufferListPool poolHandle, int contextSize, int contextBackFill) {
        Kernel kernel = kernelOf(poolHandle, "NdisAllocateNetBufferList");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_NetBuffer_Function, "NdisAllocateNetBufferList");
        checkContext(kernel, contextSize, contextBackFill, "NdisAllocateNetBufferList");
        return poolHandle.allocate(false, null, 0, 0, "NdisAllocateNetBufferList");
    }

    /**
     * NdisAllocateNetBufferAndNetBufferList. IRQL &lt;= DISPATCH_LEVEL. The pool must have been
     * allocated with fAllocateNetBuffer. {@code mdlChain} is the frame memory (may be null, with a zero
     * offset and length); its reference passes to the NET_BUFFER, and NdisFreeNetBufferList releases
     * it. The frame is {@code dataLength} bytes at absolute index {@code dataOffset}.
     */
    public static org.ndis4j.ndis.nbl.NetBufferList allocateNetBufferAndNetBufferList(
            org.ndis4j.ndis.nbl.NetBufferListPool poolHandle,
            int contextSize,
            int contextBackFill,
            io.netty.buffer.ByteBuf mdlChain,
            int dataOffset,
            int dataLength) {
        String function = "NdisAllocateNetBufferAndNetBufferList";
        Kernel kernel = kernelOf(poolHandle, function);
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_NetBuffer_Function, function);
        checkContext(kernel, contextSize, contextBackFill, function);
        if (!poolHandle.parameters().allocateNetBuffer()) {
            throw Verifier.violation(
                    kernel,
                    Rule.Nbl_InvalidParameter,
                    0,
                    0,
                    function + " on " + poolHandle.name() + ", which was allocated without fAllocateNetBuffer");
        }
        int capacity = mdlChain == null ? 0 : mdlChain.capacity();
        if (dataOffset < 0
                || dataLength < 0
                || (long) dataOffset + dataLength > capacity
                || (mdlChain != null && mdlChain.refCnt() == 0)) {
            throw Verifier.violation(
                    kernel,
                    Rule.Nbl_InvalidParameter,
                    dataOffset,
                    dataLength,
                    function
                            + ": DataOffset " + dataOffset + " and DataLength " + dataLength + " do not fit the "
                            + (mdlChain == null
                                    ? "NULL MDL chain"
                                    : mdlChain.refCnt() == 0 ? "released ByteBuf" : capacity + "-byte MDL chain"));
        }
        return poolHandle.allocate(true, mdlChain, dataOffset, dataLength, function);
    }

    /**
     * NdisFreeNetBufferList. IRQL &lt;= DISPATCH_LEVEL. Frees one NBL (not its chain): it must be owned by
     * the caller, not sent or indicated (Nbl_NotOwned), and not freed already (Nbl_UseAfterFree).
     * Releases caller data its NET_BUFFER holds; the object goes back to its pool.
     */
    public static void freeNetBufferList(org.ndis4j.ndis.nbl.NetBufferList netBufferList) {
        if (netBufferList == null) {
            throw violationHere(Rule.Nbl_InvalidParameter, "NdisFreeNetBufferList with a NULL NBL");
        }
        org.ndis4j.ndis.nbl.NetBufferListPool pool = netBufferList.pool();
        Kernel kernel = pool.kernel();
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_NetBuffer_Function, "NdisFreeNetBufferList");
        pool.free(netBufferList, "NdisFreeNetBufferList");
    }

    /** NdisGetPoolFromNetBufferList. Any IRQL. */
    public static org.ndis4j.ndis.nbl.NetBufferListPool getPoolFromNetBufferList(
            org.ndis4j.ndis.nbl.NetBufferList netBufferList) {
        return netBufferList.pool();
    }

    /**
     * NdisGeneratePartialCancelId. Any IRQL. A UCHAR (1..255) a driver puts in the high byte of the
     * cancel ids it sets with {@link NetBufferList#setCancelId(long)}.
     */
    public static int generatePartialCancelId() {
        return org.ndis4j.ndis.nbl.NblRegistry.of(currentKernel("NdisGeneratePartialCancelId"))
                .generatePartialCancelId();
    }

    private static void checkContext(Kernel kernel, int contextSize, int contextBackFill, String function) {
        if (contextSize < 0 || contextBackFill < 0 || contextBackFill > contextSize) {
            throw Verifier.violation(
                    kernel,
                    Rule.Nbl_InvalidParameter,
                    contextSize,
                    contextBackFill,
                    function
                            + ": ContextSize " + contextSize + " and ContextBackFill " + contextBackFill
                            + " must be non-negative with ContextBackFill <= ContextSize");
        }
    }

    // ---- upper edges ---------------------------------------------------------------------------

    /**
     * NdisRegisterProtocolDriver. IRQL = PASSIVE_LEVEL. NDIS then calls ProtocolBindAdapterEx for every
     * running adapter, and for every adapter added later. The kernel argument stands for the driver
     * image the protocol lives in (C needs none: there is one kernel).
     */
    public static <P> NdisProtocolDriverHandle registerProtocolDriver(
            Kernel kernel, Object protocolDriverContext, String name, ProtocolDriver<P> protocolCharacteristics) {
        Verifier.irqlEquals(
                kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Protocol_Driver_Function, "NdisRegisterProtocolDriver");
        NdisProtocolDriverHandle handle =
                new NdisProtocolDriverHandle(kernel, name, protocolDriverContext, protocolCharacteristics);
        NdisLibrary.of(kernel).registered(handle);
        if (protocolCharacteristics != null) {
            PnpManager.of(kernel).protocolRegistered(handle);
        }
        return handle;
    }

    /** NdisDeregisterProtocolDriver. IRQL = PASSIVE_LEVEL. Unbinds the protocol from every adapter first. */
    public static void deregisterProtocolDriver(NdisProtocolDriverHandle ndisProtocolHandle) {
        Kernel kernel = kernelOf(ndisProtocolHandle, "NdisDeregisterProtocolDriver");
        Verifier.irqlEquals(
                kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Protocol_Driver_Function, "NdisDeregisterProtocolDriver");
        PnpManager.of(kernel).protocolDeregistered(ndisProtocolHandle);
        NdisLibrary.of(kernel).deregistered(ndisProtocolHandle);
    }

    /**
     * NdisOpenAdapterEx, from inside ProtocolBindAdapterEx. IRQL = PASSIVE_LEVEL. Opens the adapter of
     * {@code bindContext} for the protocol and returns the binding handle (the open completes
     * synchronously in ndis4j).
     */
    public static NdisBindingHandle openAdapterEx(
            NdisProtocolDriverHandle ndisProtocolHandle, Object protocolBindingContext, NdisBindContext bindContext) {
        Kernel kernel = kernelOf(ndisProtocolHandle, "NdisOpenAdapterEx");
        Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Protocol_Driver_Function, "NdisOpenAdapterEx");
        if (bindContext == null || bindContext.protocol != ndisProtocolHandle) {
            throw Verifier.violation(
                    kernel, Rule.Handle_Invalid, 0, 0, "NdisOpenAdapterEx with a bind context of another protocol");
        }
        return bindContext.stack.open(bindContext, protocolBindingContext);
    }

    /**
     * NdisOidRequest from a protocol binding. IRQL &lt;= DISPATCH_LEVEL. The request passes through the
     * filters' FilterOidRequest handlers to the miniport (or NDIS answers it). Returns the final
     * status, or PENDING and later calls ProtocolOidRequestComplete.
     */
    public static NdisStatus oidRequest(
            NdisBindingHandle ndisBindingHandle, org.ndis4j.ndis.oid.NdisOidRequest oidRequest) {
        Kernel kernel = kernelOf(ndisBindingHandle, "NdisOidRequest");
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_OID_Function, "NdisOidRequest");
        if (ndisBindingHandle.isClosed()) {
            throw Verifier.violation(
                    kernel,
                    Rule.Handle_Invalid,
                    4,
                    0,
                    "NdisOidRequest on a closed binding (" + ndisBindingHandle.name() + ")");
        }
        return ndisBindingHandle.stack.oids().fromProtocol(ndisBindingHandle, oidRequest);
    }

    /**
     * NdisSendNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. Every NBL's SourceHandle must be the binding
     * handle (rule Send_SourceHandle): it is how the completion finds its way back. The chain goes
     * down through the filters to the miniport; each NBL comes back once through
     * ProtocolSendNetBufferListsComplete with its final status.
     */
    public static void sendNetBufferLists(
            NdisBindingHandle ndisBindingHandle,
            org.ndis4j.ndis.nbl.NetBufferList netBufferLists,
            int portNumber,
            int sendFlags) {
        Kernel kernel = openBinding(ndisBindingHandle, "NdisSendNetBufferLists");
        for (org.ndis4j.ndis.nbl.NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next()) {
            if (nbl.sourceHandle() != ndisBindingHandle) {
                throw Verifier.violation(
                        kernel,
                        Rule.Send_SourceHandle,
                        0,
                        0,
                        ndisBindingHandle.name()
                                + ": NdisSendNetBufferLists with an NBL whose SourceHandle is " + nbl.sourceHandle()
                                + ", not the binding handle");
            }
        }
        AdapterStack stack = ndisBindingHandle.stack;
        stack.data().sendBelow(stack.filters().size(), netBufferLists, portNumber, sendFlags);
    }

    /** NdisReturnNetBufferLists: gives indicated NBLs back. IRQL &lt;= DISPATCH_LEVEL. */
    public static void returnNetBufferLists(
            NdisBindingHandle ndisBindingHandle, org.ndis4j.ndis.nbl.NetBufferList netBufferLists, int returnFlags) {
        openBinding(ndisBindingHandle, "NdisReturnNetBufferLists");
        AdapterStack stack = ndisBindingHandle.stack;
        stack.data().returnBelow(stack.filters().size(), netBufferLists, returnFlags);
    }

    /** NdisCancelSendNetBufferLists. IRQL &lt;= DISPATCH_LEVEL. NDIS calls MiniportCancelSend. */
    public static void cancelSendNetBufferLists(NdisBindingHandle ndisBindingHandle, long cancelId) {
        openBinding(ndisBindingHandle, "NdisCancelSendNetBufferLists");
        ndisBindingHandle.stack.adapterHandle().adapter().dataPath().cancelSend(cancelId);
    }

    private static Kernel openBinding(NdisBindingHandle binding, String function) {
        Kernel kernel = kernelOf(binding, function);
        Verifier.irqlAtMost(kernel, Irql.DISPATCH_LEVEL, Rule.Irql_SendRcv_Function, function);
        if (binding.isClosed()) {
            throw Verifier.violation(
                    kernel, Rule.Handle_Invalid, 4, 0, function + " on a closed binding (" + binding.name() + ")");
        }
        return kernel;
    }

    /** NdisCloseAdapterEx, from inside ProtocolUnbindAdapterEx. IRQL = PASSIVE_LEVEL. */
    public static NdisStatus closeAdapterEx(NdisBindingHandle ndisBindingHandle) {
        Kernel kernel = kernelOf(ndisBindingHandle, "NdisCloseAdapterEx");
        Verifier.irqlEquals(kernel, Irql.PASSIVE_LEVEL, Rule.Irql_Protocol_Driver_Function, "NdisCloseAdapterEx");
        ndisBindingHandle.stack.close(ndisBindingHandle);
        return NdisStatus.SUCCESS;
    }
}
