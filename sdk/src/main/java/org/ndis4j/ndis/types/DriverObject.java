package org.ndis4j.ndis.types;

import org.ndis4j.kernel.Kernel;

/** The DRIVER_OBJECT the I/O manager hands DriverEntry: one per loaded driver image. Opaque. */
public abstract class DriverObject {

    private final Kernel kernel;
    private final String driverName;
    private volatile DriverUnload driverUnload;

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

    /**
     * DriverObject-&gt;DriverUnload = routine, from DriverEntry. A filter or protocol driver sets it; a
     * miniport driver's unload routine is its MiniportDriverUnload, which NDIS calls instead. Runs at
     * PASSIVE_LEVEL.
     */
    public final void setDriverUnload(DriverUnload routine) {
        this.driverUnload = routine;
    }

    /** The unload routine DriverEntry set, or null. */
    public final DriverUnload driverUnload() {
        return driverUnload;
    }

    @Override
    public String toString() {
        return "DriverObject[" + driverName + "]";
    }
}
