package org.ndis4j.ndis.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.KernelLock;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.kernel.WorkQueueType;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.miniport.NetDevicePnPEvent;
import org.ndis4j.ndis.types.DriverEntry;
import org.ndis4j.ndis.types.DriverUnload;
import org.ndis4j.ndis.types.NdisException;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.registry.AdapterConfiguration;

/**
 * The plug-and-play manager of one kernel: loads drivers (DriverEntry), adds and removes devices
 * (NDIS then initializes, restarts, pauses and halts their adapters and builds their stacks), handles
 * a surprise removal, shuts the system down, unloads drivers, and binds and attaches protocols and
 * filters as they come and go. Each operation runs at PASSIVE_LEVEL on a system worker thread, as in
 * Windows; the caller waits for it through the kernel's scheduler seam, and NDIS's watchdog times
 * every call into a driver on the way ({@link NdisWatchdog}): a driver that never returns stops the
 * machine with 0x7C / 0x25 instead of hanging the caller. Hosts reach it through {@code PnpManager}.
 *
 * <pre>
 *  add        DriverEntry … MiniportInitializeEx ─► FilterAttach ─► MiniportRestart ─► FilterRestart ─► bind
 *  remove     unbind ─► FilterPause ─► MiniportPause ─► FilterDetach ─► MiniportHaltEx(InstanceDeInitialized)
 *  surprise   MiniportDevicePnPEventNotify(SurpriseRemoved) ─► the remove path, MiniportHaltEx(SurpriseRemoved)
 *  shutdown   MiniportShutdownEx(NdisShutdownPowerOff) on every started adapter; nothing runs after it
 *  unload     wait for the driver's work items ─► its unload routine ─► the unload checks (LoadedDriver)
 * </pre>
 *
 * <p>At {@link Kernel#close()} every device still present is removed and every driver unloaded, so
 * the verifier's halt-time and unload-time accounting runs for all of them — unless the system was
 * shut down: then the machine powers off as it is.
 */
public final class PlugAndPlay {

    /** True on a system thread while it runs a PnP step. */
    private static final ThreadLocal<Boolean> ON_PNP_THREAD = ThreadLocal.withInitial(() -> false);

    private final Kernel kernel;
    /** PnP steps run one at a time, whichever system thread runs them. */
    private final KernelLock serial;

    private final NdisLibrary ndis;
    private final List<LoadedDriver> drivers = new CopyOnWriteArrayList<>();
    private final List<MiniportAdapter> devices = new CopyOnWriteArrayList<>();
    /** The driver whose DriverEntry runs now (a PnP step: serial), or null. */
    private volatile LoadedDriver loading;
    /** The system was shut down: no PnP operation any more, close powers off. */
    private volatile boolean shutDown;

    private PlugAndPlay(Kernel kernel) {
        this.kernel = kernel;
        this.serial = kernel.newLock("the PnP manager", KernelLock.Kind.MUTEX);
        this.ndis = NdisLibrary.of(kernel);
        kernel.addShutdownStep(this::removeEverything);
        kernel.onCrash(report -> devices.forEach(MiniportAdapter::shutdownOnBugCheck));
    }

    public static PlugAndPlay of(Kernel kernel) {
        return kernel.extension(PlugAndPlay.class, PlugAndPlay::new);
    }

    /** Loads a driver: calls its DriverEntry at PASSIVE_LEVEL. Throws if DriverEntry fails. */
    public LoadedDriver loadDriver(String name, DriverEntry entry) {
        LoadedDriver driverObject = new LoadedDriver(kernel, name);
        NdisStatus status = onSystemThread("load " + name, () -> {
            Trace.log("DriverEntry(%s)", name);
            String registryPath = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\" + name;
            loading = driverObject;
            try {
                return NdisWatchdog.of(kernel)
                        .call(
                                WatchedOperation.DRIVER_ENTRY,
                                name,
                                name,
                                0,
                                () -> DriverCalls.call(name, () -> entry.driverEntry(driverObject, registryPath)));
            } finally {
                loading = null;
            }
        });
        if (!status.isSuccess()) {
            throw new NdisException(status, "DriverEntry of " + name + " failed");
        }
        drivers.add(driverObject);
        return driverObject;
    }

    /** The driver whose DriverEntry runs now on the PnP thread, or null (a protocol registered then is its). */
    LoadedDriver driverBeingLoaded() {
        return ON_PNP_THREAD.get() ? loading : null;
    }

    /**
     * Adds a device for {@code driver}: NDIS creates an adapter, calls MiniportInitializeEx, then
     * MiniportRestart. Returns the adapter handle, Running. Throws {@link NdisException} when the
     * miniport fails to initialize or restart (the adapter is then Halted or Paused). From now on,
     * pulling the device from its slot ({@code HotPlugSlot.surpriseRemove}) surprise-removes it.
     */
    public MiniportAdapter addDevice(
            LoadedDriver driver, DeviceResources resources, AdapterConfiguration configuration) {
        MiniportDriverBlock miniport = driver.miniportDriver();
        if (miniport == null || miniport.isDeregistered()) {
            throw new IllegalStateException(driver.driverName() + " has no miniport driver registered");
        }
        checkNotShutDown("add a device");
        MiniportAdapter adapter = new MiniportAdapter(miniport, resources, ndis.nextIfIndex(), configuration);
        NdisStatus init = onSystemThread("initialize " + adapter.name(), adapter::initialize);
        if (!init.isSuccess()) {
            throw new NdisException(init, "MiniportInitializeEx of " + adapter.name() + " failed");
        }
        miniport.added(adapter);
        devices.add(adapter);
        resources.slot().onSurpriseRemoval(() -> surpriseRemovedByBus(adapter));
        NdisStatus restart = onSystemThread("start " + adapter.name(), () -> {
            ndis.filterDrivers().forEach(adapter.stack()::attach);
            NdisStatus status = restartStack(adapter);
            if (status.isSuccess()) {
                ndis.protocolDrivers().forEach(adapter.stack()::bind);
            }
            return status;
        });
        if (!restart.isSuccess()) {
            throw new NdisException(restart, "MiniportRestart of " + adapter.name() + " failed");
        }
        return adapter;
    }

    /** Pauses a Running adapter's stack: its filters top down (FilterPause), then MiniportPause. */
    public void pause(MiniportAdapter adapter) {
        checkNotShutDown("pause " + adapter.name());
        onSystemThread("pause " + adapter.name(), () -> {
            pauseStack(adapter);
            return null;
        });
    }

    /** Restarts a Paused adapter's stack: MiniportRestart, then its filters bottom up; returns the status. */
    public NdisStatus restart(MiniportAdapter adapter) {
        checkNotShutDown("restart " + adapter.name());
        return onSystemThread("restart " + adapter.name(), () -> restartStack(adapter));
    }

    /**
     * Removes a device: protocols unbind, the stack pauses, filters detach, then MiniportHaltEx; the
     * adapter ends Halted.
     */
    public void removeDevice(MiniportAdapter adapter) {
        if (!devices.contains(adapter)) {
            throw new IllegalStateException(adapter.name() + " is not present (removed already, or never added)");
        }
        checkNotShutDown("remove " + adapter.name());
        onSystemThread("remove " + adapter.name(), () -> {
            tearDown(adapter, NdisHaltAction.NdisHaltDeviceInstanceDeInitialized);
            return null;
        });
    }

    /**
     * The device was pulled (IRP_MN_SURPRISE_REMOVAL, then IRP_MN_REMOVE_DEVICE):
     * MiniportDevicePnPEventNotify with NdisDevicePnPEventSurpriseRemoved, then protocols unbind, the
     * stack pauses, filters detach and MiniportHaltEx runs with NdisHaltDeviceSurpriseRemoved. The
     * adapter ends Halted. A device already gone (removed, or surprise-removed by its slot) is left alone.
     */
    public void surpriseRemoveDevice(MiniportAdapter adapter) {
        checkNotShutDown("surprise-remove " + adapter.name());
        onSystemThread("surprise-remove " + adapter.name(), () -> {
            surpriseRemove(adapter);
            return null;
        });
    }

    /** The device's slot reported it pulled: the surprise removal runs on the PnP thread; nobody waits. */
    private void surpriseRemovedByBus(MiniportAdapter adapter) {
        Trace.log("%s: the bus reports the device surprise-removed", adapter.name());
        if (kernel.isCrashed() || kernel.isClosed()) {
            return;
        }
        kernel.queueWorkItem(
                WorkQueueType.DelayedWorkQueue,
                null,
                () -> runSerialized(() -> {
                    surpriseRemove(adapter);
                    return null;
                }));
    }

    /** On the PnP thread. */
    private void surpriseRemove(MiniportAdapter adapter) {
        if (!devices.contains(adapter) || adapter.state() == AdapterState.Shutdown) {
            return;
        }
        adapter.devicePnPEvent(NetDevicePnPEvent.surpriseRemoved());
        tearDown(adapter, NdisHaltAction.NdisHaltDeviceSurpriseRemoved);
    }

    /** Unbind, pause, detach, halt; the adapter leaves the machine. On the PnP thread. */
    private void tearDown(MiniportAdapter adapter, NdisHaltAction action) {
        adapter.resources().slot().onSurpriseRemoval(null);
        adapter.stack().unbindAll();
        if (adapter.state() == AdapterState.Running) {
            pauseStack(adapter);
        }
        adapter.stack().detachFilters();
        adapter.halt(action);
        devices.remove(adapter);
        adapter.driver().removed(adapter);
    }

    /**
     * The system shuts down: MiniportShutdownEx(NdisShutdownPowerOff) on every started adapter
     * (Paused, Restarting, Running or Pausing), newest first, at PASSIVE_LEVEL. The adapters become
     * Shutdown and NDIS calls none of their handlers again; no PnP operation follows, and
     * {@link Kernel#close()} powers the machine off without halting or unloading anything.
     */
    public void shutdown() {
        checkNotShutDown("shut down");
        onSystemThread("shutdown", () -> {
            shutDown = true;
            List<MiniportAdapter> present = new ArrayList<>(devices);
            Collections.reverse(present);
            for (MiniportAdapter adapter : present) {
                adapter.resources().slot().onSurpriseRemoval(null);
                if (adapter.state().canMoveTo(AdapterState.Shutdown)) {
                    adapter.shutdown();
                }
            }
            return null;
        });
    }

    /** True once {@link #shutdown()} ran. */
    public boolean isShutDown() {
        return shutDown;
    }

    private void checkNotShutDown(String what) {
        if (shutDown) {
            throw new IllegalStateException("cannot " + what + ": the system was shut down");
        }
    }

    private static void pauseStack(MiniportAdapter adapter) {
        adapter.stack().pauseFilters();
        adapter.pause();
    }

    private static NdisStatus restartStack(MiniportAdapter adapter) {
        NdisStatus status = adapter.restart();
        if (status.isSuccess()) {
            adapter.stack().restartFilters();
        }
        return status;
    }

    // ---- upper edges: filters and protocols come and go ---------------------------------------

    /** A filter driver registered: NDIS rebuilds every running stack with the filter on top. */
    void filterRegistered(FilterDriverBlock filter) {
        onSystemThread("attach " + filter.name(), () -> {
            for (MiniportAdapter device : devices) {
                rebuild(device, stack -> stack.attach(filter));
            }
            return null;
        });
    }

    /** A filter driver deregistered: NDIS rebuilds every stack it sits in without it. */
    void filterDeregistered(FilterDriverBlock filter) {
        onSystemThread("detach " + filter.name(), () -> {
            for (MiniportAdapter device : devices) {
                device.stack().filters().stream()
                        .filter(m -> m.filterDriver() == filter)
                        .findFirst()
                        .ifPresent(module -> rebuild(device, s -> s.detach(module)));
            }
            return null;
        });
    }

    /**
     * A protocol registered: NDIS binds it to every running adapter, on the PnP thread after
     * NdisRegisterProtocolDriver has returned (so the protocol has its handle when it opens).
     */
    void protocolRegistered(ProtocolBlock protocol) {
        kernel.queueWorkItem(
                WorkQueueType.DelayedWorkQueue,
                null,
                () -> runSerialized(() -> {
                    for (MiniportAdapter device : devices) {
                        if (device.state() == AdapterState.Running
                                && ndis.protocolDrivers().contains(protocol)) {
                            device.stack().bind(protocol);
                        }
                    }
                    return null;
                }));
    }

    /** A protocol deregistering: NDIS unbinds it everywhere. */
    void protocolDeregistered(ProtocolBlock protocol) {
        onSystemThread("unbind " + protocol.name(), () -> {
            for (MiniportAdapter device : devices) {
                AdapterStack stack = device.stack();
                stack.bindings().stream().filter(b -> b.protocol() == protocol).forEach(stack::unbind);
            }
            return null;
        });
    }

    /** Unbind, pause, change the filter stack, restart, rebind: how NDIS inserts or removes a filter. */
    private void rebuild(MiniportAdapter adapter, Consumer<AdapterStack> change) {
        boolean running = adapter.state() == AdapterState.Running;
        if (running) {
            adapter.stack().unbindAll();
            pauseStack(adapter);
        }
        change.accept(adapter.stack());
        if (running && restartStack(adapter).isSuccess()) {
            ndis.protocolDrivers().forEach(adapter.stack()::bind);
        }
    }

    // ---- unload -------------------------------------------------------------------------------

    /**
     * Unloads a driver whose adapters are all removed: NDIS waits until none of the driver's work items
     * is queued or running (they hold it loaded), calls its unload routine (MiniportDriverUnload for a
     * miniport, else the DriverUnload its DriverEntry set), then checks what it left ({@link LoadedDriver}).
     * A miniport driver without a MiniportDriverUnload of its own is deregistered by NDIS (ndis4j's
     * convenience: Windows requires the routine).
     */
    public void unloadDriver(LoadedDriver driver) {
        MiniportDriverBlock miniport = driver.miniportDriver();
        if (miniport != null && !miniport.adapters().isEmpty()) {
            throw new IllegalStateException(driver.driverName() + " still has adapters: " + miniport.adapters());
        }
        checkNotShutDown("unload " + driver.driverName());
        onSystemThread("unload " + driver.driverName(), () -> {
            NdisWatchdog.of(kernel)
                    .run(WatchedOperation.DRIVER_UNLOAD, driver.driverName(), driver.driverName(), 0, () -> {
                        driver.awaitWorkItems();
                        callUnloadRoutine(driver, miniport);
                    });
            return null;
        });
        drivers.remove(driver);
    }

    private static void callUnloadRoutine(LoadedDriver driver, MiniportDriverBlock miniport) {
        String name = driver.driverName();
        boolean ownRoutine;
        if (miniport != null) {
            ownRoutine = OptionalHandlers.overrides(miniport.characteristics(), "unload", 1);
            Trace.log("MiniportDriverUnload(%s)", name);
            DriverCalls.run(name, () -> miniport.characteristics().unload(driver));
            if (!ownRoutine && !miniport.isDeregistered()) {
                miniport.deregister(); // the default MiniportDriverUnload
            }
        } else {
            DriverUnload routine = driver.driverUnload();
            ownRoutine = routine != null;
            if (ownRoutine) {
                Trace.log("DriverUnload(%s)", name);
                DriverCalls.run(name, () -> routine.driverUnload(driver));
            }
        }
        driver.unloaded(ownRoutine);
    }

    /** The devices present now. */
    public List<MiniportAdapter> devices() {
        return List.copyOf(devices);
    }

    private void removeEverything() {
        if (kernel.isCrashed() || shutDown) {
            return; // a crash stopped the machine; a shutdown powers it off as it is
        }
        List<MiniportAdapter> present = new ArrayList<>(devices);
        Collections.reverse(present);
        present.forEach(this::removeDevice);
        List<LoadedDriver> loaded = new ArrayList<>(drivers);
        Collections.reverse(loaded);
        loaded.forEach(this::unloadDriver);
    }

    /** Runs a step as the PnP thread: one step at a time, nested PnP calls inline. */
    private <T> T runSerialized(Supplier<T> step) {
        serial.lock();
        ON_PNP_THREAD.set(true);
        try {
            return step.get();
        } finally {
            ON_PNP_THREAD.set(false);
            serial.unlock();
        }
    }

    /**
     * Runs a PnP step on a DelayedWorkQueue thread at PASSIVE_LEVEL and waits for it; inline when the
     * caller is already the PnP thread (a DriverEntry that registers a filter or protocol). The wait
     * goes through the kernel's seam and ends when the step ends or the machine stops: NDIS's
     * watchdog bounds every call into a driver the step makes.
     */
    private <T> T onSystemThread(String what, Supplier<T> step) {
        kernel.checkAlive();
        if (ON_PNP_THREAD.get()) {
            return step.get();
        }
        StepResult<T> result = new StepResult<>(kernel.initializeEvent(false));
        kernel.queueWorkItem(WorkQueueType.DelayedWorkQueue, null, () -> {
            try {
                result.value = runSerialized(step);
            } catch (Throwable t) {
                result.failure = t;
                if (!(t instanceof BugCheckException) && !(t instanceof NdisException)) {
                    throw t;
                }
            } finally {
                result.done.set();
            }
        });
        kernel.waitFor("PnP operation '" + what + "'", result.done, -1, WaitKind.WATCHDOG);
        if (result.failure instanceof RuntimeException re) {
            throw re;
        }
        if (result.failure instanceof Error e) {
            throw e;
        }
        return result.value;
    }

    /** What a PnP step left for the thread that waits for it; published by the event. */
    private static final class StepResult<T> {
        final KEvent done;
        volatile T value;
        volatile Throwable failure;

        StepResult(KEvent done) {
            this.done = done;
        }
    }
}
