package org.ndis4j.ndis.internal;

import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.types.DriverObject;

/** NDIS's side of a DRIVER_OBJECT: the driver image the PnP manager loaded, and its miniport. */
public final class LoadedDriver extends DriverObject {

    private volatile MiniportDriverBlock miniport;

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
}
