package org.ndis4j.ndis.internal;

import java.util.List;
import org.ndis4j.kernel.AllocationSite;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.NdisDeviceHandle;
import org.ndis4j.ndis.types.NdisDeviceObjectAttributes;
import org.ndis4j.ndis.types.NdisHandle;
import org.ndis4j.verifier.AllocationSites;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * A device object a miniport or filter driver registered with NdisRegisterDeviceEx. It belongs to the
 * driver's DRIVER_OBJECT ({@link LoadedDriver}), whose unload checks that it was deregistered (rule
 * Device_LeakAtUnload); its name is unique on the machine. Its handle may own NDIS I/O work items.
 */
public final class NdisDevice extends NdisDeviceHandle {

    private final LoadedDriver driverObject;
    private final NdisDeviceObjectAttributes attributes;
    /** The device extension NDIS allocated for the driver (ExtensionSize bytes). */
    private final byte[] extension;
    /** Where the driver registered the device, when the kernel records allocation stacks. */
    private final List<String> registeredAt;

    private volatile boolean registered = true;

    private NdisDevice(LoadedDriver driverObject, NdisDeviceObjectAttributes attributes) {
        super(driverObject.kernel(), driverObject.driverName() + attributes.deviceName());
        this.driverObject = driverObject;
        this.attributes = attributes;
        this.extension = new byte[attributes.extensionSize()];
        this.registeredAt = AllocationSites.capture(driverObject.kernel());
    }

    /**
     * NdisRegisterDeviceEx, after the entry point checked IRQL: {@code ndisHandle} is the miniport
     * driver or filter driver handle of the caller. Null when a device of that name exists already
     * (the I/O manager's name collision).
     */
    public static NdisDevice register(NdisHandle ndisHandle, NdisDeviceObjectAttributes attributes) {
        Kernel kernel = ndisHandle.kernel();
        LoadedDriver driverObject = switch (ndisHandle.kind()) {
            case MINIPORT_DRIVER ->
                Handles.miniportDriver(ndisHandle, "NdisRegisterDeviceEx").driverObject();
            case FILTER_DRIVER ->
                Handles.filterDriver(ndisHandle, "NdisRegisterDeviceEx").driverObject();
            default ->
                throw Verifier.violation(
                        kernel,
                        Rule.Handle_Invalid,
                        7,
                        ndisHandle.kind().ordinal(),
                        "NdisRegisterDeviceEx with " + ndisHandle
                                + "; it takes a miniport driver handle or a filter driver handle");
        };
        if (attributes == null) {
            throw Verifier.violation(kernel, Rule.Handle_Invalid, 0, 0, "NdisRegisterDeviceEx without attributes");
        }
        NdisDevice device = new NdisDevice(driverObject, attributes);
        if (!NdisLibrary.of(kernel).deviceRegistered(device)) {
            Trace.log("NdisRegisterDeviceEx(%s) -> name collision", attributes.deviceName());
            return null;
        }
        driverObject.deviceRegistered(device);
        Trace.log("NdisRegisterDeviceEx(%s) by %s", attributes.deviceName(), driverObject.driverName());
        return device;
    }

    /** NdisDeregisterDeviceEx, after the entry point checked IRQL and that the device is registered. */
    public void deregister() {
        registered = false;
        NdisLibrary.of(kernel()).deviceDeregistered(this);
        driverObject.deviceDeregistered(this);
        Trace.log("NdisDeregisterDeviceEx(%s)", attributes.deviceName());
    }

    @Override
    public NdisDeviceObjectAttributes attributes() {
        return attributes;
    }

    @Override
    public boolean isRegistered() {
        return registered;
    }

    /** The device extension (NdisGetDeviceReservedExtension is not mapped yet). */
    byte[] extension() {
        return extension;
    }

    @Override
    public String driverName() {
        return driverObject.driverName();
    }

    /** The driver object whose driver registered this device. */
    LoadedDriver driverObject() {
        return driverObject;
    }

    /** Where the driver registered this device, or null when no stack was recorded. */
    AllocationSite registrationSite() {
        return AllocationSites.of(this, registeredAt);
    }
}
