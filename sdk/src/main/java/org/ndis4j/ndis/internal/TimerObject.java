package org.ndis4j.ndis.internal;

import java.util.List;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.ClockTask;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.KDpc;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.HandleKind;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.ndis.types.NdisTimer;
import org.ndis4j.ndis.types.NdisTimerFunction;
import org.ndis4j.verifier.AllocationSites;
import org.ndis4j.verifier.FaultInjection;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's timer object (NdisAllocateTimerObject): a KTIMER and its KDPC. When it expires, the clock
 * queues its DPC and the timer function runs at DISPATCH_LEVEL on a processor. Periodic timers re-arm
 * themselves.
 *
 * <pre>
 *   set ──► IN THE TIMER QUEUE ──expires──► DPC QUEUED ──processor──► timer function (DISPATCH)
 *              │      ▲  periodic: re-armed at each expiry │
 *            cancel: true, nothing runs              cancel: false, the DPC still runs
 *                                                    (periodic: cancel flushes the DPC queues, so it
 *                                                     has run by the time cancel returns)
 * </pre>
 *
 * As KeCancelTimer does, cancel takes the timer out of the timer queue and reports whether it was
 * there; a DPC already queued is a separate object and runs. Cancelling a periodic timer is
 * PASSIVE_LEVEL only (rule PeriodicTimer) because NDIS then calls KeFlushQueuedDpcs.
 */
public final class TimerObject extends NdisTimer {

    private final NdisHandle owner;
    private final MiniportAdapter adapter;
    /** The driver whose driver handle owns the timer, or null: after its unload the function never runs. */
    private final LoadedDriver driverObject;
    /** The driver whose code the function is (the driver handle's, or the adapter's miniport driver), or null. */
    private final LoadedDriver image;

    private final NdisTimerFunction<Object> function;
    private final KDpc dpc;
    /** Where the driver allocated the timer, when the kernel records allocation stacks. */
    private final List<String> allocatedAt;
    /** Guards the fields below. */
    private final Object lock = new Object();

    /** The pending expiry on the clock: the timer is in the timer queue while this is set. */
    private ClockTask armed;
    /** Bumped by every set and cancel, so an expiry the clock is already running for an old set is dropped. */
    private long generation;

    private int periodMillis;
    private Object functionContext;
    private boolean freed;
    /** Where the driver freed the timer, when stacks are recorded: a use after free names both. */
    private List<String> freedAt = List.of();

    @SuppressWarnings("unchecked")
    private <C> TimerObject(
            NdisHandle owner,
            MiniportAdapter adapter,
            LoadedDriver driverObject,
            NdisTimerFunction<C> function,
            C allocationContext) {
        super(owner.kernel(), owner.name() + "/timer");
        this.owner = owner;
        this.adapter = adapter;
        this.driverObject = driverObject;
        this.image = driverObject != null
                ? driverObject
                : adapter != null ? adapter.driver().driverObject() : null;
        this.function = (NdisTimerFunction<Object>) function;
        this.functionContext = allocationContext;
        this.dpc = owner.kernel().initializeDpc(this::expired, null, owner.driverName());
        this.allocatedAt = AllocationSites.capture(owner.kernel());
    }

    /**
     * NdisAllocateTimerObject, after the entry point checked IRQL. Null when fault injection fails the
     * allocation. A timer allocated with an adapter handle must be freed by the end of MiniportHaltEx.
     */
    public static <C> TimerObject allocate(NdisHandle owner, NdisTimerFunction<C> timerFunction, C functionContext) {
        Kernel kernel = owner.kernel();
        if (timerFunction == null) {
            throw Verifier.violation(kernel, Rule.Handle_Invalid, 0, 0, "NdisAllocateTimerObject without a function");
        }
        if (FaultInjection.of(kernel).shouldFail(FaultInjection.Allocation.TIMER_OBJECT)) {
            return null;
        }
        MiniportAdapter adapter =
                owner.kind() == HandleKind.MINIPORT_ADAPTER ? Handles.adapter(owner, "NdisAllocateTimerObject") : null;
        LoadedDriver driverObject = switch (owner.kind()) {
            case MINIPORT_DRIVER ->
                Handles.miniportDriver(owner, "NdisAllocateTimerObject").driverObject();
            case FILTER_DRIVER ->
                Handles.filterDriver(owner, "NdisAllocateTimerObject").driverObject();
            default -> null;
        };
        TimerObject timer = new TimerObject(owner, adapter, driverObject, timerFunction, functionContext);
        if (adapter != null) {
            adapter.allocations().timerAllocated(timer);
        }
        if (driverObject != null) {
            driverObject.timerAllocated(timer);
        }
        return timer;
    }

    @Override
    public NdisHandle owner() {
        return owner;
    }

    @Override
    public String driverName() {
        return owner.driverName();
    }

    @Override
    public boolean isSet() {
        synchronized (lock) {
            return armed != null;
        }
    }

    /** Where the driver allocated this timer, or null when no stack was recorded. */
    AllocationSite allocationSite() {
        return AllocationSites.of(this, allocatedAt);
    }

    /**
     * NdisSetTimerObject, after the entry point checked IRQL: {@code dueTime100ns} negative is
     * relative, positive absolute (interrupt time); returns true when the timer was in the timer queue
     * already (that expiry is replaced).
     */
    public boolean set(long dueTime100ns, int millisecondsPeriod, Object context) {
        Kernel kernel = kernel();
        if (millisecondsPeriod < 0) {
            throw Verifier.violation(
                    kernel, Rule.Handle_Invalid, millisecondsPeriod, 0, "NdisSetTimerObject with a negative period");
        }
        long delayNanos = dueTime100ns < 0 ? -dueTime100ns * 100 : Math.max(0, dueTime100ns * 100 - kernel.nanoTime());
        synchronized (lock) {
            checkNotFreed("NdisSetTimerObject");
            boolean wasSet = dequeueLocked();
            periodMillis = millisecondsPeriod;
            if (context != null) {
                functionContext = context;
            }
            long gen = generation;
            armed = kernel.schedule(delayNanos, () -> fire(gen));
            return wasSet;
        }
    }

    /**
     * NdisCancelTimerObject, after the entry point checked IRQL &lt;= DISPATCH_LEVEL: a periodic timer
     * only at PASSIVE_LEVEL (rule PeriodicTimer), then the DPC queues are flushed. True when the timer
     * was in the timer queue.
     */
    public boolean cancel() {
        boolean wasQueued;
        boolean periodic;
        synchronized (lock) {
            checkNotFreed("NdisCancelTimerObject");
            periodic = periodMillis > 0;
            Irql irql = Ke.getCurrentIrql();
            if (periodic && irql != Irql.PASSIVE_LEVEL) {
                throw Verifier.violation(
                        kernel(),
                        Rule.PeriodicTimer,
                        irql.level(),
                        Irql.PASSIVE_LEVEL.level(),
                        "NdisCancelTimerObject on the periodic timer " + name() + " (period " + periodMillis
                                + " ms) at " + irql + "; a periodic timer is cancelled at PASSIVE_LEVEL, where NDIS "
                                + "can wait for its DPC (KeFlushQueuedDpcs)",
                        allocationSite());
            }
            wasQueued = dequeueLocked();
        }
        if (periodic) {
            // Outside the lock: the timer's own DPC takes it.
            kernel().flushQueuedDpcs();
        }
        return wasQueued;
    }

    /**
     * NdisFreeTimerObject: the timer must not be in the timer queue (TimerObject_Leak) nor have its
     * DPC queued (TIMER_OR_DPC_INVALID: the memory would be freed under a queued DPC).
     */
    public void free() {
        synchronized (lock) {
            checkNotFreed("NdisFreeTimerObject");
            if (armed != null) {
                throw Verifier.violation(
                        kernel(),
                        Rule.TimerObject_Leak,
                        1,
                        0,
                        "NdisFreeTimerObject on a timer that is still set; cancel it first (" + name() + ")",
                        allocationSite());
            }
            if (dpc.isInserted()) {
                // Driver Verifier's pool check: freeing memory that holds a queued DPC (parameter 1 = 1).
                throw kernel().bugCheck(
                                BugCheckCode.TIMER_OR_DPC_INVALID,
                                1,
                                kernel().pointerOf(dpc),
                                0,
                                0,
                                null,
                                "NdisFreeTimerObject on " + name()
                                        + " while its DPC is queued (it expired and its timer "
                                        + "function has not run yet); wait for the function to run before freeing",
                                allocationSite() == null ? List.of() : List.of(allocationSite()));
            }
            freed = true;
            freedAt = AllocationSites.capture(kernel());
        }
        if (adapter != null) {
            adapter.allocations().timerFreed(this);
        }
        if (driverObject != null) {
            driverObject.timerFreed(this);
        }
    }

    /** At its driver's unload: true when the timer is in the timer queue or its DPC is queued. */
    boolean isPendingAtUnload() {
        synchronized (lock) {
            return !freed && (armed != null || dpc.isInserted());
        }
    }

    /** Its driver unloaded with the timer set: out of the timer queue, DPC dequeued; it never fires. */
    void dequeueAtUnload() {
        synchronized (lock) {
            dequeueLocked();
            Ke.removeQueueDpc(dpc);
        }
    }

    private boolean driverUnloaded() {
        return driverObject != null && driverObject.isUnloaded();
    }

    /** Takes the timer out of the timer queue; true when it was there. */
    private boolean dequeueLocked() {
        generation++;
        if (armed == null) {
            return false;
        }
        armed.cancel();
        armed = null;
        return true;
    }

    private void checkNotFreed(String function) {
        if (freed) {
            throw Verifier.violation(
                    kernel(),
                    Rule.TimerObject_UseAfterFree,
                    0,
                    0,
                    function + " on " + name() + ", which NdisFreeTimerObject freed",
                    allocationSite(),
                    AllocationSites.of(this + " freed", freedAt));
        }
    }

    /**
     * On the clock thread: the timer expired. Unless a set or cancel came meanwhile, re-arm a periodic
     * timer and queue the DPC, both under the lock, so a cancel that follows sees the DPC queued.
     */
    private void fire(long gen) {
        synchronized (lock) {
            if (gen != generation || kernel().isCrashed() || driverUnloaded()) {
                return;
            }
            if (periodMillis > 0) {
                armed = kernel().schedule(periodMillis * 1_000_000L, () -> fire(gen));
            } else {
                armed = null;
            }
            kernel().insertQueueDpc(
                            dpc, null,
                            null); // no scheduling point under the lock; false when the last expiry's DPC still waits:
            // coalesced
        }
    }

    /** The timer's DPC, at DISPATCH_LEVEL: runs the timer function, whatever happened to the timer since. */
    private void expired(KDpc self, Object unused, Object unused1, Object unused2) {
        Object context;
        synchronized (lock) {
            if (freed || driverUnloaded()) {
                return; // freed as the DPC started, or its driver is gone: nothing of the timer is left
            }
            context = functionContext;
        }
        if (image == null) {
            function.run(context, this);
            return;
        }
        if (!image.timerFunctionStarted(this)) {
            return; // its driver unloaded as the DPC started
        }
        try { // its driver's unload waits for it to return
            function.run(context, this);
        } finally {
            image.timerFunctionReturned(this);
        }
    }
}
