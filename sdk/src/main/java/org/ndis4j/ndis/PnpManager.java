package org.ndis4j.ndis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WorkQueueType;

/**
 * The plug-and-play manager of one kernel: loads drivers (DriverEntry), adds and removes devices
 * (NDIS then initializes, restarts, pauses and halts their adapters), unloads drivers. Each
 * operation runs at PASSIVE_LEVEL on a system worker thread, as in Windows; the caller waits for it.
 *
 * <pre>
 *   PnpManager pnp = PnpManager.of(kernel);
 *   DriverObject vmini = pnp.loadDriver("vmini", VminiDriver::driverEntry);
 *   NdisMiniportAdapterHandle adapter = pnp.addDevice(vmini, nic.resources());  // Running
 *   pnp.removeDevice(adapter);                                                   // Halted
 * </pre>
 * At {@link Kernel#close()} every device still present is removed and every driver unloaded, so
 * the verifier's halt-time accounting runs for all of them.
 */
public final class PnpManager {

    /** How long one PnP operation may take before the caller gives up (the machine hangs). */
    public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(60);

    /** True on a system thread while it runs a PnP step. */
    private static final ThreadLocal<Boolean> ON_PNP_THREAD = ThreadLocal.withInitial(() -> false);

    /** PnP steps run one at a time, whichever system thread runs them. */
    private final java.util.concurrent.locks.ReentrantLock serial = new java.util.concurrent.locks.ReentrantLock();

    private final Kernel kernel;
    private final NdisLibrary ndis;
    private final List<DriverObject> drivers = new CopyOnWriteArrayList<>();
    private final List<NdisMiniportAdapterHandle> devices = new CopyOnWriteArrayList<>();

    private PnpManager(Kernel kernel) {
        this.kernel = kernel;
        this.ndis = NdisLibrary.of(kernel);
        kernel.addShutdownStep(this::removeEverything);
    }

    public static PnpManager of(Kernel kernel) {
        return kernel.extension(PnpManager.class, PnpManager::new);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Loads a driver: calls its DriverEntry at PASSIVE_LEVEL. Throws if DriverEntry fails. */
    public DriverObject loadDriver(String name, DriverEntry entry) {
        DriverObject driverObject = new DriverObject(kernel, name);
        NdisStatus status = onSystemThread("load " + name, () -> {
            Trace.log("DriverEntry(%s)", name);
            return entry.driverEntry(driverObject, "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\" + name);
        });
        if (!status.isSuccess()) {
            throw new NdisException(status, "DriverEntry of " + name + " failed");
        }
        drivers.add(driverObject);
        return driverObject;
    }

    /**
     * Adds a device for {@code driver}: NDIS creates an adapter, calls MiniportInitializeEx, then
     * MiniportRestart. Returns the adapter handle, Running. Throws {@link NdisException} when the
     * miniport fails to initialize or restart (the adapter is then Halted or Paused).
     */
    public NdisMiniportAdapterHandle addDevice(DriverObject driver, DeviceResources resources) {
        NdisMiniportDriverHandle miniport = driver.miniportDriver();
        if (miniport == null) {
            throw new IllegalStateException(driver.driverName() + " registered no miniport driver in DriverEntry");
        }
        NdisMiniportAdapterHandle handle = new NdisMiniportAdapterHandle(
                miniport, resources.deviceName(), h -> new MiniportAdapter(h, miniport, resources, ndis.nextIfIndex()));
        MiniportAdapter adapter = handle.adapter();
        NdisStatus init = onSystemThread("initialize " + handle.name(), adapter::initialize);
        if (!init.isSuccess()) {
            throw new NdisException(init, "MiniportInitializeEx of " + handle.name() + " failed");
        }
        miniport.added(handle);
        devices.add(handle);
        NdisStatus restart = onSystemThread("start " + handle.name(), () -> {
            ndis.filterDrivers().forEach(adapter.stack()::attach);
            NdisStatus status = restartStack(adapter);
            if (status.isSuccess()) {
                ndis.protocolDrivers().forEach(adapter.stack()::bind);
            }
            return status;
        });
        if (!restart.isSuccess()) {
            throw new NdisException(restart, "MiniportRestart of " + handle.name() + " failed");
        }
        return handle;
    }

    /** Pauses a Running adapter's stack: its filters top down (FilterPause), then MiniportPause. */
    public void pause(NdisMiniportAdapterHandle handle) {
        onSystemThread("pause " + handle.name(), () -> {
            pauseStack(handle.adapter());
            return null;
        });
    }

    /** Restarts a Paused adapter's stack: MiniportRestart, then its filters bottom up; returns the status. */
    public NdisStatus restart(NdisMiniportAdapterHandle handle) {
        return onSystemThread("restart " + handle.name(), () -> restartStack(handle.adapter()));
    }

    /**
     * Removes a device: protocols unbind, the stack pauses, filters detach, then MiniportHaltEx; the
     * adapter ends Halted.
     */
    public void removeDevice(NdisMiniportAdapterHandle handle) {
        if (!devices.contains(handle)) {
            throw new IllegalStateException(handle.name() + " is not present (removed already, or never added)");
        }
        onSystemThread("remove " + handle.name(), () -> {
            MiniportAdapter adapter = handle.adapter();
            adapter.stack().unbindAll();
            if (adapter.state() == AdapterState.Running) {
                pauseStack(adapter);
            }
            adapter.stack().detachFilters();
            adapter.halt(NdisHaltAction.NdisHaltDeviceInstanceDeInitialized);
            return null;
        });
        devices.remove(handle);
        handle.adapter().driver().removed(handle);
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
    void filterRegistered(NdisFilterDriverHandle filter) {
        onSystemThread("attach " + filter.name(), () -> {
            for (NdisMiniportAdapterHandle device : devices) {
                rebuild(device.adapter(), stack -> stack.attach(filter));
            }
            return null;
        });
    }

    /** A filter driver deregistered: NDIS rebuilds every stack it sits in without it. */
    void filterDeregistered(NdisFilterDriverHandle filter) {
        onSystemThread("detach " + filter.name(), () -> {
            for (NdisMiniportAdapterHandle device : devices) {
                AdapterStack stack = device.adapter().stack();
                stack.filters().stream()
                        .filter(m -> m.filterDriver() == filter)
                        .findFirst()
                        .ifPresent(module -> rebuild(device.adapter(), s -> s.detach(module)));
            }
            return null;
        });
    }

    /**
     * A protocol registered: NDIS binds it to every running adapter, on the PnP thread after
     * NdisRegisterProtocolDriver has returned (so the protocol has its handle when it opens).
     */
    void protocolRegistered(NdisProtocolDriverHandle protocol) {
        kernel.queueWorkItem(
                WorkQueueType.DelayedWorkQueue,
                null,
                () -> runSerialized(() -> {
                    for (NdisMiniportAdapterHandle device : devices) {
                        if (device.state() == AdapterState.Running
                                && ndis.protocolDrivers().contains(protocol)) {
                            device.adapter().stack().bind(protocol);
                        }
                    }
                    return null;
                }));
    }

    /** A protocol deregistering: NDIS unbinds it everywhere. */
    void protocolDeregistered(NdisProtocolDriverHandle protocol) {
        onSystemThread("unbind " + protocol.name(), () -> {
            for (NdisMiniportAdapterHandle device : devices) {
                AdapterStack stack = device.adapter().stack();
                stack.bindings().stream().filter(b -> b.protocol() == protocol).forEach(stack::unbind);
            }
            return null;
        });
    }

    /** Unbind, pause, change the filter stack, restart, rebind: how NDIS inserts or removes a filter. */
    private void rebuild(MiniportAdapter adapter, java.util.function.Consumer<AdapterStack> change) {
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

    /** Unloads a driver whose adapters are all removed: MiniportDriverUnload. */
    public void unloadDriver(DriverObject driver) {
        NdisMiniportDriverHandle miniport = driver.miniportDriver();
        if (miniport != null && !miniport.adapters().isEmpty()) {
            throw new IllegalStateException(driver.driverName() + " still has adapters: " + miniport.adapters());
        }
        onSystemThread("unload " + driver.driverName(), () -> {
            if (miniport != null) {
                miniport.characteristics().unload(driver);
                ndis.deregistered(miniport);
            }
            return null;
        });
        drivers.remove(driver);
    }

    /** The devices present now. */
    public List<NdisMiniportAdapterHandle> devices() {
        return List.copyOf(devices);
    }

    private void removeEverything() {
        if (kernel.isCrashed()) {
            return;
        }
        List<NdisMiniportAdapterHandle> present = new ArrayList<>(devices);
        Collections.reverse(present);
        present.forEach(this::removeDevice);
        List<DriverObject> loaded = new ArrayList<>(drivers);
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
     * caller is already the PnP thread (a DriverEntry that registers a filter or protocol).
     */
    private <T> T onSystemThread(String what, Supplier<T> step) {
        kernel.checkAlive();
        if (ON_PNP_THREAD.get()) {
            return step.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        kernel.queueWorkItem(WorkQueueType.DelayedWorkQueue, null, () -> {
            try {
                result.complete(runSerialized(step));
            } catch (Throwable t) {
                result.completeExceptionally(t);
                if (!(t instanceof BugCheckException) && !(t instanceof NdisException)) {
                    throw t;
                }
            }
        });
        long deadline = System.nanoTime() + OPERATION_TIMEOUT.toNanos();
        for (; ; ) {
            try {
                return result.get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // A crash elsewhere (a worker, a DPC) ends the wait: the machine has stopped.
                kernel.checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "PnP operation '" + what + "' did not finish in " + OPERATION_TIMEOUT.toSeconds() + " s");
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(what + " failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during " + what, e);
            }
        }
    }
}
