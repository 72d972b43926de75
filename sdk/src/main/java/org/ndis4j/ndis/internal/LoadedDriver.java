package org.ndis4j.ndis.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * NDIS's side of a DRIVER_OBJECT: the driver image the PnP manager loaded, its miniport, and the
 * device objects it registered with NdisRegisterDeviceEx (which must be gone before it unloads).
 */
public final class LoadedDriver extends DriverObject {

    private volatile MiniportDriverBlock miniport;
    private final List<NdisDevice> devices = new CopyOnWriteArrayList<>();

    LoadedDriver(Kernel kernel, String driverName) {
        super(kernel, driverName);
    }

    /** The miniport registered by this driver's DriverEntry, or null. */
    public MiniportDriverBlock miniportDriver() {
        return miniport;
    }

    void setMiniport(MiniportDriverBlock block) {
        miniport = block;
    }

    void deviceRegistered(NdisDevice device) {
        devices.add(device);
    }

    void deviceDeregistered(NdisDevice device) {
        devices.remove(device);
    }

    /**
     * The driver's unload routine returned: every device it registered must be deregistered (rule
     * Device_LeakAtUnload; Windows keeps such a driver loaded, its image and device objects leaked).
     */
    void checkDevicesGone() {
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
}
