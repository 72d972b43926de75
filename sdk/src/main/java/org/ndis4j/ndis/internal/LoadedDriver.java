package org.ndis4j.ndis.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.BugCheckCode;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's side of a DRIVER_OBJECT: the driver image the PnP manager loaded, what its DriverEntry
 * registered (a miniport, a filter, protocols), the device objects it registered with
 * NdisRegisterDeviceEx, and the work items and timers it allocated with its driver handles. When
 * its unload routine returns, nothing of the driver may run any more, and everything it allocated
 * with those handles must be gone:
 *
 * <pre>
 *   before the routine   wait until none of its work items is queued or running (they hold it loaded)
 *   after the routine    wait for its timer functions still running (the system flushes DPCs,
 *                          KeFlushQueuedDpcs, before it frees the driver object); no new one starts
 *                        a timer still set, or a work item queued: 0xCE
 *                          DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS (its code would run in
 *                          an unloaded image); the timer is taken out of the timer queue, it never fires
 *                        registrations left: Driver_DeregisterAtUnload; devices: Device_LeakAtUnload;
 *                        work items: IoWorkItem_LeakAtUnload; timer objects: TimerObject_Leak
 * </pre>
 */
public final class LoadedDriver extends DriverObject {

    private volatile MiniportDriverBlock miniport;
    private volatile FilterDriverBlock filter;
    private final List<ProtocolBlock> protocols = new CopyOnWriteArrayList<>();
    private final List<NdisDevice> devices = new CopyOnWriteArrayList<>();

    /** Guards the fields below. */
    private final Object lock = new Object();
    /** Work items and timers allocated with one of the driver's handles, in allocation order (handles compare by identity). */
    private final Set<IoWorkItem> workItems = Collections.newSetFromMap(new LinkedHashMap<>());

    private final Set<TimerObject> timers = Collections.newSetFromMap(new LinkedHashMap<>());
    /** Timer functions of the driver running now, one entry per processor running one (a DPC may run on two). */
    private final List<TimerObject> timerFunctionsRunning = new ArrayList<>();
    /** Set when the last running timer function returns while unload waits for it. */
    private KEvent timerFunctionsReturned;
    /** Work items of the driver queued or running: each holds the driver loaded. */
    private final RundownReferences workItemReferences;

    private volatile boolean unloaded;

    LoadedDriver(Kernel kernel, String driverName) {
        super(kernel, driverName);
        workItemReferences = new RundownReferences(kernel);
    }

    /** The miniport registered by this driver's DriverEntry, or null. */
    public MiniportDriverBlock miniportDriver() {
        return miniport;
    }

    void setMiniport(MiniportDriverBlock block) {
        miniport = block;
    }

    void setFilter(FilterDriverBlock block) {
        filter = block;
    }

    void protocolRegistered(ProtocolBlock protocol) {
        protocols.add(protocol);
    }

    void deviceRegistered(NdisDevice device) {
        devices.add(device);
    }

    void deviceDeregistered(NdisDevice device) {
        devices.remove(device);
    }

    /** True once the unload routine returned: no code of the driver runs any more. */
    boolean isUnloaded() {
        return unloaded;
    }

    // ---- what the driver allocated with its handles -------------------------------------------

    void workItemAllocated(IoWorkItem item) {
        synchronized (lock) {
            workItems.add(item);
        }
    }

    void workItemFreed(IoWorkItem item) {
        synchronized (lock) {
            workItems.remove(item);
        }
    }

    void timerAllocated(TimerObject timer) {
        synchronized (lock) {
            timers.add(timer);
        }
    }

    void timerFreed(TimerObject timer) {
        synchronized (lock) {
            timers.remove(timer);
        }
    }

    /** False when the driver has unloaded: the function must not start. */
    boolean timerFunctionStarted(TimerObject timer) {
        synchronized (lock) {
            if (unloaded) {
                return false;
            }
            timerFunctionsRunning.add(timer);
            return true;
        }
    }

    void timerFunctionReturned(TimerObject timer) {
        synchronized (lock) {
            timerFunctionsRunning.remove(timer);
            if (timerFunctionsRunning.isEmpty() && timerFunctionsReturned != null) {
                timerFunctionsReturned.set();
            }
        }
    }

    void referenceForWorkItem() {
        workItemReferences.acquire();
    }

    void dereferenceForWorkItem() {
        workItemReferences.release();
    }

    // ---- unload -------------------------------------------------------------------------------

    /** Before the unload routine: waits until none of the driver's work items is queued or running. */
    void awaitWorkItems() {
        workItemReferences.awaitNone("unload of " + driverName() + ": its work items to finish");
    }

    /**
     * After the unload routine: no timer function of the driver starts any more, and the ones running
     * (NdisCancelTimerObject returned FALSE and the driver did not wait) run to their end first, as the
     * system's KeFlushQueuedDpcs before it frees the driver object lets them; what they touch that the
     * driver already freed is caught by that object's rules.
     */
    private void awaitRunningTimerFunctions() {
        KEvent returned;
        synchronized (lock) {
            unloaded = true;
            returned = timerFunctionsRunning.isEmpty() ? null : kernel().initializeEvent(false);
            timerFunctionsReturned = returned;
        }
        while (returned != null) {
            kernel().waitFor(
                            "unload of " + driverName() + ": its running timer functions to return",
                            returned,
                            -1,
                            WaitKind.WORK);
            synchronized (lock) {
                if (timerFunctionsRunning.isEmpty()) {
                    timerFunctionsReturned = null;
                    returned = null;
                }
            }
        }
    }

    /**
     * The unload routine returned: from now on no code of the driver runs; then what would have run
     * it anyway (0xCE), and what it left behind (the rules in the class comment).
     *
     * @param hasUnloadRoutine the driver has an unload routine of its own; only then must it have
     *                         deregistered its miniport, filter and protocols itself
     */
    void unloaded(boolean hasUnloadRoutine) {
        awaitRunningTimerFunctions();
        // NDIS checks after the unload routine returned, on the driver's behalf: a report names it.
        DriverCalls.run(driverName(), () -> {
            checkNothingPending();
            if (hasUnloadRoutine) {
                checkDeregistered();
            }
            checkDevicesGone();
            checkNothingAllocated();
        });
    }

    /** A timer still set (or its DPC queued) or a work item queued or running would run unloaded code. */
    private void checkNothingPending() {
        List<TimerObject> setTimers = new ArrayList<>();
        List<IoWorkItem> queuedItems = new ArrayList<>();
        int itemsQueuedOrRunning;
        synchronized (lock) {
            itemsQueuedOrRunning = workItemReferences.count();
            for (TimerObject t : timers) {
                if (t.isPendingAtUnload()) {
                    setTimers.add(t);
                }
            }
            for (IoWorkItem item : workItems) {
                if (item.isQueued()) {
                    queuedItems.add(item);
                }
            }
        }
        if (setTimers.isEmpty() && itemsQueuedOrRunning == 0) {
            return;
        }
        List<AllocationSite> sites = new ArrayList<>();
        setTimers.forEach(t -> {
            t.dequeueAtUnload(); // its function never runs
            sites.add(t.allocationSite());
        });
        queuedItems.forEach(item -> sites.add(item.allocationSite()));
        sites.removeIf(site -> site == null);
        List<String> pending = new ArrayList<>();
        if (!setTimers.isEmpty()) {
            pending.add(describe(setTimers, "timer object(s) still set"));
        }
        if (itemsQueuedOrRunning > 0) {
            pending.add(itemsQueuedOrRunning + " work item(s) still queued or running"
                    + (queuedItems.isEmpty() ? "" : " " + queuedItems));
        }
        Object first = !setTimers.isEmpty() ? setTimers.get(0) : queuedItems.isEmpty() ? this : queuedItems.get(0);
        throw kernel().bugCheck(
                        BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
                        kernel().pointerOf(first),
                        0,
                        0,
                        0,
                        null,
                        driverName() + " unloaded with " + String.join(" and ", pending)
                                + "; their code would run in the unloaded driver (Windows stops when it does). "
                                + "Cancel timers (NdisCancelTimerObject) and let work items finish before unload returns",
                        sites);
    }

    private static String describe(List<?> objects, String what) {
        return objects.isEmpty() ? "" : objects.size() + " " + what + " " + objects;
    }

    /** The unload routine deregistered what DriverEntry registered (rule Driver_DeregisterAtUnload). */
    private void checkDeregistered() {
        List<String> left = new ArrayList<>();
        MiniportDriverBlock m = miniport;
        if (m != null && !m.isDeregistered()) {
            left.add("its miniport driver (NdisMDeregisterMiniportDriver)");
        }
        FilterDriverBlock f = filter;
        if (f != null && !f.isDeregistered()) {
            left.add("its filter driver (NdisFDeregisterFilterDriver)");
        }
        for (ProtocolBlock p : protocols) {
            if (!p.isDeregistered()) {
                left.add("protocol " + p.name() + " (NdisDeregisterProtocolDriver)");
            }
        }
        if (!left.isEmpty()) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Driver_DeregisterAtUnload,
                    left.size(),
                    0,
                    driverName() + ": the unload routine returned without deregistering " + String.join(", ", left));
        }
    }

    /**
     * Every device it registered must be deregistered (rule Device_LeakAtUnload; Windows keeps such a
     * driver loaded, its image and device objects leaked).
     */
    private void checkDevicesGone() {
        List<NdisDevice> left = List.copyOf(devices);
        if (!left.isEmpty()) {
            throw Verifier.violation(
                    kernel(),
                    Rule.Device_LeakAtUnload,
                    left.size(),
                    0,
                    driverName() + ": " + left.size() + " device(s) registered with NdisRegisterDeviceEx were not "
                            + "deregistered before the driver unloaded: " + left,
                    left.stream().map(NdisDevice::registrationSite).toList());
        }
    }

    /** Work items and timer objects allocated with the driver's handles are freed. */
    private void checkNothingAllocated() {
        List<IoWorkItem> items;
        List<TimerObject> leakedTimers;
        synchronized (lock) {
            items = new ArrayList<>(workItems);
            leakedTimers = new ArrayList<>(timers);
        }
        if (!items.isEmpty()) {
            throw Verifier.violation(
                    kernel(),
                    Rule.IoWorkItem_LeakAtUnload,
                    items.size(),
                    0,
                    driverName() + ": " + items.size() + " work item(s) allocated with a handle of the driver were "
                            + "not freed by the end of its unload routine: " + items,
                    items.stream().map(IoWorkItem::allocationSite).toList());
        }
        if (!leakedTimers.isEmpty()) {
            throw Verifier.violation(
                    kernel(),
                    Rule.TimerObject_Leak,
                    leakedTimers.size(),
                    0,
                    driverName() + ": " + leakedTimers.size() + " timer object(s) allocated with a handle of the "
                            + "driver were not freed by the end of its unload routine: " + leakedTimers,
                    leakedTimers.stream().map(TimerObject::allocationSite).toList());
        }
    }
}
