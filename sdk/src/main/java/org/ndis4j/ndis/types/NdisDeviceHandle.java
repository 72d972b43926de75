package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/**
 * NdisDeviceHandle: the handle of a device object a miniport or filter driver made with
 * NdisRegisterDeviceEx (a control device its tools open). It belongs to the driver's DRIVER_OBJECT
 * and must be deregistered (NdisDeregisterDeviceEx) before the driver unloads. NdisAllocateIoWorkItem
 * takes it. Opaque; the queries below are for tests and diagnostics.
 */
public abstract class NdisDeviceHandle extends NdisHandle {

    protected NdisDeviceHandle(Kernel kernel, String name) {
        super(kernel, HandleKind.DEVICE, name);
    }

    /** The attributes the device was registered with. */
    public abstract NdisDeviceObjectAttributes attributes();

    /** True from NdisRegisterDeviceEx until NdisDeregisterDeviceEx. */
    public abstract boolean isRegistered();
}
