package org.ndis4j.ndis.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WorkQueueType;
import org.ndis4j.kernel.WorkerTask;
import org.ndis4j.ndis.types.IoWorkItemRoutine;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.verifier.AllocationSites;
import org.ndis4j.verifier.FaultInjection;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's I/O work item (NdisAllocateIoWorkItem). It belongs to the handle it was allocated with;
 * while it is queued or running it holds its adapter alive, so the adapter cannot finish halting.
 *
 * <pre>
 *   allocate ──► IDLE ──queue──► QUEUED ──worker takes it──► IDLE (routine running) ──► ...
 *                 │                 │                            │
 *                free             free: IoWorkItem_FreeWhileQueued  free (legal, even inside the routine)
 *                 ▼                                               ▼
 *               FREED ◄─────────────────────────────────────── FREED   any use: IoWorkItem_UseAfterFree
 * </pre>
 */
public final class IoWorkItem extends NdisIoWorkItem {

    private static final int IDLE = 0;
    private static final int QUEUED = 1;
    private static final int FREED = 2;

    private final NdisHandle owner;
    private final MiniportAdapter adapter; // null when the owner is not an adapter
    /** The driver whose handle (miniport driver, filter driver, device) owns the item, or null. */
    private final LoadedDriver driverObject;
    /** Where the driver allocated the item, when the kernel records allocation stacks. */
    private final List<String> allocatedAt;

    private final AtomicInteger state = new AtomicInteger(IDLE);
    /** Set by queue before the item is handed to a worker; read by that worker. */
    private IoWorkItemRoutine<Object> routine;

    private Object context;
    /** The item's queue entry, made once: queuing a work item allocates nothing. */
    private final WorkerTask runner = new WorkerTask() {
        @Override
        public String driver() {
            return driverName();
        }

        @Override
        public void run() {
            runRoutine();
        }
    };

    private IoWorkItem(NdisHandle owner, MiniportAdapter adapter, LoadedDriver driverObject) {
        super(owner.kernel(), owner.name() + "/workitem");
        this.owner = owner;
        this.adapter = adapter;
        this.driverObject = driverObject;
        this.allocatedAt = AllocationSites.capture(owner.kernel());
    }

    /**
     * NdisAllocateIoWorkItem, after the entry point checked IRQL: {@code owner} is one of the WDK's
     * list, a miniport adapter, miniport driver, filter module, filter driver or NdisRegisterDeviceEx
     * device handle (a device that is still registered); a protocol handle is refused (rule
     * IoWorkItem_HandleKind). Null when fault injection fails the allocation.
     */
    public static IoWorkItem allocate(NdisHandle owner) {
        Kernel kernel = owner.kernel();
        MiniportAdapter adapter = null;
        LoadedDriver driverObject = null;
        switch (owner.kind()) {
            case MINIPORT_ADAPTER -> adapter = Handles.adapter(owner, "NdisAllocateIoWorkItem");
            case MINIPORT_DRIVER ->
                driverObject =
                        Handles.miniportDriver(owner, "NdisAllocateIoWorkItem").driverObject();
            case FILTER_DRIVER ->
                driverObject =
                        Handles.filterDriver(owner, "NdisAllocateIoWorkItem").driverObject();
            case FILTER_MODULE -> {}
            case DEVICE ->
                driverObject = Handles.device(owner, "NdisAllocateIoWorkItem").driverObject();
            case PROTOCOL_DRIVER, PROTOCOL_BINDING ->
                throw Verifier.violation(
                        kernel,
                        Rule.IoWorkItem_HandleKind,
                        owner.kind().ordinal(),
                        0,
                        "NdisAllocateIoWorkItem with a protocol handle (" + owner
                                + "): a protocol driver has no device object to hold alive");
            default ->
                throw Verifier.violation(
                        kernel,
                        Rule.IoWorkItem_HandleKind,
                        owner.kind().ordinal(),
                        0,
                        "NdisAllocateIoWorkItem with a " + owner.kind() + " handle (" + owner
                                + "); it takes a miniport adapter, miniport driver, filter module, filter driver "
                                + "or device handle");
        }
        if (FaultInjection.of(kernel).shouldFail(FaultInjection.Allocation.IO_WORK_ITEM)) {
            Trace.log("NdisAllocateIoWorkItem(%s) -> NULL (fault injection)", owner.name());
            return null;
        }
        IoWorkItem item = new IoWorkItem(owner, adapter, driverObject);
        if (adapter != null) {
            adapter.allocations().workItemAllocated(item);
        }
        if (driverObject != null) {
            driverObject.workItemAllocated(item);
        }
        return item;
    }

    @Override
    public NdisHandle owner() {
        return owner;
    }

    /** Where the driver allocated this item, or null when no stack was recorded. */
    AllocationSite allocationSite() {
        return AllocationSites.of(this, allocatedAt);
    }

    @Override
    public String driverName() {
        return owner.driverName();
    }

    @Override
    public boolean isQueued() {
        return state.get() == QUEUED;
    }

    @Override
    public boolean isFreed() {
        return state.get() == FREED;
    }

    /**
     * NdisQueueIoWorkItem, after the entry point checked IRQL: the routine runs later at PASSIVE_LEVEL
     * on a CriticalWorkQueue thread. Queuing an item that is queued and has not started is rule
     * IoWorkItem_DoubleQueue.
     */
    @SuppressWarnings("unchecked")
    public <C> void queue(IoWorkItemRoutine<C> newRoutine, C newContext) {
        Kernel kernel = kernel();
        if (newRoutine == null) {
            throw Verifier.violation(kernel, Rule.Handle_Invalid, 0, 0, "NdisQueueIoWorkItem without a routine");
        }
        int seen = state.get();
        if (seen == FREED) {
            throw Verifier.violation(
                    kernel,
                    Rule.IoWorkItem_UseAfterFree,
                    seen,
                    IDLE,
                    "NdisQueueIoWorkItem on a work item that was freed (" + name() + ")",
                    allocationSite());
        }
        if (seen == QUEUED || !state.compareAndSet(IDLE, QUEUED)) {
            throw Verifier.violation(
                    kernel,
                    Rule.IoWorkItem_DoubleQueue,
                    state.get(),
                    IDLE,
                    "NdisQueueIoWorkItem on a work item that is already queued (" + name() + ")",
                    allocationSite());
        }
        routine = (IoWorkItemRoutine<Object>) newRoutine;
        context = newContext;
        if (adapter != null) {
            adapter.referenceForWorkItem();
        }
        if (driverObject != null) {
            driverObject.referenceForWorkItem();
        }
        kernel.queueWorkItem(WorkQueueType.CriticalWorkQueue, runner);
    }

    /**
     * NdisFreeIoWorkItem, after the entry point checked IRQL. Legal inside the item's own routine;
     * freeing a queued item is IoWorkItem_FreeWhileQueued, freeing twice IoWorkItem_UseAfterFree.
     */
    public void free() {
        Kernel kernel = kernel();
        int seen = state.get();
        if (seen == QUEUED) {
            throw Verifier.violation(
                    kernel,
                    Rule.IoWorkItem_FreeWhileQueued,
                    seen,
                    IDLE,
                    "NdisFreeIoWorkItem on a work item that is queued and has not run (" + name() + ")",
                    allocationSite());
        }
        if (seen == FREED || !state.compareAndSet(IDLE, FREED)) {
            throw Verifier.violation(
                    kernel,
                    Rule.IoWorkItem_UseAfterFree,
                    state.get(),
                    IDLE,
                    "NdisFreeIoWorkItem on a work item that was already freed (" + name() + ")",
                    allocationSite());
        }
        if (adapter != null) {
            adapter.allocations().workItemFreed(this);
        }
        if (driverObject != null) {
            driverObject.workItemFreed(this);
        }
    }

    private void runRoutine() {
        IoWorkItemRoutine<Object> r = routine;
        Object c = context;
        // Dequeued: from here the routine may queue the item again or free it.
        state.compareAndSet(QUEUED, IDLE);
        try {
            r.run(c, this);
        } finally {
            if (adapter != null) {
                adapter.dereferenceForWorkItem();
            }
            if (driverObject != null) {
                driverObject.dereferenceForWorkItem();
            }
        }
    }
}
