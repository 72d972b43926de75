package org.ndis4j.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ndis4j.hw.DeviceResources;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.internal.Handles;
import org.ndis4j.ndis.internal.LoadedDriver;
import org.ndis4j.ndis.internal.MiniportAdapter;
import org.ndis4j.ndis.internal.PlugAndPlay;
import org.ndis4j.ndis.types.DriverEntry;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisException;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.registry.AdapterConfiguration;

/**
 * The plug-and-play manager of one kernel, as a host (a test, a demo, a tool, a benchmark) drives
 * it: load drivers (DriverEntry), add and remove devices (NDIS then initializes, restarts, pauses and
 * halts their adapters), surprise-remove devices, shut the system down, unload drivers. Each
 * operation runs at PASSIVE_LEVEL on a system worker thread, as in Windows; the caller waits for it,
 * and NDIS's watchdog ({@code KernelConfig.ndisWatchdog}) stops the machine with 0x7C / 0x25 if a
 * driver never finishes what NDIS called it for. Drivers never use it.
 *
 * <pre>
 *   PnpManager pnp = PnpManager.of(kernel);
 *   DriverObject vmini = pnp.loadDriver("vmini", VminiDriver::driverEntry);
 *   NdisMiniportAdapterHandle adapter = pnp.addDevice(vmini, nic.resources());  // Running
 *   pnp.removeDevice(adapter);                                                   // Halted
 * </pre>
 * At {@link Kernel#close()} every device still present is removed and every driver unloaded, so the
 * verifier's halt-time accounting runs for all of them. {@link AdapterView} reads an adapter's state.
 */
public final class PnpManager {

    private final Kernel kernel;
    private final PlugAndPlay pnp;

    private PnpManager(Kernel kernel) {
        this.kernel = kernel;
        this.pnp = PlugAndPlay.of(kernel);
    }

    /** The PnP manager of {@code kernel}. */
    public static PnpManager of(Kernel kernel) {
        return new PnpManager(kernel);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Loads a driver: calls its DriverEntry at PASSIVE_LEVEL. Throws {@link NdisException} if it fails. */
    public DriverObject loadDriver(String name, DriverEntry entry) {
        return pnp.loadDriver(name, entry);
    }

    /**
     * Adds a device for {@code driver}: NDIS creates an adapter, calls MiniportInitializeEx, then
     * MiniportRestart, attaches the filters and binds the protocols. Returns the adapter handle,
     * Running. Throws {@link NdisException} when the miniport fails to initialize or restart (the
     * adapter is then Halted or Paused).
     */
    public NdisMiniportAdapterHandle addDevice(DriverObject driver, DeviceResources resources) {
        return addDevice(driver, resources, AdapterConfiguration.empty());
    }

    /**
     * Adds a device whose registry holds {@code configuration} (what its INF installed and the user
     * set in the Advanced properties): the miniport reads it with NdisOpenConfigurationEx and
     * NdisReadConfiguration in MiniportInitializeEx.
     */
    public NdisMiniportAdapterHandle addDevice(
            DriverObject driver, DeviceResources resources, AdapterConfiguration configuration) {
        return pnp.addDevice(loaded(driver, "addDevice"), resources, configuration);
    }

    /** Pauses a Running adapter's stack: its filters top down (FilterPause), then MiniportPause. */
    public void pause(NdisMiniportAdapterHandle adapter) {
        pnp.pause(Handles.adapter(adapter, "PnpManager.pause"));
    }

    /** Restarts a Paused adapter's stack: MiniportRestart, then its filters bottom up; returns the status. */
    public NdisStatus restart(NdisMiniportAdapterHandle adapter) {
        return pnp.restart(Handles.adapter(adapter, "PnpManager.restart"));
    }

    /**
     * Removes a device: protocols unbind, the stack pauses, filters detach, then MiniportHaltEx; the
     * adapter ends Halted.
     */
    public void removeDevice(NdisMiniportAdapterHandle adapter) {
        pnp.removeDevice(Handles.adapter(adapter, "PnpManager.removeDevice"));
    }

    /**
     * The device was pulled without warning (as {@code HotPlugSlot.surpriseRemove} does from the
     * device's side, asynchronously): MiniportDevicePnPEventNotify with NdisDevicePnPEventSurpriseRemoved,
     * then unbind, pause, detach and MiniportHaltEx with NdisHaltDeviceSurpriseRemoved; returns when
     * the adapter is Halted. Nothing happens when the device is gone already.
     */
    public void surpriseRemoveDevice(NdisMiniportAdapterHandle adapter) {
        pnp.surpriseRemoveDevice(Handles.adapter(adapter, "PnpManager.surpriseRemoveDevice"));
    }

    /**
     * Shuts the system down: MiniportShutdownEx(NdisShutdownPowerOff) on every started adapter, which
     * becomes Shutdown. Nothing is halted or unloaded afterwards, and no other PnP operation is
     * accepted; {@link Kernel#close()} powers the machine off.
     */
    public void shutdown() {
        pnp.shutdown();
    }

    /**
     * Unloads a driver whose adapters are all removed: NDIS waits for its work items, calls its unload
     * routine (MiniportDriverUnload, or the DriverUnload its DriverEntry set), and checks that nothing
     * of it is left: 0xCE for a timer still set or a work item still queued, then the rules
     * Driver_DeregisterAtUnload, Device_LeakAtUnload, IoWorkItem_LeakAtUnload and TimerObject_Leak.
     */
    public void unloadDriver(DriverObject driver) {
        pnp.unloadDriver(loaded(driver, "unloadDriver"));
    }

    /** The devices present now. */
    public List<NdisMiniportAdapterHandle> devices() {
        return new ArrayList<>(pnp.devices());
    }

    /**
     * How long NDIS waits, before MiniportHaltEx, for {@code adapter}'s miniport to complete the OID
     * request it holds (default 5 s); tests of rule OidRequest_PendingAtHalt shorten it.
     */
    public void setOidHaltGrace(NdisMiniportAdapterHandle adapter, Duration grace) {
        MiniportAdapter engine = Handles.adapter(adapter, "PnpManager.setOidHaltGrace");
        engine.oidBroker().setHaltGrace(grace);
    }

    private static LoadedDriver loaded(DriverObject driver, String operation) {
        if (driver instanceof LoadedDriver loaded) {
            return loaded;
        }
        throw new IllegalArgumentException(operation + ": " + driver + " was not loaded by a PnP manager");
    }
}
