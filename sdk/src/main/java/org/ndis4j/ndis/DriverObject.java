package org.ndis4j.ndis;

import org.ndis4j.kernel.Kernel;

/** The DRIVER_OBJECT the I/O manager hands DriverEntry: one per loaded driver image. */
public final class DriverObject {

    private final Kernel kernel;
    private final String driverName;
    private volatile NdisMiniportDriverHandle miniport;

    DriverObject(Kernel kernel, String driverName) {
        this.kernel = kernel;
        this.driverName = driverName;
    }

    public Kernel kernel() {
        return kernel;
    }

    public String driverName() {
        return driverName;
    }

    /** The miniport registered by this driver's DriverEntry, or null. */
    public NdisMiniportDriverHandle miniportDriver() {
        return miniport;
    }

    void setMiniport(NdisMiniportDriverHandle handle) {
        miniport = handle;
    }

    @Override
    public String toString() {
        return "DriverObject[" + driverName + "]";
    }
}
