package org.ndis4j.ndis.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.kernel.BugCheckException;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WorkQueueType;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.types.DriverEntry;
import org.ndis4j.ndis.types.NdisException;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * The plug-and-play manager of one kernel: loads drivers (DriverEntry), adds and removes devices
 * (NDIS then initializes, restarts, pauses and halts their adapters and builds their stacks),
 * unloads drivers, and binds and attaches protocols and filters as they come and go. Each operation
 * runs at PASSIVE_LEVEL on a system worker thread, as in Windows; the caller waits for it. Hosts
 * reach it through {@code PnpManager}.
 *
 * <p>At {@link Kernel#close()} every device still present is removed and every driver unloaded, so
 * the verifier's halt-time accounting runs for all of them.
 */
public final class PlugAndPlay {

    /** How long one PnP operation may take before the caller gives up (the machine hangs). */
    public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(60);

    /** True on a system thread while it runs a PnP step. */
    private static final ThreadLocal<Boolean> ON_PNP_THREAD = ThreadLocal.withInitial(() -> false);

    /** PnP steps run one at a time, whichever system thread runs them. */
    private final ReentrantLock serial = new ReentrantLock();

    private final Kernel kernel;
    private final NdisLibrary ndis;
    private final List<LoadedDriver> drivers = new CopyOnWriteArrayList<>();
    private final List<MiniportAdapter> devices = new CopyOnWriteArrayList<>();

    private PlugAndPlay(Kernel kernel) {
        this.kernel = kernel;
        this.ndis = NdisLibrary.of(kernel);
        kernel.addShutdownStep(this::removeEverything);
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
            return DriverCalls.call(name, () -> entry.driverEntry(driverObject, registryPath));
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
    public MiniportAdapter addDevice(LoadedDriver driver, DeviceResources resources) {
        MiniportDriverBlock miniport = driver.miniportDriver();
        if (miniport == null) {
            throw new IllegalStateException(driver.driverName() + " registered no miniport driver in DriverEntry");
        }
        MiniportAdapter adapter = new MiniportAdapter(miniport, resources, ndis.nextIfIndex());
        NdisStatus init = onSystemThread("initialize " + adapter.name(), adapter::initialize);
        if (!init.isSuccess()) {
            throw new NdisException(init, "MiniportInitializeEx of " + adapter.name() + " failed");
        }
        miniport.added(adapter);
        devices.add(adapter);
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
        onSystemThread("pause " + adapter.name(), () -> {
            pauseStack(adapter);
            return null;
        });
    }

    /** Restarts a Paused adapter's stack: MiniportRestart, then its filters bottom up; returns the status. */
    public NdisStatus restart(MiniportAdapter adapter) {
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
        onSystemThread("remove " + adapter.name(), () -> {
            adapter.stack().unbindAll();
            if (adapter.state() == AdapterState.Running) {
                pauseStack(adapter);
            }
            adapter.stack().detachFilters();
            adapter.halt(NdisHaltAction.NdisHaltDeviceInstanceDeInitialized);
            return null;
        });
        devices.remove(adapter);
        adapter.driver().removed(adapter);
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

    /**
     * Unloads a driver whose adapters are all removed: MiniportDriverUnload, then the check that every
     * device it registered with NdisRegisterDeviceEx is gone (Device_LeakAtUnload).
     */
    public void unloadDriver(LoadedDriver driver) {
        MiniportDriverBlock miniport = driver.miniportDriver();
        if (miniport != null && !miniport.adapters().isEmpty()) {
            throw new IllegalStateException(driver.driverName() + " still has adapters: " + miniport.adapters());
        }
        onSystemThread("unload " + driver.driverName(), () -> {
            if (miniport != null) {
                DriverCalls.run(
                        driver.driverName(), () -> miniport.characteristics().unload(driver));
            }
            driver.checkDevicesGone();
            return null;
        });
        drivers.remove(driver);
    }

    /** The devices present now. */
    public List<MiniportAdapter> devices() {
        return List.copyOf(devices);
    }

    private void removeEverything() {
        if (kernel.isCrashed()) {
            return;
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
