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
        NdisMiniportAdapterHandle handle = new NdisMiniportAdapterHandle(miniport, resources.deviceName(),
                h -> new MiniportAdapter(h, miniport, resources, ndis.nextIfIndex()));
        MiniportAdapter adapter = handle.adapter();
        NdisStatus init = onSystemThread("initialize " + handle.name(), adapter::initialize);
        if (!init.isSuccess()) {
            throw new NdisException(init, "MiniportInitializeEx of " + handle.name() + " failed");
        }
        miniport.added(handle);
        devices.add(handle);
        NdisStatus restart = onSystemThread("restart " + handle.name(), adapter::restart);
        if (!restart.isSuccess()) {
            throw new NdisException(restart, "MiniportRestart of " + handle.name() + " failed");
        }
        return handle;
    }

    /** Pauses a Running adapter (MiniportPause). */
    public void pause(NdisMiniportAdapterHandle handle) {
        onSystemThread("pause " + handle.name(), () -> {
            handle.adapter().pause();
            return null;
        });
    }

    /** Restarts a Paused adapter (MiniportRestart); returns its status. */
    public NdisStatus restart(NdisMiniportAdapterHandle handle) {
        return onSystemThread("restart " + handle.name(), handle.adapter()::restart);
    }

    /** Removes a device: pause if running, then MiniportHaltEx; the adapter ends Halted. */
    public void removeDevice(NdisMiniportAdapterHandle handle) {
        onSystemThread("remove " + handle.name(), () -> {
            MiniportAdapter adapter = handle.adapter();
            if (adapter.state() == AdapterState.Running) {
                adapter.pause();
            }
            adapter.halt(NdisHaltAction.NdisHaltDeviceInstanceDeInitialized);
            return null;
        });
        devices.remove(handle);
        handle.adapter().driver().removed(handle);
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

    /** Runs a PnP step on a DelayedWorkQueue thread at PASSIVE_LEVEL and waits for it. */
    private <T> T onSystemThread(String what, Supplier<T> step) {
        kernel.checkAlive();
        CompletableFuture<T> result = new CompletableFuture<>();
        kernel.queueWorkItem(WorkQueueType.DelayedWorkQueue, null, () -> {
            try {
                result.complete(step.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
                if (!(t instanceof BugCheckException) && !(t instanceof NdisException)) {
                    throw t;
                }
            }
        });
        long deadline = System.nanoTime() + OPERATION_TIMEOUT.toNanos();
        for (;;) {
            try {
                return result.get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // A crash elsewhere (a worker, a DPC) ends the wait: the machine has stopped.
                kernel.checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PnP operation '" + what + "' did not finish in "
                            + OPERATION_TIMEOUT.toSeconds() + " s");
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
