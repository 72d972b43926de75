package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/** The DRIVER_OBJECT the I/O manager hands DriverEntry: one per loaded driver image. Opaque. */
public abstract class DriverObject {

    private final Kernel kernel;
    private final String driverName;

    /** For the PnP manager, which makes every driver object. */
    protected DriverObject(Kernel kernel, String driverName) {
        this.kernel = kernel;
        this.driverName = driverName;
    }

    public final Kernel kernel() {
        return kernel;
    }

    public final String driverName() {
        return driverName;
    }

    @Override
    public String toString() {
        return "DriverObject[" + driverName + "]";
    }
}
